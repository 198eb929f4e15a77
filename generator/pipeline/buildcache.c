/* The build cache (buildcache.h). Layout under .folio/cache/build/:
 *   packs/<pid>-<time>-<n>.pack  article entries, one after another: each
 *                                build that writes entries appends them to
 *                                one pack of its own, and no pack is ever
 *                                changed after its build wrote it
 *   index                        where the entry of each article is: the
 *                                packs it names (and their lengths) and per
 *                                article (sha256 of its path) pack, offset
 *                                and length; written once per build, at the
 *                                end of the article stage
 *   pages                        the page keys of the site, and each locale's
 *                                search key and files
 * A file (and an entry) starts with a magic, the format, folio's version
 * and the key it was made for; everything after is length-prefixed (binio)
 * and must end exactly at the end of the file (the entry). An article entry
 * then gives the length of its products (includes, headings, links, rules,
 * diagnostics, an end mark) and of its body HTML, which comes last and
 * alone: a warm build reads the products of every entry and the body of few.
 *
 * A build opens every pack the index names once, when it starts, and reads
 * with pread: a pack that another build deletes meanwhile stays readable to
 * it. Threads reserve their region of the build's own pack under a mutex
 * and write it with pwrite. A restamped entry is a copy in the own pack,
 * never a write into a pack another build may read. The index and pages
 * are written to a temporary name and renamed (the last build wins); an
 * index only names packs whose writing is over.
 *
 * Garbage: when the index is written, a pack whose dead bytes exceed its
 * live ones is compacted (its live entries copied into the own pack, in
 * the kernel), and so are all but the largest when more than MAX_PACKS
 * would remain. Then, when the index in place is still the one this build
 * read or wrote, every pack it does not name and every temporary index or
 * pages file is deleted, unless a build holds it (each holds a lock, flock, on its own
 * pack and temporary files while it runs; the kernel lets go of a killed
 * one's) or it is empty and younger than FRESH_S (created, not yet locked).
 * A delete that races a concurrent build costs that build's next hits,
 * never a wrong page: every entry is checked against its key when read. */
#define _GNU_SOURCE
#include "buildcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "binio.h"
#include "buf.h"
#include "include.h"
#include "path.h"
#include "frontmatter.h"
#include "policy.h"
#include "render.h"
#include "sha256.h"
#include "strmap.h"
#include "util.h"
#include "version.h"

#define HASH 32
#define MAGIC "FOLIOBC\n"
#define END_MARK 0x21444E45u /* "END!" */
/* An entry larger than this is not one of ours. */
#define MAX_ENTRY ((size_t)256 * 1024 * 1024)
/* An article file's stamp: device, inode, size, modification and change
 * times (seconds, nanoseconds). */
#define STAMP 8
/* A file changed less than this many seconds before a build began may
 * change again within the same tick of its file system's clock without
 * its stamp changing: such a file is not stamped (FAT counts in 2 s). */
#define SETTLE_S 3
/* An article entry's fixed start: magic, format, this version (length and
 * bytes), key, then the products' and the body's lengths. */
#define ENTRY_HEAD (8 + 4 + 4 + sizeof FOLIO_VERSION - 1 + HASH + 16)
/* The first read of an entry: its head and, mostly, all its products. */
#define SPECULATE 8192
/* Packs left after compaction, at most (each held open by every build). */
#define MAX_PACKS 8
/* An index naming more packs than this is not one of ours. */
#define MAX_INDEX_PACKS 256
/* A file of the cache younger than this may be one a build created and has
 * not locked yet: garbage collection leaves it when it is empty. */
#define FRESH_S 60

typedef struct {
  unsigned char content[HASH]; /* the article's bytes */
  unsigned char front[HASH];   /* its front matter (what other pages may show) */
  unsigned char key[HASH];     /* article stage */
  unsigned char includes[HASH]; /* the includes it expanded, paths and bytes */
  unsigned char page[HASH];    /* page stage */
  bool seen, has_page, kept, clean;
  bool body_in_entry; /* the body HTML is read from the entry when a page needs it */
  uint64_t body_at, body_len; /* where in the entry */
  int pack;                   /* the entry: its pack (-1: none), offset, length */
  uint64_t off, len;
  uint64_t stamp[4];          /* the page file carried over (file_stamp) */
  bool stamped;
  uint64_t file[STAMP];       /* the article file before it was read (article_stamp) */
  bool file_known;
  bool no_entry;              /* looked for and absent: not looked for again */
  bool stamp_ok;              /* file stands for the bytes read: stamp it */
} slot;

/* The files of one locale's search index as a build left them. */
typedef struct {
  bool has;
  unsigned char key[HASH];
  size_t nfiles;
  const char **files;      /* relative to the site */
  uint64_t (*stamps)[4];   /* file_stamp of each */
  strmap byname;           /* files -> index, made on first use */
} search_record;

/* A pack: a file of entries. */
typedef struct {
  char *name;    /* under packs/ */
  int fd;        /* -1: not there, or not as the index said */
  uint64_t size; /* its length (the own pack: the bytes reserved) */
} pack;

struct buildcache {
  int64_t started; /* when this build began (s, wall clock): see settled() */
  arena *mem;
  const site_config *cfg;
  const content_set *cs;
  char *dir;      /* .folio/cache/build */
  char *pdir;     /* .../packs */
  /* The packs the index named when the build began, then this build's own
   * (packs[nold], created at its first entry; own_lock guards it). */
  pack *packs;
  size_t nold;
  pthread_mutex_t own_lock;
  bool own_failed;
  /* The index: it must be written (an entry written, moved or dropped),
   * it was (or the build ended), and the file in place as this build read
   * or wrote it (device, inode; none when there is none). */
  _Atomic bool index_dirty;
  bool index_done;
  bool index_known;
  uint64_t index_id[2];
  unsigned char shared[HASH]; /* the inputs every article's stage reads */
  strmap includes;            /* include path -> index into inc_hash */
  unsigned char (*inc_hash)[HASH];
  slot *slots;                /* one per article */
  /* The page stage: */
  unsigned char render[HASH]; /* the inputs every page reads */
  strmap prev;                /* page path -> index into prev_keys */
  unsigned char (*prev_keys)[HASH];
  uint64_t (*prev_files)[4];  /* each page file as that build left it (file_stamp) */
  bool same_site;             /* the site in place is the one prev describes */
  /* The search index of each locale: its key now, and as the last build
   * recorded it with the stamps of its files (search_files). */
  unsigned char (*search_key)[HASH];
  bool *search_keyed;                 /* the key could be made (every page read) */
  search_record *prev_search;         /* one per locale, from the pages record */
  bool *search_carried;               /* per locale: kept, prev_search still true */
  char *site;                 /* the output folder (resolved), for save */
  _Atomic size_t articles, hits, pages, kept, read;
  size_t searches, search_kept; /* asked and kept (from one thread) */
  /* A body could not be read back, or an index failed to be written: the
   * indexes written this build may have holes and are not recorded. */
  _Atomic bool search_unsure;
};

/* The hash of a file's bytes, or of a mark saying it could not be read. */
static void hash_file(const char *path, unsigned char out[HASH]) {
  char *data;
  size_t len;
  if (read_file(path, &data, &len) < 0) {
    sha256("\0unreadable", 11, out);
    return;
  }
  sha256(data, len, out);
  free(data);
}

/* Every file under dir (names and bytes, sorted, links not followed) into b. */
static void hash_tree(buf *b, const char *dir, int depth) {
  DIR *d = depth < 16 ? opendir(dir) : NULL;
  if (!d) {
    binw_str(b, "-");
    return;
  }
  size_t n;
  char **names = dir_names(d, NULL, NULL, &n);
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    char *p = path_join(dir, names[i]);
    struct stat st;
    binw_str(b, names[i]);
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      hash_tree(b, p, depth + 1);
    } else {
      unsigned char h[HASH];
      hash_file(p, h);
      binw_bytes(b, h, HASH);
    }
    free(p);
  }
  dir_names_free(names, n);
  binw_str(b, NULL);
}

static void put_files(buf *b, const content_file *f, size_t n) {
  binw_u32(b, (uint32_t)n);
  for (size_t i = 0; i < n; i++) {
    binw_u32(b, (uint32_t)f[i].locale);
    binw_str(b, f[i].rel);
  }
}

