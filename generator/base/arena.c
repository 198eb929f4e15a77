/* A chain of blocks; each allocation carries its size in front so that
 * arena_realloc (which cmark-gfm needs for its buffers) can copy, and can grow
 * in place when the block is the last one handed out. */
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define ALIGN 16
#define FIRST_BLOCK (64 * 1024)

struct block {
  struct block *next;
  size_t size, used;
  max_align_t data[]; /* payload */
};

struct arena {
  struct block *head;  /* newest block */
  struct block *first; /* kept across arena_reset */
  size_t total;
  void *last;          /* most recent allocation, for in-place growth */
  size_t grow;         /* the size of every new block, or 0 to double */
};

typedef struct {
  size_t size;
  size_t pad;
} header; /* 16 bytes, keeps payload aligned */

static size_t round_up(size_t n) { return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1); }

static struct block *block_new(size_t size) {
  struct block *b = xmalloc(sizeof *b + size);
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

arena *arena_new_sized(size_t first_block) {
  arena *a = xcalloc(1, sizeof *a);
  a->first = a->head = block_new(round_up(first_block ? first_block : FIRST_BLOCK));
  a->grow = first_block ? round_up(first_block) : 0;
  return a;
}

arena *arena_new(void) {
  arena *a = arena_new_sized(FIRST_BLOCK);
  a->grow = 0; /* doubling: an arena of unknown need reaches it in few blocks */
  return a;
}

void arena_free(arena *a) {
  if (!a)
    return;
  struct block *b = a->head;
  while (b) {
    struct block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}

void arena_reset(arena *a) {
  struct block *b = a->head;
  while (b) { /* every block but the first, wherever it is in the chain */
    struct block *next = b->next;
    if (b != a->first)
      free(b);
    b = next;
  }
  a->head = a->first;
  a->first->next = NULL;
  a->first->used = 0;
  a->total = 0;
  a->last = NULL;
}

/* Hand out n bytes at the end of block b, which has room for need =
 * round_up(sizeof(header) + n). */
static void *take(arena *a, struct block *b, size_t n, size_t need) {
  header *h = (header *)((char *)b->data + b->used);
  b->used += need;
  a->total += need;
  h->size = n;
  a->last = h + 1;
  return h + 1;
}

/* raw_alloc when the head block has no room for need. */
static __attribute__((noinline)) void *alloc_slow(arena *a, size_t n, size_t need) {
  struct block *b = a->head;
  if (need > b->size / 2) {
    /* A large allocation that does not fit gets a block of its own, placed
     * behind the head: the head keeps serving small ones, and no block
     * twice the size is opened (and touched) for one string. Not the
     * newest allocation for arena_realloc's in-place growth. */
    struct block *own = block_new(need);
    own->used = need;
    own->next = b->next;
    b->next = own;
    a->total += need;
    header *h = (header *)own->data;
    h->size = n;
    return h + 1;
  }
  size_t size = a->grow ? a->grow : b->size * 2;
  if (size < need)
    size = round_up(need);
  if (size > 16u * 1024 * 1024 && need < size)
    size = need > 16u * 1024 * 1024 ? need : 16u * 1024 * 1024;
  struct block *nb = block_new(size);
  nb->next = b;
  a->head = nb;
  return take(a, nb, n, need);
}

/* The fast path (room in the head block) stays small enough to inline:
 * cmark allocates every node through here. */
static inline void *raw_alloc(arena *a, size_t n) {
  size_t need = round_up(sizeof(header) + n);
  struct block *b = a->head;
  if (__builtin_expect(b->size - b->used >= need, 1))
    return take(a, b, n, need);
  return alloc_slow(a, n, need);
}

void *arena_alloc(arena *a, size_t n) {
  void *p = raw_alloc(a, n);
  memset(p, 0, n);
  return p;
}

/* Grow or shrink p to n bytes; the bytes past its old size are zeroed
 * when zero is set (and left as they are otherwise: cmark's buffers, which
 * realloc like C's, write them before they read them). */
static void *resize(arena *a, void *p, size_t n, bool zero) {
  if (!p)
    return zero ? arena_alloc(a, n) : raw_alloc(a, n);
  header *h = (header *)p - 1;
  size_t old = h->size;
  if (n <= old) {
    h->size = n;
    return p;
  }
  /* Grow in place when p is the newest allocation and the block has room. */
  struct block *b = a->head;
  if (p == a->last) {
    size_t start = (size_t)((char *)h - (char *)b->data);
    size_t need = round_up(sizeof(header) + n);
    if (start + need <= b->size) {
      a->total += need - (b->used - start);
      b->used = start + need;
      if (zero)
        memset((char *)p + old, 0, n - old);
      h->size = n;
      return p;
    }
  }
  /* Only the new tail needs zeroing: the old bytes are copied over. */
  void *q = raw_alloc(a, n);
  memcpy(q, p, old);
  if (zero)
    memset((char *)q + old, 0, n - old);
  return q;
}

void *arena_realloc(arena *a, void *p, size_t n) { return resize(a, p, n, true); }

void *arena_realloc_raw(arena *a, void *p, size_t n) { return resize(a, p, n, false); }

char *arena_strndup(arena *a, const char *s, size_t n) {
  char *p = raw_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_concat(arena *a, const char *x, const char *y, const char *z) {
  size_t lx = strlen(x), ly = strlen(y), lz = strlen(z);
  char *p = raw_alloc(a, lx + ly + lz + 1);
  memcpy(p, x, lx);
  memcpy(p + lx, y, ly);
  memcpy(p + lx + ly, z, lz + 1);
  return p;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap) {
  /* Format straight into the free room of the head block and keep it when
   * it fits, as it nearly always does: one vsnprintf instead of two (the
   * second only to measure). The block then looks as after raw_alloc. */
  struct block *b = a->head;
  va_list ap2;
  va_copy(ap2, ap);
  int n;
  if (b->size - b->used > sizeof(header)) {
    size_t room = b->size - b->used - sizeof(header);
    n = vsnprintf((char *)b->data + b->used + sizeof(header), room, fmt, ap2);
    if (n >= 0 && (size_t)n < room) {
      va_end(ap2);
      return take(a, b, (size_t)n + 1, round_up(sizeof(header) + (size_t)n + 1));
    }
  } else {
    n = vsnprintf(NULL, 0, fmt, ap2);
  }
  va_end(ap2);
  if (n < 0)
    n = 0;
  char *p = raw_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

size_t arena_bytes_used(const arena *a) { return a->total; }

void arena_grow(arena *a, void **items, size_t *cap, size_t need, size_t sz) {
  if (need <= *cap)
    return;
  size_t ncap = *cap ? *cap * 2 : 8;
  while (ncap < need)
    ncap *= 2;
  *items = arena_realloc(a, *items, ncap * sz);
  *cap = ncap;
}
