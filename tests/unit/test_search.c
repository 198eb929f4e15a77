/* out_search: the text of a page, the folding of words (which must agree
 * with the page script's fold(); tests/site/check-search-index.js checks the
 * two against each other on a generated site), and the index files: valid
 * UTF-8, safe in a script, the same bytes whatever the order of the pages. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "out_search.h"
#include "test.h"

static char *text_of(const char *html) {
  buf b = {0};
  out_search_text(html, &b);
  return buf_detach(&b);
}

static void test_text(void) {
  char *s = text_of("<h1>A &amp; B</h1>\n<p>x&lt;y &quot;q&quot;&nbsp;z</p><td>a</td><td>b</td>");
  CHECK_STR(s, "A & B x<y \"q\" z a b");
  free(s);
  s = text_of("<p>caf&#233; &#x263A; &#X41;</p>");
  CHECK_STR(s, "caf\xc3\xa9 \xe2\x98\xba A");
  free(s);
  /* Not characters: a surrogate, NUL, past U+10FFFF give U+FFFD (so the
   * index stays valid UTF-8); malformed references stay as they are. */
  s = text_of("a&#xD800;b&#55296;c&#0;d&#1114112;e&#x110000;f&#99999999999;g");
  CHECK_STR(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd" "e\xef\xbf\xbd"
               "f\xef\xbf\xbd" "g");
  free(s);
  s = text_of("&#; &#x; &#12a; &unknown; & alone");
  CHECK_STR(s, "&#; &#x; &#12a; &unknown; & alone");
  free(s);
}

static void collect(void *ctx, const char *term, size_t len) {
  buf *b = ctx;
  CHECK_INT(strlen(term), len);
  if (b->len)
    buf_putc(b, '|');
  buf_put(b, term, len);
}

static char *terms_of(const char *s) {
  buf b = {0};
  out_search_terms(s, collect, &b);
  return buf_detach(&b);
}

static void test_terms(void) {
  /* As the page script gives them (node: words() in folio-search.js). */
  char *s = terms_of("\xc3\x9c" "berblick Stra\xc3\x9f" "e, perm-issions 2025!");
  CHECK_STR(s, "uberblick|stra\xc3\x9f" "e|perm|issions|2025");
  free(s);
  /* Greek capitals: the final sigma folds to sigma. */
  s = terms_of("\xce\x9f\xce\x94\xce\x9f\xce\xa3 \xce\xbf\xce\xb4\xce\xbf\xcf\x82");
  CHECK_STR(s, "\xce\xbf\xce\xb4\xce\xbf\xcf\x83|\xce\xbf\xce\xb4\xce\xbf\xcf\x83");
  free(s);
  /* Arabic harakat dropped: marhaban. */
  s = terms_of("\xd9\x85\xd9\x8e\xd8\xb1\xd9\x92\xd8\xad\xd9\x8e\xd8\xa8\xd9\x8b\xd8\xa7");
  CHECK_STR(s, "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7");
  free(s);
  /* Each ideograph and kana is a word; I with a dot above folds to i. */
  s = terms_of("\xe6\x95\xb0\xe6\x8d\xae\xe5\xba\x93x \xe3\x82\xab\xe3\x82\xbf \xc4\xb0stanbul");
  CHECK_STR(s, "\xe6\x95\xb0|\xe6\x8d\xae|\xe5\xba\x93|x|\xe3\x82\xab|\xe3\x82\xbf|istanbul");
  free(s);
  /* Long words are cut; invalid UTF-8 separates words. */
  s = terms_of("abcdefghijklmnopqrstuvwxyz0123456789 a\xff" "b c\xed\xa0\x80" "d");
  CHECK_STR(s, "abcdefghijklmnopqrstuvwxyz012345|a|b|c|d");
  free(s);
  s = terms_of("");
  CHECK_STR(s, "");
  free(s);
  /* The cut counts characters, whichever path read them: ASCII runs and
   * accented letters in one word, and a word that ends past the cut. */
  s = terms_of("abcdefghijklmnopqrstuvwxyz01234\xc3\xa9" "xyz NEXT \xc3\xa9" "abcdefghijklmnopqrstuvwxyz0123456789"
               " a" "\xc3\x89" "B" "\xc3\x89" "c");
  CHECK_STR(s, "abcdefghijklmnopqrstuvwxyz01234e|next|eabcdefghijklmnopqrstuvwxyz01234|aebec");
  free(s);
}

