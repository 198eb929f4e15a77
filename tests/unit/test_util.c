#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "url.h"
#include "util.h"

/* Check a malloc'd result and free it. */
#define CHECK_OWNED(expr, expected)                                                            \
  do {                                                                                         \
    char *got_ = (expr);                                                                       \
    CHECK_STR(got_, expected);                                                                 \
    free(got_);                                                                                \
  } while (0)

static void test_normalize(void) {
  CHECK_OWNED(path_normalize("a/b/c"), "a/b/c");
  CHECK_OWNED(path_normalize("a/./b/../c"), "a/c");
  CHECK_OWNED(path_normalize("./a"), "a");
  CHECK_OWNED(path_normalize("a//b///c"), "a/b/c");
  CHECK_OWNED(path_normalize("a/b/"), "a/b");
  CHECK_OWNED(path_normalize("a/b/.."), "a");
  CHECK_OWNED(path_normalize("a/.."), "");
  CHECK_OWNED(path_normalize("."), "");
  CHECK_OWNED(path_normalize(""), "");
  CHECK_OWNED(path_normalize("a/b/../../c/d"), "c/d");
  CHECK_OWNED(path_normalize("ab/../cd"), "cd");
  CHECK_OWNED(path_normalize("a/..b/c"), "a/..b/c"); /* "..b" is a name */
  CHECK_OWNED(path_normalize("a/.b"), "a/.b");
  /* Climbing above the start. */
  CHECK(path_normalize("..") == NULL);
  CHECK(path_normalize("../a") == NULL);
  CHECK(path_normalize("a/../..") == NULL);
  CHECK(path_normalize("a/b/../../../c") == NULL);
  CHECK(path_normalize("./..") == NULL);
  /* Absolute paths keep their root and cannot climb above it. */
  CHECK_OWNED(path_normalize("/"), "/");
  CHECK_OWNED(path_normalize("/a/b/../c"), "/a/c");
  CHECK_OWNED(path_normalize("//a/./b"), "/a/b");
  CHECK_OWNED(path_normalize("/a/.."), "/");
  CHECK(path_normalize("/..") == NULL);
  CHECK(path_normalize("/a/../..") == NULL);
}

static void test_join(void) {
  CHECK_OWNED(path_join("a", "b"), "a/b");
  CHECK_OWNED(path_join("a/", "b"), "a/b");
  CHECK_OWNED(path_join("a//", "b/c.md"), "a/b/c.md");
  CHECK_OWNED(path_join("/x/y", "z"), "/x/y/z");
  CHECK_OWNED(path_join("", "b"), "b");
  CHECK_OWNED(path_join(".", "b"), "b");
  CHECK_OWNED(path_join(NULL, "b"), "b");
  CHECK_OWNED(path_join("a", ""), "a");
  /* The root folder: "join with one '/'" (util.h). */
  CHECK_OWNED(path_join("/", "b"), "/b");
}

static void test_dirname(void) {
  CHECK_OWNED(path_dirname("a/b.md"), "a");
  CHECK_OWNED(path_dirname("a/b/c.md"), "a/b");
  CHECK_OWNED(path_dirname("b.md"), "");
  CHECK_OWNED(path_dirname(""), "");
}

static void test_root_prefix(void) {
  CHECK_OWNED(path_root_prefix("a/b.html"), "../");
  CHECK_OWNED(path_root_prefix("a/b/c.html"), "../../");
  /* No folder: an empty string, even when the heap holds old bytes. */
  test_dirty_heap(256);
  CHECK_OWNED(path_root_prefix("b.html"), "");
  test_dirty_heap(256);
  CHECK_OWNED(path_root_prefix(""), "");
}

static void test_relative(void) {
  /* Same folder. */
  CHECK_OWNED(path_relative("a/b.html", "a/c.html"), "c.html");
  CHECK_OWNED(path_relative("b.html", "c.html"), "c.html");
  CHECK_OWNED(path_relative("en-us/a/b.html", "en-us/a/b.html"), "b.html");
  /* Deeper and shallower. */
  CHECK_OWNED(path_relative("en-us/a.html", "en-us/x/y/z.html"), "x/y/z.html");
  CHECK_OWNED(path_relative("en-us/x/y/z.html", "en-us/a.html"), "../../a.html");
  CHECK_OWNED(path_relative("en-us/x/y.html", "en-us/x/z/w.html"), "z/w.html");
  /* Another locale folder. */
  CHECK_OWNED(path_relative("de-de/a/b.html", "en-us/media/x.png"), "../../en-us/media/x.png");
  CHECK_OWNED(path_relative("de-de/index.html", "en-us/index.html"), "../en-us/index.html");
  /* A shared name prefix is not a shared folder. */
  CHECK_OWNED(path_relative("ab/c.html", "a/d.html"), "../a/d.html");
  CHECK_OWNED(path_relative("a/c.html", "ab/d.html"), "../ab/d.html");
  CHECK_OWNED(path_relative("en-us/billing/x.html", "en-us/bill/y.html"), "../bill/y.html");
}

