/* `folio serve`: the build pipeline wired to the preview server (serve/).
 *
 * Every build goes into a folder of its own inside a private run folder
 * (<project>/.folio/serve/run-<pid>-XXXXXX, or under $TMPDIR when that would
 * lie inside the sources), never into the project's output folder. Builds
 * keep going past content errors so that the site stays usable while an
 * article is broken; the server switches to a build only once it is
 * complete, and the previous folder is deleted then. Clients are told which
 * pages changed (the two builds' files compared by SHA-256) and which
 * diagnostics belong to which page. */
#include "cmd_serve.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "config.h"
#include "httpserve.h"
#include "json.h"
#include "pipeline.h"
#include "report.h"
#include "sha256.h"
#include "strmap.h"
#include "util.h"
#include "watch.h"

static const char usage_serve[] =
    "usage: folio serve [options]\n"
    "\n"
    "Build the site, serve it on this machine with live reload, and rebuild it\n"
    "whenever an article, a locale file, a template or folio.yml changes.\n"
    "\n"
    "  -C DIR        run in project folder DIR (where folio.yml is); default .\n"
    "  --port N      listen on port N (default 8080); 0 picks a free port\n"
    "  --host ADDR   listen on address ADDR (default 127.0.0.1: this machine only)\n"
    "  -j N          use N threads (default: number of cores)\n"
    "  -q, --quiet   print only diagnostics and the address, no summary lines\n"
    "  --no-cache    parse and render everything again on every build, without\n"
    "                reading or writing the build cache (.folio/cache/build)\n"
    "\n"
    "Pages with errors still build and the browser shows their errors over the\n"
    "page; a page that cannot be built at all keeps its last good version. The\n"
    "site is built into a private folder (.folio/serve/ in the project), never\n"
    "into paths.output, and that folder is removed on exit. Stop with Ctrl-C.\n"
    "Exit status: 0 stopped, 1 the first build failed, 2 usage or I/O errors.\n";

/* ---- signals ---- */

static volatile sig_atomic_t stop_requested;
static watch *volatile signal_watch; /* the watch to wake; swapped with signals blocked */

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
  watch *w = signal_watch;
  if (w)
    watch_interrupt(w);
}

static void set_signal_watch(watch *w) {
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, &old);
  signal_watch = w;
  sigprocmask(SIG_SETMASK, &old, NULL);
}

static void catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* A second Ctrl-C (say, during a long build) ends the process at once. */
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN); /* a browser closing its connection */
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether path is dir or lies inside it (both absolute and normalized). */
static bool inside(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/' || (n == 1 && *dir == '/'));
}

/* path made absolute: resolved when it exists, else its folder resolved (or
 * the working folder prefixed). malloc'd. */
static char *abs_path(const char *path) {
  char *r = realpath(path, NULL);
  if (r)
    return r;
  const char *slash = strrchr(path, '/');
  char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
  char *rdir = realpath(dir, NULL);
  char *out = path_join(rdir ? rdir : dir, slash ? slash + 1 : path);
  free(dir);
  free(rdir);
  return out;
}

/* ---- the private run folder ---- */

/* Remove the run folders (prefix<pid>-XXXXXX in dir) of serve processes
 * that are gone (killed without cleaning up). */
static void sweep_runs(const char *dir, const char *prefix) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  size_t pl = strlen(prefix);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, prefix, pl))
      continue;
    char *end;
    long pid = strtol(e->d_name + pl, &end, 10);
    if (pid > 0 && *end == '-' && pid != (long)getpid() && kill((pid_t)pid, 0) < 0 &&
        errno == ESRCH) {
      char *p = path_join(dir, e->d_name);
      remove_tree(p);
      free(p);
    }
  }
  closedir(d);
}

static char *make_run(const char *dir, const char *prefix) {
  if (mkdir_p(dir) < 0)
    return NULL;
  sweep_runs(dir, prefix);
  size_t n = strlen(dir) + strlen(prefix) + 40;
  char *run = xmalloc(n);
  snprintf(run, n, "%s/%s%ld-XXXXXX", dir, prefix, (long)getpid());
  if (!mkdtemp(run)) {
    free(run);
    return NULL;
  }
  return run;
}

