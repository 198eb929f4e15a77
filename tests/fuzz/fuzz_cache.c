/* libFuzzer target: the build cache's readers (pipeline/buildcache.c).
 * The files under .folio/cache/build/ live in the project folder, where
 * anything may damage them (a disk filling up, a copy cut short, another
 * tool, a folio of another version): each must be refused as a miss or
 * taken whole, never crash, hang or leak.
 *
 * LLVMFuzzerInitialize makes a small project in a temporary folder (two
 * articles with front matter, headings, links, an include and a :::policy
 * block; the source tree's locales and templates), waits until the
 * articles' change times are settled (buildcache.c trusts a file's stamp
 * only when it changed 3 s before the build) and builds it once, which
 * writes an entry for each article (into one pack), the index of where
 * they are and the pages record. Each input then replaces one of those
 * and `check` runs again (PIPELINE_CHECK, one thread), which reads them:
 *
 *  - the settled article's entry: first through its stamp
 *    (buildcache_article_unchanged: front matter, its YAML tree, hashes,
 *    diagnostics, products); when that refuses it, the article is read and
 *    the same entry goes through its hash (buildcache_article_get: the
 *    products), and its body (buildcache_body) when it was taken;
 *  - the other article's entry, through its hash only: its file's change
 *    time is renewed before every run (chmod), so it is never settled;
 *  - the pages record (load_manifest);
 *  - the index (load_index).
 * An article's entry is bytes of a pack: the input's entry is written as a
 * pack of its own, and the index names it there instead.
 *
 * Input: byte 0 picks the file (bits 0-1: 0 the settled article, 1 the
 * other one, 2 the pages record, 3 the index) and the mode (bits 2-3);
 * bytes 1-2 are an offset (little-endian, taken modulo the file's size + 1)
 * and the rest is the data D. The modes, over the file V that the build
 * wrote:
 *   0  the file is D (raw; a seed only gets past the header when it was
 *      made by this very binary for this project);
 *   1  D written over V at the offset, size kept (D cut at V's end);
 *   2  V's header kept, the rest from the offset on replaced by D;
 *   3  D[0] bytes of V taken out at the offset and the rest of D put in
 *      their place (an insertion, a deletion or both).
 * For an article entry, modes 2 and 3 count the offset inside the part
 * after the header and its two lengths, and the lengths are set again
 * (products = all but the body, which keeps its length when it still fits;
 * in mode 3 also the length of the load part when the edit is inside it),
 * so that the fuzzer gets past the length checks and into each field.
 *
 * The key in every header hashes folio's own executable: read_file is
 * wrapped (-Wl,--wrap=read_file) so that /proc/self/exe reads as a fixed
 * text, which makes the keys of this project the same in every build of
 * this target (the seeds stay useful) and saves hashing a large
 * instrumented binary for every input. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "binio.h"
#include "buf.h"
#include "buildcache.h"
#include "pipeline.h"
#include "sha256.h"
#include "util.h"
#include "version.h"

#ifndef FOLIO_SOURCE_DIR
#error "FOLIO_SOURCE_DIR: the source tree, for its locales and templates"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The linker sends every call of read_file here (--wrap). */
int __real_read_file(const char *path, char **out, size_t *len);
int __wrap_read_file(const char *path, char **out, size_t *len);

int __wrap_read_file(const char *path, char **out, size_t *len) {
  if (!strcmp(path, "/proc/self/exe")) {
    static const char self[] = "fuzz_cache: a fixed executable";
    *out = xmalloc(sizeof self);
    memcpy(*out, self, sizeof self);
    *len = sizeof self - 1;
    return 0;
  }
  return __real_read_file(path, out, len);
}

/* The fixed temporary folder name keeps article paths (and so the names
 * and keys of entries) the same from run to run. */
static char root[] = "/tmp/folio-fuzz-cache-XXXXXX";

typedef struct {
  char *path;      /* the cache file (an entry: its pack) */
  char *data;      /* as the first build wrote it (an entry: its bytes) */
  size_t len;
} cache_file;