/* A real folder (made when missing), never a link. */
static bool real_dir(const char *p) {
  struct stat st;
  if (lstat(p, &st) < 0 && (mkdir(p, 0777) < 0 || lstat(p, &st) < 0))
    return false;
  return S_ISDIR(st.st_mode);
}

static void load_index(buildcache *c);
static void save_index(buildcache *c);

buildcache *buildcache_open(arena *mem, const site_config *cfg, const content_set *cs,
                            const zone_pivot_groups *pivots) {
  const char *steps[] = {".folio", ".folio/cache", BUILDCACHE_DIR, BUILDCACHE_DIR "/packs"};
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
    char *p = path_join(cfg->root, steps[i]);
    bool ok = real_dir(p);
    free(p);
    if (!ok)
      return NULL;
  }
  buildcache *c = arena_alloc(mem, sizeof *c);
  c->started = (int64_t)time(NULL);
  c->mem = mem;
  c->cfg = cfg;
  c->cs = cs;
  char *p = path_join(cfg->root, BUILDCACHE_DIR);
  c->dir = arena_strdup(mem, p);
  free(p);
  p = path_join(c->dir, "packs");
  c->pdir = arena_strdup(mem, p);
  free(p);
  c->slots = arena_alloc(mem, (cs->narticles + 1) * sizeof *c->slots);
  for (size_t i = 0; i < cs->narticles; i++)
    c->slots[i].pack = -1;
  pthread_mutex_init(&c->own_lock, NULL);

  /* The shared inputs of the article stage. */
  buf b = {0};
  unsigned char h[HASH];
  binw_str(&b, "folio " FOLIO_VERSION);
  binw_u32(&b, BUILDCACHE_FORMAT);
  /* The program itself: a folio built from other code (a developer's
   * rebuild, same version number) must not trust what this one cached. */
  hash_file("/proc/self/exe", h);
  binw_bytes(&b, h, HASH);
  p = path_join(cfg->root, "folio.yml");
  hash_file(p, h);
  free(p);
  binw_bytes(&b, h, HASH);
  hash_tree(&b, cfg->locales_dir, 0);
  for (size_t i = 0; i < cfg->nlocales; i++) {
    binw_str(&b, pivots[i].file);
    if (pivots[i].file) {
      hash_file(pivots[i].file, h);
      binw_bytes(&b, h, HASH);
    }
  }
  for (size_t i = 0; i < cfg->nredirect_files; i++) {
    binw_str(&b, cfg->redirect_files[i]);
    hash_file(cfg->redirect_files[i], h);
    binw_bytes(&b, h, HASH);
  }
  /* Which files exist decides how every link resolves. */
  binw_u32(&b, (uint32_t)cs->narticles);
  for (size_t i = 0; i < cs->narticles; i++) {
    binw_u32(&b, (uint32_t)cs->articles[i].locale);
    binw_str(&b, cs->articles[i].rel);
  }
  put_files(&b, cs->media, cs->nmedia);
  put_files(&b, cs->includes, cs->nincludes);
  put_files(&b, cs->tocs, cs->ntocs);
  sha256(b.data, b.len, c->shared);
  buf_free(&b);

  /* The bytes of each include, as preloaded (articles check theirs). */
  strmap_init(&c->includes, mem);
  c->inc_hash = arena_alloc(mem, (cs->nincludes + 1) * sizeof *c->inc_hash);
  for (size_t i = 0; i < cs->nincludes; i++) {
    const content_file *f = &cs->includes[i];
    if (f->text)
      sha256(f->text, f->len, c->inc_hash[i]);
    else
      sha256("\0unreadable", 11, c->inc_hash[i]);
    strmap_set(&c->includes, f->path, (int)i);
  }
  /* Where every entry is, and its packs opened (kept open to the end). */
  load_index(c);
  return c;
}

void buildcache_close(buildcache *c) {
  if (!c)
    return;
  save_index(c);
  for (size_t i = 0; i <= c->nold; i++)
    if (c->packs[i].fd >= 0)
      close(c->packs[i].fd);
  pthread_mutex_destroy(&c->own_lock);
}

static size_t index_of(const buildcache *c, const article *art) {
  return (size_t)(art - c->cs->articles);
}

/* The article stage's key: the shared inputs, the article's place and its
 * bytes. */
static void article_key(const buildcache *c, const article *art, const unsigned char content[HASH],
                        unsigned char key[HASH]) {
  buf b = {0};
  binw_bytes(&b, c->shared, HASH);
  binw_u32(&b, (uint32_t)art->locale);
  binw_str(&b, art->path);
  binw_bytes(&b, content, HASH);
  sha256(b.data, b.len, key);
  buf_free(&b);
}

static void stamp_of(const file_seen *f, uint64_t out[STAMP]) {
  uint64_t v[STAMP] = {f->dev, f->ino, f->size, f->mtime_s, f->mtime_ns, f->ctime_s, f->ctime_ns, 0};
  memcpy(out, v, sizeof v);
}

static bool article_stamp(const char *path, uint64_t out[STAMP]) {
  struct stat st;
  if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
    return false;
  file_seen f = file_seen_of(&st);
  stamp_of(&f, out);
  return true;
}

/* Whether a file last changed well before this build began: its change
 * time (which no program can set back) and, where a file system reports
 * something else as ctime (vfat's creation time, sshfs's mtime), its
 * modification time too. */
static bool settled(const buildcache *c, const uint64_t stamp[STAMP]) {
  int64_t last = (int64_t)(stamp[3] > stamp[5] ? stamp[3] : stamp[5]);
  return last + SETTLE_S < c->started;
}

void buildcache_text(buildcache *c, const article *art, const char *text, size_t len,
                     bool front_matter_ok) {
  if (!c)
    return;
  slot *s = &c->slots[index_of(c, art)];
  atomic_fetch_add(&c->read, 1);
  sha256(text, len, s->content);
  if (art->kind == PAGE_MARKDOWN && front_matter_ok && art->fm.body_offset <= len)
    sha256(text, art->fm.body_offset, s->front);
  else
    memcpy(s->front, s->content, HASH);
  s->seen = true;
  article_key(c, art, s->content, s->key);
  /* The same stamp before and after the read, and settled: the bytes read
   * are the file that stamp names. */
  uint64_t after[STAMP];
  s->stamp_ok = s->file_known && article_stamp(art->abspath, after) &&
                !memcmp(after, s->file, sizeof after) && settled(c, s->file);
}

/* An entry's name in the index: the hash of its article's path. */
static void entry_name(const article *art, unsigned char out[HASH]) {
  sha256(art->path, strlen(art->path), out);
}

/* Read a cache file, bounded, never through a link; NULL when absent.
 * id (when not NULL) says which file it was (device, inode). */
static char *read_entry_id(const char *path, size_t *len, uint64_t id[2]) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  struct stat st;
  char *data = NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= MAX_ENTRY) {
    size_t n = (size_t)st.st_size, got = 0;
    data = xmalloc(n + 1);
    while (got < n) {
      ssize_t r = read(fd, data + got, n - got);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      got += (size_t)r;
    }
    if (got != n) {
      free(data);
      data = NULL;
    } else {
      *len = n;
      if (id) {
        id[0] = (uint64_t)st.st_dev;
        id[1] = (uint64_t)st.st_ino;
      }
    }
  }
  close(fd);
  return data;
}

static char *read_entry(const char *path, size_t *len) { return read_entry_id(path, len, NULL); }

/* Write path atomically: a temporary file beside it (locked while it is
 * written: see collect), then a rename. Returns whether the file is in
 * place; id (when not NULL) says which file it is (device, inode). */
static bool write_entry(const char *path, const buf *b, uint64_t id[2]) {
  static _Atomic unsigned long serial;
  char *tmp = xmalloc(strlen(path) + 64);
  sprintf(tmp, "%s.tmp.%ld.%lu", path, (long)getpid(), atomic_fetch_add(&serial, 1));
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
  bool ok = fd >= 0;
  if (ok)
    flock(fd, LOCK_EX | LOCK_NB);
  for (size_t off = 0; ok && off < b->len;) {
    ssize_t n = write(fd, b->data + off, b->len - off);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    off += n > 0 ? (size_t)n : 0;
  }
  struct stat st;
  if (ok && id) {
    ok = fstat(fd, &st) == 0;
    id[0] = ok ? (uint64_t)st.st_dev : 0;
    id[1] = ok ? (uint64_t)st.st_ino : 0;
  }
  if (fd >= 0 && close(fd) < 0)
    ok = false;
  if (ok && rename(tmp, path) < 0)
    ok = false;
  if (!ok)
    unlink(tmp);
  free(tmp);
  return ok;
}

