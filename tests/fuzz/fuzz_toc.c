/* libFuzzer target: a locale's navigation (toc.yml or TOC.md, and a nested
 * toc it may name), read through toc_load as a build reads it, against two
 * articles. The input is split at its first NUL byte: the top toc, then
 * sub/toc.yml; a top toc that starts with '#' is read as TOC.md.
 * toc_load must never crash or loop, every diagnostic must be valid UTF-8,
 * every page the navigation lists must be an article of the locale, and
 * every link to another site must have an allowed scheme. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "toc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/folio-fuzz-toc-XXXXXX";

static char *write_toc(const char *name, const uint8_t *data, size_t size) {
  static char path[2][sizeof dir + 32];
  static int which;
  char *p = path[which++ & 1];
  snprintf(p, sizeof path[0], "%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f))
    abort();
  return p;
}

static void check_items(const toc_item *it, const content_set *cs) {
  for (size_t i = 0; i < it->n; i++) {
    const toc_item *c = &it->items[i];
    if (c->rel && !content_find_article(cs, 0, c->rel))
      abort();
    /* A URL the scheme allowlist refuses never reaches a page. */
    if (c->external && !url_is_allowed(&(url_policy){0}, c->external))
      abort();
    check_items(c, cs);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    char sub[sizeof dir + 8];
    if (!mkdtemp(dir))
      abort();
    snprintf(sub, sizeof sub, "%s/sub", dir);
    if (mkdir(sub, 0700))
      abort();
    ready = 1;
  }
  if (!size)
    return 0;
  const uint8_t *nul = memchr(data, 0, size);
  size_t top_len = nul ? (size_t)(nul - data) : size;
  const uint8_t *nested = nul ? nul + 1 : (const uint8_t *)"";
  size_t nested_len = nul ? size - top_len - 1 : 0;
  const char *top_name = data[0] == '#' ? "TOC.md" : "toc.yml";

  /* Sorted by locale, then path, as discovery leaves them. */
  content_file tocs[2] = {
      {.locale = 0, .rel = "sub/toc.yml", .path = write_toc("sub/toc.yml", nested, nested_len)},
      {.locale = 0, .rel = top_name, .path = write_toc(top_name, data, top_len)},
  };
  if (strcmp(tocs[0].rel, tocs[1].rel) > 0) {
    content_file t = tocs[0];
    tocs[0] = tocs[1];
    tocs[1] = t;
  }
  heading intro = {.level = 2, .id = "intro", .text = "Intro", .line = 3};
  article arts[2] = {
      {.locale = 0, .rel = "a.md", .path = "content/en-us/a.md", .url = "a.html", .ok = true,
       .fm = {.title = "A"}, .headings = &intro, .nheadings = 1},
      {.locale = 0, .rel = "sub/b.md", .path = "content/en-us/sub/b.md", .url = "sub/b.html",
       .ok = true, .fm = {.title = "B"}},
  };
  content_set cs = {.articles = arts, .narticles = 2, .tocs = tocs, .ntocs = 2};
  url_policy urls = {0};

  arena *a = arena_new();
  content_index_articles(a, &cs); /* as discover_content does */
  diag_list d = {0};
  toc_tree *t = NULL;
  int rc = toc_load(a, &cs, &urls, 0, &t, &d);
  if (rc < 0 && !diag_count(&d, SEV_ERROR))
    abort();
  for (size_t i = 0; i < d.count; i++) {
    size_t bad, nbad;
    if (!utf8_valid(d.items[i].message, strlen(d.items[i].message), &bad, &nbad))
      abort();
  }
  if (t) {
    check_items(&t->root, &cs);
    for (size_t i = 0; i < t->norder; i++)
      if (!content_find_article(&cs, 0, t->order[i]))
        abort();
  }
  diag_list_free(&d);
  arena_free(a);
  return 0;
}
