#include "scratch.h"

#include <stdint.h>
#include <stdlib.h>

/* cmark's allocator callbacks carry no context, so they allocate from the
 * arena of the article this thread is working on. */
static _Thread_local arena *scratch;

static void *mem_calloc(size_t n, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(n, size, &bytes)) /* no division per node */
    abort();
  return arena_alloc(scratch, bytes);
}
/* realloc as C's: cmark fills the bytes it grows before it reads them, so
 * they are not zeroed (the rendered HTML grows through here). */
static void *mem_realloc(void *p, size_t n) { return arena_realloc_raw(scratch, p, n); }

static void mem_free(void *p) { (void)p; /* the arena is reset per article */ }
static cmark_mem arena_mem = {mem_calloc, mem_realloc, mem_free};


arena *scratch_begin(void) {
  if (!scratch)
    scratch = arena_new();
  arena_reset(scratch);
  return scratch;
}

arena *scratch_arena(void) { return scratch; }

cmark_mem *scratch_cmark_mem(void) { return &arena_mem; }

void scratch_end(void) { arena_reset(scratch); }

void scratch_thread_done(void) {
  arena_free(scratch);
  scratch = NULL;
}