static void put_header(buf *b, const unsigned char key[HASH]) {
  binw_bytes(b, MAGIC, 8);
  binw_u32(b, BUILDCACHE_FORMAT);
  binw_str(b, FOLIO_VERSION);
  binw_bytes(b, key, HASH);
}

/* Whether r starts with the header of key (the reader moves past it). */
/* With want NULL, any key is accepted and copied to got. */
static bool header_ok_as(binr *r, const unsigned char *want, unsigned char *got) {
  char magic[8];
  unsigned char k[HASH];
  if (!binr_bytes(r, magic, 8) || memcmp(magic, MAGIC, 8))
    return false;
  if (binr_u32(r) != BUILDCACHE_FORMAT)
    return false;
  size_t vlen = 0;
  const char *v = binr_str_view(r, &vlen);
  if (!v || vlen != sizeof FOLIO_VERSION - 1 || memcmp(v, FOLIO_VERSION, vlen) ||
      !binr_bytes(r, k, HASH))
    return false;
  if (got)
    memcpy(got, k, HASH);
  return !want || !memcmp(k, want, HASH);
}

static void put_u64_at(buf *b, size_t at, uint64_t v) {
  for (int k = 0; k < 8; k++)
    b->data[at + (size_t)k] = (char)((v >> (8 * k)) & 0xFF);
}

static bool pread_all(int fd, void *to, size_t n, off_t at) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = pread(fd, (char *)to + got, n - got, at + (off_t)got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    got += (size_t)r;
  }
  return true;
}

static bool pwrite_all(int fd, const void *from, size_t n, off_t at) {
  size_t put = 0;
  while (put < n) {
    ssize_t r = pwrite(fd, (const char *)from + put, n - put, at + (off_t)put);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    put += (size_t)r;
  }
  return true;
}

/* ---- packs and the index ---- */

/* A pack file's name as one of ours: no folder, no dot first, ".pack". */
static bool pack_name_ok(const char *name) {
  size_t n = strlen(name);
  return n > 5 && n < 128 && name[0] != '.' && !strchr(name, '/') &&
         !strcmp(name + n - 5, ".pack");
}

/* n bytes of this build's pack for an entry: where they start, or false
 * (the pack could not be made). The pack is created at the first call. */
static bool reserve(buildcache *c, uint64_t n, uint64_t *at) {
  pack *own = &c->packs[c->nold];
  pthread_mutex_lock(&c->own_lock);
  if (own->fd < 0 && !c->own_failed) {
    static _Atomic unsigned serial;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    for (int tries = 0; tries < 8 && own->fd < 0; tries++) {
      char name[96];
      snprintf(name, sizeof name, "%ld-%lld%09ld-%u.pack", (long)getpid(), (long long)ts.tv_sec,
               ts.tv_nsec, atomic_fetch_add(&serial, 1));
      char *path = path_join(c->pdir, name);
      own->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
      free(path);
      if (own->fd >= 0)
        own->name = arena_strdup(c->mem, name);
      else if (errno != EEXIST)
        break;
    }
    /* Held to the end of the build (or its death): garbage collection
     * leaves a locked pack alone. */
    if (own->fd >= 0)
      flock(own->fd, LOCK_EX | LOCK_NB);
    c->own_failed = own->fd < 0;
  }
  bool ok = own->fd >= 0;
  if (ok) {
    *at = own->size;
    own->size += n;
  }
  pthread_mutex_unlock(&c->own_lock);
  return ok;
}

/* Put an entry's bytes into this build's pack; s says where (on failure
 * it has none: the old place may hold an entry for other bytes). */
static bool place(buildcache *c, slot *s, const char *data, size_t len) {
  uint64_t at;
  bool ok = reserve(c, len, &at) && pwrite_all(c->packs[c->nold].fd, data, len, (off_t)at);
  s->pack = ok ? (int)c->nold : -1;
  s->off = ok ? at : 0;
  s->len = ok ? len : 0;
  atomic_store(&c->index_dirty, true);
  return ok;
}

/* Copy len bytes between files, in the kernel when it can. */
static bool copy_range(int from, uint64_t at, int to, uint64_t to_at, uint64_t len) {
  off_t in = (off_t)at, out = (off_t)to_at;
  uint64_t left = len;
  while (left) {
    ssize_t n = copy_file_range(from, &in, to, &out, (size_t)left, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    left -= (uint64_t)n;
  }
  if (!left)
    return true;
  if (errno == ENOSPC || errno == EIO)
    return false;
  /* No copy_file_range here (another file system, an old kernel): by hand. */
  char *b = xmalloc(65536);
  bool ok = true;
  while (ok && left) {
    size_t n = left < 65536 ? (size_t)left : 65536;
    ok = pread_all(from, b, n, in) && pwrite_all(to, b, n, out);
    in += (off_t)n;
    out += (off_t)n;
    left -= n;
  }
  free(b);
  return ok;
}

/* Move s's entry, unchanged, into this build's pack. */
static bool relocate(buildcache *c, slot *s) {
  uint64_t at;
  if (s->pack < 0 || c->packs[s->pack].fd < 0 || !reserve(c, s->len, &at) ||
      !copy_range(c->packs[s->pack].fd, s->off, c->packs[c->nold].fd, at, s->len))
    return false;
  s->pack = (int)c->nold;
  s->off = at;
  return true;
}

typedef struct {
  unsigned char name[HASH];
  uint32_t pack;
  uint64_t off, len;
} index_rec;

static int rec_cmp(const void *a, const void *b) {
  return memcmp(((const index_rec *)a)->name, ((const index_rec *)b)->name, HASH);
}

/* The index: every pack it names opened, each article's place in its slot.
 * Any doubt about the index is no entry at all; about one pack, none in it. */
static void load_index(buildcache *c) {
  char *path = path_join(c->dir, "index");
  size_t len = 0;
  char *data = read_entry_id(path, &len, c->index_id);
  free(path);
  c->index_known = data != NULL;
  binr r = binr_make(data ? data : "", data ? len : 0);
  arena *a = arena_new();
  bool ok = data && header_ok_as(&r, NULL, NULL);
  size_t np = ok ? binr_count(&r, 4 + 8) : 0;
  ok = ok && np <= MAX_INDEX_PACKS;
  if (!ok)
    np = 0;
  c->nold = np;
  c->packs = arena_alloc(c->mem, (np + 1) * sizeof *c->packs);
  for (size_t i = 0; i <= np; i++)
    c->packs[i].fd = -1;
  for (size_t i = 0; i < np && !r.bad; i++) {
    const char *name = binr_str(&r, a);
    c->packs[i].size = binr_u64(&r);
    if (!name || !pack_name_ok(name)) {
      r.bad = true;
      break;
    }
    c->packs[i].name = arena_strdup(c->mem, name);
  }
  size_t nr = ok && !r.bad ? binr_count(&r, HASH + 4 + 16) : 0;
  index_rec *recs = xmalloc((nr + 1) * sizeof *recs);
  for (size_t i = 0; i < nr && !r.bad; i++) {
    binr_bytes(&r, recs[i].name, HASH);
    recs[i].pack = binr_u32(&r);
    recs[i].off = binr_u64(&r);
    recs[i].len = binr_u64(&r);
  }
  ok = ok && !r.bad && binr_u32(&r) == END_MARK && r.p == r.end;
  if (!ok)
    nr = 0;
  /* Each pack once, as the index says it is (a pack never changes once
   * named: another length is not ours). */
  for (size_t i = 0; ok && i < np; i++) {
    char *pp = path_join(c->pdir, c->packs[i].name);
    int fd = open(pp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    free(pp);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
                    (uint64_t)st.st_size != c->packs[i].size)) {
      close(fd);
      fd = -1;
    }
    c->packs[i].fd = fd;
  }
  qsort(recs, nr, sizeof *recs, rec_cmp);
  size_t found = 0;
  for (size_t i = 0; i < c->cs->narticles; i++) {
    index_rec key;
    entry_name(&c->cs->articles[i], key.name);
    const index_rec *e = nr ? bsearch(&key, recs, nr, sizeof *recs, rec_cmp) : NULL;
    if (!e)
      continue;
    found++;
    if (e->pack >= np || c->packs[e->pack].fd < 0 || e->len < ENTRY_HEAD ||
        e->len > MAX_ENTRY || e->off > c->packs[e->pack].size ||
        e->len > c->packs[e->pack].size - e->off)
      continue;
    slot *s = &c->slots[i];
    s->pack = (int)e->pack;
    s->off = e->off;
    s->len = e->len;
  }
  /* Records of articles gone (or none at all): the next index drops them. */
  if (!ok || found != nr)
    c->index_dirty = true;
  free(recs);
  arena_free(a);
  free(data);
}