/* The run folder: under <project>/.folio/serve/ unless that lies inside the
 * content, locales or templates folder (a project whose content is its
 * root), or cannot be made; then under $TMPDIR. *cache is set to the
 * .folio/serve folder when the run folder lies in it. */
static char *make_run_folder(const char *root, char **cache) {
  *cache = NULL;
  char *aroot = realpath(root, NULL);
  if (aroot) {
    char *c = path_join(aroot, ".folio/serve");
    bool ok = true;
    arena *a = arena_new();
    site_config cfg;
    diag_list dl = {0};
    if (config_load(a, root, &cfg, &dl) == 0) {
      const char *src[] = {cfg.content_dir, cfg.locales_dir, cfg.templates_dir};
      for (size_t i = 0; i < 3; i++) {
        char *s = abs_path(src[i]);
        ok = ok && !inside(c, s);
        free(s);
      }
    }
    diag_list_free(&dl);
    arena_free(a);
    char *run = ok ? make_run(c, "run-") : NULL;
    free(aroot);
    if (run) {
      *cache = c;
      return run;
    }
    free(c);
  }
  const char *tmp = getenv("TMPDIR");
  return make_run(tmp && *tmp ? tmp : "/tmp", "folio-serve-");
}

/* ---- the files of a build, by content hash ---- */

typedef struct {
  char *path; /* inside the site: "en-us/a.html" */
  unsigned char hash[32];
  /* The file hashed: one of the next build's files that is the same
   * inode, unchanged (a page linked from this build), is not read again. */
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
} site_file;

typedef struct {
  site_file *items;
  size_t count, cap;
} site_files;

static void files_free(site_files *f) {
  for (size_t i = 0; i < f->count; i++)
    free(f->items[i].path);
  free(f->items);
  memset(f, 0, sizeof *f);
}

static int cmp_file(const void *a, const void *b) {
  return strcmp(((const site_file *)a)->path, ((const site_file *)b)->path);
}

/* The hash of prev's file at rel when st is that very file, unchanged:
 * both trees exist while the new one is hashed, so the same inode on the
 * same device is the same file, and its bytes change only with its
 * modification time. */
static const unsigned char *known_hash(const site_files *prev, const char *rel,
                                       const struct stat *st) {
  if (!prev || !prev->count)
    return NULL;
  site_file key = {.path = (char *)rel};
  const site_file *f = bsearch(&key, prev->items, prev->count, sizeof key, cmp_file);
  if (!f || f->dev != st->st_dev || f->ino != st->st_ino || f->size != st->st_size ||
      f->mtime.tv_sec != st->st_mtim.tv_sec || f->mtime.tv_nsec != st->st_mtim.tv_nsec)
    return NULL;
  return f->hash;
}

static int hash_tree(const char *root, const char *rel, const site_files *prev, site_files *out,
                     int depth) {
  char *dir = *rel ? path_join(root, rel) : xstrdup(root);
  DIR *d = opendir(dir);
  free(dir);
  if (!d)
    return -1;
  int rc = 0;
  struct dirent *e;
  while (rc == 0 && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char *r = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
    char *full = path_join(root, r);
    struct stat st;
    char *data;
    size_t len;
    if (lstat(full, &st) < 0) {
      rc = -1;
    } else if (S_ISDIR(st.st_mode)) {
      rc = depth < 64 ? hash_tree(root, r, prev, out, depth + 1) : -1;
    } else if (S_ISREG(st.st_mode)) {
      const unsigned char *known = known_hash(prev, r, &st);
      if (!known && read_file(full, &data, &len) < 0) {
        rc = -1;
      } else {
        if (out->count == out->cap) {
          out->cap = out->cap ? out->cap * 2 : 64;
          out->items = xrealloc(out->items, out->cap * sizeof *out->items);
        }
        site_file *f = &out->items[out->count++];
        *f = (site_file){.path = r, .dev = st.st_dev, .ino = st.st_ino, .size = st.st_size,
                         .mtime = st.st_mtim};
        r = NULL;
        if (known) {
          memcpy(f->hash, known, sizeof f->hash);
        } else {
          sha256(data, len, f->hash);
          free(data);
        }
      }
    }
    free(r);
    free(full);
  }
  closedir(d);
  return rc;
}

