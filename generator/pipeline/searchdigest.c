/* The search digests (searchdigest.h). Each locale has a base file,
 * search-<locale>, and a delta, search-<locale>.delta, in one format:
 *   magic "FOLIOSD\n", format (u32), folio's version (u32 length, bytes),
 *   the stamp of the site the ids are of (4 u64: its marker's inode,
 *   size, modification time s and ns), the identity of the base a delta
 *   was written over (3 u64: inode, size, modification time in ns; zeros
 *   in a base),
 *   records: key (32 bytes), the page file's id (u32, all ones for none)
 *   and hash (u64), terms (u32 length, bytes), snippet (u32 length,
 *   bytes),
 *   an end mark (u32) and the number of records (u32),
 * read back only when every part checks out, and a delta only over the
 * very base it names; out_search checks each digest's terms and snippet
 * again before it uses them.
 *
 * Rewriting the whole base after one edit wrote 30 MB per locale at 5,000
 * pages: a build writes only the digests that are not in the base as they
 * are (new ones, moved ones, those of the last delta, and the base's that
 * no page used, without their ids) to a new delta, and rewrites the base,
 * with every digest in use, when the delta would grow past an eighth of
 * the pages. The delta always names the site just published, so it is
 * written even when empty. */
#define _GNU_SOURCE
#include "searchdigest.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "path.h"
#include "publish.h"
#include "version.h"

#define MAGIC "FOLIOSD\n"
#define FORMAT 3u
#define NO_ID 0xffffffffu
/* A record's bytes before its terms: key, id, hash, the terms' length. */
#define RECORD_HEAD (SEARCHDIGEST_KEY + 4 + 8 + 4)
#define END_MARK 0x21444E45u /* "END!" */
/* A file larger than this is not one of ours. */
#define MAX_FILE ((size_t)1 << 31)
/* A delta of at most this many digests is always kept apart. */
#define SMALL_DELTA 64

typedef struct {
  unsigned char key[SEARCHDIGEST_KEY];
  out_search_digest d;
} record;

/* One file read: its mapping, header and records, sorted by key. */
typedef struct {
  void *map;
  size_t len;
  uint64_t site[4];    /* the site its ids are of */
  uint64_t base[3];    /* a delta: the base it was written over */
  uint64_t self[3];    /* its own identity */
  record *recs;
  size_t n;
} digest_file;

/* A digest this build keeps: where its record's bytes are. */
typedef struct {
  bool in_base;
  const unsigned char *at; /* in_base: the record in the base mapping */
  uint64_t off;            /* otherwise: the record's offset in the new file */
  size_t len;              /* the record's length */
} kept;

typedef enum { NOTHING, TO_BASE, TO_DELTA } pending_kind;

typedef struct {
  pthread_mutex_t lock;
  bool loaded;
  digest_file base, delta;
  bool ids_hold; /* the ids read are of the site in place */
  /* The new file, written as pages are indexed. */
  FILE *out;
  char *tmp;
  bool out_failed, new_base;
  uint64_t out_len;
  uint32_t nout;
  kept *keep;
  size_t nkeep, capkeep;
  /* Which base records this build kept as they are or wrote anew: the
   * others (an article edited or gone) go to a delta without their id,
   * which would be stale should that article come back under a later
   * site. */
  bool *base_used;
  /* After done: what commit puts in place. */
  pending_kind pending;
  char *ready; /* the finished file */
} locale_store;

struct search_digests {
  char *dir;
  const char **locales;
  size_t n;
  uint64_t site[4];
  bool has_site;
  locale_store *ls;
};

static void identity(const struct stat *st, uint64_t out[3]) {
  out[0] = (uint64_t)st->st_ino;
  out[1] = (uint64_t)st->st_size;
  out[2] = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
}

/* The temporary files of builds that were killed ("search-*.tmp.<pid>",
 * their process gone). */
static void sweep(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    const char *t = strstr(e->d_name, ".tmp.");
    if (strncmp(e->d_name, "search-", 7) || !t)
      continue;
    char *end;
    long pid = strtol(t + 5, &end, 10);
    if (*end || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue;
    char *p = path_join(dir, e->d_name);
    unlink(p);
    free(p);
  }
  if (d)
    closedir(d);
}

