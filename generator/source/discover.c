#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "strmap.h"
#include "pivots.h"
#include "util.h"

/* The folders from the content folder down to the one being walked, by
 * (device, inode): a folder reached again through a link is a loop. */
#define MAX_DEPTH 32
typedef struct {
  dev_t dev;
  ino_t ino;
  const char *path;
} walk_dir;

typedef struct {
  arena *a;
  const site_config *cfg;
  diag_list *diags;
  char *root_real; /* the project folder, links resolved */
  walk_dir stack[MAX_DEPTH + 2];
  int nstack;
  article *articles;
  size_t narticles, caparticles;
  content_file *media, *includes, *tocs;
  size_t nmedia, capmedia, nincludes, capincludes, ntocs, captocs;
  strmap pages; /* "<locale>/<url>" of every page so far: two files, one page */
  int io_error;
} walker;

bool content_is_toc_name(const char *rel) {
  const char *name = strrchr(rel, '/');
  name = name ? name + 1 : rel;
  return !strcasecmp(name, "toc.yml") || !strcasecmp(name, "toc.yaml") ||
         !strcasecmp(name, "toc.md");
}

/* Learn's structured pages name their schema on the first line, as DocFX
 * reads it: "### YamlMime:FAQ". Returns the page kind, or PAGE_MARKDOWN for
 * a YAML file that is no page (kept as a file); an unknown schema is
 * reported and *skip set. */
static page_kind yaml_page_kind(walker *w, const char *path, bool *skip) {
  *skip = false;
  FILE *f = fopen(path, "rb");
  if (!f) {
    diag_add(w->diags, path, 0, 0, SEV_ERROR, "content-unreadable", "cannot read: %s",
             strerror(errno));
    w->io_error = 1;
    *skip = true;
    return PAGE_MARKDOWN;
  }
  char head[256];
  size_t n = fread(head, 1, sizeof head - 1, f);
  fclose(f);
  head[n] = '\0';
  const char *p = head;
  if (!strncmp(p, "\xEF\xBB\xBF", 3))
    p += 3;
  size_t hashes = strspn(p, "#");
  if (!hashes)
    return PAGE_MARKDOWN;
  p += hashes;
  p += strspn(p, " \t");
  if (strncasecmp(p, "YamlMime", 8))
    return PAGE_MARKDOWN;
  p += 8;
  p += strspn(p, " \t");
  if (*p != ':')
    return PAGE_MARKDOWN;
  p++;
  p += strspn(p, " \t");
  size_t len = strcspn(p, " \t\r\n");
  int col = (int)(p - head) + 1 - (!strncmp(head, "\xEF\xBB\xBF", 3) ? 3 : 0);
  if (len == 3 && !strncmp(p, "FAQ", 3))
    return PAGE_FAQ;
  if (len == 7 && !strncmp(p, "Landing", 7))
    return PAGE_LANDING;
  if (len == 3 && !strncmp(p, "Hub", 3))
    return PAGE_HUB;
  diag_add(w->diags, path, 1, col, SEV_WARNING, "yaml-page-unknown-type",
           "'YamlMime:%.*s' is not a page type folio knows (FAQ, Landing, Hub); the file is "
           "skipped",
           (int)len, p);
  *skip = true;
  return PAGE_MARKDOWN;
}

file_seen file_seen_of(const struct stat *st) {
  return (file_seen){(uint64_t)st->st_dev, (uint64_t)st->st_ino, (uint64_t)st->st_size,
                     (uint64_t)st->st_mtim.tv_sec, (uint64_t)st->st_mtim.tv_nsec,
                     (uint64_t)st->st_ctim.tv_sec, (uint64_t)st->st_ctim.tv_nsec};
}

static void add_article(walker *w, const content_file *f, const struct stat *st, page_kind kind,
                        size_t ext_len) {
  article art = {0};
  file_seen *found = arena_alloc(w->a, sizeof *found);
  *found = file_seen_of(st);
  art.found = found;
  art.locale = f->locale;
  art.kind = kind;
  art.rel = f->rel;
  art.path = f->path;
  art.abspath = f->path;
  size_t n = strlen(f->rel);
  art.url = arena_printf(w->a, "%.*s.html", (int)(n - ext_len), f->rel);
  /* x.md and x.yml would both be x.html: the first one (x.md) keeps it. */
  const char *key = arena_printf(w->a, "%d/%s", f->locale, art.url);
  if (strmap_get(&w->pages, key)) {
    diag_add(w->diags, f->path, 1, 1, SEV_ERROR, "duplicate-page",
             "another file of this folder is also published as %s; rename one of them", art.url);
    return;
  }
  strmap_set(&w->pages, key, 1);
  ARENA_PUSH(w->a, w->articles, w->narticles, w->caparticles, art);
}

