/* The search digests (searchdigest.h). Each locale has a base file,
 * search-<locale>, and a delta, search-<locale>.delta, in one format:
 *   magic "FOLIOSD\n", format (u32), folio's version (u32 length, bytes),
 *   records: key (32 bytes), terms (u32 length, bytes), snippet (u32
 *   length, bytes),
 *   an end mark (u32) and the number of records (u32),
 * read back only when every part checks out; out_search checks each
 * digest's terms and snippet again before it uses them.
 *
 * Rewriting the whole base after one edit wrote 30 MB per locale at 5,000
 * pages: a build writes only the digests that are not in the base (new
 * ones, and those of the last delta still in use) to a new delta, and
 * rewrites the base, with every digest in use, only when the delta grows
 * past an eighth of the pages or the base holds twice as many digests as
 * are in use. Every record stands alone (a key and what it gives), so a
 * base and a delta written by two builds at once still agree. */
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
/* A delta of at most this many digests is always kept apart. */
#define SMALL_DELTA 64

typedef struct {
  unsigned char key[SEARCHDIGEST_KEY];
  out_search_digest d;
} record;

/* One file read: its mapping and its records, sorted by key. */
typedef struct {
  void *map;
  size_t len;
  record *recs;
  size_t n;
} digest_file;

/* A digest this build keeps: where its record's bytes are. */
typedef struct {
  bool in_base;
  const unsigned char *at; /* in_base: the record in the base mapping */
  uint64_t off;            /* otherwise: the record's offset in the new delta */
  size_t len;              /* the record's length */
} kept;

typedef struct {
  pthread_mutex_t lock;
  bool loaded;
  digest_file base, delta;
  /* The new delta, written as pages are indexed. */
  FILE *out;
  char *tmp;
  bool out_failed;
  uint64_t out_len;
  uint32_t nout;
  kept *keep;
  size_t nkeep, capkeep;
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

/* The file of locale l: its base, or with suffix its delta or a
 * temporary. */
static char *file_of(const search_digests *s, int l, const char *suffix) {
  size_t n = strlen(s->dir) + strlen(s->locales[l]) + strlen(suffix) + 16;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/search-%s%s", s->dir, s->locales[l], suffix);
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

static size_t head_len(void) { return 8 + 4 + 4 + strlen(FOLIO_VERSION); }

/* The records of a mapped file, or false: every part must check out. */
static bool parse(digest_file *f) {
  const unsigned char *p = f->map, *end = p + f->len;
  size_t vlen = strlen(FOLIO_VERSION), n;
  if (f->len < head_len() + 8 || memcmp(p, MAGIC, 8) || get_u32(p + 8) != FORMAT)
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
    if (f->n == cap) {
      cap = cap ? cap * 2 : 256;
      f->recs = xrealloc(f->recs, cap * sizeof *f->recs);
    }
    f->recs[f->n++] = r;
  }
  if (end - p != 8 || get_u32(p) != END_MARK || get_u32(p + 4) != f->n)
    return false;
  qsort(f->recs, f->n, sizeof *f->recs, by_key);
  return true;
}

static void unload(digest_file *f) {
  if (f->map)
    munmap(f->map, f->len);
  free(f->recs);
  memset(f, 0, sizeof *f);
}

static void load_file(digest_file *f, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (size_t)st.st_size <= MAX_FILE) {
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      f->map = m;
      f->len = (size_t)st.st_size;
    }
  }
  close(fd);
  if (f->map && !parse(f))
    unload(f);
}

static void load(search_digests *s, int l) {
  locale_store *ls = &s->ls[l];
  ls->loaded = true;
  char *base = file_of(s, l, ""), *delta = file_of(s, l, ".delta");
  load_file(&ls->base, base);
  if (ls->base.map) /* a delta alone is of no use: it is rewritten whole */
    load_file(&ls->delta, delta);
  free(base);
  free(delta);
}

static const record *find_in(const digest_file *f, const unsigned char *key) {
  record want;
  memcpy(want.key, key, SEARCHDIGEST_KEY);
  return f->n ? bsearch(&want, f->recs, f->n, sizeof *f->recs, by_key) : NULL;
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
  const record *r = find_in(&ls->delta, key);
  if (!r)
    r = find_in(&ls->base, key);
  if (r)
    *d = r->d;
  return r != NULL;
}

static void put_u32(FILE *f, uint32_t v) {
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  fwrite(b, 1, 4, f);
}