enum { SETTLED, UNSETTLED, PAGES, INDEX, NFILES };
static cache_file files[NFILES];
static char *unsettled_article;

/* The index as the first build wrote it (its header, packs and records),
 * and its packs' bytes. */
typedef struct {
  unsigned char name[32];
  uint32_t pack;
  uint64_t off, len;
} index_rec;
static struct {
  char *header;
  size_t npacks, nrecs;
  cache_file *packs; /* path and bytes */
  char **pack_names;
  index_rec *recs;
  size_t rec_of[2]; /* the records of the two entries fuzzed */
} ix;
static char *packs_dir;

/* The header: magic, format, version (u32 length and bytes), key. */
#define HEADER_LEN (8 + 4 + 4 + sizeof FOLIO_VERSION - 1 + 32)
#define LENGTHS_LEN 16

static void write_text(const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  for (char *s = strchr(path + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = '\0';
    mkdir(path, 0777);
    *s = '/';
  }
  FILE *f = fopen(path, "wb");
  if (!f || fputs(text, f) < 0 || fclose(f))
    abort();
}

static void write_bytes(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
    abort();
}

/* The entry of an article (rel to the project): named by the hash of the
 * article's path as messages give it, which starts with the project folder. */
/* Copy the files of the source tree's folder from (and its subfolders but
 * skip) into the project's folder to: the smaller the project, the faster
 * each run (every run hashes its templates and locale files). */
static void copy_dir(const char *from, const char *to, const char *skip) {
  char src[512], dst[512];
  snprintf(src, sizeof src, "%s/%s", FOLIO_SOURCE_DIR, from);
  snprintf(dst, sizeof dst, "%s/%s", root, to);
  mkdir(dst, 0777);
  DIR *d = opendir(src);
  if (!d)
    abort();
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' || (skip && !strcmp(e->d_name, skip)))
      continue;
    char s[1024], t[1024];
    snprintf(s, sizeof s, "%s/%s", from, e->d_name);
    snprintf(t, sizeof t, "%s/%s", to, e->d_name);
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", FOLIO_SOURCE_DIR, s);
    struct stat st;
    if (stat(full, &st) < 0)
      abort();
    if (S_ISDIR(st.st_mode)) {
      copy_dir(s, t, NULL);
      continue;
    }
    char *text;
    size_t len;
    if (read_file(full, &text, &len) < 0)
      abort();
    char out[1024];
    snprintf(out, sizeof out, "%s/%s", root, t);
    write_bytes(out, text, len);
    free(text);
  }
  closedir(d);
}

/* The index's name of an article's entry: the hash of its path as
 * messages give it, which starts with the project folder. */
static void name_of(const char *rel, unsigned char out[32]) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  sha256(path, strlen(path), out);
}

/* The index the first build wrote, and its packs. */
static void read_index(void) {
  char *data;
  size_t len;
  if (read_file(files[INDEX].path, &data, &len) < 0 || len < HEADER_LEN)
    abort();
  ix.header = xmalloc(HEADER_LEN);
  memcpy(ix.header, data, HEADER_LEN);
  binr r = binr_make(data + HEADER_LEN, len - HEADER_LEN);
  arena *a = arena_new();
  ix.npacks = binr_u32(&r);
  ix.packs = xcalloc(ix.npacks + 1, sizeof *ix.packs);
  ix.pack_names = xcalloc(ix.npacks + 1, sizeof *ix.pack_names);
  for (size_t i = 0; i < ix.npacks; i++) {
    const char *name = binr_str(&r, a);
    binr_u64(&r);
    if (!name)
      abort();
    ix.pack_names[i] = xstrdup(name);
    ix.packs[i].path = xmalloc(strlen(packs_dir) + strlen(name) + 2);
    sprintf(ix.packs[i].path, "%s/%s", packs_dir, name);
    if (read_file(ix.packs[i].path, &ix.packs[i].data, &ix.packs[i].len) < 0)
      abort();
  }
  ix.nrecs = binr_u32(&r);
  ix.recs = xcalloc(ix.nrecs + 1, sizeof *ix.recs);
  for (size_t i = 0; i < ix.nrecs; i++) {
    binr_bytes(&r, ix.recs[i].name, 32);
    ix.recs[i].pack = binr_u32(&r);
    ix.recs[i].off = binr_u64(&r);
    ix.recs[i].len = binr_u64(&r);
    if (ix.recs[i].pack >= ix.npacks ||
        ix.recs[i].off + ix.recs[i].len > ix.packs[ix.recs[i].pack].len)
      abort();
  }
  if (r.bad)
    abort();
  arena_free(a);
  free(data);
}