/* An entry's head and products: the products malloc'd (*plen bytes), the
 * body's place in the entry; the header checked against key (NULL: any,
 * copied to got). NULL when s has no entry, or on any doubt. */
static char *entry_products(const buildcache *c, const slot *s, const unsigned char *key,
                            unsigned char *got, size_t *plen, uint64_t *body_at,
                            uint64_t *body_len) {
  if (s->pack < 0 || c->packs[s->pack].fd < 0 || s->len < ENTRY_HEAD || s->len > MAX_ENTRY)
    return NULL;
  int fd = c->packs[s->pack].fd;
  /* One read for the head and (mostly) all the products, into a buffer of
   * the thread's: a larger one from the heap for each entry, freed after,
   * fragmented the articles' memory (30 MB at 10,000 articles). */
  static _Thread_local char first_read[SPECULATE];
  size_t first = s->len < SPECULATE ? (size_t)s->len : SPECULATE;
  if (!pread_all(fd, first_read, first, (off_t)s->off))
    return NULL;
  binr r = binr_make(first_read, ENTRY_HEAD);
  bool ok = header_ok_as(&r, key, got);
  uint64_t pl = binr_u64(&r), bl = binr_u64(&r);
  ok = ok && !r.bad && pl <= MAX_ENTRY && bl <= MAX_ENTRY && ENTRY_HEAD + pl + bl == s->len;
  if (!ok)
    return NULL;
  char *data = xmalloc(pl + 1);
  size_t have = first - ENTRY_HEAD < pl ? first - ENTRY_HEAD : (size_t)pl;
  memcpy(data, first_read + ENTRY_HEAD, have);
  if (have < pl && !pread_all(fd, data + have, pl - have, (off_t)(s->off + first))) {
    free(data);
    return NULL;
  }
  *plen = (size_t)pl;
  *body_at = ENTRY_HEAD + pl;
  *body_len = bl;
  return data;
}

static void put_diags(buf *b, const diag_list *l, size_t from, size_t to) {
  binw_u32(b, (uint32_t)(to - from));
  for (size_t i = from; i < to; i++) {
    const diag *d = &l->items[i];
    binw_str(b, d->file);
    binw_u32(b, (uint32_t)d->line);
    binw_u32(b, (uint32_t)d->col);
    binw_u32(b, (uint32_t)d->sev);
    binw_str(b, d->code);
    binw_str(b, d->message);
  }
}

static bool read_diags(binr *r, arena *a, diag_list *out) {
  size_t nd = binr_count(r, 20);
  for (size_t i = 0; i < nd && !r->bad; i++) {
    const char *file = binr_str(r, a);
    int line = (int)binr_u32(r), col = (int)binr_u32(r);
    uint32_t sev = binr_u32(r);
    const char *code = binr_str(r, a), *msg = binr_str(r, a);
    if (!file || !code || !msg || sev > SEV_ERROR)
      return false;
    diag_add(out, file, line, col, (severity)sev, code, "%s", msg);
  }
  return !r->bad;
}

/* The includes an article expanded (paths and bytes) and their hash:
 * include_list walks the body as include_expand does, without the text. */
static void list_includes(const buildcache *c, const article *art, const char *text, size_t len,
                          buf *out, unsigned char hash[HASH]) {
  size_t off = art->fm.body_offset <= len ? art->fm.body_offset : len;
  const content_file **files = NULL;
  size_t nfiles = include_list(c->cfg, c->cs, (article *)art, text + off, len - off, &files);
  arena *mem = arena_new();
  strmap seen;
  strmap_init(&seen, mem);
  size_t start = out->len;
  binw_u32(out, 0);
  uint32_t n = 0;
  for (size_t i = 0; i < nfiles; i++) {
    const char *f = files[i]->path;
    int *at = strmap_get(&c->includes, f);
    if (!at || strmap_get(&seen, f))
      continue;
    strmap_set(&seen, f, 1);
    binw_str(out, f);
    binw_bytes(out, c->inc_hash[*at], HASH);
    n++;
  }
  for (int k = 0; k < 4; k++)
    out->data[start + (size_t)k] = (char)((n >> (8 * k)) & 0xFF);
  sha256(out->data + start, out->len - start, hash);
  free(files);
  arena_free(mem);
}

bool buildcache_article_put(buildcache *c, const article *art, const char *text, size_t len,
                            size_t diag_from) {
  if (!c)
    return false;
  slot *s = &c->slots[index_of(c, art)];
  buf b = {0};
  put_header(&b, s->key);
  size_t lengths = b.len;
  binw_u64(&b, 0); /* the products' length and the body's, set below */
  binw_u64(&b, 0);
  size_t products = b.len;
  /* What reading the article gave (its front matter and their problems,
   * its hashes), and the file's stamp when it can stand for the bytes: a
   * later build whose file has that stamp need not even read it
   * (buildcache_article_unchanged). Its length first, for the builds that
   * read the file anyway to skip it. */
  size_t load_at = b.len;
  binw_u64(&b, 0);
  binw_u32(&b, s->stamp_ok);
  for (int k = 0; k < STAMP; k++)
    binw_u64(&b, s->stamp_ok ? s->file[k] : 0);
  binw_bytes(&b, s->content, HASH);
  binw_bytes(&b, s->front, HASH);
  binw_str(&b, art->body_hash);
  frontmatter_write(&art->fm, &b);
  put_diags(&b, &art->diags, 0, diag_from);
  put_u64_at(&b, load_at, b.len - load_at - 8);
  list_includes(c, art, text, len, &b, s->includes);
  binw_u32(&b, (uint32_t)art->nheadings);
  for (size_t i = 0; i < art->nheadings; i++) {
    const heading *h = &art->headings[i];
    binw_u32(&b, (uint32_t)h->level);
    binw_str(&b, h->id);
    binw_str(&b, h->text);
    binw_u32(&b, (uint32_t)h->line);
    binw_u32(&b, h->explicit_id);
  }
  binw_u32(&b, (uint32_t)art->nlinks);
  for (size_t i = 0; i < art->nlinks; i++) {
    const link_ref *l = &art->links[i];
    binw_str(&b, l->url);
    binw_u32(&b, (uint32_t)l->line);
    binw_u32(&b, (uint32_t)l->col);
    binw_u32(&b, l->image);
    binw_str(&b, l->file);
    binw_u32(&b, (uint32_t)l->via_line);
    /* The target by its place, found again on load, and where it is in
     * the list of articles (the list of paths is in the key: while the
     * entry holds, so does the index; it is checked all the same). */
    binw_u32(&b, l->target ? (uint32_t)l->target->locale : UINT32_MAX);
    binw_str(&b, l->target ? l->target->rel : NULL);
    binw_u32(&b, l->target ? (uint32_t)index_of(c, l->target) : UINT32_MAX);
    binw_str(&b, l->fragment);
  }
  policy_article_write(art->policy, &b);
  put_diags(&b, &art->diags, diag_from, art->diags.count);
  binw_u32(&b, END_MARK);
  /* The body last: a warm build reads the products only (buildcache_body
   * reads the body when a page needs it). */
  size_t body_len = art->body_html ? strlen(art->body_html) : 0;
  put_u64_at(&b, lengths, b.len - products);
  put_u64_at(&b, lengths + 8, body_len);
  s->body_at = b.len;
  s->body_len = body_len;
  buf_put(&b, art->body_html ? art->body_html : "", body_len);
  s->body_in_entry = place(c, s, b.data, b.len);
  buf_free(&b);
  atomic_fetch_add(&c->articles, 1);
  return s->body_in_entry;
}