/* Every file of the site in dir, sorted by path, each hashed unless it is
 * one of prev's (NULL for none). Returns 0 or -1 (errno). */
static int hash_site(const char *dir, const site_files *prev, site_files *out) {
  if (hash_tree(dir, "", prev, out, 0) < 0)
    return -1;
  if (out->count)
    qsort(out->items, out->count, sizeof *out->items, cmp_file);
  return 0;
}

static void put_site_path(buf *out, const char *path) {
  /* "/" and the path, as one JSON string. */
  buf url = {0};
  buf_putc(&url, '/');
  buf_puts(&url, path);
  if (out->len)
    buf_putc(out, ',');
  json_put_string(out, url.data, url.len);
  buf_free(&url);
}

/* The site paths whose bytes differ between two builds (added, removed or
 * changed), appended to out as JSON strings; returns how many. */
static size_t diff_sites(const site_files *old, const site_files *cur, buf *out) {
  size_t i = 0, j = 0, n = 0;
  while (i < old->count || j < cur->count) {
    int c = i == old->count ? 1 : j == cur->count ? -1 : strcmp(old->items[i].path, cur->items[j].path);
    if (c < 0) {
      put_site_path(out, old->items[i++].path);
      n++;
    } else if (c > 0) {
      put_site_path(out, cur->items[j++].path);
      n++;
    } else {
      if (memcmp(old->items[i].hash, cur->items[j].hash, 32)) {
        put_site_path(out, cur->items[j].path);
        n++;
      }
      i++, j++;
    }
  }
  return n;
}

/* ---- pages and diagnostics ---- */

/* Whether the site has a page of art in locale l: its own, or (a source
 * article not translated into l) the fallback page built from its text. */
static bool page_in(const pipeline *b, const article *art, size_t l) {
  if ((int)l == art->locale)
    return true;
  return art->locale == 0 && !strcmp(b->cfg.untranslated, "fallback") &&
         !content_find_article(&b->content, (int)l, art->rel);
}

/* A page of an article the new build has no page for (the article could
 * not be loaded, its front matter broken mid-edit, say, or its page not be
 * rendered) keeps its last good version, hard-linked from the previous
 * build (the server may read it after that folder is deleted). The page of
 * an article that is gone is not kept. */
static void keep_last_good(const pipeline *b, const char *old, const char *cur) {
  for (size_t i = 0; i < b->content.narticles; i++) {
    const article *art = &b->content.articles[i];
    for (size_t l = 0; l < b->cfg.nlocales; l++) {
      if (!page_in(b, art, l))
        continue;
      char *rel = path_join(b->cfg.locales[l], art->url);
      char *from = path_join(old, rel), *to = path_join(cur, rel);
      if (is_file(from) && !is_file(to)) {
        char *dir = path_dirname(to);
        mkdir_p(dir);
        if (link(from, to) < 0)
          copy_file(from, to);
        free(dir);
      }
      free(rel);
      free(from);
      free(to);
    }
  }
}

/* The article a diagnostic belongs to: by its file, or for a problem in an
 * included file, by the "(included from ARTICLE:LINE)" its message ends
 * with. NULL for the files of no article (folio.yml, toc.yml, templates). */
static const article *article_of(const pipeline *b, const strmap *by_path, const diag *d,
                                 arena *mem) {
  int *i = strmap_get(by_path, d->file);
  if (i)
    return &b->content.articles[*i];
  static const char via[] = " (included from ";
  const char *k = NULL;
  for (const char *p = d->message; (p = strstr(p, via)); p++)
    k = p;
  const char *colon = k ? strrchr(k, ':') : NULL;
  if (!colon)
    return NULL;
  k += sizeof via - 1;
  i = colon > k ? strmap_get(by_path, arena_strndup(mem, k, (size_t)(colon - k))) : NULL;
  return i ? &b->content.articles[*i] : NULL;
}