search_digests *search_digests_open(const char *dir, const char **locales, size_t nlocales,
                                    const char *site) {
  if (!dir)
    return NULL;
  sweep(dir);
  search_digests *s = xcalloc(1, sizeof *s);
  s->dir = xstrdup(dir);
  s->locales = locales;
  s->n = nlocales;
  s->has_site = publish_site_stamp(site, s->site);
  s->ls = xcalloc(nlocales + 1, sizeof *s->ls);
  for (size_t l = 0; l < nlocales; l++)
    pthread_mutex_init(&s->ls[l].lock, NULL);
  return s;
}

/* The file of locale l: its base, or with suffix its delta or a
 * temporary. */
static char *file_of(const search_digests *s, int l, const char *suffix) {
  size_t n = strlen(s->dir) + strlen(s->locales[l]) + strlen(suffix) + 32;
  char *p = xmalloc(n);
  snprintf(p, n, "%s/search-%s%s", s->dir, s->locales[l], suffix);
  return p;
}

static char *tmp_of(const search_digests *s, int l, const char *kind) {
  char suffix[64];
  snprintf(suffix, sizeof suffix, ".%s.tmp.%ld", kind, (long)getpid());
  return file_of(s, l, suffix);
}

static int by_key(const void *a, const void *b) {
  return memcmp(((const record *)a)->key, ((const record *)b)->key, SEARCHDIGEST_KEY);
}

static uint32_t get_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const unsigned char *p) {
  return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
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

/* Where the site stamp is in a file, and where its header ends. */
static size_t site_at(void) { return 8 + 4 + 4 + strlen(FOLIO_VERSION); }
static size_t head_len(void) { return site_at() + 32 + 24; }

/* The records of a mapped file, or false: every part must check out. With
 * header_only, its header and end only (records are not walked, so that
 * their pages are never read in: a locale carried whole needs none). */
static bool parse(digest_file *f, bool header_only) {
  const unsigned char *p = f->map, *end = p + f->len;
  size_t vlen = strlen(FOLIO_VERSION), n;
  if (f->len < head_len() + 8 || memcmp(p, MAGIC, 8) || get_u32(p + 8) != FORMAT)
    return false;
  p += 12;
  const char *v = take(&p, end, &n);
  if (!v || n != vlen || memcmp(v, FOLIO_VERSION, n))
    return false;
  for (int k = 0; k < 4; k++, p += 8)
    f->site[k] = get_u64(p);
  for (int k = 0; k < 3; k++, p += 8)
    f->base[k] = get_u64(p);
  if (header_only)
    return get_u32(end - 8) == END_MARK;
  size_t cap = 0;
  while (end - p > 8) {
    if (end - p < RECORD_HEAD)
      return false;
    record r;
    memcpy(r.key, p, SEARCHDIGEST_KEY);
    uint32_t id = get_u32(p + SEARCHDIGEST_KEY);
    r.d.id = id == NO_ID ? -1 : (long)id;
    r.d.file_hash = get_u64(p + SEARCHDIGEST_KEY + 4);
    p += SEARCHDIGEST_KEY + 12;
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
  if (f->n)
    qsort(f->recs, f->n, sizeof *f->recs, by_key);
  return true;
}

static void unload(digest_file *f) {
  if (f->map)
    munmap(f->map, f->len);
  free(f->recs);
  memset(f, 0, sizeof *f);
}

static void load_file(digest_file *f, const char *path, bool header_only) {
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
      identity(&st, f->self);
    }
  }
  close(fd);
  if (f->map && !parse(f, header_only))
    unload(f);
}