/* What an entry holds, read into the article's arena; false on any doubt. */
static bool read_products(buildcache *c, article *art, binr *r, diag_list *diags) {
  arena *a = art->mem;
  slot *s = &c->slots[index_of(c, art)];
  /* The load part: read by buildcache_article_unchanged only. */
  uint64_t load_len = binr_u64(r);
  if (r->bad || load_len > (uint64_t)(r->end - r->p))
    return false;
  r->p += load_len;
  /* The includes: each must still have the bytes it had. */
  const unsigned char *start = r->p;
  size_t ninc = binr_count(r, 4 + HASH);
  for (size_t i = 0; i < ninc && !r->bad; i++) {
    const char *f = binr_str(r, a);
    unsigned char h[HASH];
    binr_bytes(r, h, HASH);
    int *at = f ? strmap_get(&c->includes, f) : NULL;
    if (!at || memcmp(c->inc_hash[*at], h, HASH))
      return false;
  }
  if (r->bad)
    return false;
  sha256(start, (size_t)(r->p - start), s->includes);
  size_t nh = binr_count(r, 20);
  heading *hs = nh ? arena_alloc(a, nh * sizeof *hs) : NULL;
  for (size_t i = 0; i < nh && !r->bad; i++) {
    hs[i].level = (int)binr_u32(r);
    hs[i].id = binr_str(r, a);
    hs[i].text = binr_str(r, a);
    hs[i].line = (int)binr_u32(r);
    hs[i].explicit_id = binr_u32(r) != 0;
    if (!hs[i].id || !hs[i].text || hs[i].level > 6)
      return false;
  }
  size_t nl = binr_count(r, 40);
  link_ref *ls = nl ? arena_alloc(a, nl * sizeof *ls) : NULL;
  for (size_t i = 0; i < nl && !r->bad; i++) {
    link_ref *l = &ls[i];
    l->url = binr_str(r, a);
    l->line = (int)binr_u32(r);
    l->col = (int)binr_u32(r);
    l->image = binr_u32(r) != 0;
    l->file = binr_str(r, a);
    l->via_line = (int)binr_u32(r);
    uint32_t loc = binr_u32(r);
    size_t rlen = 0;
    const char *rel = binr_str_view(r, &rlen);
    uint32_t at = binr_u32(r);
    l->fragment = binr_str(r, a);
    if (!l->url)
      return false;
    if (loc != UINT32_MAX) {
      if (!rel || loc >= c->cfg->nlocales || at >= c->cs->narticles)
        return false;
      const article *t = &c->cs->articles[at];
      if (t->locale != (int)loc || strlen(t->rel) != rlen || memcmp(t->rel, rel, rlen))
        return false;
      l->target = t;
    }
  }
  size_t used = 0;
  policy_article *pa = NULL;
  if (r->bad ||
      policy_article_read(a, r->p, (size_t)(r->end - r->p), &used, &pa) < 0)
    return false;
  r->p += used;
  if (!read_diags(r, a, diags) || binr_u32(r) != END_MARK || r->p != r->end)
    return false;
  art->headings = hs;
  art->nheadings = art->capheadings = nh;
  art->links = ls;
  art->nlinks = art->caplinks = nl;
  art->policy = pa;
  return true;
}

/* Give art's entry the stamp s->file: a copy of it in this build's pack
 * with the new stamp (the pack it is in may be read by another build);
 * on any failure it stays where it was, as it was. */
static void restamp(buildcache *c, slot *s) {
  if (s->pack < 0 || s->pack == (int)c->nold || c->packs[s->pack].fd < 0 ||
      s->len < ENTRY_HEAD + 8 + 4 + 8 * STAMP)
    return;
  buf stamp = {0};
  binw_u32(&stamp, 1);
  for (int k = 0; k < STAMP; k++)
    binw_u64(&stamp, s->file[k]);
  uint64_t at;
  int own = -1;
  /* The old bytes, then the stamp over them (past the load part's length). */
  if (reserve(c, s->len, &at)) {
    own = c->packs[c->nold].fd;
    if (copy_range(c->packs[s->pack].fd, s->off, own, at, s->len) &&
        pwrite_all(own, stamp.data, stamp.len, (off_t)(at + ENTRY_HEAD + 8))) {
      s->pack = (int)c->nold;
      s->off = at;
      atomic_store(&c->index_dirty, true);
    }
  }
  buf_free(&stamp);
}

bool buildcache_article_get(buildcache *c, article *art) {
  if (!c || art->kind != PAGE_MARKDOWN)
    return false;
  slot *s = &c->slots[index_of(c, art)];
  if (!s->seen || s->no_entry)
    return false;
  size_t len = 0;
  char *data = entry_products(c, s, s->key, NULL, &len, &s->body_at, &s->body_len);
  if (!data)
    return false;
  binr r = binr_make(data, len);
  diag_list diags = {0};
  bool ok = read_products(c, art, &r, &diags);
  /* The stamp the entry records (has, then the stamp, after the load
   * part's length). */
  binr st = binr_make(data, len);
  binr_u64(&st);
  bool stamped = binr_u32(&st) == 1;
  uint64_t recorded[STAMP];
  for (int k = 0; k < STAMP; k++)
    recorded[k] = binr_u64(&st);
  free(data);
  if (!ok) {
    diag_list_free(&diags);
    return false;
  }
  diag_move(&art->diags, &diags);
  diag_list_free(&diags);
  s->body_in_entry = true;
  /* The same bytes under a new stamp (touched, checked out again, saved
   * unchanged, or written by a build it was too fresh for): the entry gets
   * that stamp, so the next build need not read the file. */
  if (s->stamp_ok && (!stamped || st.bad || memcmp(recorded, s->file, sizeof recorded)))
    restamp(c, s);
  atomic_fetch_add(&c->articles, 1);
  atomic_fetch_add(&c->hits, 1);
  return true;
}

bool buildcache_article_unchanged(buildcache *c, article *art) {
  if (!c || art->kind != PAGE_MARKDOWN)
    return false;
  slot *s = &c->slots[index_of(c, art)];
  /* No entry in the index: none to look for later either. */
  s->no_entry = s->pack < 0;
  /* The stamp before the read (if there is one): discovery's stat. */
  if (art->found)
    stamp_of(art->found, s->file);
  s->file_known = art->found || article_stamp(art->abspath, s->file);
  if (s->no_entry || !s->file_known || !settled(c, s->file))
    return false;
  size_t len = 0;
  uint64_t body_at = 0, body_len = 0;
  unsigned char key[HASH], want[HASH];
  char *data = entry_products(c, s, NULL, key, &len, &body_at, &body_len);
  if (!data)
    return false;
  binr r = binr_make(data, len);
  arena *a = art->mem;
  /* The load part: the stamp it was made from, and the key that the bytes
   * it stood for give under today's shared inputs. */
  uint64_t load_len = binr_u64(&r);
  const unsigned char *load_end = r.p + (load_len <= (uint64_t)(r.end - r.p) ? load_len : 0);
  bool ok = binr_u32(&r) == 1;
  uint64_t stamp[STAMP];
  for (int k = 0; k < STAMP; k++)
    stamp[k] = binr_u64(&r);
  unsigned char content[HASH], front[HASH];
  ok = ok && !r.bad && !memcmp(stamp, s->file, sizeof stamp) && binr_bytes(&r, content, HASH) &&
       binr_bytes(&r, front, HASH);
  if (ok) {
    article_key(c, art, content, want);
    ok = !memcmp(want, key, HASH);
  }
  const char *body_hash = ok ? binr_str(&r, a) : NULL;
  frontmatter fm;
  diag_list diags = {0};
  ok = ok && !r.bad && frontmatter_read(a, &r, &fm) && read_diags(&r, a, &diags) &&
       r.p == load_end;
  /* The rest is what buildcache_article_get reads, from the same start. */
  r.p = (const unsigned char *)data;
  if (ok) {
    memcpy(s->content, content, HASH);
    memcpy(s->front, front, HASH);
    memcpy(s->key, key, HASH);
    ok = read_products(c, art, &r, &diags);
  }
  free(data);
  if (!ok) {
    diag_list_free(&diags);
    return false;
  }
  art->fm = fm;
  art->body_hash = body_hash;
  diag_move(&art->diags, &diags);
  diag_list_free(&diags);
  s->seen = true;
  s->stamp_ok = true;
  s->body_in_entry = true;
  s->body_at = body_at;
  s->body_len = body_len;
  atomic_fetch_add(&c->articles, 1);
  atomic_fetch_add(&c->hits, 1);
  return true;
}

