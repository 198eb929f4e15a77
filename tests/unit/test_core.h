/* test_core.h: a tiny test harness, with no folio code (tests/serve uses it
 * too, for folio_serve, which links no other folio layer).
 *
 *   CHECK(cond)        CHECK_STR(a, b)        CHECK_INT(a, b)
 *
 * Each check counts a pass or a failure; a failure prints file:line, the
 * expression and the values. Checks evaluate to true when they pass, so a
 * test can guard what follows: if (CHECK(p != NULL)) use(p);
 *
 *   int main(void) {
 *     RUN(test_something);
 *     return test_done();   // prints "N passed, M failed"; non-zero on failure
 *   }
 */
#ifndef FOLIO_TEST_CORE_H
#define FOLIO_TEST_CORE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_passed_, test_failed_;
static const char *test_current_ = "";

/* Print s quoted, with control characters and non-ASCII bytes escaped, and
 * at most 80 bytes of it (a wrong result may lack its terminating NUL). */
static inline void test_print_str_(const char *s) {
  if (!s) {
    fputs("(null)", stderr);
    return;
  }
  fputc('"', stderr);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (p - (const unsigned char *)s == 80) {
      fputs("\"...", stderr);
      return;
    }
    if (*p == '\n')
      fputs("\\n", stderr);
    else if (*p == '\r')
      fputs("\\r", stderr);
    else if (*p == '\t')
      fputs("\\t", stderr);
    else if (*p == '"' || *p == '\\')
      fprintf(stderr, "\\%c", *p);
    else if (*p < 0x20 || *p >= 0x7f)
      fprintf(stderr, "\\x%02x", *p);
    else
      fputc(*p, stderr);
  }
  fputc('"', stderr);
}

static inline bool test_result_(bool ok, const char *file, int line) {
  if (ok) {
    test_passed_++;
  } else {
    test_failed_++;
    fprintf(stderr, "%s:%d: FAILED in %s: ", file, line, test_current_);
  }
  return ok;
}

static inline bool test_check_(bool ok, const char *file, int line, const char *expr) {
  if (!test_result_(ok, file, line))
    fprintf(stderr, "CHECK(%s)\n", expr);
  return ok;
}

static inline bool test_check_str_(const char *a, const char *b, const char *file, int line,
                                   const char *ea, const char *eb) {
  bool ok = (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
  if (!test_result_(ok, file, line)) {
    fprintf(stderr, "CHECK_STR(%s, %s)\n    got:      ", ea, eb);
    test_print_str_(a);
    fputs("\n    expected: ", stderr);
    test_print_str_(b);
    fputc('\n', stderr);
  }
  return ok;
}

static inline bool test_check_int_(long long a, long long b, const char *file, int line,
                                   const char *ea, const char *eb) {
  bool ok = a == b;
  if (!test_result_(ok, file, line))
    fprintf(stderr, "CHECK_INT(%s, %s)\n    got:      %lld\n    expected: %lld\n", ea, eb, a, b);
  return ok;
}

#define CHECK(cond) test_check_((cond) ? true : false, __FILE__, __LINE__, #cond)
#define CHECK_STR(a, b) test_check_str_((a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_INT(a, b) test_check_int_((long long)(a), (long long)(b), __FILE__, __LINE__, #a, #b)

/* Run one test function, naming it in failure messages. */
#define RUN(fn)                                                                                \
  do {                                                                                         \
    test_current_ = #fn;                                                                       \
    fn();                                                                                      \
  } while (0)

/* The closing line; the exit status for main. */
static inline int test_done(void) {
  printf("%d passed, %d failed\n", test_passed_, test_failed_);
  fflush(stdout);
  return test_failed_ ? 1 : 0;
}

/* Leave a freed, non-zero heap block of n bytes for the next malloc(n) to
 * reuse, so that a result built in uninitialized memory shows as garbage
 * instead of passing by luck on fresh (zeroed) pages. */
static inline void test_dirty_heap(size_t n) {
  char *junk = malloc(n);
  if (junk) {
    memset(junk, 'Z', n);
    free(junk);
  }
}

#endif