typedef struct {
  buf all;       /* every file: "== path\n" then its bytes, as handed */
  int files;
  char **paths;  /* and each file by itself (see settle) */
  buf *bytes;
} files;

/* Page files come from several threads when the index is made on more
 * than one. */
static pthread_mutex_t keep_lock = PTHREAD_MUTEX_INITIALIZER;

static int keep(void *ctx, const char *path, const char *data, size_t len) {
  files *f = ctx;
  pthread_mutex_lock(&keep_lock);
  buf_printf(&f->all, "== %s\n", path);
  buf_put(&f->all, data, len);
  f->paths = realloc(f->paths, (size_t)(f->files + 1) * sizeof *f->paths);
  f->bytes = realloc(f->bytes, (size_t)(f->files + 1) * sizeof *f->bytes);
  f->paths[f->files] = strdup(path);
  f->bytes[f->files] = (buf){0};
  buf_put(&f->bytes[f->files], data, len);
  f->files++;
  pthread_mutex_unlock(&keep_lock);
  return 0;
}

static const files *sort_files;

static int by_path(const void *a, const void *b) {
  return strcmp(sort_files->paths[*(const int *)a], sort_files->paths[*(const int *)b]);
}

/* all rebuilt with the files in path order: the order in which threads
 * hand them is not the index's. */
static void settle(files *f) {
  int *order = malloc((size_t)(f->files + 1) * sizeof *order);
  for (int i = 0; i < f->files; i++)
    order[i] = i;
  sort_files = f;
  qsort(order, (size_t)f->files, sizeof *order, by_path);
  f->all.len = 0;
  for (int i = 0; i < f->files; i++) {
    buf_printf(&f->all, "== %s\n", f->paths[order[i]]);
    buf_put(&f->all, f->bytes[order[i]].data, f->bytes[order[i]].len);
  }
  free(order);
}

static void files_free(files *f) {
  for (int i = 0; i < f->files; i++) {
    free(f->paths[i]);
    buf_free(&f->bytes[i]);
  }
  free(f->paths);
  free(f->bytes);
  buf_free(&f->all);
}

