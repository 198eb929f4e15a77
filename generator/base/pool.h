/* pool: run fn(ctx, i) for i in [0, n) on `jobs` threads. Each index runs
 * exactly once; results go into per-index slots, so the outcome does not
 * depend on the number of threads or on scheduling. */
#ifndef FOLIO_POOL_H
#define FOLIO_POOL_H

#include <stddef.h>

typedef void (*pool_fn)(void *ctx, size_t i);

/* at_exit (may be NULL) runs on each worker thread before it ends. */
void pool_run(int jobs, size_t n, pool_fn fn, void *ctx, void (*at_exit)(void));
int pool_default_jobs(void);

#endif
