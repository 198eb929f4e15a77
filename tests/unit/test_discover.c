/* discover: content_find_article through the hash index that
 * discover_content builds, against the binary search it replaces: the same
 * article for every (locale, rel) present, NULL for every key absent, from
 * one thread and from several at once. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "discover.h"
#include "pool.h"
#include "test.h"

/* The same set without its index: content_find_article bsearches it. */
static content_set unindexed(const content_set *cs) {
  content_set plain = *cs;
  plain.article_slots = NULL;
  plain.article_cap = 0;
  return plain;
}

static void test_discovered(void) {
  arena *a = arena_new();
  diag_list d = {0};
  char *dir = test_mkdtemp();
  test_write(dir, "folio.yml", "title: Docs\nlocales: [en-us, de-de, fr-fr]\n");
  test_write(dir, "content/en-us/index.md", "# Home\n");
  test_write(dir, "content/en-us/a/x.md", "# X\n");
  test_write(dir, "content/en-us/a/page.yml", "### YamlMime:FAQ\ntitle: Q\n");
  test_write(dir, "content/en-us/only-source.md", "# S\n");
  test_write(dir, "content/de-de/a/x.md", "# X\n");
  test_write(dir, "content/de-de/index.md", "# Start\n");
  test_write(dir, "content/fr-fr/index.md", "# Accueil\n");
  test_write(dir, "content/fr-fr/only-fr.md", "# F\n");
  site_config cfg;
  CHECK_INT(config_load(a, dir, &cfg, &d), 0);
  content_set cs;
  CHECK_INT(discover_content(a, &cfg, &cs, &d), 0);
  CHECK_INT(cs.narticles, 8);
  CHECK(cs.article_slots != NULL);
  CHECK(cs.article_cap >= 2 * cs.narticles);
  /* Every article finds itself, in its own locale only. */
  for (size_t i = 0; i < cs.narticles; i++) {
    const article *art = &cs.articles[i];
    CHECK(content_find_article(&cs, art->locale, art->rel) == art);
  }
  /* The same rel in each locale is a different article. */
  const article *en = content_find_article(&cs, 0, "a/x.md");
  const article *de = content_find_article(&cs, 1, "a/x.md");
  CHECK(en && de && en != de);
  CHECK(en && en->locale == 0);
  CHECK(de && de->locale == 1);
  CHECK(content_find_article(&cs, 2, "a/x.md") == NULL);
  CHECK(content_find_article(&cs, 1, "only-source.md") == NULL);
  CHECK(content_find_article(&cs, 0, "only-fr.md") == NULL);
  const article *fr = content_find_article(&cs, 2, "only-fr.md");
  CHECK(fr && fr->locale == 2 && !strcmp(fr->rel, "only-fr.md"));
  /* Absent: another case, a prefix, a longer path, the other extension, empty,
   * a locale that is not there. */
  const char *absent[] = {"A/x.md", "a/x.m", "a/x.md/", "a/x.yml", "a/page.md", "", "x.md",
                          "index.md.md", "/index.md"};
  for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
    for (int l = 0; l < 4; l++)
      CHECK(content_find_article(&cs, l, absent[i]) == NULL);
  /* content_find_by_url goes through it too: .md first, else .yml. */
  CHECK(content_find_by_url(&cs, 0, "a/x.html") == en);
  const article *faq = content_find_by_url(&cs, 0, "a/page.html");
  CHECK(faq && !strcmp(faq->rel, "a/page.yml"));
  CHECK(content_find_by_url(&cs, 1, "a/page.html") == NULL);
  /* The same answers as the binary search. */
  content_set plain = unindexed(&cs);
  for (int l = 0; l < 4; l++) {
    CHECK(content_find_article(&plain, l, "a/x.md") == content_find_article(&cs, l, "a/x.md"));
    CHECK(content_find_article(&plain, l, "index.md") ==
          content_find_article(&cs, l, "index.md"));
  }
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

/* A larger set built by hand, as the fuzz targets do: sorted by (locale,
 * rel), then indexed. */
#define NLOC 3
#define PER 2000
static content_set big(arena *a) {
  content_set cs = {0};
  cs.narticles = NLOC * PER;
  cs.articles = arena_alloc(a, cs.narticles * sizeof *cs.articles);
  for (int l = 0; l < NLOC; l++)
    for (int i = 0; i < PER; i++) {
      article *art = &cs.articles[(size_t)l * PER + (size_t)i];
      art->locale = l;
      /* zero-padded, so the order of i is the order of strcmp */
      art->rel = arena_printf(a, "dir%d/page-%05d.md", i % 7, i);
    }
  /* sort: by locale, then rel (dir first) */
  for (int l = 0; l < NLOC; l++) {
    article *part = &cs.articles[(size_t)l * PER];
    for (int i = 1; i < PER; i++) {
      article t = part[i];
      int j = i;
      while (j > 0 && strcmp(part[j - 1].rel, t.rel) > 0) {
        part[j] = part[j - 1];
        j--;
      }
      part[j] = t;
    }
  }
  content_index_articles(a, &cs);
  return cs;
}

static void test_big(void) {
  arena *a = arena_new();
  content_set cs = big(a);
  content_set plain = unindexed(&cs);
  CHECK(cs.article_slots != NULL);
  size_t wrong = 0;
  for (size_t i = 0; i < cs.narticles; i++) {
    const article *art = &cs.articles[i];
    for (int l = 0; l < NLOC + 1; l++) {
      const article *got = content_find_article(&cs, l, art->rel);
      wrong += got != content_find_article(&plain, l, art->rel);
      wrong += got != (l == art->locale ? art : got); /* its own locale: itself */
      wrong += got && (got->locale != l || strcmp(got->rel, art->rel));
      char *miss = arena_printf(a, "%sx", art->rel);
      wrong += content_find_article(&cs, l, miss) != NULL;
    }
  }
  CHECK_INT(wrong, 0);
  /* An empty set has no index and finds nothing. */
  content_set none = {0};
  content_index_articles(a, &none);
  CHECK(none.article_slots == NULL);
  CHECK(content_find_article(&none, 0, "x.md") == NULL);
  arena_free(a);
}

/* Several threads look up at once (pool_run): each index checks one article
 * and one absent key; the outcome goes into its own slot. */
typedef struct {
  const content_set *cs;
  unsigned char *bad;
} lookup_job;

static void look(void *ctx, size_t i) {
  const lookup_job *job = ctx;
  const article *art = &job->cs->articles[i];
  char miss[64];
  snprintf(miss, sizeof miss, "%.60s!", art->rel);
  job->bad[i] = content_find_article(job->cs, art->locale, art->rel) != art ||
                content_find_article(job->cs, (art->locale + 1) % NLOC, art->rel) ==
                    art ||
                content_find_article(job->cs, art->locale, miss) != NULL;
}

static void test_threads(void) {
  arena *a = arena_new();
  content_set cs = big(a);
  lookup_job job = {&cs, arena_alloc(a, cs.narticles)};
  for (int round = 0; round < 4; round++)
    pool_run(4, cs.narticles, look, &job, NULL);
  size_t bad = 0;
  for (size_t i = 0; i < cs.narticles; i++)
    bad += job.bad[i];
  CHECK_INT(bad, 0);
  arena_free(a);
}

int main(void) {
  RUN(test_discovered);
  RUN(test_big);
  RUN(test_threads);
  return test_done();
}
