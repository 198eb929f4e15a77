/* test.h: folio's unit-test harness (test_core.h: CHECK, CHECK_STR,
 * CHECK_INT, RUN, test_done) and helpers for the folio types (diagnostics,
 * temporary folders). */
#ifndef FOLIO_TEST_H
#define FOLIO_TEST_H

#include "diag.h"
#include "test_core.h"
#include "util.h"

/* ---- folio helpers ---- */

/* The first diagnostic with this code, or NULL. */
static inline const diag *test_find_diag(const diag_list *l, const char *code) {
  for (size_t i = 0; i < l->count; i++)
    if (!strcmp(l->items[i].code, code))
      return &l->items[i];
  return NULL;
}

/* Print every diagnostic of l (when a check about them failed). */
static inline void test_dump_diags_(const diag_list *l) {
  for (size_t i = 0; i < l->count; i++)
    fprintf(stderr, "    diag: %s:%d:%d: %s [%s]\n", l->items[i].file, l->items[i].line,
            l->items[i].col, l->items[i].message, l->items[i].code);
  if (!l->count)
    fputs("    (no diagnostics)\n", stderr);
}

static inline bool test_check_diag_(const diag_list *l, const char *code, int line, int col,
                                    const char *file, int src_line) {
  const diag *d = test_find_diag(l, code);
  bool ok = d && (line < 0 || d->line == line) && (col < 0 || d->col == col);
  if (!test_result_(ok, file, src_line)) {
    fprintf(stderr, "CHECK_DIAG: expected [%s] at %d:%d\n", code, line, col);
    test_dump_diags_(l);
  }
  return ok;
}

/* A diagnostic with this code exists at line:col (-1 for "any"). */
#define CHECK_DIAG(list, code, line, col)                                                      \
  test_check_diag_((list), (code), (line), (col), __FILE__, __LINE__)

/* No diagnostics at all. */
#define CHECK_NO_DIAGS(list)                                                                   \
  (test_result_((list)->count == 0, __FILE__, __LINE__)                                        \
       ? true                                                                                  \
       : (fputs("CHECK_NO_DIAGS\n", stderr), test_dump_diags_(list), false))

/* A fresh temporary folder (malloc'd path); remove it with test_rmdir. */
static inline char *test_mkdtemp(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  char *tmpl = path_join(base, "folio-unit-XXXXXX");
  if (!mkdtemp(tmpl)) {
    perror("mkdtemp");
    exit(2);
  }
  return tmpl;
}

/* Write a file under dir (creating folders); aborts the test on failure. */
static inline void test_write(const char *dir, const char *rel, const char *text) {
  char *p = path_join(dir, rel);
  if (write_file(p, text, strlen(text)) < 0) {
    perror(p);
    exit(2);
  }
  free(p);
}

static inline void test_rmdir(char *dir) {
  remove_tree(dir);
  free(dir);
}

#endif
