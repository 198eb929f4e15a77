/* The floor for bench/bench.sh: what converting the corpus costs with
 * libcmark-gfm alone. Every article under ROOT (*.md, include folders
 * skipped) is read, its front matter skipped, parsed and rendered with
 * the GFM extensions folio uses and the same options, and written to
 * OUT/<path>.html, on N threads, each with its own arena reset per file.
 * No links, no templates, no passes: a lower bound, not a competitor.
 *
 * Inline parsing on several threads needs the special characters pinned,
 * as folio does (generator/markdown/inline_chars.c): this program defines
 * cmark_manage_extensions_special_characters, adds the characters once
 * through the library's copy and ignores every later call.
 *
 * usage: floor [-j N] ROOT OUT
 * build: cc -O2 -o floor bench/floor.c $(pkg-config --cflags --libs libcmark-gfm) -lpthread */
#define _GNU_SOURCE
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the special characters, pinned once ---- */

static int pinned;

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add) {
  if (pinned)
    return;
  void (*real)(cmark_parser *, int) =
      (void (*)(cmark_parser *, int))dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
  if (real)
    real(parser, add);
}

static const char *const ext_names[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};
static cmark_syntax_extension *exts[5];
static const int options = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;

/* ---- a per-thread arena for cmark ---- */

typedef struct {
  char *base;
  size_t used, size;
} arena;

static _Thread_local arena ar;

static void *ar_alloc(size_t n) {
  n = (n + sizeof(size_t) + 15) & ~(size_t)15;
  if (ar.used + n > ar.size) {
    /* Rare: a file larger than the arena. Leak the old block until exit. */
    size_t size = ar.size * 2 > n * 2 ? ar.size * 2 : n * 2;
    ar.base = malloc(size);
    if (!ar.base)
      abort();
    ar.size = size;
    ar.used = 0;
  }
  size_t *h = (size_t *)(ar.base + ar.used);
  ar.used += n;
  *h = n - sizeof(size_t);
  return h + 1;
}
static void *ar_calloc(size_t count, size_t size) {
  void *p = ar_alloc(count * size);
  memset(p, 0, count * size);
  return p;
}
static void *ar_realloc(void *p, size_t n) {
  void *q = ar_alloc(n);
  if (p) {
    size_t old = ((size_t *)p)[-1];
    memcpy(q, p, old < n ? old : n);
  }
  return q;
}
static void ar_free(void *p) { (void)p; }
static cmark_mem ar_mem = {ar_calloc, ar_realloc, ar_free};

/* ---- the files ---- */

static char **files;
static size_t nfiles, capfiles;
static size_t root_len;
static const char *out_root;
static atomic_size_t next_file;
static atomic_int failed;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  if (type == FTW_D && !strcmp(path + ftw->base, "includes"))
    return FTW_SKIP_SUBTREE;
  size_t n = strlen(path);
  if (type == FTW_F && n > 3 && !strcmp(path + n - 3, ".md")) {
    if (nfiles == capfiles) {
      capfiles = capfiles ? capfiles * 2 : 1024;
      files = realloc(files, capfiles * sizeof *files);
    }
    files[nfiles++] = strdup(path);
  }
  return FTW_CONTINUE;
}

static int mkdir_parents(char *path) {
  for (char *s = path + 1; *s; s++)
    if (*s == '/') {
      *s = '\0';
      int rc = mkdir(path, 0777);
      *s = '/';
      if (rc < 0 && errno != EEXIST)
        return -1;
    }
  return 0;
}

static void convert(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) {
    failed = 1;
    return;
  }
  char *text = ar_alloc((size_t)st.st_size + 1);
  size_t len = 0;
  ssize_t n;
  while (len < (size_t)st.st_size && (n = read(fd, text + len, (size_t)st.st_size - len)) > 0)
    len += (size_t)n;
  close(fd);
  text[len] = '\0';
  const char *body = text;
  if (!strncmp(text, "---\n", 4)) {
    const char *end = strstr(text + 3, "\n---\n");
    if (end)
      body = end + 5;
  }
  cmark_parser *p = cmark_parser_new_with_mem(options, &ar_mem);
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
    cmark_parser_attach_syntax_extension(p, exts[i]);
  cmark_parser_feed(p, body, len - (size_t)(body - text));
  cmark_node *doc = cmark_parser_finish(p);
  char *html = cmark_render_html_with_mem(doc, options, cmark_parser_get_syntax_extensions(p), &ar_mem);
  char out[4096];
  snprintf(out, sizeof out, "%s/%.*s.html", out_root, (int)(strlen(path) - root_len - 3), path + root_len);
  fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 && errno == ENOENT && mkdir_parents(out) == 0)
    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  size_t hl = strlen(html);
  if (fd < 0 || write(fd, html, hl) != (ssize_t)hl)
    failed = 1;
  if (fd >= 0)
    close(fd);
}

static void *worker(void *arg) {
  (void)arg;
  ar.size = 1 << 20;
  ar.base = malloc(ar.size);
  if (!ar.base)
    abort();
  for (;;) {
    size_t i = atomic_fetch_add(&next_file, 1);
    if (i >= nfiles)
      break;
    ar.used = 0;
    convert(files[i]);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int jobs = 2;
  int opt;
  while ((opt = getopt(argc, argv, "j:")) != -1)
    if (opt == 'j')
      jobs = atoi(optarg);
  if (argc - optind != 2 || jobs < 1) {
    fprintf(stderr, "usage: floor [-j N] ROOT OUT\n");
    return 2;
  }
  const char *root = argv[optind];
  out_root = argv[optind + 1];
  root_len = strlen(root);
  cmark_gfm_core_extensions_ensure_registered();
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
    exts[i] = cmark_find_syntax_extension(ext_names[i]);
  cmark_parser *p = cmark_parser_new(options);
  for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
    cmark_parser_attach_syntax_extension(p, exts[i]);
  cmark_manage_extensions_special_characters(p, 1);
  pinned = 1;
  cmark_parser_free(p);
  if (nftw(root, collect, 64, FTW_ACTIONRETVAL | FTW_PHYS) < 0) {
    perror(root);
    return 1;
  }
  pthread_t *t = calloc((size_t)jobs, sizeof *t);
  for (int i = 0; i < jobs; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < jobs; i++)
    pthread_join(t[i], NULL);
  printf("%zu files\n", nfiles);
  return failed;
}