static bool in_includes(const char *rel) {
  return str_starts_with(rel, "includes/") || strstr(rel, "/includes/") != NULL;
}

static void add_file(walker *w, int locale, const char *rel, const char *path, const char *name,
                     const struct stat *st) {
  content_file f = {.locale = locale, .rel = arena_strdup(w->a, rel), .path = arena_strdup(w->a, path)};
  if (!strcmp(rel, PIVOTS_FILE)) {
    return; /* the locale's zone pivot groups: read by pivots_load, not published */
  } else if (content_is_toc_name(name)) {
    ARENA_PUSH(w->a, w->tocs, w->ntocs, w->captocs, f);
  } else if (str_ends_with(name, ".md") && in_includes(rel)) {
    ARENA_PUSH(w->a, w->includes, w->nincludes, w->capincludes, f);
  } else if (str_ends_with(name, ".md")) {
    add_article(w, &f, st, PAGE_MARKDOWN, 3);
  } else if (str_ends_with(name, ".yml") && !in_includes(rel)) {
    bool skip;
    page_kind kind = yaml_page_kind(w, path, &skip);
    if (kind != PAGE_MARKDOWN)
      add_article(w, &f, st, kind, 4);
    else if (!skip)
      ARENA_PUSH(w->a, w->media, w->nmedia, w->capmedia, f);
  } else {
    ARENA_PUSH(w->a, w->media, w->nmedia, w->capmedia, f);
  }
}

/* A file name that is not UTF-8 (a Latin-1 "caf\xE9.md") cannot become a
 * URL or a diagnostic: reported at its folder, with the byte escaped. */
static bool name_is_utf8(walker *w, const char *dir, const char *name) {
  size_t bad, nbad;
  if (utf8_valid(name, strlen(name), &bad, &nbad))
    return true;
  buf shown = {0};
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if (*p >= 0x80 || *p < 0x20)
      buf_printf(&shown, "\\x%02X", *p);
    else
      buf_putc(&shown, (char)*p);
  }
  diag_add(w->diags, dir, 0, 0, SEV_ERROR, "invalid-utf8",
           "the file name '%s' is not valid UTF-8 (byte 0x%02X); it is skipped",
           buf_cstr(&shown), (unsigned char)name[bad]);
  buf_free(&shown);
  return false;
}

typedef struct {
  walker *w;
  const char *dir;
} name_ctx;

/* Hidden files and folders (.git, .folio, ...) are not content. */
static bool is_visible(const char *name, void *ctx) {
  (void)ctx;
  return name[0] != '.';
}

/* What the walk visits: not hidden, and a UTF-8 name (else reported). */
static bool keep_name(const char *name, void *ctx) {
  const name_ctx *c = ctx;
  return name[0] != '.' && name_is_utf8(c->w, c->dir, name);
}

/* Sizes are checked from stat, before anything is read: a file of a few
 * gigabytes in a pull request must not be loaded to be refused. */
static bool too_large(walker *w, const char *path, const char *name, const struct stat *st) {
  bool text = str_ends_with(name, ".md") || str_ends_with(name, ".yml") || content_is_toc_name(name);
  unsigned long long limit = text ? w->cfg->file_bytes : w->cfg->media_bytes;
  if ((unsigned long long)st->st_size <= limit)
    return false;
  diag_add(w->diags, path, 0, 0, SEV_ERROR, "file-too-large",
           "the file is %llu bytes, over the limit of %llu for %s (limits.%s in folio.yml); "
           "it is not read",
           (unsigned long long)st->st_size, limit, text ? "Markdown and toc files" : "media files",
           text ? "file_bytes" : "media_bytes");
  return true;
}

/* Links are followed only inside the project: content comes from pull
 * requests, and a link to /etc/passwd would otherwise be published. On
 * return, *st is what path leads to. Returns false (reported) to skip it. */