static void load(search_digests *s, int l, bool base_header_only) {
  locale_store *ls = &s->ls[l];
  ls->loaded = true;
  char *base = file_of(s, l, ""), *delta = file_of(s, l, ".delta");
  load_file(&ls->base, base, base_header_only);
  /* A delta counts only over the base it was written over. */
  if (ls->base.map)
    load_file(&ls->delta, delta, false);
  if (ls->delta.map && memcmp(ls->delta.base, ls->base.self, sizeof ls->base.self))
    unload(&ls->delta);
  const digest_file *last = ls->delta.map ? &ls->delta : &ls->base;
  ls->ids_hold = last->map && s->has_site && !memcmp(last->site, s->site, sizeof s->site);
  free(base);
  free(delta);
}

static void ensure_loaded(search_digests *s, int l) {
  locale_store *ls = &s->ls[l];
  pthread_mutex_lock(&ls->lock);
  if (!ls->loaded)
    load(s, l, false);
  pthread_mutex_unlock(&ls->lock);
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
  ensure_loaded(s, l);
  locale_store *ls = &s->ls[l];
  const record *r = find_in(&ls->delta, key);
  if (!r)
    r = find_in(&ls->base, key);
  if (!r)
    return false;
  *d = r->d;
  if (!ls->ids_hold)
    d->id = -1; /* its file was written into another site */
  return true;
}

static void put_u32(FILE *f, uint32_t v) {
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  fwrite(b, 1, 4, f);
}

static void put_u64(FILE *f, uint64_t v) {
  put_u32(f, (uint32_t)v);
  put_u32(f, (uint32_t)(v >> 32));
}

static uint32_t id_of(const out_search_digest *d) {
  return d->id < 0 || d->id >= (long)NO_ID ? NO_ID : (uint32_t)d->id;
}

/* A new file at path (a temporary), its head written with the site left
 * zero (commit fills it in) and base the base it is written over (NULL
 * for none); NULL on failure. */
static FILE *create(const char *path, const uint64_t *base) {
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
  for (int k = 0; k < 4; k++)
    put_u64(f, 0);
  for (int k = 0; k < 3; k++)
    put_u64(f, base ? base[k] : 0);
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
  if (!m || p < m + head_len() + RECORD_HEAD || p >= m + ls->base.len)
    return NULL;
  return p - RECORD_HEAD;
}

static void mark_used(locale_store *ls, const unsigned char *key) {
  const record *r = find_in(&ls->base, key);
  if (!r)
    return;
  if (!ls->base_used)
    ls->base_used = xcalloc(ls->base.n, sizeof *ls->base_used);
  ls->base_used[r - ls->base.recs] = true;
}

/* Open the new file (once): over the base, or (none) a new base. */
static bool open_new(search_digests *s, int l, locale_store *ls) {
  if (ls->out)
    return true;
  if (ls->out_failed)
    return false;
  ls->new_base = !ls->base.map;
  ls->tmp = tmp_of(s, l, "new");
  if (!(ls->out = create(ls->tmp, ls->new_base ? NULL : ls->base.self))) {
    ls->out_failed = true;
    return false;
  }
  ls->out_len = head_len();
  return true;
}

static void put_record(locale_store *ls, const unsigned char *key, const out_search_digest *d) {
  fwrite(key, 1, SEARCHDIGEST_KEY, ls->out);
  put_u32(ls->out, id_of(d));
  put_u64(ls->out, d->file_hash);
  put_u32(ls->out, (uint32_t)d->terms_len);
  if (d->terms_len) /* a page of no words has none (and no buffer) */
    fwrite(d->terms, 1, d->terms_len, ls->out);
  put_u32(ls->out, (uint32_t)d->snippet_len);
  if (d->snippet_len)
    fwrite(d->snippet, 1, d->snippet_len, ls->out);
  ls->out_len += RECORD_HEAD + d->terms_len + 4 + d->snippet_len;
  ls->nout++;
}

