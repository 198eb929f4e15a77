/* searchdigest: the search digests kept between builds. What was kept is
 * found again by its key; a file cut anywhere, or of another format, gives
 * nothing (the pages are indexed from their text instead); a locale whose
 * index failed keeps its old file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "searchdigest.h"
#include "test.h"
#include "util.h"

static const char *locales[] = {"en-us", "de-de"};

static void key_of(int i, unsigned char key[SEARCHDIGEST_KEY]) {
  memset(key, 0, SEARCHDIGEST_KEY);
  key[0] = (unsigned char)i;
  key[31] = 0xa5;
}

/* Keep n digests for locale 0 (page i: terms "t<i>", snippet "\"s<i>\"") and
 * finish with ok. */
static void write_n(const char *dir, int n, bool ok) {
  search_digests *s = search_digests_open(dir, locales, 2);
  for (int i = 0; i < n; i++) {
    char terms[16], snippet[16];
    int tl = snprintf(terms, sizeof terms, "t%d", i);
    terms[tl + 1] = 9; /* the NUL is terms[tl]; weight 9 */
    int sl = snprintf(snippet, sizeof snippet, "\"s%d\"", i);
    unsigned char key[SEARCHDIGEST_KEY];
    key_of(i, key);
    out_search_digest d = {terms, (size_t)tl + 2, snippet, (size_t)sl};
    search_digests_keep(s, 0, key, &d);
  }
  search_digests_done(s, 0, ok);
  search_digests_close(s);
}

/* How many of the first n keys locale 0's file gives back, each checked. */
static int found_n(const char *dir, int n) {
  search_digests *s = search_digests_open(dir, locales, 2);
  int found = 0;
  for (int i = 0; i < n; i++) {
    unsigned char key[SEARCHDIGEST_KEY];
    key_of(i, key);
    out_search_digest d;
    if (!search_digests_find(s, 0, key, &d))
      continue;
    char want[16];
    int sl = snprintf(want, sizeof want, "\"s%d\"", i);
    CHECK(d.snippet_len == (size_t)sl && !memcmp(d.snippet, want, (size_t)sl));
    int tl = snprintf(want, sizeof want, "t%d", i);
    CHECK(d.terms_len == (size_t)tl + 2 && !memcmp(d.terms, want, (size_t)tl + 1) &&
          d.terms[tl + 1] == 9);
    found++;
  }
  /* Locale 1 has no file. */
  unsigned char key[SEARCHDIGEST_KEY];
  key_of(0, key);
  out_search_digest d;
  CHECK(!search_digests_find(s, 1, key, &d));
  search_digests_close(s);
  return found;
}

static void test_round_trip(void) {
  char *dir = test_mkdtemp();
  write_n(dir, 40, true);
  CHECK_INT(found_n(dir, 40), 40);
  /* A failed index leaves the old file as it was. */
  write_n(dir, 3, false);
  CHECK_INT(found_n(dir, 40), 40);
  /* No temporary file left either way. */
  size_t n = 0;
  DIR *d = opendir(dir);
  char **names = dir_names(d, NULL, NULL, &n);
  closedir(d);
  CHECK_INT((int)n, 1);
  CHECK_STR(names[0], "search-en-us");
  dir_names_free(names, n);
  test_rmdir(dir);
}

static void test_damage(void) {
  char *dir = test_mkdtemp();
  write_n(dir, 5, true);
  char *path = path_join(dir, "search-en-us");
  size_t len = 0;
  char *whole = NULL;
  CHECK_INT(read_file(path, &whole, &len), 0);
  CHECK(whole != NULL && len > 40);
  /* Cut at every length: nothing found, never a crash. */
  int found = 0;
  for (size_t cut = 0; cut < len; cut++) {
    write_file(path, whole, cut);
    found += found_n(dir, 5);
  }
  CHECK_INT(found, 0);
  /* Another format, another version: nothing. */
  char *copy = malloc(len);
  memcpy(copy, whole, len);
  copy[8] ^= 1;
  write_file(path, copy, len);
  CHECK_INT(found_n(dir, 5), 0);
  memcpy(copy, whole, len);
  copy[16] ^= 1; /* inside the version */
  write_file(path, copy, len);
  CHECK_INT(found_n(dir, 5), 0);
  /* A record count that disagrees: nothing. */
  memcpy(copy, whole, len);
  copy[len - 1] ^= 1;
  write_file(path, copy, len);
  CHECK_INT(found_n(dir, 5), 0);
  /* The whole file again: everything. */
  write_file(path, whole, len);
  CHECK_INT(found_n(dir, 5), 5);
  free(copy);
  free(whole);
  free(path);
  test_rmdir(dir);
}

/* A build that finds keys [0, found) and keeps them (the digests found,
 * so those of the base stay where they are), then keeps [found, total)
 * anew. */
static void rebuild(const char *dir, int found, int total) {
  search_digests *s = search_digests_open(dir, locales, 2);
  for (int i = 0; i < total; i++) {
    unsigned char key[SEARCHDIGEST_KEY];
    key_of(i, key);
    out_search_digest d;
    char terms[16], snippet[16];
    if (i < found) {
      CHECK(search_digests_find(s, 0, key, &d));
    } else {
      int tl = snprintf(terms, sizeof terms, "t%d", i);
      terms[tl + 1] = 9;
      int sl = snprintf(snippet, sizeof snippet, "\"s%d\"", i);
      d = (out_search_digest){terms, (size_t)tl + 2, snippet, (size_t)sl};
    }
    search_digests_keep(s, 0, key, &d);
  }
  search_digests_done(s, 0, true);
  search_digests_close(s);
}

static long inode_of(const char *dir, const char *name) {
  char *p = path_join(dir, name);
  struct stat st;
  long ino = stat(p, &st) == 0 ? (long)st.st_ino : -1;
  free(p);
  return ino;
}

/* One new digest goes to the delta and the base stays; many rewrite the
 * base with every digest and drop the delta. */
static void test_delta(void) {
  char *dir = test_mkdtemp();
  write_n(dir, 40, true);
  long base = inode_of(dir, "search-en-us");
  CHECK(inode_of(dir, "search-en-us.delta") < 0);
  rebuild(dir, 40, 41);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK(inode_of(dir, "search-en-us.delta") > 0);
  CHECK_INT(found_n(dir, 41), 41);
  /* The delta's digest is carried into the next delta. */
  rebuild(dir, 41, 42);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK_INT(found_n(dir, 42), 42);
  rebuild(dir, 42, 142);
  CHECK(inode_of(dir, "search-en-us") != base);
  CHECK(inode_of(dir, "search-en-us.delta") < 0);
  CHECK_INT(found_n(dir, 142), 142);
  /* Nothing new: no delta. */
  rebuild(dir, 142, 142);
  CHECK(inode_of(dir, "search-en-us.delta") < 0);
  CHECK_INT(found_n(dir, 142), 142);
  /* A delta without its base is not used. */
  rebuild(dir, 142, 143);
  char *b = path_join(dir, "search-en-us");
  unlink(b);
  free(b);
  CHECK_INT(found_n(dir, 143), 0);
  test_rmdir(dir);
}

int main(void) {
  RUN(test_round_trip);
  RUN(test_delta);
  RUN(test_damage);
  return test_done();
}