static bool follow(walker *w, const char *path, struct stat *st) {
  if (lstat(path, st) < 0) {
    diag_add(w->diags, path, 0, 0, SEV_ERROR, "content-unreadable", "cannot read: %s",
             strerror(errno));
    w->io_error = 1;
    return false;
  }
  if (!S_ISLNK(st->st_mode))
    return true;
  char *real = realpath(path, NULL);
  if (!real || stat(real, st) < 0) {
    diag_add(w->diags, path, 0, 0, SEV_ERROR, "content-unreadable", "cannot read: %s",
             strerror(errno));
    w->io_error = 1;
    free(real);
    return false;
  }
  bool inside = path_is_within(real, w->root_real);
  if (!inside)
    diag_add(w->diags, path, 0, 0, SEV_ERROR, "symlink-outside-project",
             "symbolic link to a %s outside the project (%s); it is skipped",
             S_ISDIR(st->st_mode) ? "folder" : "file", real);
  free(real);
  return inside;
}

/* Whether the folder st is one of those being walked (a link loop). */
static bool on_walk_path(walker *w, const char *path, const struct stat *st) {
  for (int i = 0; i < w->nstack; i++)
    if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino) {
      diag_add(w->diags, path, 0, 0, SEV_ERROR, "symlink-loop",
               "symbolic link loop: it leads back to %s, which contains it; it is skipped",
               w->stack[i].path);
      return true;
    }
  return false;
}

/* Walk dir (path on disk, whose status is st) whose path inside the locale
 * folder is rel. */
static void walk(walker *w, int locale, const char *dir, const struct stat *dst, const char *rel) {
  if (w->nstack >= MAX_DEPTH + 2) {
    diag_add(w->diags, dir, 0, 0, SEV_ERROR, "content-too-deep",
             "folders nested deeper than %d levels", MAX_DEPTH);
    return;
  }
  DIR *d = opendir(dir);
  if (!d) {
    diag_add(w->diags, dir, 0, 0, SEV_ERROR, "content-unreadable", "cannot read folder: %s",
             strerror(errno));
    w->io_error = 1;
    return;
  }
  w->stack[w->nstack++] = (walk_dir){dst->st_dev, dst->st_ino, dir};
  size_t n;
  char **names = dir_names(d, keep_name, &(name_ctx){w, dir}, &n);
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    char *path = path_join(dir, names[i]);
    char *r = path_join(rel, names[i]);
    struct stat st;
    if (!follow(w, path, &st)) {
      /* reported */
    } else if (S_ISDIR(st.st_mode)) {
      if (!on_walk_path(w, path, &st))
        walk(w, locale, path, &st, r);
    } else if (S_ISREG(st.st_mode) && !too_large(w, path, names[i], &st)) {
      add_file(w, locale, r, path, names[i], &st);
    }
    free(path);
    free(r);
  }
  dir_names_free(names, n);
  w->nstack--;
}

static int cmp_article(const void *pa, const void *pb) {
  const article *a = pa, *b = pb;
  if (a->locale != b->locale)
    return a->locale < b->locale ? -1 : 1;
  return strcmp(a->rel, b->rel);
}

static int cmp_file(const void *pa, const void *pb) {
  const content_file *a = pa, *b = pb;
  if (a->locale != b->locale)
    return a->locale < b->locale ? -1 : 1;
  return strcmp(a->rel, b->rel);
}

typedef struct {
  char *out;        /* "<locale>/<output path>" */
  const char *path; /* the source file */
} output_file;

static int cmp_output(const void *pa, const void *pb) {
  const output_file *a = pa, *b = pb;
  int c = strcasecmp(a->out, b->out);
  if (!c)
    c = strcmp(a->out, b->out);
  return c ? c : strcmp(a->path, b->path);
}

/* Two sources written to the same page, or to pages whose paths differ only
 * in letter case (one overwrites the other on Windows and macOS). Each is
 * reported at the later file, naming the first of its group. */