/* The entry of an article (rel to the project): its record and bytes. */
static void entry_of(const char *rel, int which) {
  unsigned char name[32];
  name_of(rel, name);
  for (size_t i = 0; i < ix.nrecs; i++) {
    if (memcmp(ix.recs[i].name, name, 32))
      continue;
    const cache_file *p = &ix.packs[ix.recs[i].pack];
    ix.rec_of[which] = i;
    files[which].path = p->path;
    files[which].len = (size_t)ix.recs[i].len;
    files[which].data = xmalloc(files[which].len + 1);
    memcpy(files[which].data, p->data + ix.recs[i].off, files[which].len);
    return;
  }
  abort();
}

/* An index as the first build's, but with the entry of which at the start
 * of a pack of its own, n bytes long. */
static void write_index_with(int which, size_t n) {
  buf b = {0};
  buf_put(&b, ix.header, HEADER_LEN);
  binw_u32(&b, (uint32_t)ix.npacks + 1);
  for (size_t i = 0; i < ix.npacks; i++) {
    binw_str(&b, ix.pack_names[i]);
    binw_u64(&b, ix.packs[i].len);
  }
  binw_str(&b, "fuzz.pack");
  binw_u64(&b, n);
  binw_u32(&b, (uint32_t)ix.nrecs);
  for (size_t i = 0; i < ix.nrecs; i++) {
    bool it = i == ix.rec_of[which];
    binw_bytes(&b, ix.recs[i].name, 32);
    binw_u32(&b, it ? (uint32_t)ix.npacks : ix.recs[i].pack);
    binw_u64(&b, it ? 0 : ix.recs[i].off);
    binw_u64(&b, it ? n : ix.recs[i].len);
  }
  binw_u32(&b, 0x21444E45u); /* "END!" */
  write_bytes(files[INDEX].path, b.data, b.len);
  buf_free(&b);
}

/* The cache as the first build left it: its packs and no other, the index
 * and the pages record. */
static void restore(void) {
  DIR *d = opendir(packs_dir);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    bool keep = false;
    for (size_t i = 0; i < ix.npacks; i++)
      keep = keep || !strcmp(e->d_name, ix.pack_names[i]);
    if (!keep) {
      char p[1024];
      snprintf(p, sizeof p, "%s/%s", packs_dir, e->d_name);
      unlink(p);
    }
  }
  if (d)
    closedir(d);
  for (size_t i = 0; i < ix.npacks; i++)
    write_bytes(ix.packs[i].path, ix.packs[i].data, ix.packs[i].len);
  write_bytes(files[INDEX].path, files[INDEX].data, files[INDEX].len);
  write_bytes(files[PAGES].path, files[PAGES].data, files[PAGES].len);
}

static pipeline_status run(pipeline_stop stop, const char *out) {
  pipeline_options opt = {.root = root, .output = out, .jobs = 1, .quiet = true};
  pipeline b;
  pipeline_status st = pipeline_run(&b, &opt, stop);
  /* FUZZ_CACHE_VERBOSE=1: what each run reported (to see an input's effect). */
  if (getenv("FUZZ_CACHE_VERBOSE"))
    for (size_t i = 0; i < b.diags.count; i++)
      fprintf(stderr, "fuzz_cache: %s:%d: %s: %s\n", b.diags.items[i].file, b.diags.items[i].line,
              b.diags.items[i].code, b.diags.items[i].message);
  if (getenv("FUZZ_CACHE_VERBOSE")) {
    buildcache_stats cs = buildcache_get_stats(b.cache);
    fprintf(stderr, "fuzz_cache: %s: %zu of %zu articles from the cache, %zu files read\n",
            stop == PIPELINE_CHECK ? "check" : "build", cs.articles_hit, cs.articles, cs.files_read);
  }
  pipeline_free(&b);
  return st;
}