void search_digests_keep(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         const out_search_digest *d) {
  if (!s)
    return;
  ensure_loaded(s, l);
  locale_store *ls = &s->ls[l];
  if (ls->out_failed)
    return;
  if (ls->nkeep == ls->capkeep) {
    ls->capkeep = ls->capkeep ? ls->capkeep * 2 : 256;
    ls->keep = xrealloc(ls->keep, ls->capkeep * sizeof *ls->keep);
  }
  kept *k = &ls->keep[ls->nkeep++];
  size_t len = RECORD_HEAD + d->terms_len + 4 + d->snippet_len;
  const unsigned char *at = in_base(ls, d);
  /* The base's record as it is: the same digest at the same id. */
  if (at && !memcmp(at, key, SEARCHDIGEST_KEY) && get_u32(at + SEARCHDIGEST_KEY) == id_of(d) &&
      get_u64(at + SEARCHDIGEST_KEY + 4) == d->file_hash) {
    *k = (kept){.in_base = true, .at = at, .len = len};
    mark_used(ls, key);
    return;
  }
  mark_used(ls, key);
  if (!open_new(s, l, ls))
    return;
  *k = (kept){.off = ls->out_len, .len = len};
  put_record(ls, key, d);
}

/* A new base of every digest kept, in page order, at path: the base's
 * records from its mapping, the others read back from the new file
 * (ls->tmp) one at a time, so that the rewrite holds no second copy. */
static bool rewrite_base(locale_store *ls, const char *path) {
  int in = ls->tmp ? open(ls->tmp, O_RDONLY | O_CLOEXEC) : -1;
  FILE *f = create(path, NULL);
  bool ok = f && (!ls->tmp || in >= 0);
  char *rec = NULL;
  size_t cap = 0;
  for (size_t i = 0; ok && i < ls->nkeep; i++) {
    const kept *k = &ls->keep[i];
    if (k->in_base) {
      fwrite(k->at, 1, k->len, f);
      continue;
    }
    if (k->len > cap) {
      cap = k->len;
      rec = xrealloc(rec, cap);
    }
    ok = pread(in, rec, k->len, (off_t)k->off) == (ssize_t)k->len;
    if (ok)
      fwrite(rec, 1, k->len, f);
  }
  free(rec);
  if (in >= 0)
    close(in);
  if (f && !finish(f, (uint32_t)ls->nkeep))
    ok = false;
  return ok;
}

/* done, or (carried) the same for a locale whose digests all stay as they
 * are: a delta again, whatever its size (no page was kept to rewrite the
 * base from). */
static void finish_locale(search_digests *s, int l, bool ok, bool carried) {
  ensure_loaded(s, l);
  locale_store *ls = &s->ls[l];
  size_t small = SMALL_DELTA > ls->nkeep / 8 ? SMALL_DELTA : ls->nkeep / 8;
  /* Over a base: its digests no page used, without their ids. */
  size_t unused = 0, base_refs = 0;
  for (size_t i = 0; ls->base.map && i < ls->base.n; i++)
    unused += !ls->base_used || !ls->base_used[i];
  for (size_t i = 0; i < ls->nkeep; i++)
    base_refs += ls->keep[i].in_base;
  if (ok && ls->base.map && ls->nout + unused <= small && open_new(s, (int)l, ls)) {
    for (size_t i = 0; i < ls->base.n; i++) {
      if (ls->base_used && ls->base_used[i])
        continue;
      out_search_digest d = ls->base.recs[i].d;
      d.id = -1;
      put_record(ls, ls->base.recs[i].key, &d);
    }
  }
  if (ls->out && !finish(ls->out, ls->nout))
    ok = false;
  ls->out = NULL;
  ok = ok && !ls->out_failed;
  if (!ok) {
    /* nothing: the old files stay */
  } else if (ls->tmp && (ls->new_base || (!base_refs && !unused && !carried))) {
    /* No base to build on, or nothing of it in use: the new file holds
     * every digest and is a base (the base it names is cleared). */
    static const unsigned char zeros[24];
    int fd = ls->new_base ? -1 : open(ls->tmp, O_WRONLY | O_CLOEXEC);
    if (!ls->new_base &&
        (fd < 0 || pwrite(fd, zeros, sizeof zeros, (off_t)(site_at() + 32)) != (ssize_t)sizeof zeros))
      ok = false;
    if (fd >= 0 && close(fd) < 0)
      ok = false;
    if (ok) {
      ls->pending = TO_BASE;
      ls->ready = ls->tmp;
      ls->tmp = NULL;
    }
  } else if (ls->nout <= small || carried) {
    if (!ls->tmp) {
      /* Every digest is in the base as it is: an empty delta still names
       * the site. */
      ls->tmp = tmp_of(s, l, "new");
      FILE *f = create(ls->tmp, ls->base.self);
      if (!f || !finish(f, 0))
        ok = false;
    }
    if (ok) {
      ls->pending = TO_DELTA;
      ls->ready = ls->tmp;
      ls->tmp = NULL;
    }
  } else {
    char *path = tmp_of(s, l, "base");
    if (rewrite_base(ls, path)) {
      ls->pending = TO_BASE;
      ls->ready = path;
    } else {
      unlink(path);
      free(path);
    }
  }
  if (ls->tmp) {
    unlink(ls->tmp);
    free(ls->tmp);
    ls->tmp = NULL;
  }
  /* The old digests were handed out until now. */
  unload(&ls->base);
  unload(&ls->delta);
  free(ls->keep);
  ls->keep = NULL;
  ls->nkeep = ls->capkeep = 0;
  ls->nout = 0;
  ls->out_len = 0;
  free(ls->base_used);
  ls->base_used = NULL;
}

