/* serve_test.h: the checks of tests/unit/test_core.h for the tests of
 * folio_serve (which links no other folio code), plus temporary folders,
 * files and a monotonic clock.
 *
 *   CHECK(cond)   CHECK_STR(a, b)   CHECK_INT(a, b)   RUN(fn)   test_done() */
#ifndef FOLIO_SERVE_TEST_H
#define FOLIO_SERVE_TEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_core.h"

static inline long long test_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void test_sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* A fresh temporary folder (malloc'd path); remove it with test_rmdir. */
static inline char *test_mkdtemp(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  char *tmpl = malloc(strlen(base) + 32);
  sprintf(tmpl, "%s/folio-serve-XXXXXX", base);
  if (!mkdtemp(tmpl)) {
    perror("mkdtemp");
    exit(2);
  }
  return tmpl;
}

/* dir + "/" + rel, in a static ring of buffers (enough for one statement). */
static inline const char *test_path(const char *dir, const char *rel) {
  static char ring[8][4096];
  static int next;
  char *p = ring[next++ % 8];
  snprintf(p, sizeof ring[0], "%s/%s", dir, rel);
  return p;
}

/* Create the folders of path (not its last part). */
static inline void test_mkparents(const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *s = tmp + 1; (s = strchr(s, '/')); s++) {
    *s = '\0';
    mkdir(tmp, 0755);
    *s = '/';
  }
}

/* Write n bytes to dir/rel (creating folders); aborts the test on failure. */
static inline void test_write_n(const char *dir, const char *rel, const char *data, size_t n) {
  const char *p = test_path(dir, rel);
  test_mkparents(p);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write(fd, data, n) != (ssize_t)n || close(fd) < 0) {
    perror(p);
    exit(2);
  }
}

static inline void test_write(const char *dir, const char *rel, const char *text) {
  test_write_n(dir, rel, text, strlen(text));
}

/* The whole file (malloc'd, NUL-terminated), or NULL. */
static inline char *test_read(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *data = NULL;
  size_t len = 0, cap = 0, n;
  char chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + n + 1 > cap) {
      cap = (len + n + 1) * 2;
      data = realloc(data, cap);
    }
    memcpy(data + len, chunk, n);
    len += n;
  }
  fclose(f);
  if (!data)
    data = calloc(1, 1);
  else
    data[len] = '\0';
  return data;
}

static inline int test_rm_one_(const char *p, const struct stat *st, int flag, struct FTW *f) {
  (void)st, (void)flag, (void)f;
  return remove(p);
}

static inline void test_rmdir(char *dir) {
  nftw(dir, test_rm_one_, 16, FTW_DEPTH | FTW_PHYS);
  free(dir);
}

#endif