/* The body in art's entry, malloc'd; NULL when it cannot be read (a pack
 * cut short or failing under this build: a pack is never changed once its
 * build wrote it, and an open one stays readable when it is deleted). */
static char *read_body(buildcache *c, const article *art) {
  const slot *s = &c->slots[index_of(c, art)];
  if (s->pack < 0 || c->packs[s->pack].fd < 0)
    return NULL;
  char *body = xmalloc(s->body_len + 1);
  if (!pread_all(c->packs[s->pack].fd, body, s->body_len, (off_t)(s->off + s->body_at))) {
    free(body);
    return NULL;
  }
  body[s->body_len] = '\0';
  return body;
}

bool buildcache_holds_body(const buildcache *c, const article *art) {
  return c && c->slots[index_of(c, art)].body_in_entry;
}

int buildcache_body(buildcache *c, article *art) {
  if (art->body_html || !buildcache_holds_body(c, art))
    return 0;
  /* malloc'd, as markdown_render_article leaves it: freed once its page
   * is laid out. */
  art->body_html = read_body(c, art);
  return art->body_html ? 0 : -1;
}

char *buildcache_body_copy(buildcache *c, const article *art) {
  if (!buildcache_holds_body(c, art))
    return NULL;
  char *body = read_body(c, art);
  if (!body)
    atomic_store(&c->search_unsure, true);
  return body;
}

void buildcache_search_unsure(buildcache *c) {
  if (c)
    atomic_store(&c->search_unsure, true);
}

/* ---- the page stage ---- */

static const char *page_path(const buildcache *c, const article *art, arena *a) {
  return arena_printf(a, "%s/%s", c->cfg->locales[art->locale], art->url);
}

/* Pages that another writer may also write at the same place (a locale's
 * home, contents and 404 pages) are always rendered: a kept file is a link
 * to the site in place and must never be written over. */
static bool never_kept(const article *art) {
  return !strcmp(art->url, "index.html") || !strcmp(art->url, "404.html") ||
         !strcmp(art->url, "contents.html");
}

/* A published page as a build left it: a page edited in the site in place
 * since (a minifier run on the output) is rendered again, not carried. */
static bool file_stat(const char *site, const char *rel, uint64_t out[4], struct stat *got) {
  char *p = path_join(site, rel);
  struct stat st;
  int rc = lstat(p, &st);
  free(p);
  if (rc < 0 || !S_ISREG(st.st_mode))
    return false;
  if (got)
    *got = st;
  out[0] = (uint64_t)st.st_ino;
  out[1] = (uint64_t)st.st_size;
  out[2] = (uint64_t)st.st_mtim.tv_sec;
  out[3] = (uint64_t)st.st_mtim.tv_nsec;
  return true;
}

static bool file_stamp(const char *site, const char *rel, uint64_t out[4]) {
  return file_stat(site, rel, out, NULL);
}


static void load_manifest(buildcache *c, const publish_txn *txn) {
  strmap_init(&c->prev, c->mem);
  char *path = path_join(c->dir, "pages");
  size_t len = 0;
  char *data = read_entry(path, &len);
  free(path);
  if (!data)
    return;
  binr r = binr_make(data, len);
  uint64_t stamp[4], now[4];
  /* Any render key: each page's key holds it (a toc edit re-renders every
   * page), and the search indexes do not depend on it (the toc edit must
   * not rebuild them). */
  bool ok = header_ok_as(&r, NULL, NULL);
  for (int i = 0; i < 4; i++)
    stamp[i] = binr_u64(&r);
  size_t n = ok ? binr_count(&r, 4 + HASH + 32) : 0;
  const char **names = n ? arena_alloc(c->mem, n * sizeof *names) : NULL;
  c->prev_keys = arena_alloc(c->mem, (n + 1) * HASH);
  c->prev_files = arena_alloc(c->mem, (n + 1) * sizeof *c->prev_files);
  for (size_t i = 0; i < n && !r.bad; i++) {
    names[i] = binr_str(&r, c->mem);
    binr_bytes(&r, c->prev_keys[i], HASH);
    for (int k = 0; k < 4; k++)
      c->prev_files[i][k] = binr_u64(&r);
    if (!names[i])
      r.bad = true;
  }
  size_t nloc = c->cfg->nlocales;
  c->prev_search = arena_alloc(c->mem, (nloc + 1) * sizeof *c->prev_search);
  if (ok && !r.bad && binr_u32(&r) != nloc)
    r.bad = true;
  for (size_t l = 0; ok && l < nloc && !r.bad; l++) {
    search_record *sr = &c->prev_search[l];
    sr->has = binr_u32(&r) != 0;
    binr_bytes(&r, sr->key, HASH);
    sr->nfiles = binr_count(&r, 4 + 32);
    sr->files = arena_alloc(c->mem, (sr->nfiles + 1) * sizeof *sr->files);
    sr->stamps = arena_alloc(c->mem, (sr->nfiles + 1) * sizeof *sr->stamps);
    for (size_t i = 0; i < sr->nfiles && !r.bad; i++) {
      sr->files[i] = binr_str(&r, c->mem);
      for (int k = 0; k < 4; k++)
        sr->stamps[i][k] = binr_u64(&r);
      if (!sr->files[i])
        r.bad = true;
    }
  }
  ok = ok && !r.bad && binr_u32(&r) == END_MARK && r.p == r.end;
  if (!ok)
    memset(c->prev_search, 0, (nloc + 1) * sizeof *c->prev_search);
  for (size_t i = 0; ok && i < n; i++)
    strmap_set(&c->prev, names[i], (int)i);
  c->same_site = ok && txn && publish_site_stamp(txn->keep_from ? txn->keep_from : txn->final, now) &&
                 !memcmp(now, stamp, sizeof now);
  free(data);
}

/* The key of locale l's search index: what its pages show of themselves
 * (title, description, headings, text: their article's bytes and includes
 * under the shared inputs), which pages it lists, and in which order. */
static bool search_key(buildcache *c, int l, const fallback_page *fb, size_t nfb,
                       unsigned char out[HASH]) {
  const content_set *cs = c->cs;
  buf b = {0};
  bool ok = true, yaml = false;
  binw_bytes(&b, c->shared, HASH);
  binw_str(&b, "search");
  binw_u32(&b, (uint32_t)l);
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *art = &cs->articles[i];
    if (art->locale != l || !art->ok)
      continue;
    ok = ok && c->slots[i].seen;
    yaml = yaml || art->kind != PAGE_MARKDOWN;
    binw_u32(&b, (uint32_t)i);
    binw_bytes(&b, c->slots[i].key, HASH);
    binw_bytes(&b, c->slots[i].includes, HASH);
  }
  binw_str(&b, "fallbacks");
  for (size_t f = 0; f < nfb; f++) {
    if (fb[f].locale != l)
      continue;
    size_t i = index_of(c, fb[f].source);
    ok = ok && c->slots[i].seen;
    yaml = yaml || fb[f].source->kind != PAGE_MARKDOWN;
    binw_u32(&b, (uint32_t)i);
    binw_bytes(&b, c->slots[i].key, HASH);
    binw_bytes(&b, c->slots[i].includes, HASH);
  }
  /* A YAML page's Markdown fields may expand includes, which no entry
   * lists for it: then every include counts. */
  for (size_t i = 0; yaml && i < cs->nincludes; i++)
    binw_bytes(&b, c->inc_hash[i], HASH);
  sha256(b.data, b.len, out);
  buf_free(&b);
  return ok;
}