static void check_collisions(const walker *w, diag_list *diags) {
  size_t n = w->narticles + w->nmedia;
  if (!n)
    return;
  output_file *o = xcalloc(n, sizeof *o);
  size_t k = 0;
  for (size_t i = 0; i < w->narticles; i++)
    o[k++] = (output_file){path_join(w->cfg->locales[w->articles[i].locale], w->articles[i].url),
                           w->articles[i].path};
  for (size_t i = 0; i < w->nmedia; i++)
    o[k++] = (output_file){path_join(w->cfg->locales[w->media[i].locale], w->media[i].rel),
                           w->media[i].path};
  qsort(o, n, sizeof *o, cmp_output);
  for (size_t first = 0, i = 1; i < n; i++) {
    if (strcasecmp(o[first].out, o[i].out)) {
      first = i;
    } else if (!strcmp(o[first].out, o[i].out)) {
      diag_add(diags, o[i].path, 0, 0, SEV_ERROR, "output-collision",
               "its output %s is also written for %s; one overwrites the other: rename one of "
               "them",
               o[i].out, o[first].path);
    } else {
      diag_add(diags, o[i].path, 0, 0, SEV_ERROR, "case-collision",
               "its output %s differs only in letter case from %s, written for %s; on "
               "case-insensitive file systems (Windows, macOS) one overwrites the other: rename "
               "one of them",
               o[i].out, o[first].out, o[first].path);
    }
  }
  for (size_t i = 0; i < n; i++)
    free(o[i].out);
  free(o);
}

int discover_content(arena *a, const site_config *cfg, content_set *cs, diag_list *diags) {
  memset(cs, 0, sizeof *cs);
  walker w = {.a = a, .cfg = cfg, .diags = diags};
  struct stat cst;
  strmap_init(&w.pages, a);
  DIR *d = opendir(cfg->content_dir);
  w.root_real = realpath(cfg->root, NULL);
  if (!d || !w.root_real || stat(cfg->content_dir, &cst) < 0) {
    diag_add(diags, d ? cfg->root : cfg->content_dir, 0, 0, SEV_ERROR, "content-unreadable",
             "cannot read the %s folder: %s", d ? "project" : "content", strerror(errno));
    if (d)
      closedir(d);
    free(w.root_real);
    return -1;
  }
  /* folio.yml keeps paths.content inside the project; a link must not
   * take it out. */
  char *creal = realpath(cfg->content_dir, NULL);
  if (!creal || !path_is_within(creal, w.root_real)) {
    diag_add(diags, cfg->content_dir, 0, 0, SEV_ERROR, "symlink-outside-project",
             "symbolic link to a folder outside the project (%s); it is skipped",
             creal ? creal : strerror(errno));
    free(creal);
    closedir(d);
    free(w.root_real);
    return 0;
  }
  free(creal);
  w.stack[w.nstack++] = (walk_dir){cst.st_dev, cst.st_ino, cfg->content_dir};
  size_t n;
  char **names = dir_names(d, is_visible, NULL, &n);
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    char *path = path_join(cfg->content_dir, names[i]);
    int li = config_locale_index(cfg, names[i]);
    struct stat st;
    if (!follow(&w, path, &st)) {
      /* reported */
    } else if (!S_ISDIR(st.st_mode)) {
      /* Files at the top of content/ belong to no locale: shared media is
       * kept under the source locale instead. */
      diag_add(diags, path, 0, 0, SEV_WARNING, "content-stray-file",
               "file outside any locale folder is ignored (move it under %s/)",
               cfg->source_locale);
    } else if (li < 0) {
      diag_add(diags, path, 0, 0, SEV_ERROR, "unknown-locale",
               "folder '%s' is not a locale listed in %s (locales: %s%s)", names[i], cfg->file,
               cfg->locales[0], cfg->nlocales > 1 ? ", ..." : "");
    } else if (!on_walk_path(&w, path, &st)) {
      walk(&w, li, path, &st, "");
    }
    free(path);
  }
  dir_names_free(names, n);
  for (size_t i = 0; i < cfg->nlocales; i++) {
    char *p = path_join(cfg->content_dir, cfg->locales[i]);
    if (!is_dir(p))
      diag_add(diags, cfg->file, 0, 0, i == 0 ? SEV_ERROR : SEV_WARNING, "locale-folder-missing",
               "locale '%s' has no content folder %s", cfg->locales[i], p);
    free(p);
  }
  /* qsort and bsearch must not see a NULL array, even an empty one. */
  if (w.narticles)
    qsort(w.articles, w.narticles, sizeof *w.articles, cmp_article);
  if (w.nmedia)
    qsort(w.media, w.nmedia, sizeof *w.media, cmp_file);
  if (w.nincludes)
    qsort(w.includes, w.nincludes, sizeof *w.includes, cmp_file);
  if (w.ntocs)
    qsort(w.tocs, w.ntocs, sizeof *w.tocs, cmp_file);
  check_collisions(&w, diags);
  cs->articles = w.articles;
  cs->narticles = w.narticles;
  content_index_articles(a, cs);
  cs->media = w.media;
  cs->nmedia = w.nmedia;
  cs->includes = w.includes;
  cs->nincludes = w.nincludes;
  cs->tocs = w.tocs;
  cs->ntocs = w.ntocs;
  free(w.root_real);
  return w.io_error ? -1 : 0;
}

