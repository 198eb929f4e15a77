/* alloc: allocation that never returns NULL. Out of memory is not a
 * condition folio can report usefully, so it prints one line and aborts.
 * Pointers returned are the caller's, released with free(). */
#ifndef FOLIO_ALLOC_H
#define FOLIO_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
