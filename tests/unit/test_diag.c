#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "report.h"
#include "test.h"

/* Print l in fmt to a tmpfile() and return what was written (malloc'd). */
static char *print_to_string(const diag_list *l, report_format fmt, bool color) {
  FILE *f = tmpfile();
  if (!f) {
    perror("tmpfile");
    exit(2);
  }
  report_print(f, l, fmt, color);
  fflush(f);
  rewind(f);
  buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_put(&b, chunk, n);
  fclose(f);
  char *s = xstrdup(buf_cstr(&b)); /* buf_cstr: b may be empty */
  buf_free(&b);
  return s;
}

#define CHECK_PRINT(l, fmt, color, expected)                                                   \
  do {                                                                                         \
    char *got_ = print_to_string((l), (fmt), (color));                                         \
    CHECK_STR(got_, (expected));                                                               \
    free(got_);                                                                                \
  } while (0)

static void test_add_and_count(void) {
  diag_list l = {0};
  CHECK_INT(diag_count(&l, SEV_ERROR), 0);
  for (int i = 0; i < 20; i++)
    diag_add(&l, "f.md", i + 1, 1, i % 3 == 0 ? SEV_ERROR : i % 3 == 1 ? SEV_WARNING : SEV_INFO,
             "code", "message %d of %s", i, "many");
  CHECK_INT(l.count, 20);
  CHECK_INT(diag_count(&l, SEV_ERROR), 7);
  CHECK_INT(diag_count(&l, SEV_WARNING), 7);
  CHECK_INT(diag_count(&l, SEV_INFO), 6);
  CHECK_STR(l.items[19].message, "message 19 of many");
  /* Strings are copied: the list owns them. */
  char file[] = "mutable.md", code[] = "c1";
  diag_add(&l, file, 0, 0, SEV_INFO, code, "%s", "");
  file[0] = 'X';
  code[0] = 'X';
  CHECK_STR(l.items[20].file, "mutable.md");
  CHECK_STR(l.items[20].code, "c1");
  CHECK_STR(l.items[20].message, "");
  /* A NULL file becomes "". */
  diag_add(&l, NULL, 0, 0, SEV_ERROR, "x", "no file");
  CHECK_STR(l.items[21].file, "");
  CHECK_STR(severity_name(SEV_ERROR), "error");
  CHECK_STR(severity_name(SEV_WARNING), "warning");
  CHECK_STR(severity_name(SEV_INFO), "info");
  diag_list_free(&l);
  CHECK(l.items == NULL && l.count == 0);
}

static void test_move(void) {
  diag_list a = {0}, b = {0};
  diag_add(&a, "a", 1, 1, SEV_ERROR, "x", "one");
  for (int i = 0; i < 10; i++)
    diag_add(&b, "b", i, 1, SEV_WARNING, "y", "two %d", i);
  diag_move(&a, &b);
  CHECK_INT(a.count, 11);
  CHECK_INT(b.count, 0);
  CHECK(b.items == NULL);
  CHECK_STR(a.items[0].message, "one");
  CHECK_STR(a.items[10].message, "two 9");
  diag_move(&a, &b); /* moving an empty list changes nothing */
  CHECK_INT(a.count, 11);
  diag_list_free(&a);
  diag_list_free(&b);
}

static void test_sort(void) {
  diag_list l = {0};
  diag_add(&l, "b.md", 1, 1, SEV_ERROR, "c", "m");
  diag_add(&l, "a.md", 10, 2, SEV_ERROR, "c", "m");
  diag_add(&l, "a.md", 2, 5, SEV_ERROR, "c", "m");
  diag_add(&l, "a.md", 2, 3, SEV_WARNING, "z-code", "m");
  diag_add(&l, "a.md", 2, 3, SEV_ERROR, "a-code", "second");
  diag_add(&l, "a.md", 2, 3, SEV_ERROR, "a-code", "first");
  diag_add(&l, "a.md", 10, 2, SEV_ERROR, "c", "m"); /* exact duplicate */
  diag_add(&l, "b.md", 1, 1, SEV_ERROR, "c", "m");  /* exact duplicate */
  diag_add(&l, "a.md", 0, 0, SEV_ERROR, "c", "m");  /* no position: first */
  diag_sort(&l);
  if (CHECK_INT(l.count, 7)) {
    char *got = print_to_string(&l, REPORT_TEXT, false);
    CHECK_STR(got, "a.md: error: m [c]\n"
                   "a.md:2:3: error: first [a-code]\n"
                   "a.md:2:3: error: second [a-code]\n"
                   "a.md:2:3: warning: m [z-code]\n"
                   "a.md:2:5: error: m [c]\n"
                   "a.md:10:2: error: m [c]\n"
                   "b.md:1:1: error: m [c]\n");
    free(got);
  }
  CHECK_INT(diag_count(&l, SEV_ERROR), 6);
  diag_list_free(&l);

  /* Many duplicates collapse to one. */
  for (int i = 0; i < 50; i++)
    diag_add(&l, "x.md", 3, 4, SEV_WARNING, "dup", "same");
  diag_sort(&l);
  CHECK_INT(l.count, 1);
  diag_list_free(&l);

  /* Sorting an empty list or a single item is fine. */
  diag_sort(&l);
  CHECK_INT(l.count, 0);
  diag_add(&l, "x", 1, 1, SEV_ERROR, "c", "m");
  diag_sort(&l);
  CHECK_INT(l.count, 1);
  diag_list_free(&l);
}