/* A new file at path (a temporary), its head written; NULL on failure. */
static FILE *create(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
  FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
  if (!f) {
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  fwrite(MAGIC, 1, 8, f);
  put_u32(f, FORMAT);
  put_u32(f, (uint32_t)strlen(FOLIO_VERSION));
  fwrite(FOLIO_VERSION, 1, strlen(FOLIO_VERSION), f);
  return f;
}

/* Close a file made by create with its n records; false on any failure. */
static bool finish(FILE *f, uint32_t n) {
  put_u32(f, END_MARK);
  put_u32(f, n);
  bool ok = !ferror(f);
  return fclose(f) == 0 && ok;
}

/* The record of d where the base mapping has it, or NULL. */
static const unsigned char *in_base(const locale_store *ls, const out_search_digest *d) {
  const unsigned char *m = ls->base.map, *p = (const unsigned char *)d->terms;
  if (!m || p < m || p >= m + ls->base.len)
    return NULL;
  /* key, terms' length, terms, snippet's length, snippet */
  return p - 4 - SEARCHDIGEST_KEY;
}

void search_digests_keep(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         const out_search_digest *d) {
  if (!s)
    return;
  locale_store *ls = &s->ls[l];
  if (ls->out_failed)
    return;
  if (ls->nkeep == ls->capkeep) {
    ls->capkeep = ls->capkeep ? ls->capkeep * 2 : 256;
    ls->keep = xrealloc(ls->keep, ls->capkeep * sizeof *ls->keep);
  }
  kept *k = &ls->keep[ls->nkeep++];
  size_t len = SEARCHDIGEST_KEY + 4 + d->terms_len + 4 + d->snippet_len;
  const unsigned char *at = in_base(ls, d);
  if (at && !memcmp(at, key, SEARCHDIGEST_KEY)) {
    *k = (kept){.in_base = true, .at = at, .len = len};
    return;
  }
  if (!ls->out) {
    ls->tmp = file_of(s, l, "");
    ls->tmp = xrealloc(ls->tmp, strlen(ls->tmp) + 32);
    sprintf(ls->tmp + strlen(ls->tmp), ".tmp.%ld", (long)getpid());
    if (!(ls->out = create(ls->tmp))) {
      ls->out_failed = true;
      return;
    }
    ls->out_len = head_len();
  }
  *k = (kept){.off = ls->out_len, .len = len};
  fwrite(key, 1, SEARCHDIGEST_KEY, ls->out);
  put_u32(ls->out, (uint32_t)d->terms_len);
  fwrite(d->terms, 1, d->terms_len, ls->out);
  put_u32(ls->out, (uint32_t)d->snippet_len);
  fwrite(d->snippet, 1, d->snippet_len, ls->out);
  ls->out_len += len;
  ls->nout++;
}

/* A new base of every digest kept, in page order: the base's records from
 * its mapping, the others from the delta just written (tmp). */
static bool rewrite_base(search_digests *s, int l, locale_store *ls) {
  char *base = file_of(s, l, ""), *tmp = file_of(s, l, ".base");
  tmp = xrealloc(tmp, strlen(tmp) + 32);
  sprintf(tmp + strlen(tmp), ".tmp.%ld", (long)getpid());
  digest_file fresh = {0};
  if (ls->tmp)
    load_file(&fresh, ls->tmp);
  FILE *f = create(tmp);
  bool ok = f && (!ls->tmp || fresh.map);
  for (size_t i = 0; ok && i < ls->nkeep; i++) {
    const kept *k = &ls->keep[i];
    const unsigned char *from = k->in_base ? k->at : (const unsigned char *)fresh.map + k->off;
    if (!k->in_base && k->off + k->len > fresh.len)
      ok = false;
    else
      fwrite(from, 1, k->len, f);
  }
  if (f && !finish(f, (uint32_t)ls->nkeep))
    ok = false;
  if (ok && rename(tmp, base) < 0)
    ok = false;
  if (!ok)
    unlink(tmp);
  unload(&fresh);
  free(base);
  free(tmp);
  return ok;
}

void search_digests_done(search_digests *s, int l, bool ok) {
  if (!s)
    return;
  locale_store *ls = &s->ls[l];
  if (ls->out && !finish(ls->out, ls->nout))
    ok = false;
  ls->out = NULL;
  ok = ok && !ls->out_failed;
  char *base = file_of(s, l, ""), *delta = file_of(s, l, ".delta");
  if (ok && !ls->base.map) {
    /* No base to build on: the new file holds every digest and is one. */
    if (ls->tmp && rename(ls->tmp, base) == 0)
      unlink(delta);
  } else if (ok && ls->nout <= (SMALL_DELTA > ls->nkeep / 8 ? SMALL_DELTA : ls->nkeep / 8) &&
             ls->base.n <= 2 * ls->nkeep + SMALL_DELTA) {
    if (!ls->tmp)
      unlink(delta); /* every digest is in the base */
    else
      rename(ls->tmp, delta);
  } else if (ok && rewrite_base(s, l, ls)) {
    unlink(delta);
  }
  if (ls->tmp)
    unlink(ls->tmp); /* when not renamed */
  free(base);
  free(delta);
  free(ls->tmp);
  ls->tmp = NULL;
  /* The old digests were handed out until now. */
  unload(&ls->base);
  unload(&ls->delta);
  free(ls->keep);
  ls->keep = NULL;
  ls->nkeep = ls->capkeep = 0;
  ls->nout = 0;
  ls->out_len = 0;
}

void search_digests_close(search_digests *s) {
  if (!s)
    return;
  for (size_t l = 0; l < s->n; l++) {
    locale_store *ls = &s->ls[l];
    if (ls->out) {
      fclose(ls->out);
      unlink(ls->tmp);
    }
    free(ls->tmp);
    unload(&ls->base);
    unload(&ls->delta);
    free(ls->keep);
    pthread_mutex_destroy(&ls->lock);
  }
  free(s->ls);
  free(s->dir);
  free(s);
}