static void remove_project(void) { remove_tree(root); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (!mkdtemp(root))
    abort();
  atexit(remove_project);
  write_text("folio.yml", "title: Fuzzed cache\n"
                          "base_url: https://docs.example/\n"
                          "source_locale: en-us\n"
                          "locales: [en-us]\n");
  /* The templates without their assets (a check does not copy them). */
  copy_dir("templates", "templates", "assets");
  copy_dir("locales", "locales", NULL);
  write_text("content/en-us/toc.yml",
             "- name: Billing\n  href: billing.md\n- name: Roles\n  href: roles.md\n");
  write_text("content/en-us/includes/note.md", "A shared note with a [link](../roles.md#who).\n");
  write_text("content/en-us/billing.md",
             "---\n"
             "title: Billing\n"
             "description: How invoices are paid.\n"
             "ms.topic: how-to\n"
             "ms.custom: [one, {two: 2, three: [a, b]}]\n"
             "author: nobody\n"
             "---\n"
             "# Billing\n\n"
             "See [roles](roles.md#who), [a site](https://example.com/x) and\n"
             "[a section](#pay-an-invoice). ![A chart](media/chart.svg)\n\n"
             "[!INCLUDE [note](includes/note.md)]\n\n"
             "## <a name=\"pay-an-invoice\"></a>Pay an invoice\n\n"
             "Text with `code` and **bold**.\n\n"
             "### Steps {#steps}\n\n"
             "1. One\n2. Two\n\n"
             ":::policy id=\"billing.pay\"\n"
             "default: off\n"
             "allow: { enable: [admin-agent] }\n"
             ":::\n");
  write_text("content/en-us/media/chart.svg",
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n");
  write_text("content/en-us/roles.md",
             "---\n"
             "title: Roles\n"
             "description: Who may do what.\n"
             "---\n"
             "# Roles\n\n"
             "## Who\n\n"
             "Back to [billing](billing.md#pay-an-invoice).\n");
  /* Settled: the cache stamps only files that changed before the build. */
  sleep(4);
  char *site = xmalloc(strlen(root) + 16);
  sprintf(site, "%s/_site", root);
  run(PIPELINE_PUBLISH, site);
  free(site);
  files[PAGES].path = xmalloc(strlen(root) + 64);
  sprintf(files[PAGES].path, "%s/.folio/cache/build/pages", root);
  files[INDEX].path = xmalloc(strlen(root) + 64);
  sprintf(files[INDEX].path, "%s/.folio/cache/build/index", root);
  packs_dir = xmalloc(strlen(root) + 64);
  sprintf(packs_dir, "%s/.folio/cache/build/packs", root);
  for (int i = PAGES; i < NFILES; i++)
    if (read_file(files[i].path, &files[i].data, &files[i].len) < 0 ||
        files[i].len < HEADER_LEN + LENGTHS_LEN)
      abort();
  read_index();
  entry_of("content/en-us/billing.md", SETTLED);
  entry_of("content/en-us/roles.md", UNSETTLED);
  unsettled_article = xmalloc(strlen(root) + 64);
  sprintf(unsettled_article, "%s/content/en-us/roles.md", root);
  if (getenv("FUZZ_CACHE_SEEDS")) {
    /* Seeds into that folder: each valid file raw (mode 0; a hit only in
     * the run that wrote it) and kept as it is (mode 3, nothing inserted). */
    const char *dir = getenv("FUZZ_CACHE_SEEDS");
    static const char *const names[NFILES] = {"entry-settled", "entry-unsettled", "pages",
                                              "index"};
    for (int i = 0; i < NFILES; i++) {
      char p[512];
      snprintf(p, sizeof p, "%s/raw-%s", dir, names[i]);
      char *seed = xmalloc(files[i].len + 3);
      seed[0] = (char)i;
      seed[1] = seed[2] = 0;
      memcpy(seed + 3, files[i].data, files[i].len);
      write_bytes(p, seed, files[i].len + 3);
      free(seed);
      snprintf(p, sizeof p, "%s/valid-%s", dir, names[i]);
      char keep[3] = {(char)(i | 3 << 2), 0, 0};
      write_bytes(p, keep, 3);
    }
  }
  return 0;
}

static void put_u64(char *at, uint64_t v) {
  for (int k = 0; k < 8; k++)
    at[k] = (char)((v >> (8 * k)) & 0xFF);
}

static uint64_t get_u64(const char *at) {
  uint64_t v = 0;
  for (int k = 0; k < 8; k++)
    v |= (uint64_t)(unsigned char)at[k] << (8 * k);
  return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3)
    return 0;
  int which = data[0] & 3, mode = (data[0] >> 2) & 3;
  size_t off = (size_t)data[1] | (size_t)data[2] << 8;
  const char *d = (const char *)data + 3;
  size_t dlen = size - 3;
  const cache_file *f = &files[which];
  bool entry = which == SETTLED || which == UNSETTLED;
  /* Where the fuzzed part starts: after the header, and for an entry after
   * its two lengths too (set again below). */
  size_t start = mode >= 2 ? HEADER_LEN + (entry ? LENGTHS_LEN : 0) : 0;
  size_t tail = f->len - start;
  off = start + off % (tail + 1);
  char *out = xmalloc(f->len + dlen + 1);
  size_t n = 0, del = 0;
  switch (mode) {
  case 0:
    memcpy(out, d, dlen);
    n = dlen;
    break;
  case 1:
    memcpy(out, f->data, f->len);
    memcpy(out + off, d, dlen < f->len - off ? dlen : f->len - off);
    n = f->len;
    break;
  case 2:
    memcpy(out, f->data, off);
    memcpy(out + off, d, dlen);
    n = off + dlen;
    break;
  default:
    /* D's first byte: how many bytes to take out at the offset; the rest
     * goes in their place. */
    if (dlen) {
      del = (unsigned char)d[0];
      d++;
      dlen--;
    }
    if (del > f->len - off)
      del = f->len - off;
    memcpy(out, f->data, off);
    memcpy(out + off, d, dlen);
    memcpy(out + off + dlen, f->data + off + del, f->len - off - del);
    n = f->len - del + dlen;
    break;
  }
  if (entry && mode >= 2) {
    /* The body keeps its length when the rest still holds it. */
    uint64_t body = get_u64(f->data + HEADER_LEN + 8);
    size_t rest = n - start;
    if (body > rest)
      body = 0;
    put_u64(out + HEADER_LEN, rest - body);
    put_u64(out + HEADER_LEN + 8, body);
    /* The load part (what the stamp path reads) starts the products with
     * its length: an edit inside it changes that length by as much. */
    size_t load_at = start + 8;
    uint64_t load = get_u64(f->data + start);
    if (mode == 3 && off >= load_at && off + del <= load_at + load && rest >= 8)
      put_u64(out + start, load - del + dlen);
  }
  if (entry) {
    /* The entry as a pack of its own, which the index names. */
    char p[1024];
    snprintf(p, sizeof p, "%s/fuzz.pack", packs_dir);
    write_bytes(p, out, n);
    write_index_with(which, n);
  } else {
    write_bytes(f->path, out, n);
  }
  free(out);
  /* With the pages record in place every page would be kept (check does
   * not render a page whose key it recorded): without it, each page is
   * rendered from what the entry gave, and its body read from the entry. */
  if (entry)
    unlink(files[PAGES].path);
  /* A new change time: never settled, so always read by its hash. */
  if (chmod(unsettled_article, 0644) < 0)
    abort();
  run(PIPELINE_CHECK, NULL);
  /* Back as the build left it, for the next input (the run wrote a pack
   * and an index of its own when it refused an entry, and may have
   * compacted or deleted packs). */
  restore();
  return 0;
}
