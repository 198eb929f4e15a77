#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pivots.h"
#include "util.h"

typedef struct {
  arena *a;
  const site_config *cfg;
  diag_list *diags;
  article *articles;
  size_t narticles, caparticles;
  content_file *media, *includes, *tocs;
  size_t nmedia, capmedia, nincludes, capincludes, ntocs, captocs;
  int io_error;
} walker;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_toc_name(const char *name) {
  return !strcmp(name, "toc.yml") || !strcmp(name, "TOC.yml") || !strcmp(name, "toc.yaml");
}

static bool in_includes(const char *rel) {
  return str_starts_with(rel, "includes/") || strstr(rel, "/includes/") != NULL;
}

static void add_file(walker *w, int locale, const char *rel, const char *path, const char *name) {
  content_file f = {.locale = locale, .rel = arena_strdup(w->a, rel), .path = arena_strdup(w->a, path)};
  if (!strcmp(rel, PIVOTS_FILE)) {
    return; /* the locale's zone pivot groups: read by pivots_load, not published */
  } else if (is_toc_name(name)) {
    ARENA_PUSH(w->a, w->tocs, w->ntocs, w->captocs, f);
  } else if (str_ends_with(name, ".md") && in_includes(rel)) {
    ARENA_PUSH(w->a, w->includes, w->nincludes, w->capincludes, f);
  } else if (str_ends_with(name, ".md")) {
    article art = {0};
    art.locale = locale;
    art.rel = f.rel;
    art.path = f.path;
    art.abspath = f.path;
    size_t n = strlen(rel);
    art.url = arena_printf(w->a, "%.*s.html", (int)(n - 3), rel);
    ARENA_PUSH(w->a, w->articles, w->narticles, w->caparticles, art);
  } else {
    ARENA_PUSH(w->a, w->media, w->nmedia, w->capmedia, f);
  }
}

/* Walk dir (path on disk) whose path inside the locale folder is rel. */
static void walk(walker *w, int locale, const char *dir, const char *rel, int depth) {
  if (depth > 32) {
    diag_add(w->diags, dir, 0, 0, SEV_ERROR, "content-too-deep",
             "folders nested deeper than 32 levels (a symbolic link loop?)");
    return;
  }
  DIR *d = opendir(dir);
  if (!d) {
    diag_add(w->diags, dir, 0, 0, SEV_ERROR, "content-unreadable", "cannot read folder: %s",
             strerror(errno));
    w->io_error = 1;
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue; /* hidden files, . and .. */
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      names = xrealloc(names, cap * sizeof *names);
    }
    names[n++] = xstrdup(e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char *path = path_join(dir, names[i]);
    char *r = path_join(rel, names[i]);
    struct stat st;
    if (stat(path, &st) < 0) {
      diag_add(w->diags, path, 0, 0, SEV_ERROR, "content-unreadable", "cannot read: %s",
               strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
      walk(w, locale, path, r, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
      add_file(w, locale, r, path, names[i]);
    }
    free(path);
    free(r);
    free(names[i]);
  }
  free(names);
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

int discover_content(arena *a, const site_config *cfg, content_set *cs, diag_list *diags) {
  memset(cs, 0, sizeof *cs);
  walker w = {.a = a, .cfg = cfg, .diags = diags};
  DIR *d = opendir(cfg->content_dir);
  if (!d) {
    diag_add(diags, cfg->content_dir, 0, 0, SEV_ERROR, "content-unreadable",
             "cannot read the content folder: %s", strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 8;
      names = xrealloc(names, cap * sizeof *names);
    }
    names[n++] = xstrdup(e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    char *path = path_join(cfg->content_dir, names[i]);
    int li = config_locale_index(cfg, names[i]);
    if (!is_dir(path)) {
      /* Files at the top of content/ belong to no locale: shared media is
       * kept under the source locale instead. */
      diag_add(diags, path, 0, 0, SEV_WARNING, "content-stray-file",
               "file outside any locale folder is ignored (move it under %s/)",
               cfg->source_locale);
    } else if (li < 0) {
      diag_add(diags, path, 0, 0, SEV_ERROR, "unknown-locale",
               "folder '%s' is not a locale listed in %s (locales: %s%s)", names[i], cfg->file,
               cfg->locales[0], cfg->nlocales > 1 ? ", ..." : "");
    } else {
      walk(&w, li, path, "", 0);
    }
    free(path);
    free(names[i]);
  }
  free(names);
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
  cs->articles = w.articles;
  cs->narticles = w.narticles;
  cs->media = w.media;
  cs->nmedia = w.nmedia;
  cs->includes = w.includes;
  cs->nincludes = w.nincludes;
  cs->tocs = w.tocs;
  cs->ntocs = w.ntocs;
  return w.io_error ? -1 : 0;
}

article *content_find_article(const content_set *cs, int locale, const char *rel) {
  if (!cs->narticles)
    return NULL;
  article key = {.locale = locale, .rel = rel};
  return bsearch(&key, cs->articles, cs->narticles, sizeof *cs->articles, cmp_article);
}

const content_file *content_find_file(const content_file *files, size_t n, int locale,
                                      const char *rel) {
  if (!n)
    return NULL;
  content_file key = {.locale = locale, .rel = rel};
  return bsearch(&key, files, n, sizeof *files, cmp_file);
}