/* FNV-1a over the locale index, then the bytes of rel. */
static unsigned article_hash(int locale, const char *rel) {
  uint64_t h = 1469598103934665603ull;
  h = (h ^ (unsigned)locale) * 1099511628211ull;
  for (const unsigned char *s = (const unsigned char *)rel; *s; s++)
    h = (h ^ *s) * 1099511628211ull;
  return (unsigned)(h ^ (h >> 32));
}

void content_index_articles(arena *a, content_set *cs) {
  cs->article_slots = NULL;
  cs->article_cap = 0;
  /* Slots hold 1 + the index in an unsigned: a larger set keeps bsearch. */
  if (!cs->narticles || cs->narticles >= UINT_MAX / 4)
    return;
  size_t cap = 16;
  while (cap < cs->narticles * 2) /* load at most 1/2 */
    cap *= 2;
  content_slot *slots = arena_alloc(a, cap * sizeof *slots); /* zeroed: empty */
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *art = &cs->articles[i];
    unsigned h = article_hash(art->locale, art->rel);
    size_t j = h & (cap - 1);
    /* discover keeps one article per (locale, rel); should a duplicate
     * come, the first wins and the rest are not slotted. */
    bool dup = false;
    while (slots[j].article && !dup) {
      const article *o = &cs->articles[slots[j].article - 1];
      dup = slots[j].hash == h && o->locale == art->locale && !strcmp(o->rel, art->rel);
      j = (j + 1) & (cap - 1);
    }
    if (!dup)
      slots[j] = (content_slot){h, (unsigned)i + 1};
  }
  cs->article_slots = slots;
  cs->article_cap = cap;
}

article *content_find_article(const content_set *cs, int locale, const char *rel) {
  if (!cs->narticles)
    return NULL;
  if (!cs->article_slots) {
    article key = {.locale = locale, .rel = rel};
    return bsearch(&key, cs->articles, cs->narticles, sizeof *cs->articles, cmp_article);
  }
  unsigned h = article_hash(locale, rel);
  size_t mask = cs->article_cap - 1;
  for (size_t j = h & mask; cs->article_slots[j].article; j = (j + 1) & mask) {
    if (cs->article_slots[j].hash != h)
      continue;
    article *art = &cs->articles[cs->article_slots[j].article - 1];
    if (art->locale == locale && !strcmp(art->rel, rel))
      return art;
  }
  return NULL;
}

article *content_find_by_url(const content_set *cs, int locale, const char *url) {
  size_t n = strlen(url);
  if (n < 5 || strcmp(url + n - 5, ".html"))
    return NULL;
  char *rel = xmalloc(n + 1);
  memcpy(rel, url, n - 5);
  memcpy(rel + n - 5, ".md", 4);
  article *a = content_find_article(cs, locale, rel);
  if (!a) {
    memcpy(rel + n - 5, ".yml", 5);
    a = content_find_article(cs, locale, rel);
  }
  free(rel);
  return a;
}

static int cmp_redirect(const void *pa, const void *pb) {
  return strcmp(((const redirect_entry *)pa)->rel, ((const redirect_entry *)pb)->rel);
}

const redirect_entry *content_find_redirect(const content_set *cs, const char *rel) {
  if (!cs->nredirects)
    return NULL;
  redirect_entry key = {.rel = rel};
  return bsearch(&key, cs->redirects, cs->nredirects, sizeof key, cmp_redirect);
}

const content_file *content_find_file(const content_file *files, size_t n, int locale,
                                      const char *rel) {
  if (!n)
    return NULL;
  content_file key = {.locale = locale, .rel = rel};
  return bsearch(&key, files, n, sizeof *files, cmp_file);
}