static void put_diag(buf *out, const char *page, const diag *d) {
  buf_puts(out, out->len ? ",{\"page\":" : "{\"page\":");
  json_put_string(out, page, strlen(page));
  buf_puts(out, ",\"file\":");
  json_put_string(out, d->file, strlen(d->file));
  buf_printf(out, ",\"line\":%d,\"col\":%d,\"severity\":\"%s\",\"code\":", d->line, d->col,
             severity_name(d->sev));
  json_put_string(out, d->code, strlen(d->code));
  buf_puts(out, ",\"message\":");
  json_put_string(out, d->message, strlen(d->message));
  buf_putc(out, '}');
}

/* The notice for the browsers (see httpserve_notify): whether the new build
 * is served, the site paths that changed (changed holds them as JSON
 * strings), and the errors and warnings, each once per page built from its
 * article ("*" for those of no article). */
static char *make_payload(const pipeline *b, bool served, const char *changed) {
  arena *mem = arena_new();
  strmap by_path;
  strmap_init(&by_path, mem);
  for (size_t i = 0; i < b->content.narticles; i++)
    strmap_set(&by_path, b->content.articles[i].path, (int)i);
  buf diags = {0};
  for (size_t i = 0; i < b->diags.count; i++) {
    const diag *d = &b->diags.items[i];
    if (d->sev == SEV_INFO)
      continue;
    const article *art = article_of(b, &by_path, d, mem);
    for (size_t l = 0; art && l < b->cfg.nlocales; l++)
      if (page_in(b, art, l))
        put_diag(&diags, arena_printf(mem, "/%s/%s", b->cfg.locales[l], art->url), d);
    if (!art)
      put_diag(&diags, "*", d);
  }
  buf out = {0};
  buf_printf(&out, "{\"ok\":%s,\"changed\":[%s],\"diagnostics\":[%s]}", served ? "true" : "false",
             changed, diags.data ? diags.data : "");
  buf_free(&diags);
  arena_free(mem);
  return buf_detach(&out);
}

/* ---- the server ---- */

enum { ROOT_CONTENT, ROOT_LOCALES, ROOT_TEMPLATES, ROOT_CONFIG, NROOTS };

typedef struct {
  pipeline_options opt;
  bool color;
  char *project; /* the project folder, absolute */
  char *run;     /* the private run folder */
  char *cache;   /* <project>/.folio/serve when run lies in it, else NULL */
  char *live;    /* the build being served (inside run) */
  char *retired; /* the build served before it: the next build starts from it */
  char *unused;  /* a build no build started from, removed once browsers were told */
  pthread_t remover; /* removing it, while the server waits for changes */
  bool removing;
  site_files files; /* its files */
  unsigned builds;  /* builds made, to name their folders */
  httpserve *http;
  watch *w;
  char *roots[NROOTS]; /* what w watches, absolute; NULL where missing */
  char *output;        /* paths.output, absolute: never watched */
} server;

/* path as shown to the user: inside the project, relative to it. */
static const char *shown(const server *s, const char *path) {
  size_t n = strlen(s->project);
  return !strncmp(path, s->project, n) && path[n] == '/' ? path + n + 1 : path;
}

/* (Re)open the watch on the folders of cfg (the last build's folio.yml)
 * when they are not the ones watched, or when force. Keeps the old watch
 * when the new one cannot be opened. Returns 0 or -1 (reason printed). */
static int watch_sources(server *s, const site_config *cfg, bool force) {
  char *roots[NROOTS] = {0};
  const char *given[NROOTS] = {cfg->content_dir, cfg->locales_dir, cfg->templates_dir, NULL};
  char *config = path_join(cfg->root, "folio.yml");
  given[ROOT_CONFIG] = config;
  bool same = s->w != NULL;
  for (size_t i = 0; i < NROOTS; i++) {
    roots[i] = realpath(given[i], NULL);
    same = same && ((!roots[i] && !s->roots[i]) ||
                    (roots[i] && s->roots[i] && !strcmp(roots[i], s->roots[i])));
  }
  free(config);
  if (same && !force) {
    for (size_t i = 0; i < NROOTS; i++)
      free(roots[i]);
    return 0;
  }
  const char *paths[NROOTS];
  size_t n = 0;
  for (size_t i = 0; i < NROOTS; i++)
    if (roots[i])
      paths[n++] = roots[i];
  free(s->output);
  s->output = abs_path(cfg->output_dir);
  const char *ignore[] = {s->run, s->output};
  watch_options wo = {.ignore = ignore, .nignore = 2};
  watch *w;
  char err[256];
  if (watch_open(&w, paths, n, &wo, err, sizeof err) < 0) {
    fprintf(stderr, "folio: cannot watch the sources: %s\n", err);
    for (size_t i = 0; i < NROOTS; i++)
      free(roots[i]);
    return -1;
  }
  watch *old = s->w;
  s->w = w;
  set_signal_watch(w);
  watch_close(old);
  for (size_t i = 0; i < NROOTS; i++) {
    free(s->roots[i]);
    s->roots[i] = roots[i];
  }
  return 0;
}