/* Duplicates must be dropped whatever the order they were added in. */
static void test_sort_duplicates_with_severity(void) {
  diag_list l = {0};
  diag_add(&l, "a.md", 1, 1, SEV_ERROR, "c", "m");
  diag_add(&l, "a.md", 1, 1, SEV_WARNING, "c", "m");
  diag_add(&l, "a.md", 1, 1, SEV_ERROR, "c", "m");
  diag_sort(&l);
  CHECK_INT(l.count, 2);
  CHECK_INT(diag_count(&l, SEV_ERROR), 1);
  CHECK_INT(diag_count(&l, SEV_WARNING), 1);
  diag_list_free(&l);
}

static void test_print_text(void) {
  diag_list l = {0};
  diag_add(&l, "content/en-us/a.md", 3, 7, SEV_ERROR, "missing-title", "no %s", "title");
  diag_add(&l, "folio.yml", 5, 0, SEV_WARNING, "w", "line only");
  diag_add(&l, "", 0, 0, SEV_INFO, "i", "no file");
  CHECK_PRINT(&l, REPORT_TEXT, false,
              "content/en-us/a.md:3:7: error: no title [missing-title]\n"
              "folio.yml:5: warning: line only [w]\n"
              "folio: info: no file [i]\n");
  /* Colors wrap the location and the severity. */
  char *c = print_to_string(&l, REPORT_TEXT, true);
  CHECK(strstr(c, "\033[1mcontent/en-us/a.md:3:7\033[0m: \033[1;31merror\033[0m: no title "
                  "[missing-title]\n") != NULL);
  CHECK(strstr(c, "\033[1;35mwarning\033[0m") != NULL);
  free(c);
  diag_list_free(&l);
  CHECK_PRINT(&l, REPORT_TEXT, false, "");
}

static void test_print_json(void) {
  diag_list l = {0};
  CHECK_PRINT(&l, REPORT_JSON, false, "[]\n");
  diag_add(&l, "a \"q\".md", 3, 7, SEV_ERROR, "bad-link", "link to \\x\nnext\ttab \x01");
  diag_add(&l, "b.md", 0, 0, SEV_WARNING, "w", "plain");
  CHECK_PRINT(&l, REPORT_JSON, false,
              "[\n"
              "  {\"file\": \"a \\\"q\\\".md\", \"line\": 3, \"column\": 7, \"severity\": "
              "\"error\", \"code\": \"bad-link\", \"message\": \"link to \\\\x\\nnext\\ttab "
              "\\u0001\"},\n"
              "  {\"file\": \"b.md\", \"line\": 0, \"column\": 0, \"severity\": \"warning\", "
              "\"code\": \"w\", \"message\": \"plain\"}\n"
              "]\n");
  /* Color never applies to JSON. */
  char *c = print_to_string(&l, REPORT_JSON, true);
  CHECK(strchr(c, '\033') == NULL);
  free(c);
  diag_list_free(&l);
}

static void test_print_github(void) {
  diag_list l = {0};
  diag_add(&l, "content/a.md", 2, 3, SEV_ERROR, "missing-title", "50%% done\nnext line\r!");
  diag_add(&l, "dir,with:odd.md", 4, 0, SEV_WARNING, "w:c", "a: b, c");
  diag_add(&l, "c.md", 0, 0, SEV_INFO, "i", "note");
  CHECK_PRINT(&l, REPORT_GITHUB, false,
              "::error file=content/a.md,line=2,col=3,title=missing-title::50%25 done%0Anext "
              "line%0D!\n"
              "::warning file=dir%2Cwith%3Aodd.md,line=4,title=w%3Ac::a: b, c\n"
              "::notice file=c.md,title=i::note\n");
  diag_list_free(&l);
}

static void test_is_io(void) {
  diag_list l = {0};
  diag_add(&l, "a", 1, 1, SEV_ERROR, "toc-unreadable", "x");
  diag_add(&l, "a", 1, 1, SEV_ERROR, "output-unwritable", "x");
  diag_add(&l, "a", 1, 1, SEV_ERROR, "file-not-found", "x");
  diag_add(&l, "a", 1, 1, SEV_ERROR, "unreadable-thing", "x");
  CHECK(diag_is_io(&l.items[0]));
  CHECK(diag_is_io(&l.items[1]));
  CHECK(!diag_is_io(&l.items[2]));
  CHECK(!diag_is_io(&l.items[3]));
  diag_list_free(&l);
}

/* A message that quotes invalid bytes from content is stored as valid
 * UTF-8, so every report format stays parseable. */
static void test_invalid_utf8_in_message(void) {
  diag_list l = {0};
  diag_add(&l, "a\xff.md", 1, 2, SEV_ERROR, "directive-syntax", "unexpected '%s'", "\xc3");
  CHECK_STR(l.items[0].message, "unexpected '\xef\xbf\xbd'");
  CHECK_STR(l.items[0].file, "a\xef\xbf\xbd.md");
  diag_list_free(&l);
}

int main(void) {
  RUN(test_invalid_utf8_in_message);
  RUN(test_add_and_count);
  RUN(test_move);
  RUN(test_sort);
  RUN(test_sort_duplicates_with_severity);
  RUN(test_print_text);
  RUN(test_print_json);
  RUN(test_print_github);
  RUN(test_is_io);
  return test_done();
}
