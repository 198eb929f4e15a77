/* arena: bump allocation for one article or one build.
 * Everything allocated from an arena is owned by it and freed in one go by
 * arena_free (or forgotten by arena_reset); never free() such a pointer. */
#ifndef FOLIO_ARENA_H
#define FOLIO_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
/* An arena whose blocks each hold about first_block bytes (arena_new: 64
 * KiB first, then each twice the last). Small for the many arenas that
 * each keep a little for long: they grow by the same small block, since
 * doubling wasted a quarter of 10,000 articles' memory. An allocation
 * larger than half its block gets a block of its own. */
arena *arena_new_sized(size_t first_block);
void arena_free(arena *a);
/* Forget every allocation but keep the first block for reuse. */
void arena_reset(arena *a);

void *arena_alloc(arena *a, size_t n);          /* zeroed, 16-byte aligned */
void *arena_realloc(arena *a, void *p, size_t n); /* p from this arena or NULL; new bytes zeroed */
/* The same, the new bytes left unset (as C's realloc: cmark's buffers). */
void *arena_realloc_raw(arena *a, void *p, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* x, y and z one after the other (a printf("%s%s%s") without the format). */
char *arena_concat(arena *a, const char *x, const char *y, const char *z);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
size_t arena_bytes_used(const arena *a);

/* Grow a vector stored in an arena: *items holds *cap elements of size sz. */
void arena_grow(arena *a, void **items, size_t *cap, size_t need, size_t sz);
#define ARENA_PUSH(a, vec, count, cap, value)                                  \
  do {                                                                         \
    arena_grow((a), (void **)&(vec), &(cap), (count) + 1, sizeof *(vec));      \
    (vec)[(count)++] = (value);                                                \
  } while (0)

#endif