/* path_relative_in gives what path_relative gives for the joined path,
 * with the suffix after it, for every pair of these pages. */
static void test_relative_in(void) {
  static const char *const pages[] = {
      "b.html",          "c.html",          "a/b.html",       "a/c.html",        "ab/d.html",
      "en-us/a.html",    "en-us/a/b.html",  "en-us/x/y.html", "en-us/x/y/z.html", "en-us/x/z/w.html",
      "de-de/a/b.html",  "de-de/index.html", "en-us/index.html", "en-us/bill/y.html",
      "en-us/billing/x.html", "en-usx/a.html", "en/a.html"};
  size_t n = sizeof pages / sizeof *pages;
  arena *a = arena_new();
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      char *want = path_relative(pages[i], pages[j]);
      char *with_suffix = arena_printf(a, "%s?x#y", want);
      CHECK_STR(path_relative_in(a, pages[i], "", pages[j], ""), want);
      const char *slash = strchr(pages[j], '/');
      if (slash) {
        char *dir = arena_strndup(a, pages[j], (size_t)(slash - pages[j]));
        CHECK_STR(path_relative_in(a, pages[i], dir, slash + 1, "?x#y"), with_suffix);
      }
      free(want);
    }
  arena_free(a);
}

static void test_percent_decode(void) {
  char s1[] = "a%20b%2Fc%41%7e";
  CHECK(percent_decode(s1));
  CHECK_STR(s1, "a b/cA~");
  char s2[] = "%C3%BCber";
  CHECK(percent_decode(s2));
  CHECK_STR(s2, "\xC3\xBC" "ber");
  char s3[] = "no escapes";
  CHECK(percent_decode(s3));
  CHECK_STR(s3, "no escapes");
  char s4[] = "";
  CHECK(percent_decode(s4));
  CHECK_STR(s4, "");
  /* Malformed. */
  char m1[] = "a%2";
  CHECK(!percent_decode(m1));
  char m2[] = "a%";
  CHECK(!percent_decode(m2));
  char m3[] = "%zz";
  CHECK(!percent_decode(m3));
  char m4[] = "%4g";
  CHECK(!percent_decode(m4));
  char m5[] = "ok%20then%G0";
  CHECK(!percent_decode(m5));
}

static void test_starts_ends(void) {
  CHECK(str_ends_with("file.md", ".md"));
  CHECK(str_ends_with("file.md", ""));
  CHECK(str_ends_with(".md", ".md"));
  CHECK(!str_ends_with("md", ".md"));
  CHECK(!str_ends_with("file.mdx", ".md"));
  CHECK(str_starts_with("https://x", "https://"));
  CHECK(str_starts_with("abc", ""));
  CHECK(str_starts_with("abc", "abc"));
  CHECK(!str_starts_with("ab", "abc"));
  CHECK(!str_starts_with("http://x", "https://"));
}

/* Line and byte column of an offset: 1-based, a newline ends its line,
 * offsets past the end count as the end. */
static void test_position(void) {
  int line, col;
  const char *t = "ab\ncd\n\nx";
  str_position(t, strlen(t), 0, &line, &col);
  CHECK(line == 1 && col == 1);
  str_position(t, strlen(t), 2, &line, &col); /* the first newline itself */
  CHECK(line == 1 && col == 3);
  str_position(t, strlen(t), 4, &line, &col);
  CHECK(line == 2 && col == 2);
  str_position(t, strlen(t), 7, &line, &col);
  CHECK(line == 4 && col == 1);
  str_position(t, strlen(t), 99, &line, &col);
  CHECK(line == 4 && col == 2);
  str_position("", 0, 0, &line, &col);
  CHECK(line == 1 && col == 1);
}