/* Whether what changed can only be shown by reloading every page: folio.yml,
 * the locale files and the templates shape every page, a media file may be
 * shown on any page, and an overflow means changes went unrecorded. The
 * pages an article or toc.yml changed are found by comparing the builds. */
static bool changes_everything(const server *s, const watch_changes *c) {
  if (c->overflow)
    return true;
  for (size_t i = 0; i < c->count; i++) {
    const char *p = c->paths[i];
    if (!s->roots[ROOT_CONTENT] || !inside(p, s->roots[ROOT_CONTENT]))
      return true;
    const char *name = strrchr(p, '/');
    const char *dot = strrchr(name ? name : p, '.');
    if (dot && strcasecmp(dot, ".md") && strcasecmp(dot, ".yml") && strcasecmp(dot, ".yaml"))
      return true;
  }
  return false;
}

/* Whether a watched folder itself was deleted or moved (its watch is gone). */
static bool root_changed(const server *s, const watch_changes *c) {
  for (size_t i = 0; i < c->count; i++)
    for (size_t r = 0; r < NROOTS; r++)
      if (s->roots[r] && !strcmp(c->paths[i], s->roots[r]))
        return true;
  return false;
}

static void print_diags(const server *s, const pipeline *b) {
  /* Notes (info) are for `folio check -v`; here they would bury what fails. */
  diag_list l = {.items = xcalloc(b->diags.count + 1, sizeof *l.items)};
  for (size_t i = 0; i < b->diags.count; i++)
    if (b->diags.items[i].sev != SEV_INFO)
      l.items[l.count++] = b->diags.items[i];
  report_print(stderr, &l, REPORT_TEXT, s->color);
  free(l.items); /* a view: the strings belong to b->diags */
}

/* Build into a new folder and, when the pipeline published it, serve it in
 * place of the previous build, which is then deleted. everything: tell
 * every page to reload. Returns whether the new build is served; *payload
 * is the notice for the browsers (malloc'd). *status is the pipeline's. */
