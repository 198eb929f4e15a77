/* The search digests (searchdigest.h). A file is
 *   magic "FOLIOSD\n", format (u32), folio's version (string),
 *   records: key (32 bytes), terms (u32 length, bytes), snippet (u32
 *   length, bytes),
 *   an end mark (u32) and the number of records (u32),
 * read back only when every part checks out; out_search checks each
 * digest's terms again before it uses them. */
#define _GNU_SOURCE
#include "searchdigest.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "path.h"
#include "version.h"

#define MAGIC "FOLIOSD\n"
#define FORMAT 1u
#define END_MARK 0x21444E45u /* "END!" */
/* A file larger than this is not one of ours. */
#define MAX_FILE ((size_t)1 << 31)

typedef struct {
  unsigned char key[SEARCHDIGEST_KEY];
  out_search_digest d;
} record;

typedef struct {
  pthread_mutex_t lock;
  bool loaded;
  void *map;
  size_t maplen;
  record *recs; /* sorted by key */
  size_t nrecs;
  /* The new file, written as pages are indexed. */
  FILE *out;
  char *tmp;
  bool out_failed;
  uint32_t nout;
} locale_store;

struct search_digests {
  char *dir;
  const char **locales;
  size_t n;
  locale_store *ls;
};

search_digests *search_digests_open(const char *dir, const char **locales, size_t nlocales) {
  if (!dir)
    return NULL;
  search_digests *s = xcalloc(1, sizeof *s);
  s->dir = xstrdup(dir);
  s->locales = locales;
  s->n = nlocales;
  s->ls = xcalloc(nlocales + 1, sizeof *s->ls);
  for (size_t l = 0; l < nlocales; l++)
    pthread_mutex_init(&s->ls[l].lock, NULL);
  return s;
}

static char *file_of(const search_digests *s, int l) {
  size_t n = strlen(s->dir) + strlen(s->locales[l]) + 16;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/search-%s", s->dir, s->locales[l]);
  return p;
}

static int by_key(const void *a, const void *b) {
  return memcmp(((const record *)a)->key, ((const record *)b)->key, SEARCHDIGEST_KEY);
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A length-prefixed part at *p (before end): its bytes, or NULL. */
static const char *take(const unsigned char **p, const unsigned char *end, size_t *len) {
  if (end - *p < 4)
    return NULL;
  size_t n = get_u32(*p);
  if ((size_t)(end - *p) - 4 < n)
    return NULL;
  const char *at = (const char *)*p + 4;
  *p += 4 + n;
  *len = n;
  return at;
}

/* The records of a mapped file, or false: every part must check out. */
static bool parse(locale_store *ls) {
  const unsigned char *p = ls->map, *end = p + ls->maplen;
  size_t vlen = strlen(FOLIO_VERSION), n;
  if (ls->maplen < 8 + 4 + 12 || memcmp(p, MAGIC, 8) || get_u32(p + 8) != FORMAT)
    return false;
  p += 12;
  const char *v = take(&p, end, &n);
  if (!v || n != vlen || memcmp(v, FOLIO_VERSION, n))
    return false;
  size_t cap = 0;
  while (end - p > 8) {
    if (end - p < SEARCHDIGEST_KEY)
      return false;
    record r;
    memcpy(r.key, p, SEARCHDIGEST_KEY);
    p += SEARCHDIGEST_KEY;
    if (!(r.d.terms = take(&p, end, &r.d.terms_len)) ||
        !(r.d.snippet = take(&p, end, &r.d.snippet_len)))
      return false;
    if (ls->nrecs == cap) {
      cap = cap ? cap * 2 : 256;
      ls->recs = xrealloc(ls->recs, cap * sizeof *ls->recs);
    }
    ls->recs[ls->nrecs++] = r;
  }
  if (end - p != 8 || get_u32(p) != END_MARK || get_u32(p + 4) != ls->nrecs)
    return false;
  qsort(ls->recs, ls->nrecs, sizeof *ls->recs, by_key);
  return true;
}

static void load(search_digests *s, int l) {
  locale_store *ls = &s->ls[l];
  ls->loaded = true;
  char *path = file_of(s, l);
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  free(path);
  if (fd < 0)
    return;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (size_t)st.st_size <= MAX_FILE) {
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      ls->map = m;
      ls->maplen = (size_t)st.st_size;
    }
  }
  close(fd);
  if (ls->map && !parse(ls)) {
    free(ls->recs);
    ls->recs = NULL;
    ls->nrecs = 0;
  }
}

