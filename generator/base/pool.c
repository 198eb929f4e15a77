#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "alloc.h"

typedef struct {
  atomic_size_t next;
  size_t n;
  pool_fn fn;
  void *ctx;
  void (*at_exit)(void);
} work;

static void *worker(void *p) {
  work *w = p;
  for (;;) {
    size_t i = atomic_fetch_add(&w->next, 1);
    if (i >= w->n)
      break;
    w->fn(w->ctx, i);
  }
  if (w->at_exit)
    w->at_exit();
  return NULL;
}

int pool_default_jobs(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

void pool_run(int jobs, size_t n, pool_fn fn, void *ctx, void (*at_exit)(void)) {
  if (jobs <= 0)
    jobs = pool_default_jobs();
  if ((size_t)jobs > n)
    jobs = n ? (int)n : 1;
  work w = {.n = n, .fn = fn, .ctx = ctx, .at_exit = NULL};
  atomic_init(&w.next, 0);
  if (jobs == 1) {
    worker(&w);
    return;
  }
  /* The calling thread is one of the workers; it keeps its own state. */
  pthread_t *threads = xcalloc((size_t)jobs - 1, sizeof *threads);
  w.at_exit = at_exit;
  int started = 0;
  for (int i = 0; i < jobs - 1; i++)
    if (pthread_create(&threads[i], NULL, worker, &w) == 0)
      started++;
    else
      break;
  /* Run on this thread too, without its at_exit: the main thread's state is
   * freed at shutdown. */
  for (;;) {
    size_t i = atomic_fetch_add(&w.next, 1);
    if (i >= w.n)
      break;
    w.fn(w.ctx, i);
  }
  for (int i = 0; i < started; i++)
    pthread_join(threads[i], NULL);
  free(threads);
}