static bool build(server *s, bool everything, bool force_watch, char **payload,
                  pipeline_status *status) {
  double t0 = now();
  char name[32];
  snprintf(name, sizeof name, "b%u", ++s->builds);
  char *dir = path_join(s->run, name);
  pipeline_options opt = s->opt;
  opt.output = dir;
  /* Unchanged pages are linked from the build being served (buildcache.h),
   * into the build served before it: its files that are the served
   * build's are left as they are (publish.h). */
  opt.previous_site = s->live;
  opt.spare_site = s->retired;
  pipeline b;
  *status = pipeline_run(&b, &opt, PIPELINE_PUBLISH);
  struct stat spare_st;
  if (s->retired && lstat(s->retired, &spare_st) == 0) /* not taken: of no more use */
    s->unused = s->retired;
  else
    free(s->retired);
  s->retired = NULL;
  bool served = false;
  site_files files = {0};
  char err[256] = "";
  if (b.published) {
    if (s->live)
      keep_last_good(&b, s->live, dir);
    if (hash_site(dir, &s->files, &files) < 0)
      snprintf(err, sizeof err, "cannot read the new build %s: %s", dir, strerror(errno));
    else if (!s->http || httpserve_set_root(s->http, dir, err, sizeof err) == 0)
      served = true;
  }
  buf changed = {0};
  size_t nchanged = 0;
  if (served) {
    nchanged = diff_sites(&s->files, &files, &changed);
    if (everything) {
      changed.len = 0;
      buf_puts(&changed, "\"*\"");
    }
    s->retired = s->live;
    s->live = dir;
    files_free(&s->files);
    s->files = files;
  } else {
    files_free(&files);
    remove_tree(dir);
    free(dir);
  }
  double seconds = now() - t0;

  print_diags(s, &b);
  size_t errors = diag_count(&b.diags, SEV_ERROR), warnings = diag_count(&b.diags, SEV_WARNING);
  if (*err)
    fprintf(stderr, "folio: %s\n", err);
  if (!s->opt.quiet && served && s->builds == 1)
    fprintf(stderr, "folio: built %s in %s, %.2f s: %s, %s%s\n",
            cli_count(b.pages_written, "page", "pages").s,
            cli_count(b.cfg.nlocales, "locale", "locales").s, seconds,
            cli_count(errors, "error", "errors").s, cli_count(warnings, "warning", "warnings").s,
            errors ? " (the pages show them)" : "");
  else if (!s->opt.quiet && served)
    fprintf(stderr, "folio: rebuilt in %.2f s, %s changed%s: %s, %s%s\n", seconds,
            cli_count(nchanged, "file", "files").s, everything ? " (every page reloads)" : "",
            cli_count(errors, "error", "errors").s, cli_count(warnings, "warning", "warnings").s,
            errors ? " (the pages show them)" : "");
  else if (!s->opt.quiet)
    fprintf(stderr, "folio: the build failed in %.2f s with %s and %s; %s\n", seconds,
            cli_count(errors, "error", "errors").s, cli_count(warnings, "warning", "warnings").s,
            s->live ? "still serving the previous build" : "nothing to serve");
  fflush(stderr);

  *payload = make_payload(&b, served, changed.data ? changed.data : "");
  buf_free(&changed);
  /* A folio.yml that loaded may name other folders: watch those. */
  if (b.cfg.content_dir && b.cfg.locales_dir && b.cfg.templates_dir && b.cfg.output_dir)
    watch_sources(s, &b.cfg, force_watch);
  pipeline_free(&b);
  return served;
}

static void *remove_build(void *dir) {
  remove_tree(dir);
  free(dir);
  return NULL;
}

static void wait_remover(server *s) {
  if (s->removing)
    pthread_join(s->remover, NULL);
  s->removing = false;
}

/* A build no longer of use is removed on a thread of its own: removing
 * 20,000 files of a large site took as long as the rest of a save, and a
 * writer who saves again soon would wait for it. */
static void retire(server *s) {
  wait_remover(s);
  if (!s->unused)
    return;
  if (pthread_create(&s->remover, NULL, remove_build, s->unused) == 0)
    s->removing = true;
  else
    remove_build(s->unused);
  s->unused = NULL;
}

/* Wait for changes and rebuild, until a signal. Returns 0, or 2 when the
 * watch failed. */
static int serve_loop(server *s) {
  while (!stop_requested) {
    watch_changes ch = {0};
    int rc = watch_wait(s->w, -1, &ch);
    if (rc < 0) {
      fprintf(stderr, "folio: cannot watch the sources: %s\n", strerror(errno));
      return 2;
    }
    if (rc == 0 || stop_requested) {
      watch_changes_free(&ch);
      continue;
    }
    if (!s->opt.quiet) {
      if (ch.count == 1)
        fprintf(stderr, "folio: %s changed\n", shown(s, ch.paths[0]));
      else if (ch.count)
        fprintf(stderr, "folio: %s and %zu more changed\n", shown(s, ch.paths[0]), ch.count - 1);
      else
        fprintf(stderr, "folio: changes were missed; rebuilding everything\n");
    }
    bool everything = changes_everything(s, &ch);
    bool force = root_changed(s, &ch);
    watch_changes_free(&ch);
    char *payload;
    pipeline_status st;
    build(s, everything, force, &payload, &st);
    if (httpserve_notify(s->http, payload) < 0)
      fprintf(stderr, "folio: out of memory for the browsers' notice\n");
    free(payload);
    retire(s);
  }
  return 0;
}