void search_digests_done(search_digests *s, int l, bool ok) {
  if (s)
    finish_locale(s, l, ok, false);
}

void search_digests_carried(search_digests *s, int l) {
  if (!s)
    return;
  locale_store *ls = &s->ls[l];
  if (!ls->loaded)
    load(s, l, true); /* the base stays as it is: its records are not read */
  if (!ls->ids_hold || !ls->base.map)
    return; /* nothing the new site could use */
  /* Every digest as it is: the base's in place, the delta's again. */
  ls->base_used = xcalloc(ls->base.n + 1, sizeof *ls->base_used);
  memset(ls->base_used, 1, ls->base.n * sizeof *ls->base_used);
  if (!open_new(s, l, ls))
    return;
  for (size_t i = 0; i < ls->delta.n; i++)
    put_record(ls, ls->delta.recs[i].key, &ls->delta.recs[i].d);
  finish_locale(s, l, true, true);
}

void search_digests_commit(search_digests *s, const char *site) {
  if (!s)
    return;
  uint64_t stamp[4];
  bool has = publish_site_stamp(site, stamp);
  for (size_t l = 0; l < s->n; l++) {
    locale_store *ls = &s->ls[l];
    if (!ls->ready)
      continue;
    unsigned char b[32];
    for (int k = 0; k < 32; k++)
      b[k] = has ? (unsigned char)(stamp[k / 8] >> (8 * (k % 8))) : 0;
    int fd = open(ls->ready, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    bool ok = has && fd >= 0 && pwrite(fd, b, sizeof b, (off_t)site_at()) == (ssize_t)sizeof b;
    if (fd >= 0 && close(fd) < 0)
      ok = false;
    char *base = file_of(s, (int)l, ""), *delta = file_of(s, (int)l, ".delta");
    if (ok && rename(ls->ready, ls->pending == TO_BASE ? base : delta) == 0) {
      if (ls->pending == TO_BASE)
        unlink(delta);
    } else {
      unlink(ls->ready);
    }
    free(base);
    free(delta);
    free(ls->ready);
    ls->ready = NULL;
    ls->pending = NOTHING;
  }
}

void search_digests_close(search_digests *s) {
  if (!s)
    return;
  for (size_t l = 0; l < s->n; l++) {
    locale_store *ls = &s->ls[l];
    if (ls->out)
      fclose(ls->out);
    if (ls->tmp)
      unlink(ls->tmp);
    if (ls->ready)
      unlink(ls->ready); /* never committed: the site was not published */
    free(ls->tmp);
    free(ls->ready);
    unload(&ls->base);
    unload(&ls->delta);
    free(ls->keep);
    free(ls->base_used);
    pthread_mutex_destroy(&ls->lock);
  }
  free(s->ls);
  free(s->dir);
  free(s);
}
