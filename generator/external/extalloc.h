/* extalloc: allocation for the external-link checker that aborts on out of
 * memory, as the rest of folio does (util.c), but without depending on it:
 * this folder is a library of its own. Private to generator/external. */
#ifndef FOLIO_EXTALLOC_H
#define FOLIO_EXTALLOC_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void *ext_alloc_check_(void *p) {
  if (!p) {
    fputs("folio: out of memory\n", stderr);
    abort();
  }
  return p;
}

static inline void *ext_xmalloc(size_t n) { return ext_alloc_check_(malloc(n ? n : 1)); }
static inline void *ext_xcalloc(size_t n, size_t m) {
  return ext_alloc_check_(calloc(n ? n : 1, m ? m : 1));
}
static inline void *ext_xrealloc(void *p, size_t n) {
  return ext_alloc_check_(realloc(p, n ? n : 1));
}
static inline char *ext_xstrndup(const char *s, size_t n) {
  char *d = ext_xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}
static inline char *ext_xstrdup(const char *s) { return ext_xstrndup(s, strlen(s)); }

/* printf into a new malloc'd string. */
static inline char *ext_xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *ext_xprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  char *s = ext_xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

#endif
