/* searchdigest: the search digests kept between builds. What was kept is
 * found again by its key, with its page file's id only while the site it
 * was published with is in place; a file cut anywhere, or of another
 * format, gives nothing (the pages are indexed from their text instead);
 * nothing replaces the old files until commit (the site was published); a
 * small change goes to a delta, and the base is rewritten when the delta
 * grows or a base digest is no page's any more. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "publish.h"
#include "searchdigest.h"
#include "test.h"
#include "util.h"

static const char *locales[] = {"en-us", "de-de"};
static char *site; /* a site: a folder with a marker */

/* A new site in place: a new marker (another inode and time). */
static void new_site(void) {
  char *m = path_join(site, PUBLISH_MARKER);
  unlink(m);
  free(m);
  usleep(2000);
  test_write(site, PUBLISH_MARKER, "site\n");
}

static void key_of(int i, unsigned char key[SEARCHDIGEST_KEY]) {
  memset(key, 0, SEARCHDIGEST_KEY);
  key[0] = (unsigned char)i;
  key[1] = (unsigned char)(i >> 8);
  key[31] = 0xa5;
}

/* A build: finds the keys in [0, total) that it can, keeps every one (the
 * digests found as they are, but for the id of those at or after moved,
 * which move one up; new ones made up), skips the key skip, finishes with
 * ok and, when published, commits into a new site. */
static void build(const char *dir, int total, int moved, int skip, bool ok, bool published) {
  search_digests *s = search_digests_open(dir, locales, 2, site);
  for (int i = 0; i < total; i++) {
    if (i == skip)
      continue;
    unsigned char key[SEARCHDIGEST_KEY];
    key_of(i, key);
    out_search_digest d;
    char terms[16], snippet[16];
    if (!search_digests_find(s, 0, key, &d)) {
      int tl = snprintf(terms, sizeof terms, "t%d", i);
      terms[tl + 1] = 9; /* the NUL is terms[tl]; weight 9 */
      int sl = snprintf(snippet, sizeof snippet, "\"s%d\"", i);
      d = (out_search_digest){terms, (size_t)tl + 2, snippet, (size_t)sl, -1, 0};
    }
    long id = i >= moved ? i + 1 : i;
    if (d.id != id) { /* the page file is written: its id and hash */
      d.id = id;
      d.file_hash = 1000u + (uint64_t)id;
    }
    search_digests_keep(s, 0, key, &d);
  }
  search_digests_done(s, 0, ok);
  if (published) {
    new_site();
    search_digests_commit(s, site);
  }
  search_digests_close(s);
}

/* How many of the first n keys locale 0's files give back, each checked;
 * ids: how many came with their id. */