static void test_files(void) {
  char *dir = test_mkdtemp();
  CHECK(is_dir(dir));
  char *p = path_join(dir, "a/b/c/file.txt");
  /* Binary-safe, parent folders created. */
  static const char data[] = "line one\n\0second part\xff";
  CHECK_INT(write_file(p, data, sizeof data - 1), 0);
  CHECK(is_file(p));
  CHECK(!is_dir(p));
  char *sub = path_join(dir, "a/b");
  CHECK(is_dir(sub));
  CHECK(!is_file(sub));
  free(sub);
  char *text = NULL;
  size_t len = 0;
  if (CHECK_INT(read_file(p, &text, &len), 0)) {
    CHECK_INT(len, sizeof data - 1);
    CHECK(memcmp(text, data, len) == 0);
    CHECK(text[len] == '\0');
    free(text);
  }
  /* Overwrite with something shorter: the file is truncated. */
  CHECK_INT(write_file(p, "xy", 2), 0);
  if (CHECK_INT(read_file(p, &text, &len), 0)) {
    CHECK_INT(len, 2);
    CHECK_STR(text, "xy");
    free(text);
  }
  /* Empty file. */
  char *empty = path_join(dir, "empty");
  CHECK_INT(write_file(empty, "", 0), 0);
  if (CHECK_INT(read_file(empty, &text, &len), 0)) {
    CHECK_INT(len, 0);
    CHECK_STR(text, "");
    free(text);
  }
  /* A file bigger than read_file's 64 KiB chunks. */
  size_t big_len = 200000;
  char *big = malloc(big_len);
  for (size_t i = 0; i < big_len; i++)
    big[i] = (char)('a' + i % 26);
  char *bigp = path_join(dir, "x/big.txt");
  CHECK_INT(write_file(bigp, big, big_len), 0);
  if (CHECK_INT(read_file(bigp, &text, &len), 0)) {
    CHECK_INT(len, big_len);
    CHECK(memcmp(text, big, big_len) == 0);
    free(text);
  }
  /* copy_file */
  char *copy = path_join(dir, "y/z/copy.txt");
  CHECK_INT(copy_file(bigp, copy), 0);
  if (CHECK_INT(read_file(copy, &text, &len), 0)) {
    CHECK_INT(len, big_len);
    CHECK(memcmp(text, big, big_len) == 0);
    free(text);
  }
  /* Missing file: -1 with errno. */
  char *missing = path_join(dir, "nope.txt");
  errno = 0;
  text = NULL;
  CHECK_INT(read_file(missing, &text, &len), -1);
  CHECK_INT(errno, ENOENT);
  CHECK(text == NULL);
  CHECK(!is_file(missing));
  /* mkdir_p: nested, then again (exists), then over a file (fails). */
  char *deep = path_join(dir, "m/n/o/p");
  CHECK_INT(mkdir_p(deep), 0);
  CHECK(is_dir(deep));
  CHECK_INT(mkdir_p(deep), 0);
  char *under_file = path_join(empty, "sub");
  CHECK_INT(mkdir_p(under_file), -1);
  char *under_file2 = path_join(under_file, "f.txt");
  CHECK_INT(write_file(under_file2, "x", 1), -1);
  free(under_file2);
  /* remove_tree removes everything; a missing tree is fine. */
  CHECK_INT(remove_tree(dir), 0);
  CHECK(!is_dir(dir));
  CHECK(!is_file(p));
  CHECK_INT(remove_tree(dir), 0);
  free(under_file);
  free(deep);
  free(missing);
  free(copy);
  free(bigp);
  free(big);
  free(empty);
  free(p);
  free(dir);
}

