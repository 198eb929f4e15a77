/* libFuzzer target: the search digests of the build cache (searchdigest.c)
 * and their use by the search index (out_search). The input is a locale's
 * digest file; every digest it gives is indexed, kept, written and read
 * back. A damaged, foreign or cut-short file must be refused as a miss, a
 * digest out_search cannot use must be refused and the page indexed from
 * its text, and nothing may crash or leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "out_search.h"
#include "path.h"
#include "publish.h"
#include "searchdigest.h"
#include "util.h"
#include "version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAGES 64

static char *dir, *site, *base;
static const char *locales[] = {"en-us"};

static void setup(void) {
  if (dir)
    return;
  char tmpl[] = "/tmp/folio-fuzz-digest-XXXXXX";
  dir = strdup(mkdtemp(tmpl));
  site = path_join(dir, "site");
  mkdir_p(site);
  char *m = path_join(site, PUBLISH_MARKER);
  write_file(m, "site\n", 5);
  free(m);
  base = path_join(dir, "search-en-us");
}

/* The keys of the records the input seems to hold (walked as parse walks
 * them), so that find is asked for what is there. */
static size_t keys_of(const uint8_t *p, size_t n, unsigned char keys[][SEARCHDIGEST_KEY]) {
  size_t at = 8 + 4 + 4 + strlen(FOLIO_VERSION) + 32 + 24, k = 0;
  while (k < MAX_PAGES && at + SEARCHDIGEST_KEY + 16 <= n) {
    memcpy(keys[k++], p + at, SEARCHDIGEST_KEY);
    at += SEARCHDIGEST_KEY + 12;
    for (int part = 0; part < 2; part++) {
      if (at + 4 > n)
        return k;
      uint32_t len = (uint32_t)p[at] | (uint32_t)p[at + 1] << 8 | (uint32_t)p[at + 2] << 16 |
                     (uint32_t)p[at + 3] << 24;
      if (len > n - at - 4)
        return k;
      at += 4 + len;
    }
  }
  return k;
}

typedef struct {
  search_digests *s;
  unsigned char (*keys)[SEARCHDIGEST_KEY];
} box;

static bool find(void *ctx, size_t i, out_search_digest *d) {
  box *b = ctx;
  return search_digests_find(b->s, 0, b->keys[i], d);
}

static void keep(void *ctx, size_t i, const out_search_digest *d) {
  box *b = ctx;
  search_digests_keep(b->s, 0, b->keys[i], d);
}

static bool carry(void *ctx, size_t i, const char *path) {
  (void)ctx, (void)i, (void)path;
  return false;
}

static int drop(void *ctx, const char *path, const char *data, size_t len) {
  (void)ctx, (void)path, (void)data, (void)len;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  write_file(base, (const char *)data, size);
  static unsigned char keys[MAX_PAGES][SEARCHDIGEST_KEY];
  size_t n = keys_of(data, size, keys);
  out_search_page pages[MAX_PAGES];
  char titles[MAX_PAGES][16];
  for (size_t i = 0; i < n; i++) {
    snprintf(titles[i], sizeof titles[i], "Page %zu", i);
    pages[i] = (out_search_page){.title = titles[i], .url = "p.html", .text = "words of the page"};
  }
  /* Twice: the input as the base, then what the first round wrote. */
  for (int round = 0; round < 2; round++) {
    box b = {search_digests_open(dir, locales, 1, site), keys};
    out_search_page_digests dg = {find, keep, carry, &b};
    out_search_index_streamed(pages, n, "en-us", "en-US", NULL, NULL, &dg, 1, drop, NULL);
    search_digests_done(b.s, 0, true);
    search_digests_commit(b.s, site);
    search_digests_close(b.s);
  }
  char *delta = path_join(dir, "search-en-us.delta");
  unlink(delta);
  free(delta);
  unlink(base);
  return 0;
}