static int found_n(const char *dir, int n, int moved, int *ids) {
  search_digests *s = search_digests_open(dir, locales, 2, site);
  int found = 0;
  *ids = 0;
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
    if (d.id >= 0) {
      long id = i >= moved ? i + 1 : i;
      CHECK(d.id == id && d.file_hash == 1000u + (uint64_t)id);
      (*ids)++;
    }
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

static long inode_of(const char *dir, const char *name) {
  char *p = path_join(dir, name);
  struct stat st;
  long ino = stat(p, &st) == 0 ? (long)st.st_ino : -1;
  free(p);
  return ino;
}

static size_t files_in(const char *dir) {
  size_t n = 0;
  DIR *d = opendir(dir);
  char **names = dir_names(d, NULL, NULL, &n);
  closedir(d);
  dir_names_free(names, n);
  return n;
}

static void test_round_trip(void) {
  char *dir = test_mkdtemp();
  int ids;
  build(dir, 40, 1000, -1, true, true);
  CHECK_INT(found_n(dir, 40, 1000, &ids), 40);
  CHECK_INT(ids, 40);
  CHECK_INT((int)files_in(dir), 1); /* the base: there was none */
  /* A killed build's temporary file goes; a live process's stays. */
  test_write(dir, "search-en-us.new.tmp.999999999", "x");
  test_write(dir, "search-en-us.base.tmp.1", "x");
  search_digests_close(search_digests_open(dir, locales, 2, site));
  CHECK(inode_of(dir, "search-en-us.new.tmp.999999999") < 0);
  CHECK(inode_of(dir, "search-en-us.base.tmp.1") > 0);
  char *live = path_join(dir, "search-en-us.base.tmp.1");
  unlink(live);
  free(live);
  /* Another site in place (a build without the cache): the digests hold,
   * their ids do not. */
  new_site();
  CHECK_INT(found_n(dir, 40, 1000, &ids), 40);
  CHECK_INT(ids, 0);
  test_rmdir(dir);
}

static void test_not_published(void) {
  char *dir = test_mkdtemp();
  int ids;
  build(dir, 40, 1000, -1, true, true);
  long base = inode_of(dir, "search-en-us");
  /* Written, not published (the build failed later): nothing changes. */
  build(dir, 45, 10, -1, true, false);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK_INT((int)files_in(dir), 1);
  CHECK_INT(found_n(dir, 45, 1000, &ids), 40);
  CHECK_INT(ids, 40);
  /* An index that failed: nothing either. */
  build(dir, 45, 10, -1, false, true);
  CHECK_INT((int)files_in(dir), 1);
  CHECK_INT(found_n(dir, 45, 1000, &ids), 40);
  CHECK_INT(ids, 0); /* a new site was published without them */
  test_rmdir(dir);
}

static void test_delta(void) {
  char *dir = test_mkdtemp();
  int ids;
  build(dir, 40, 1000, -1, true, true);
  long base = inode_of(dir, "search-en-us");
  /* One new page: the delta, over the same base; every id holds. */
  build(dir, 41, 1000, -1, true, true);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK(inode_of(dir, "search-en-us.delta") > 0);
  CHECK_INT(found_n(dir, 41, 1000, &ids), 41);
  CHECK_INT(ids, 41);
  /* Nothing new: an empty delta still names the new site. */
  build(dir, 41, 1000, -1, true, true);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK_INT(found_n(dir, 41, 1000, &ids), 41);
  CHECK_INT(ids, 41);
  /* Pages from 30 on move one id up: their digests go to the delta. */
  build(dir, 41, 30, -1, true, true);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK_INT(found_n(dir, 41, 30, &ids), 41);
  CHECK_INT(ids, 41);
  /* Many new pages: the base is rewritten, the delta dropped. */
  build(dir, 141, 30, -1, true, true);
  CHECK(inode_of(dir, "search-en-us") != base);
  CHECK(inode_of(dir, "search-en-us.delta") < 0);
  CHECK_INT(found_n(dir, 141, 30, &ids), 141);
  CHECK_INT(ids, 141);
  /* A page gone (an article edited or deleted): its digest stays, its id
   * does not (it would be stale should the article come back). */
  base = inode_of(dir, "search-en-us");
  build(dir, 141, 30, 7, true, true);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK_INT(found_n(dir, 141, 30, &ids), 141);
  CHECK_INT(ids, 140);
  /* It comes back: at its id again. */
  build(dir, 141, 30, -1, true, true);
  CHECK_INT(found_n(dir, 141, 30, &ids), 141);
  CHECK_INT(ids, 141);
  /* The locale's index carried whole into a new site: its digests name
   * that site, ids included, and keep their delta. */
  search_digests *sd = search_digests_open(dir, locales, 2, site);
  search_digests_carried(sd, 0);
  new_site();
  search_digests_commit(sd, site);
  search_digests_close(sd);
  CHECK(inode_of(dir, "search-en-us.delta") > 0);
  CHECK_INT(found_n(dir, 141, 30, &ids), 141);
  CHECK_INT(ids, 141);
  /* Not said: the new site's ids are not known. */
  new_site();
  CHECK_INT(found_n(dir, 141, 30, &ids), 141);
  CHECK_INT(ids, 0);
  build(dir, 141, 30, -1, true, true);
  /* A delta over another base is not used. */
  build(dir, 142, 30, -1, true, true);
  CHECK(inode_of(dir, "search-en-us.delta") > 0);
  char *b = path_join(dir, "search-en-us"), *copy = path_join(dir, "copy");
  CHECK_INT(copy_file(b, copy), 0);
  CHECK_INT(rename(copy, b), 0);
  CHECK_INT(found_n(dir, 142, 30, &ids), 141);
  CHECK_INT(ids, 0); /* the base names an older site */
  free(b);
  free(copy);
  test_rmdir(dir);
}

/* Every page moved (a page that sorts first): the new file holds every
 * digest and becomes the base itself, with no copy; the next delta builds
 * on it. */
static void test_all_new(void) {
  char *dir = test_mkdtemp();
  int ids;
  build(dir, 40, 1000, -1, true, true);
  long base = inode_of(dir, "search-en-us");
  build(dir, 40, 0, -1, true, true);
  CHECK(inode_of(dir, "search-en-us") != base);
  CHECK(inode_of(dir, "search-en-us.delta") < 0);
  CHECK_INT(found_n(dir, 40, 0, &ids), 40);
  CHECK_INT(ids, 40);
  base = inode_of(dir, "search-en-us");
  build(dir, 41, 0, -1, true, true);
  CHECK(inode_of(dir, "search-en-us") == base);
  CHECK(inode_of(dir, "search-en-us.delta") > 0);
  CHECK_INT(found_n(dir, 41, 0, &ids), 41);
  CHECK_INT(ids, 41);
  test_rmdir(dir);
}

static void test_damage(void) {
  char *dir = test_mkdtemp();
  int ids;
  build(dir, 5, 1000, -1, true, true);
  char *path = path_join(dir, "search-en-us");
  size_t len = 0;
  char *whole = NULL;
  CHECK_INT(read_file(path, &whole, &len), 0);
  CHECK(whole != NULL && len > 40);
  /* Cut at every length: nothing found, never a crash. */
  int found = 0;
  for (size_t cut = 0; cut < len; cut++) {
    write_file(path, whole, cut);
    found += found_n(dir, 5, 1000, &ids);
  }
  CHECK_INT(found, 0);
  /* Another format, another version, a record count that disagrees. */
  size_t at[] = {8, 16, len - 1};
  for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
    char *copy = malloc(len);
    memcpy(copy, whole, len);
    copy[at[k]] ^= 1;
    write_file(path, copy, len);
    CHECK_INT(found_n(dir, 5, 1000, &ids), 0);
    free(copy);
  }
  /* The whole file again: everything. */
  write_file(path, whole, len);
  CHECK_INT(found_n(dir, 5, 1000, &ids), 5);
  free(whole);
  free(path);
  test_rmdir(dir);
}

int main(void) {
  site = test_mkdtemp();
  test_write(site, PUBLISH_MARKER, "site\n");
  RUN(test_round_trip);
  RUN(test_not_published);
  RUN(test_delta);
  RUN(test_all_new);
  RUN(test_damage);
  test_rmdir(site);
  return test_done();
}