static void test_distance(void) {
  CHECK_INT((int)str_distance("kitten", "sitting", false), 3);
  CHECK_INT((int)str_distance("", "abc", false), 3);
  CHECK_INT((int)str_distance("same", "same", false), 0);
  CHECK_INT((int)str_distance("Admin Agent", "admin agent", false), 2);
  CHECK_INT((int)str_distance("Admin Agent", "admin agent", true), 0);
  CHECK_INT((int)str_distance("real-headin", "real-heading", false), 1);
  char longer[300];
  memset(longer, 'a', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  CHECK(str_distance(longer, "a", false) == (size_t)-1);
}

/* The bounded distance agrees with the full one up to its bound, and says
 * "further" (max + 1) past it. */
static void test_distance_within(void) {
  const char *words[] = {"", "a", "setup", "set-up", "sign-in", "signin", "billing-overview",
                         "Billing-Overview", "overview-billing", "kitten", "sitting"};
  size_t n = sizeof words / sizeof *words;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      for (size_t max = 0; max < 6; max++) {
        size_t full = str_distance(words[i], words[j], false);
        size_t within = str_distance_within(words[i], words[j], false, max);
        CHECK_INT(within, full <= max ? full : max + 1);
      }
  CHECK_INT(str_distance_within("Billing", "billing", true, 0), 0);
}

/* path_resolve: links resolved where the path exists, the rest lexical. */
static void test_resolve(void) {
  char *dir = test_mkdtemp();
  char *real = realpath(dir, NULL);
  test_write(dir, "a/f.txt", "x");
  char *a = path_join(dir, "a"), *link = path_join(dir, "link");
  if (CHECK(real && symlink(a, link) == 0)) {
    char want[4096];
#define RESOLVES(rel, tail)                                                                    \
  do {                                                                                         \
    char *p_ = path_join(dir, rel);                                                            \
    snprintf(want, sizeof want, "%s%s", real, tail);                                           \
    CHECK_OWNED(path_resolve(p_), want);                                                       \
    free(p_);                                                                                  \
  } while (0)
    RESOLVES("a", "/a");
    RESOLVES("a/", "/a");
    RESOLVES("link", "/a");
    RESOLVES("link/new/deep", "/a/new/deep");
    RESOLVES("new/../link/x", "/a/x"); /* ".." after a missing folder, then a link */
    RESOLVES("a/f.txt/site", "/a/f.txt/site");
    RESOLVES("a/..", "");
#undef RESOLVES
  }
  CHECK(path_is_within("/a/b", "/a"));
  CHECK(path_is_within("/a", "/a"));
  CHECK(!path_is_within("/ab", "/a"));
  CHECK(path_is_within("/x", "/"));
  free(a);
  free(link);
  free(real);
  test_rmdir(dir);
}

static void test_utf8(void) {
  size_t bad = 99, nbad = 99, n;
  CHECK(utf8_valid("", 0, &bad, &nbad) && nbad == 0);
  CHECK(utf8_valid("Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80", 16, &bad, &nbad));
  /* Latin-1 */
  CHECK(!utf8_valid("Caf\xE9.", 5, &bad, &nbad) && bad == 3 && nbad == 1);
  /* overlong, surrogate, above U+10FFFF, stray continuation, truncated */
  CHECK(!utf8_valid("\xC0\xAF", 2, &bad, &nbad) && bad == 0 && nbad == 2);
  CHECK(!utf8_valid("\xE0\x80\xAF", 3, &bad, &nbad) && nbad == 3);
  CHECK(!utf8_valid("a\xED\xA0\x80", 4, &bad, &nbad) && bad == 1);
  CHECK(!utf8_valid("\xF4\x90\x80\x80", 4, &bad, &nbad) && bad == 0);
  CHECK(!utf8_valid("ab\x80", 3, &bad, &nbad) && bad == 2 && nbad == 1);
  CHECK(!utf8_valid("\xE2\x82", 2, &bad, &nbad) && nbad == 2);
  /* Long ASCII runs (read eight bytes at a time): a bad byte at every
   * offset is still found, and a sequence across a word's end is read. */
  for (size_t at = 0; at < 20; at++) {
    char s[24];
    memset(s, 'x', sizeof s);
    s[at] = (char)0xE9;
    CHECK(!utf8_valid(s, sizeof s, &bad, &nbad) && bad == at && nbad == 1);
    memcpy(s + at, "\xE2\x82\xAC", 3);
    CHECK(utf8_valid(s, sizeof s, &bad, &nbad) && nbad == 0);
    CHECK(!utf8_valid(s, at + 2, &bad, &nbad) && bad == at && nbad == 2);
  }
  CHECK_OWNED(utf8_repair("Caf\xE9.", 5, &n), "Caf\xEF\xBF\xBD.");
  CHECK(n == 7);
  CHECK_OWNED(utf8_repair("ok \xC3\xA9", 5, &n), "ok \xC3\xA9");
}

int main(void) {
  RUN(test_distance_within);
  RUN(test_normalize);
  RUN(test_join);
  RUN(test_dirname);
  RUN(test_root_prefix);
  RUN(test_relative);
  RUN(test_relative_in);
  RUN(test_percent_decode);
  RUN(test_starts_ends);
  RUN(test_position);
  RUN(test_files);
  RUN(test_distance);
  RUN(test_resolve);
  RUN(test_utf8);
  return test_done();
}