void buildcache_pages_plan(buildcache *c, const publish_txn *txn, const fallback_page *fb,
                           size_t nfb) {
  if (!c)
    return;
  /* Every entry is written: the index now, before the pages (a build that
   * stops at errors writes it when it closes). */
  save_index(c);
  c->search_key = arena_alloc(c->mem, (c->cfg->nlocales + 1) * HASH);
  c->search_keyed = arena_alloc(c->mem, (c->cfg->nlocales + 1) * sizeof *c->search_keyed);
  c->search_carried = arena_alloc(c->mem, (c->cfg->nlocales + 1) * sizeof *c->search_carried);
  for (size_t l = 0; l < c->cfg->nlocales; l++)
    c->search_keyed[l] = search_key(c, (int)l, fb, nfb, c->search_key[l]);
  const content_set *cs = c->cs;
  buf b = {0};
  binw_bytes(&b, c->shared, HASH);
  hash_tree(&b, c->cfg->templates_dir, 0);
  for (size_t i = 0; i < cs->ntocs; i++) {
    unsigned char h[HASH];
    hash_file(cs->tocs[i].path, h);
    binw_bytes(&b, h, HASH);
  }
  /* Navigation and translations show other articles' titles and state. */
  for (size_t i = 0; i < cs->narticles; i++) {
    binw_u32(&b, cs->articles[i].ok);
    binw_bytes(&b, c->slots[i].front, HASH);
  }
  sha256(b.data, b.len, c->render);
  if (txn)
    c->site = arena_strdup(c->mem, txn->final);
  load_manifest(c, txn);
  /* Each page: the above and its article in every locale. */
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *art = &cs->articles[i];
    slot *s = &c->slots[i];
    if (art->kind != PAGE_MARKDOWN || !s->seen || never_kept(art))
      continue;
    b.len = 0;
    binw_bytes(&b, c->render, HASH);
    binw_str(&b, page_path(c, art, c->mem));
    for (size_t l = 0; l < c->cfg->nlocales; l++) {
      const article *v = content_find_article(cs, (int)l, art->rel);
      const slot *vs = v ? &c->slots[index_of(c, v)] : NULL;
      binw_u32(&b, v ? 1u + v->ok : 0);
      if (vs) {
        binw_bytes(&b, vs->content, HASH);
        binw_bytes(&b, vs->includes, HASH);
      }
    }
    sha256(b.data, b.len, s->page);
    s->has_page = true;
  }
  buf_free(&b);
}

bool buildcache_page_keep(buildcache *c, size_t i, const publish_txn *txn) {
  if (!c)
    return false;
  slot *s = &c->slots[i];
  if (!s->has_page)
    return false;
  atomic_fetch_add(&c->pages, 1);
  const article *art = &c->cs->articles[i];
  char rel[PATH_MAX];
  int n = snprintf(rel, sizeof rel, "%s/%s", c->cfg->locales[art->locale], art->url);
  int *at = n > 0 && (size_t)n < sizeof rel ? strmap_get(&c->prev, rel) : NULL;
  uint64_t now[4];
  struct stat st;
  /* The lstat of the stamp serves the link too (publish_keep_checked). */
  bool keep = at && !memcmp(c->prev_keys[*at], s->page, HASH) &&
              (!txn || (c->same_site &&
                        file_stat(txn->keep_from ? txn->keep_from : txn->final, rel, now, &st) &&
                        !memcmp(now, c->prev_files[*at], sizeof now))) &&
              publish_keep_checked(txn, rel, txn ? &st : NULL) == 0;
  if (keep) {
    /* A link leaves inode, size and time as they were: the stamp the next
     * build will see. */
    if (txn) {
      memcpy(s->stamp, now, sizeof now);
      s->stamped = true;
    }
    s->kept = s->clean = true;
    atomic_fetch_add(&c->kept, 1);
  }
  return keep;
}

void buildcache_page_done(buildcache *c, size_t i, bool clean) {
  if (c)
    c->slots[i].clean = clean;
}

bool buildcache_search_keep(buildcache *c, int l, const publish_txn *txn) {
  if (!c || !txn)
    return false;
  c->searches++;
  if (!c->search_keyed || !c->search_keyed[l] || !c->same_site || !c->prev_search)
    return false;
  const search_record *sr = &c->prev_search[l];
  if (!sr->has || !sr->nfiles || memcmp(sr->key, c->search_key[l], HASH))
    return false;
  const char *site = txn->keep_from ? txn->keep_from : txn->final;
  uint64_t now[4];
  /* Each file's lstat serves its link too. */
  struct stat *st = xmalloc(sr->nfiles * sizeof *st);
  for (size_t i = 0; i < sr->nfiles; i++)
    if (!file_stat(site, sr->files[i], now, &st[i]) || memcmp(now, sr->stamps[i], sizeof now)) {
      free(st);
      return false;
    }
  /* All or none: a half-kept index would mix with the one written instead. */
  for (size_t i = 0; i < sr->nfiles; i++) {
    if (publish_keep_checked(txn, sr->files[i], &st[i]) == 0)
      continue;
    for (size_t k = 0; k <= i; k++) {
      char *p = path_join(txn->tmp, sr->files[k]);
      unlink(p);
      free(p);
    }
    free(st);
    return false;
  }
  free(st);
  c->search_kept++;
  c->search_carried[l] = true;
  return true;
}

/* Locale l's search files in the site just published, stamped. */
static void put_search_record(buildcache *c, buf *b, size_t l) {
  if (c->search_carried && c->search_carried[l]) {
    /* Carried whole: the files and stamps of last time. */
    const search_record *sr = &c->prev_search[l];
    binw_u32(b, 1);
    binw_bytes(b, sr->key, HASH);
    binw_u32(b, (uint32_t)sr->nfiles);
    for (size_t i = 0; i < sr->nfiles; i++) {
      binw_str(b, sr->files[i]);
      for (int k = 0; k < 4; k++)
        binw_u64(b, sr->stamps[i][k]);
    }
    return;
  }
  bool has = c->search_keyed && c->search_keyed[l] && !atomic_load(&c->search_unsure);
  const char *loc = c->cfg->locales[l];
  arena *a = arena_new();
  const char **files = NULL;
  size_t n = 0, cap = 0;
  if (has) {
    ARENA_PUSH(a, files, n, cap, arena_concat(a, loc, "/", "search-index.js"));
    char *dir = arena_concat(a, c->site, "/", arena_concat(a, loc, "/", "search"));
    DIR *d = opendir(dir);
    size_t nn = 0;
    char **names = d ? dir_names(d, NULL, NULL, &nn) : NULL;
    if (d)
      closedir(d);
    for (size_t i = 0; i < nn; i++)
      ARENA_PUSH(a, files, n, cap, arena_printf(a, "%s/search/%s", loc, names[i]));
    dir_names_free(names, nn);
  }
  uint64_t (*stamps)[4] = arena_alloc(a, (n + 1) * sizeof *stamps);
  for (size_t i = 0; i < n; i++)
    if (!file_stamp(c->site, files[i], stamps[i]))
      has = false;
  binw_u32(b, has);
  binw_bytes(b, has ? c->search_key[l] : (const unsigned char[HASH]){0}, HASH);
  binw_u32(b, has ? (uint32_t)n : 0);
  for (size_t i = 0; has && i < n; i++) {
    binw_str(b, files[i]);
    for (int k = 0; k < 4; k++)
      binw_u64(b, stamps[i][k]);
  }
  arena_free(a);
}

/* Delete a file of the cache that no build holds (see the top). */
static void remove_unheld(const char *path, time_t now) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      !(st.st_size == 0 && st.st_mtime + FRESH_S > now) && flock(fd, LOCK_EX | LOCK_NB) == 0)
    unlink(path);
  close(fd);
}

/* Only this module's (other writers keep files here too). */
static bool is_temporary(const char *name, void *ctx) {
  (void)ctx;
  return !strncmp(name, "index.tmp.", 10) || !strncmp(name, "pages.tmp.", 10);
}

/* Packs the index in place does not name, temporary files of builds that
 * are over, and the entries of format 5 (one file each, articles/). */