bool search_digests_find(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         out_search_digest *d) {
  if (!s)
    return false;
  locale_store *ls = &s->ls[l];
  pthread_mutex_lock(&ls->lock);
  if (!ls->loaded)
    load(s, l);
  pthread_mutex_unlock(&ls->lock);
  record want;
  memcpy(want.key, key, SEARCHDIGEST_KEY);
  const record *r = ls->nrecs ? bsearch(&want, ls->recs, ls->nrecs, sizeof *ls->recs, by_key) : NULL;
  if (r)
    *d = r->d;
  return r != NULL;
}

static void put_u32(FILE *f, uint32_t v) {
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  fwrite(b, 1, 4, f);
}

void search_digests_keep(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         const out_search_digest *d) {
  if (!s)
    return;
  locale_store *ls = &s->ls[l];
  if (ls->out_failed)
    return;
  if (!ls->out) {
    char *path = file_of(s, l);
    ls->tmp = xmalloc(strlen(path) + 32);
    sprintf(ls->tmp, "%s.tmp.%ld", path, (long)getpid());
    free(path);
    int fd = open(ls->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    ls->out = fd < 0 ? NULL : fdopen(fd, "wb");
    if (!ls->out) {
      if (fd >= 0)
        close(fd);
      ls->out_failed = true;
      return;
    }
    fwrite(MAGIC, 1, 8, ls->out);
    put_u32(ls->out, FORMAT);
    put_u32(ls->out, (uint32_t)strlen(FOLIO_VERSION));
    fwrite(FOLIO_VERSION, 1, strlen(FOLIO_VERSION), ls->out);
  }
  fwrite(key, 1, SEARCHDIGEST_KEY, ls->out);
  put_u32(ls->out, (uint32_t)d->terms_len);
  fwrite(d->terms, 1, d->terms_len, ls->out);
  put_u32(ls->out, (uint32_t)d->snippet_len);
  fwrite(d->snippet, 1, d->snippet_len, ls->out);
  ls->nout++;
}

void search_digests_done(search_digests *s, int l, bool ok) {
  if (!s)
    return;
  locale_store *ls = &s->ls[l];
  if (ls->out) {
    put_u32(ls->out, END_MARK);
    put_u32(ls->out, ls->nout);
    ok = !ls->out_failed && !ferror(ls->out) && ok;
    if (fclose(ls->out) != 0)
      ok = false;
    ls->out = NULL;
    char *path = file_of(s, l);
    if (!ok || rename(ls->tmp, path) < 0)
      unlink(ls->tmp);
    free(path);
    free(ls->tmp);
    ls->tmp = NULL;
  }
  /* The old digests were handed out until now. */
  if (ls->map)
    munmap(ls->map, ls->maplen);
  ls->map = NULL;
  free(ls->recs);
  ls->recs = NULL;
  ls->nrecs = 0;
}

void search_digests_close(search_digests *s) {
  if (!s)
    return;
  for (size_t l = 0; l < s->n; l++) {
    locale_store *ls = &s->ls[l];
    if (ls->out) {
      fclose(ls->out);
      unlink(ls->tmp);
      free(ls->tmp);
    }
    if (ls->map)
      munmap(ls->map, ls->maplen);
    free(ls->recs);
    pthread_mutex_destroy(&ls->lock);
  }
  free(s->ls);
  free(s->dir);
  free(s);
}