static void server_free(server *s) {
  set_signal_watch(NULL);
  watch_close(s->w);
  httpserve_stop(s->http);
  files_free(&s->files);
  wait_remover(s);
  free(s->retired); /* in run */
  free(s->unused);
  if (s->run && remove_tree(s->run) < 0)
    fprintf(stderr, "folio: cannot remove %s: %s\n", s->run, strerror(errno));
  /* .folio/serve and .folio, when nothing else is left in them. */
  if (s->cache && rmdir(s->cache) == 0) {
    char *parent = path_dirname(s->cache);
    rmdir(parent);
    free(parent);
  }
  free(s->cache);
  free(s->run);
  free(s->live);
  free(s->project);
  free(s->output);
  for (size_t i = 0; i < NROOTS; i++)
    free(s->roots[i]);
}

static int parse_number(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (errno || end == s || *end || n < lo || n > hi)
    return -1;
  *out = n;
  return 0;
}

int cmd_serve(int argc, char **argv) {
  server s = {.opt = {.root = ".", .keep_going = true}};
  const char *host = "127.0.0.1";
  long port = 8080;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool has_next = i + 1 < argc;
    long n;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_serve, stdout);
      return 0;
    } else if (!strcmp(a, "-C") && has_next) {
      s.opt.root = argv[++i];
    } else if (!strcmp(a, "--port") && has_next) {
      if (parse_number(argv[++i], 0, 65535, &port) < 0)
        return cli_usage_error("--port takes a number from 0 to 65535, not", argv[i], "folio serve --help");
    } else if (!strcmp(a, "--host") && has_next) {
      host = argv[++i];
    } else if ((!strcmp(a, "-j") && has_next) || (!strncmp(a, "-j", 2) && a[2])) {
      const char *v = a[2] ? a + 2 : argv[++i]; /* -j 4 or -j4, as build takes it */
      if (parse_number(v, 1, 256, &n) < 0)
        return cli_usage_error("-j takes a number of threads from 1 to 256, not", v, "folio serve --help");
      s.opt.jobs = (int)n;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      s.opt.quiet = true;
    } else if (!strcmp(a, "--no-cache")) {
      s.opt.no_cache = true;
    } else if (a[0] == '-') {
      static const char *const options[] = {"--help", "--host", "--port", "--quiet", "--no-cache"};
      const char *near = cli_nearest(a, options, sizeof options / sizeof *options);
      if (!has_next && (!strcmp(a, "-C") || !strcmp(a, "--port") || !strcmp(a, "--host") ||
                        !strcmp(a, "-j")))
        return cli_usage_error("this option needs a value:", a, "folio serve --help");
      return cli_usage_suggest("unknown option", a, near, "folio serve --help");
    } else {
      return cli_usage_error("unexpected argument", a, "folio serve --help");
    }
  }
  s.color = isatty(2) && !getenv("NO_COLOR");
  if (!(s.project = realpath(s.opt.root, NULL))) {
    fprintf(stderr, "folio: %s: %s\n", s.opt.root, strerror(errno));
    return 2;
  }
  if (!(s.run = make_run_folder(s.opt.root, &s.cache))) {
    fprintf(stderr, "folio: cannot make a folder to build into: %s\n", strerror(errno));
    server_free(&s);
    return 2;
  }
  catch_signals();

  char *payload;
  pipeline_status st;
  if (!build(&s, true, false, &payload, &st)) {
    free(payload);
    server_free(&s);
    return st == PIPELINE_OK ? 2 : (int)st;
  }
  int rc = 0;
  char err[256];
  httpserve_options ho = {.host = host, .port = (unsigned)port, .root = s.live};
  if (!s.w) {
    rc = 2; /* watch_sources said why */
  } else if (httpserve_start(&s.http, &ho, err, sizeof err) < 0) {
    fprintf(stderr, "folio: cannot serve on %s port %ld: %s%s\n", host, port, err,
            port ? " (choose another with --port N, or --port 0 for any free port)" : "");
    rc = 2;
  } else {
    httpserve_notify(s.http, payload);
    bool v6 = strchr(host, ':') != NULL;
    fprintf(stderr, "folio: serving http://%s%s%s:%u/ (Ctrl-C to stop)\n", v6 ? "[" : "", host,
            v6 ? "]" : "", httpserve_port(s.http));
    fflush(stderr);
    rc = serve_loop(&s);
  }
  free(payload);
  server_free(&s);
  if (rc == 0 && !s.opt.quiet)
    fprintf(stderr, "folio: stopped\n");
  return rc;
}