static void collect(buildcache *c, const bool *named) {
  char *path = path_join(c->dir, "index");
  struct stat st;
  bool ours = c->index_known && stat(path, &st) == 0 && (uint64_t)st.st_dev == c->index_id[0] &&
              (uint64_t)st.st_ino == c->index_id[1];
  free(path);
  /* Another build wrote the index since: what it names is its business. */
  if (!ours)
    return;
  time_t now = time(NULL);
  arena *a = arena_new();
  strmap keep;
  strmap_init(&keep, a);
  for (size_t i = 0; i <= c->nold; i++)
    if (c->packs[i].name && (named[i] || i == c->nold))
      strmap_set(&keep, c->packs[i].name, 1);
  DIR *d = opendir(c->pdir);
  size_t n = 0;
  char **names = d ? dir_names(d, NULL, NULL, &n) : NULL;
  if (d)
    closedir(d);
  for (size_t i = 0; i < n; i++) {
    if (names[i][0] == '.' || strmap_get(&keep, names[i]))
      continue;
    char *p = path_join(c->pdir, names[i]);
    remove_unheld(p, now);
    free(p);
  }
  dir_names_free(names, n);
  d = opendir(c->dir);
  names = d ? dir_names(d, is_temporary, NULL, &n) : NULL;
  if (d)
    closedir(d);
  for (size_t i = 0; names && i < n; i++) {
    char *p = path_join(c->dir, names[i]);
    remove_unheld(p, now);
    free(p);
  }
  dir_names_free(names, names ? n : 0);
  char *old = path_join(c->dir, "articles");
  if (lstat(old, &st) == 0 && S_ISDIR(st.st_mode))
    remove_tree(old);
  free(old);
  arena_free(a);
}

/* Packs mostly dead, or too many: their live entries into this build's
 * pack (see the top). live[p]: the bytes of the entries the index keeps
 * in pack p. */
static void compact(buildcache *c, uint64_t *live) {
  size_t np = c->nold;
  bool *move = xcalloc(np + 1, sizeof *move);
  size_t left = 0, biggest = np;
  for (size_t p = 0; p < np; p++) {
    if (!live[p])
      continue;
    move[p] = c->packs[p].size - live[p] > live[p];
    if (move[p])
      continue;
    left++;
    if (biggest == np || live[p] > live[biggest])
      biggest = p;
  }
  if (left + 1 > MAX_PACKS)
    for (size_t p = 0; p < np; p++)
      move[p] = move[p] || (live[p] && p != biggest);
  for (size_t i = 0; i < c->cs->narticles; i++) {
    slot *s = &c->slots[i];
    if (s->pack < 0 || s->pack >= (int)np || !move[s->pack])
      continue;
    /* When it cannot be copied (a full disk), it stays where it is. */
    size_t from = (size_t)s->pack;
    if (relocate(c, s)) {
      live[from] -= s->len;
      live[np] += s->len;
      c->index_dirty = true;
    }
  }
  free(move);
}

/* The index of the entries this build used or wrote, once, when no entry
 * is written any more; then the garbage. */
static void save_index(buildcache *c) {
  if (c->index_done)
    return;
  c->index_done = true;
  size_t np = c->nold;
  uint64_t *live = xcalloc(np + 2, sizeof *live);
  for (size_t i = 0; i < c->cs->narticles; i++)
    if (c->slots[i].pack >= 0)
      live[c->slots[i].pack] += c->slots[i].len;
  compact(c, live);
  /* The packs named, numbered anew. */
  bool *named = xcalloc(np + 2, sizeof *named);
  uint32_t *number = xcalloc(np + 2, sizeof *number);
  for (size_t i = 0; i < c->cs->narticles; i++)
    if (c->slots[i].pack >= 0)
      named[c->slots[i].pack] = true;
  uint32_t npacks = 0;
  for (size_t p = 0; p <= np; p++)
    if (named[p])
      number[p] = npacks++;
  if (atomic_load(&c->index_dirty)) {
    buf b = {0};
    put_header(&b, (const unsigned char[HASH]){0});
    binw_u32(&b, npacks);
    for (size_t p = 0; p <= np; p++) {
      if (!named[p])
        continue;
      binw_str(&b, c->packs[p].name);
      binw_u64(&b, c->packs[p].size);
    }
    size_t n = 0;
    index_rec *recs = xmalloc((c->cs->narticles + 1) * sizeof *recs);
    for (size_t i = 0; i < c->cs->narticles; i++) {
      const slot *s = &c->slots[i];
      if (s->pack < 0)
        continue;
      entry_name(&c->cs->articles[i], recs[n].name);
      recs[n].pack = number[s->pack];
      recs[n].off = s->off;
      recs[n].len = s->len;
      n++;
    }
    /* In name order: the same entries give the same index. */
    qsort(recs, n, sizeof *recs, rec_cmp);
    binw_u32(&b, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
      binw_bytes(&b, recs[i].name, HASH);
      binw_u32(&b, recs[i].pack);
      binw_u64(&b, recs[i].off);
      binw_u64(&b, recs[i].len);
    }
    binw_u32(&b, END_MARK);
    free(recs);
    /* The own pack's writes are over (all threads are done): only now may
     * an index name it. */
    char *path = path_join(c->dir, "index");
    c->index_known = write_entry(path, &b, c->index_id);
    free(path);
    buf_free(&b);
  }
  collect(c, named);
  free(number);
  free(named);
  free(live);
}

void buildcache_pages_save(buildcache *c) {
  if (!c || !c->site)
    return;
  uint64_t stamp[4];
  if (!publish_site_stamp(c->site, stamp))
    return;
  buf b = {0};
  put_header(&b, c->render);
  for (int i = 0; i < 4; i++)
    binw_u64(&b, stamp[i]);
  size_t n = 0;
  /* Only pages whose file is there to stat (a page of --keep-going that
   * failed has none). */
  arena *a = arena_new();
  uint64_t (*files)[4] = arena_alloc(a, (c->cs->narticles + 1) * sizeof *files);
  const char **rels = arena_alloc(a, (c->cs->narticles + 1) * sizeof *rels);
  for (size_t i = 0; i < c->cs->narticles; i++) {
    rels[i] = NULL;
    if (!c->slots[i].has_page || !c->slots[i].clean)
      continue;
    const char *rel = page_path(c, &c->cs->articles[i], a);
    if (c->slots[i].stamped) {
      memcpy(files[i], c->slots[i].stamp, sizeof files[i]);
      rels[i] = rel;
      n++;
    } else if (file_stamp(c->site, rel, files[i])) {
      rels[i] = rel;
      n++;
    }
  }
  binw_u32(&b, (uint32_t)n);
  for (size_t i = 0; i < c->cs->narticles; i++) {
    if (!rels[i])
      continue;
    binw_str(&b, rels[i]);
    binw_bytes(&b, c->slots[i].page, HASH);
    for (int k = 0; k < 4; k++)
      binw_u64(&b, files[i][k]);
  }
  arena_free(a);
  binw_u32(&b, (uint32_t)c->cfg->nlocales);
  for (size_t l = 0; l < c->cfg->nlocales; l++)
    put_search_record(c, &b, l);
  binw_u32(&b, END_MARK);
  char *path = path_join(c->dir, "pages");
  write_entry(path, &b, NULL);
  free(path);
  buf_free(&b);
}

bool buildcache_search_digest_key(const buildcache *c, const article *art, unsigned char key[32]) {
  if (!c || art->kind != PAGE_MARKDOWN)
    return false;
  const slot *s = &c->slots[index_of(c, art)];
  if (!s->seen)
    return false;
  unsigned char b[2 * HASH];
  memcpy(b, s->key, HASH);
  memcpy(b + HASH, s->includes, HASH);
  sha256(b, sizeof b, key);
  return true;
}

const char *buildcache_dir(const buildcache *c) { return c ? c->dir : NULL; }

bool buildcache_search_file_intact(buildcache *c, int l, const char *rel, const publish_txn *txn,
                                   struct stat *st) {
  if (!c || !txn || !c->same_site || !c->prev_search)
    return false;
  search_record *sr = &c->prev_search[l];
  if (!sr->has)
    return false;
  /* Asked from the one thread that writes the index, file by file. */
  if (!sr->byname.mem) {
    strmap_init(&sr->byname, c->mem);
    for (size_t i = 0; i < sr->nfiles; i++)
      strmap_set(&sr->byname, sr->files[i], (int)i);
  }
  int *at = strmap_get(&sr->byname, rel);
  uint64_t now[4];
  return at && file_stat(txn->keep_from ? txn->keep_from : txn->final, rel, now, st) &&
         !memcmp(now, sr->stamps[*at], sizeof now);
}

buildcache_stats buildcache_get_stats(const buildcache *c) {
  buildcache_stats st = {0};
  if (c) {
    st.articles = atomic_load(&c->articles);
    st.articles_hit = atomic_load(&c->hits);
    st.pages = atomic_load(&c->pages);
    st.pages_kept = atomic_load(&c->kept);
    st.files_read = atomic_load(&c->read);
    st.searches = c->searches;
    st.search_kept = c->search_kept;
  }
  return st;
}
