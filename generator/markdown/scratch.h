/* scratch: the per-thread arena an article's parse tree lives in. cmark's
 * allocator callbacks carry no context, so cmark (and folio's extension,
 * which cmark calls back) allocate from the arena of the article this
 * thread is working on; it is reset between articles. */
#ifndef FOLIO_SCRATCH_H
#define FOLIO_SCRATCH_H

#include <cmark-gfm.h>

#include "arena.h"

/* Start an article on this thread: the scratch arena, empty. */
arena *scratch_begin(void);
/* The arena of the article this thread is parsing. */
arena *scratch_arena(void);
/* cmark's allocator over that arena. */
cmark_mem *scratch_cmark_mem(void);
/* Done with the article: forget its tree. */
void scratch_end(void);
/* Free this thread's arena (pool threads call it before exiting). */
void scratch_thread_done(void);

#endif