static bool valid_utf8(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    unsigned c = *p;
    size_t k = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 9;
    if (k == 9 || (size_t)(end - p) <= k)
      return false;
    unsigned long v = k == 0 ? c : k == 1 ? c & 0x1f : k == 2 ? c & 0x0f : c & 0x07;
    for (size_t i = 1; i <= k; i++) {
      if ((p[i] & 0xc0) != 0x80)
        return false;
      v = v << 6 | (p[i] & 0x3f);
    }
    if ((k == 1 && v < 0x80) || (k == 2 && v < 0x800) || (k == 3 && v < 0x10000) ||
        (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
      return false;
    p += k + 1;
  }
  return true;
}

/* Every escape of put_js, as one page's text: quotes, backslashes, line
 * ends, tabs, '<', other control characters, DEL, U+2028/U+2029, a valid
 * multi-byte character and bytes that are not UTF-8, each among plain runs. */
static void test_js_escapes(void) {
  out_search_page page = {
      .title = "T", .url = "t.html",
      .text = "a\"b\\c\nd\re\tf<g\x01h\x1fi\x7fj\xe2\x80\xa8k\xe2\x80\xa9l\xc3\xa9m\xe2\x80\xa7n"
              "\xffo\xc3p\xf0\x9f\x98\x80q end"};
  files f = {0};
  CHECK_INT(out_search_index(&page, 1, "en-us", "en-US", keep, &f), 0);
  CHECK(strstr(buf_cstr(&f.all),
               ",\"x\":\"a\\\"b\\\\c\\nd\\re\\tf\\u003cg\\u0001h\\u001fi\\u007fj\\u2028k\\u2029l"
               "\xc3\xa9m\xe2\x80\xa7n\xef\xbf\xbdo\xef\xbf\xbdp\xf0\x9f\x98\x80q end\"});\n") != NULL);
  files_free(&f);
}

static void test_index_files(void) {
  const char *h1[] = {"Zebra heading", "Second \xe2\x80\xa8 one"};
  out_search_page pages[] = {
      {.title = "Zebra", .url = "z.html", .description = "About </script> tags",
       .lang = "en-US", .headings = h1, .nheadings = 2,
       .text = "Zebra text with zebras, a lone \xed\xa0\x80 surrogate and a bad \xff byte."},
      {.title = "Apple", .url = "a/apple.html", .description = "Fruit\xe2\x80\xa9.",
       .lang = "de-DE", .text = "Apple apple apple apple apple apple apple zebra"},
  };
  files f = {0};
  CHECK_INT(out_search_index(pages, 2, "en-us", "en-US", keep, &f), 0);
  CHECK_INT(f.files, 4); /* one shard, two pages, the manifest */
  const char *all = buf_cstr(&f.all);
  CHECK(valid_utf8(f.all.data, f.all.len));
  CHECK(!strstr(all, "</script") && !strstr(all, "\xe2\x80\xa8") && !strstr(all, "\xe2\x80\xa9"));
  CHECK(strstr(all, "About \\u003c/script> tags") != NULL);
  CHECK(strstr(all, "Second \\u2028 one") != NULL);
  CHECK(strstr(all, "a lone \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd surrogate") != NULL);
  /* Pages are numbered in title order: Apple is 0; its lang differs. */
  CHECK(strstr(all, "== search/p0.js\nfolioSearchPage(0,{\"t\":\"Apple\",\"u\":\"a/apple.html\"") != NULL);
  CHECK(strstr(all, "\"l\":\"de-DE\"});") != NULL);
  CHECK(strstr(all, "== search/p1.js\nfolioSearchPage(1,{\"t\":\"Zebra\"") != NULL);
  /* "apple": page 0 (gap 0), title (8) + 5 in the text (capped) = 13 "D".
   * "zebra": page 0 (gap 0), text once: "1"; page 1 (gap 0), title and
   * heading (24) + text once (not "zebras"): "P". */
  CHECK(strstr(all, "\n\"apple\",\"0D\"") != NULL);
  CHECK(strstr(all, "\n\"zebra\",\"010P\"") != NULL);
  CHECK(strstr(all, "\n\"zebras\",\"11\"") != NULL);
  CHECK(strstr(all, "== search-index.js\n") != NULL);
  CHECK(strstr(all, "\"pages\":2,\"shards\":[\"\"]});\n") != NULL);

  /* The same pages in another order: the same bytes. */
  out_search_page swapped[] = {pages[1], pages[0]};
  files g = {0};
  CHECK_INT(out_search_index(swapped, 2, "en-us", "en-US", keep, &g), 0);
  CHECK(g.all.len == f.all.len && !memcmp(g.all.data, f.all.data, f.all.len));
  files_free(&f);
  files_free(&g);

  /* No pages: an empty shard and a manifest. */
  files e = {0};
  CHECK_INT(out_search_index(NULL, 0, "en-us", "en-US", keep, &e), 0);
  CHECK_INT(e.files, 2);
  CHECK(strstr(buf_cstr(&e.all), "folioSearchTerms(0,[\n]);\n") != NULL);
  files_free(&e);
}

static void test_shards(void) {
  /* Enough distinct words for several shards: each shard's first key
   * sorts after the last term of the one before and starts its first. */
  enum { N = 3000 };
  char *texts[N];
  out_search_page pages[N];
  for (int i = 0; i < N; i++) {
    buf t = {0};
    for (int k = 0; k < 30; k++)
      buf_printf(&t, "w%05dx%d ", (i * 7 + k * 131) % 20000, k % 3);
    texts[i] = buf_detach(&t);
    char title[32];
    snprintf(title, sizeof title, "Page %04d", i);
    pages[i] = (out_search_page){.title = strdup(title), .url = "p.html", .text = texts[i]};
  }
  files f = {0};
  CHECK_INT(out_search_index(pages, N, "en-us", "en-US", keep, &f), 0);
  const char *m = strstr(buf_cstr(&f.all), "== search-index.js\n");
  CHECK(m && strstr(m, "\"shards\":[\"\",\""));
  int shards = 0;
  for (const char *p = f.all.data; (p = strstr(p, "== search/t")); p++)
    shards++;
  CHECK(shards > 3);
  CHECK_INT(f.files, shards + N + 1);
  for (int i = 0; i < N; i++) {
    free(texts[i]);
    free((char *)pages[i].title);
  }
  files_free(&f);
}

/* Digests by page: those kept by a first index, handed back (or not, or
 * damaged) to a second. */
typedef struct {
  buf terms[8], snippets[8];
  long ids[8];
  uint64_t hashes[8];
  bool have[8];
  int damage; /* what find does to page 1's digest: 0 none, 1..6 see below */
  atomic_size_t found; /* find runs on several threads */
  bool carry;      /* what carry answers */
  size_t carried;  /* carry calls */
} digest_box;

static bool box_find(void *ctx, size_t i, out_search_digest *d) {
  digest_box *b = ctx;
  if (!b->have[i])
    return false;
  *d = (out_search_digest){b->terms[i].data, b->terms[i].len, b->snippets[i].data,
                           b->snippets[i].len, b->ids[i], b->hashes[i]};
  if (i == 1 && b->damage) {
    static char bad[64];
    switch (b->damage) {
    case 1: /* a snippet that would end the string early */
      d->snippet = "\"a\"b\"";
      d->snippet_len = 5;
      break;
    case 2: /* a term twice */
      memcpy(bad, "zebra\0\x01zebra\0\x01", 14);
      d->terms = bad;
      d->terms_len = 14;
      break;
    case 3: /* a weight of 0 */
      memcpy(bad, "zebra\0\x00", 7);
      d->terms = bad;
      d->terms_len = 7;
      break;
    case 4: /* cut inside a term */
      d->terms_len = 3;
      break;
    case 5: /* a new term, then a bad one: the first must not reach the index */
      memcpy(bad, "neverseen\0\x01x\0\x07", 14);
      d->terms = bad;
      d->terms_len = 14;
      break;
    case 6: /* a term twice, not in a row, after a term of weight 1 */
      memcpy(bad, "zebra\0\x01neverseen\0\x01zebra\0\x09", 25);
      d->terms = bad;
      d->terms_len = 25;
      break;
    }
  }
  b->found++;
  return true;
}

static void box_keep(void *ctx, size_t i, const out_search_digest *d) {
  digest_box *b = ctx;
  b->terms[i].len = b->snippets[i].len = 0;
  buf_put(&b->terms[i], d->terms, d->terms_len);
  buf_put(&b->snippets[i], d->snippet, d->snippet_len);
  b->ids[i] = d->id;
  b->hashes[i] = d->file_hash;
  b->have[i] = true;
}

static bool box_carry(void *ctx, size_t i, const char *path) {
  digest_box *b = ctx;
  char want[32];
  snprintf(want, sizeof want, "search/p%ld.js", b->ids[i]);
  CHECK_STR(path, want);
  b->carried++;
  return b->carry;
}

static const char *manifest_of(files *f) {
  for (int i = 0; i < f->files; i++)
    if (!strcmp(f->paths[i], "search-index.js"))
      return buf_cstr(&f->bytes[i]);
  return "";
}

static bool same_files(files *a, files *b) {
  settle(a);
  settle(b);
  return a->all.len == b->all.len && !memcmp(a->all.data, b->all.data, a->all.len);
}

static void test_digests(void) {
  const char *h[] = {"Tails and stripes"};
  out_search_page pages[] = {
      {.title = "Zebra", .url = "z.html", .description = "Stripes", .headings = h,
       .nheadings = 1, .text = "Zebra zebra grass \"quoted\" <tag> \xe2\x80\xa8 line"},
      {.title = "Apple", .url = "a.html", .description = "Fruit", .text = "Apple zebra"},
      {.title = "Mango", .url = "m.html", .text = "Mango \xe6\x97\xa5\xe6\x9c\xac"},
  };
  files plain = {0};
  CHECK_INT(out_search_index(pages, 3, "en-us", "en-US", keep, &plain), 0);
  /* Indexed with a digest box: the same files, every digest kept. */
  digest_box box = {0};
  out_search_page_digests dg = {box_find, box_keep, box_carry, &box};
  files first = {0};
  CHECK_INT(out_search_index_streamed(pages, 3, "en-us", "en-US", NULL, NULL, &dg, 2, keep,
                                      &first), 0);
  CHECK(same_files(&first, &plain));
  CHECK(box.have[0] && box.have[1] && box.have[2]);
  /* Pages without their text: only the digests can give it. */
  out_search_page bare[3];
  for (int i = 0; i < 3; i++) {
    bare[i] = pages[i];
    bare[i].text = "";
  }
  for (int damage = 0; damage <= 6; damage++) {
    box.damage = damage;
    box.found = 0;
    files again = {0};
    /* A damaged digest is refused: page 1 is indexed from its (empty)
     * text, so its terms are gone, and the others' stay. */
    CHECK_INT(out_search_index_streamed(damage ? pages : bare, 3, "en-us", "en-US", NULL, NULL,
                                        &dg, 2, keep, &again), 0);
    CHECK_INT(atomic_load(&box.found), 3);
    CHECK(same_files(&again, &plain));
    CHECK(!strstr(buf_cstr(&again.all), "neverseen"));
    files_free(&again);
  }
  /* Each page at the id it had: its file is carried (not written), and
   * the manifest's version is the same. */
  box.damage = 0;
  box.carry = true;
  box.carried = 0;
  files carried = {0};
  CHECK_INT(out_search_index_streamed(bare, 3, "en-us", "en-US", NULL, NULL, &dg, 2, keep,
                                      &carried), 0);
  CHECK_INT(box.carried, 3);
  CHECK_INT(carried.files, 2); /* the shard and the manifest */
  CHECK_STR(manifest_of(&carried), manifest_of(&plain));
  /* Refused (the file was edited in the site): written after all. */
  box.carry = false;
  files refused = {0};
  CHECK_INT(out_search_index_streamed(bare, 3, "en-us", "en-US", NULL, NULL, &dg, 2, keep,
                                      &refused), 0);
  CHECK(same_files(&refused, &plain));
  /* A page that sorts first moves the others' ids: none is carried. */
  box.carry = true;
  box.carried = 0;
  out_search_page more[4] = {bare[0], bare[1], bare[2],
                             {.title = "Aardvark", .url = "aa.html", .text = "burrow"}};
  digest_box *b = &box;
  b->have[3] = false;
  files moved = {0};
  CHECK_INT(out_search_index_streamed(more, 4, "en-us", "en-US", NULL, NULL, &dg, 2, keep,
                                      &moved), 0);
  CHECK_INT(box.carried, 0);
  CHECK_INT(moved.files, 6);
  for (int i = 0; i < 8; i++) {
    buf_free(&box.terms[i]);
    buf_free(&box.snippets[i]);
  }
  files_free(&plain);
  files_free(&first);
  files_free(&carried);
  files_free(&refused);
  files_free(&moved);
}

int main(void) {
  RUN(test_text);
  RUN(test_terms);
  RUN(test_js_escapes);
  RUN(test_index_files);
  RUN(test_shards);
  RUN(test_digests);
  return test_done();
}
