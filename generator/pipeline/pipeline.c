/* The order of the stages, and the two parallel phases: (1) each article is
 * loaded, parsed, indexed and rendered to body HTML; (2) after the serial
 * stages that need every article (toc, resolve), each page is laid out and
 * written. Per-article work writes only into that article. */
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "buildcache.h"
#include "discover.h"
#include "extlinks.h"
#include "frontmatter.h"
#include "include.h"
#include "markdown.h"
#include "out_search.h"
#include "searchdigest.h"
#include "out_sitemap.h"
#include "path.h"
#include "pivots.h"
#include "policy.h"
#include "pool.h"
#include "publish.h"
#include "redirects.h"
#include "render.h"
#include "resolve.h"
#include "strmap.h"
#include "toc.h"
#include "translation.h"
#include "alloc.h"
#include "util.h"
#include "yamlbody.h"
#include "yamlpage.h"

#define ARTICLE_ARENA_BLOCK (8 * 1024)

/* A page's template values and HTML die with the page; each thread reuses
 * one arena and one buffer for all its pages (a fresh 64 KiB block per page
 * made the heap grow with holes). */
static _Thread_local arena *page_mem;
static _Thread_local buf page_out;

static arena *page_begin(void) {
  if (!page_mem)
    page_mem = arena_new();
  arena_reset(page_mem);
  page_out.len = 0;
  return page_mem;
}

/* Pool threads free their parse arena and page arena before they exit. */
static void pool_thread_done(void) {
  markdown_thread_done();
  arena_free(page_mem);
  page_mem = NULL;
  buf_free(&page_out);
}

/* FOLIO_TIMINGS=1: each stage's wall time and the resident memory at its
 * end, on stderr (what bench/ and a slow build's owner want to see). */
static double clock_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6))
      kib = atol(line + 6);
  if (f)
    fclose(f);
  return kib;
}

static void stage_time(pipeline *b, const char *stage) {
  if (!b->timings)
    return;
  double now = clock_s();
  fprintf(stderr, "folio: time: %-28s %7.3f s, resident %ld MiB\n", stage, now - b->clock,
          rss_kib() / 1024);
  b->clock = now;
}

static void report_progress(pipeline *b, const char *stage) {
  size_t done = atomic_fetch_add(&b->progress_done, 1) + 1;
  if (b->opt.progress)
    b->opt.progress(stage, done, b->content.narticles);
}

/* Invalid UTF-8 (a Latin-1 file) is an error at its first bad byte; the
 * text is then repaired as cmark would (U+FFFD), so that the rest of the
 * file is still checked and every diagnostic quoting it stays UTF-8.
 * Returns the repaired copy (malloc'd), or NULL when text is valid. */
static char *check_utf8(const char *path, const char *text, size_t *len, diag_list *diags) {
  size_t bad, nbad;
  if (utf8_valid(text, *len, &bad, &nbad))
    return NULL;
  int line, col;
  str_position(text, *len, bad, &line, &col);
  char count[64] = "";
  if (nbad > 1)
    snprintf(count, sizeof count, " (%zu invalid bytes in the file)", nbad);
  diag_add(diags, path, line, col, SEV_ERROR, "invalid-utf8",
           "byte 0x%02X is not valid UTF-8%s; save the file as UTF-8",
           (unsigned char)text[bad], count);
  return utf8_repair(text, *len, len);
}

/* A YAML page: its parts read (yamlpage), then its Markdown and links
 * through the markdown layer (yamlbody). Translations record the hash of
 * the file without its metadata: block, the part that is not text. */
static void load_yaml_page(pipeline *b, article *art, const char *text, size_t len) {
  if (yamlpage_parse(art->mem, art->path, art->kind, text, len, &art->yaml, &art->fm,
                     &art->diags) < 0)
    return;
  const yaml_page *p = art->yaml;
  buf hashed = {0};
  buf_put(&hashed, text, p->meta_start);
  buf_put(&hashed, text + p->meta_end, len - p->meta_end);
  char hash[TRANSLATION_HASH_SIZE];
  translation_hash_body(hashed.data ? hashed.data : "", hashed.len, hash);
  buf_free(&hashed);
  art->body_hash = arena_strdup(art->mem, hash);
  if (b->stop == PIPELINE_LOAD || yamlbody_render(&b->mdenv, art) == 0)
    art->ok = true;
}

static void load_article(void *ctx, size_t i) {
  pipeline *b = ctx;
  article *art = &b->content.articles[i];
  report_progress(b, "parse");
  /* What an article keeps is small, and there are many: a small first
   * block (its body HTML, the largest piece, gets a block of its own). */
  art->mem = arena_new_sized(ARTICLE_ARENA_BLOCK);
  /* Unchanged since its entry was made, by its file's stamp: not read. */
  if (buildcache_article_unchanged(b->cache, art)) {
    art->ok = true;
    return;
  }
  char *text;
  size_t len;
  if (read_file(art->abspath, &text, &len) < 0) {
    diag_add(&art->diags, art->path, 0, 0, SEV_ERROR, "file-unreadable", "cannot read: %s",
             strerror(errno));
    return;
  }
  char *repaired = check_utf8(art->path, text, &len, &art->diags);
  if (repaired) {
    free(text);
    text = repaired;
  }
  if (art->kind != PAGE_MARKDOWN) {
    buildcache_text(b->cache, art, text, len, false);
    load_yaml_page(b, art, text, len);
    free(text);
    return;
  }
  bool fm_ok = frontmatter_parse(art->mem, art->path, text, len, &art->fm, &art->diags) == 0;
  /* Only a source article's hash is ever compared (translation_state_of):
   * translations record it, they are not hashed. */
  if (fm_ok && art->locale == 0) {
    char hash[TRANSLATION_HASH_SIZE];
    translation_hash_article(&b->cfg, &b->content, art, text + art->fm.body_offset,
                             len - art->fm.body_offset, hash);
    art->body_hash = arena_strdup(art->mem, hash);
  }
  buildcache_text(b->cache, art, text, len, fm_ok);
  size_t diag_from = art->diags.count;
  if (fm_ok && b->stop == PIPELINE_LOAD)
    art->ok = true;
  else if (fm_ok && buildcache_article_get(b->cache, art))
    art->ok = true; /* unchanged: the products and diagnostics of last time */
  else if (fm_ok && markdown_render_article(&b->mdenv, art, text + art->fm.body_offset,
                                            len - art->fm.body_offset, art->fm.body_line) == 0) {
    art->ok = true;
    /* Held by every article until the pages, the bodies were the peak of
     * a build's memory: the entry keeps it now (buildcache_body). */
    if (buildcache_article_put(b->cache, art, text, len, diag_from)) {
      free(art->body_html);
      art->body_html = NULL;
    }
  }
  free(text);
}

/* What the search stage's callbacks share. */
typedef struct {
  pipeline *b;
  const publish_txn *txn;
  _Atomic bool lost; /* a body held by the cache could not be read back */
} search_ctx;

static void cache_changed(article *art) {
  diag_add(&art->diags, art->path, 0, 0, SEV_ERROR, "cache-changed",
           "the build cache entry of this article could not be read back during the build "
           "(a read error, or its pack in %s cut short); build again", BUILDCACHE_DIR);
}

/* The search stage's source of bodies the cache holds (out_search_body_fn). */
static char *search_body(void *ctx, const article *art) {
  search_ctx *sc = ctx;
  pipeline *b = sc->b;
  char *body = buildcache_body_copy(b->cache, art);
  /* On the pool, but each article once per locale pass, and only this
   * stage writes its diagnostics now. */
  if (!body && buildcache_holds_body(b->cache, art)) {
    cache_changed(&b->content.articles[art - b->content.articles]);
    atomic_store(&sc->lost, true);
  }
  return body;
}

/* The search digests of the build cache (out_search_digests). */
static bool find_digest(void *ctx, int locale, const article *art, out_search_digest *d) {
  search_ctx *sc = ctx;
  unsigned char key[SEARCHDIGEST_KEY];
  bool found = buildcache_search_digest_key(sc->b->cache, art, key) &&
               search_digests_find(sc->b->digests, locale, key, d);
  if (found)
    atomic_fetch_add(&sc->b->search_digested, 1);
  return found;
}

static void keep_digest(void *ctx, int locale, const article *art, const out_search_digest *d) {
  search_ctx *sc = ctx;
  unsigned char key[SEARCHDIGEST_KEY];
  sc->b->search_pages++;
  if (buildcache_search_digest_key(sc->b->cache, art, key))
    search_digests_keep(sc->b->digests, locale, key, d);
}

static bool carry_search_file(void *ctx, int locale, const char *rel) {
  search_ctx *sc = ctx;
  struct stat st;
  /* The lstat of the stamp serves the link too. */
  return buildcache_search_file_intact(sc->b->cache, locale, rel, sc->txn, &st) &&
         publish_keep_checked(sc->txn, rel, &st) == 0;
}

static void digests_done(void *ctx, int locale, bool ok) {
  search_ctx *sc = ctx;
  /* A page whose body was lost was indexed without its text: its digest
   * must not outlive this build. */
  search_digests_done(sc->b->digests, locale, ok && !atomic_load(&sc->lost));
}

typedef struct {
  pipeline *b;
  publish_txn *txn;
  const bool *keep_body;   /* per article: a fallback page shows its body later */
  const bool *search_kept; /* per locale: its search index was carried over */
} page_job;

static void write_page(void *ctx, size_t i) {
  page_job *job = ctx;
  pipeline *b = job->b;
  article *art = &b->content.articles[i];
  report_progress(b, "write");
  /* Published with errors, an article that could not be loaded would be an
   * empty page: it gets none (its errors say why). */
  if (b->opt.keep_going && job->txn && !art->ok)
    return;
  /* Unchanged since the site in place was built: carried over as it is. */
  bool kept = buildcache_page_keep(b->cache, i, job->txn);
  /* Its search text now only when its body cannot be had again later:
   * the others give theirs to the search stage, a few dozen at a time,
   * so that the texts of every page are never held at once. */
  bool text_now = job->txn && art->ok && !job->search_kept[art->locale] &&
                  !buildcache_holds_body(b->cache, art);
  /* The body, when the cache holds it, is read back only if something
   * here needs it. */
  if ((!kept || text_now || job->keep_body[i]) && buildcache_body(b->cache, art) < 0) {
    cache_changed(art);
    return;
  }
  if (!kept) {
    size_t diag_from = art->diags.count;
    /* The page's template values die with the page, in the thread's page
     * arena: kept in the article's, the navigation of 10,000 pages
     * outgrew memory. */
    arena *mem = page_begin();
    if (render_article(&b->renv, art, mem, &page_out, &art->diags) == 0) {
      char *rel = arena_concat(mem, b->cfg.locales[art->locale], "/", art->url);
      publish_write(job->txn, rel, page_out.data, page_out.len, &art->diags);
    }
    buildcache_page_done(b->cache, i, art->diags.count == diag_from);
  }
  /* The body HTML is the largest thing an article keeps: once its page is
   * laid out, only the search index needs it, as text (smaller, taken
   * now), and a fallback page of another locale as HTML. */
  if (text_now && art->body_html) {
    buf text = {0};
    out_search_text(art->body_html, &text);
    buf_putc(&text, '\0');
    art->search_text = buf_detach(&text);
  }
  if (!job->keep_body[i]) {
    free(art->body_html);
    art->body_html = NULL;
  }
}

/* A fallback page is laid out in the thread's page arena, never in the
 * source article's: several locales may show the same source article at
 * once, and an article's arena is not shared between threads. */
static void write_fallback(void *ctx, size_t i) {
  page_job *job = ctx;
  pipeline *b = job->b;
  fallback_page *fp = &b->fallbacks[i];
  arena *mem = page_begin();
  if (render_fallback(&b->renv, fp, mem, &page_out, &fp->diags) == 0)
    publish_write(job->txn, arena_concat(mem, b->cfg.locales[fp->locale], "/", fp->source->url),
                  page_out.data, page_out.len, &fp->diags);
}

typedef struct {
  pipeline *b;
  publish_txn *txn;
  diag_list *diags; /* one per media file */
} media_job;

static void copy_media(void *ctx, size_t i) {
  media_job *job = ctx;
  const content_file *f = &job->b->content.media[i];
  char *rel = path_join(job->b->cfg.locales[f->locale], f->rel);
  publish_copy(job->txn, rel, f->path, NULL, &job->diags[i]);
  free(rel);
}

/* The pages of untranslated articles, when folio.yml asks for them. */
static void plan_fallbacks(pipeline *b) {
  if (strcmp(b->cfg.untranslated, "fallback"))
    return;
  size_t cap = 0;
  for (size_t l = 1; l < b->cfg.nlocales; l++)
    for (size_t i = 0; i < b->content.narticles; i++) {
      const article *src = &b->content.articles[i];
      if (src->locale != 0 || !src->ok || content_find_article(&b->content, (int)l, src->rel))
        continue;
      fallback_page fp = {.locale = (int)l, .source = src};
      ARENA_PUSH(b->mem, b->fallbacks, b->nfallbacks, cap, fp);
    }
}

/* Drop the diagnostics the user silenced: --ignore CODE everywhere, and an
 * article's own `folio.ignore: [code, ...]` (front matter) in what that
 * article reports, its includes and links included. */
static void suppress(pipeline *b) {
  diag_drop_codes(&b->diags, b->opt.ignore, b->opt.nignore);
  for (size_t i = 0; i < b->content.narticles; i++) {
    article *art = &b->content.articles[i];
    diag_drop_codes(&art->diags, b->opt.ignore, b->opt.nignore);
    for (size_t k = 0; k < art->fm.nmeta; k++) {
      const ynode *v = art->fm.meta[k].value;
      if (strcmp(art->fm.meta[k].key, "folio.ignore") || !v)
        continue;
      if (v->kind == YNODE_SCALAR) {
        const char *one = v->scalar;
        diag_drop_codes(&art->diags, &one, 1);
      }
      for (size_t j = 0; v->kind == YNODE_SEQ && j < v->count; j++)
        if (v->items[j]->kind == YNODE_SCALAR) {
          const char *one = v->items[j]->scalar;
          diag_drop_codes(&art->diags, &one, 1);
        }
    }
  }
}

static size_t count_all(pipeline *b, severity sev) {
  size_t n = diag_count(&b->diags, sev);
  for (size_t i = 0; i < b->content.narticles; i++)
    n += diag_count(&b->content.articles[i].diags, sev);
  return n;
}

/* --strict and --max-warnings make warnings fail the build as errors do. */
static bool too_many_warnings(pipeline *b) {
  size_t w = count_all(b, SEV_WARNING);
  return (b->opt.strict && w) || (b->opt.limit_warnings && w > b->opt.max_warnings);
}

/* A diagnostic located in an include file, and the article that reported
 * it (each article reports the problems of what it includes). */
typedef struct {
  diag d;
  const char *art_path;
  size_t base_len; /* message length without " (included from ARTICLE:LINE)" */
} included_diag;

static void push_diag(diag_list *l, diag d) {
  if (l->count == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->items = xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->count++] = d;
}

/* The message without the suffix that names the including article. */
static size_t base_length(const char *msg, const char *art_path) {
  static const char mark[] = " (included from ";
  size_t n = strlen(msg), al = strlen(art_path);
  for (const char *p = strstr(msg, mark); p; p = strstr(p + 1, mark)) {
    const char *q = p + sizeof mark - 1;
    if (strncmp(q, art_path, al) || q[al] != ':')
      continue;
    q += al + 1;
    size_t digits = strspn(q, "0123456789");
    if (digits && !strcmp(q + digits, ")"))
      return (size_t)(p - msg);
  }
  return n;
}

/* The problem itself: where, what, and the message up to the suffix. */
static int cmp_problem(const included_diag *a, const included_diag *b) {
  int c = strcmp(a->d.file, b->d.file);
  if (c)
    return c;
  if (a->d.line != b->d.line)
    return a->d.line < b->d.line ? -1 : 1;
  if (a->d.col != b->d.col)
    return a->d.col < b->d.col ? -1 : 1;
  if ((c = strcmp(a->d.code, b->d.code)))
    return c;
  if (a->d.sev != b->d.sev)
    return a->d.sev < b->d.sev ? -1 : 1;
  if (a->base_len != b->base_len)
    return a->base_len < b->base_len ? -1 : 1;
  return memcmp(a->d.message, b->d.message, a->base_len);
}

static int cmp_included(const void *pa, const void *pb) {
  const included_diag *a = pa, *b = pb;
  int c = cmp_problem(a, b);
  if (c)
    return c;
  if ((c = strcmp(a->art_path, b->art_path)))
    return c;
  return strcmp(a->d.message, b->d.message);
}

/* A problem in an include file is reported once, at its place in the
 * include, not once per article that includes it: the same problem
 * reported by several articles becomes one diagnostic that says how many
 * ("... (in 12 articles that include it)"). One article's reports stay as
 * they are (they name the line that includes the file). Sorted first, so
 * the result is the same at any -j. */
static void merge_included(diag_list *out, included_diag *v, size_t n) {
  if (!n)
    return;
  qsort(v, n, sizeof *v, cmp_included);
  diag_list dropped = {0};
  for (size_t i = 0; i < n;) {
    size_t j = i + 1, articles = 1;
    for (; j < n && !cmp_problem(&v[i], &v[j]); j++)
      articles += strcmp(v[j].art_path, v[j - 1].art_path) != 0;
    if (articles == 1) {
      for (size_t k = i; k < j; k++)
        push_diag(out, v[k].d);
    } else {
      diag_add(out, v[i].d.file, v[i].d.line, v[i].d.col, v[i].d.sev, v[i].d.code,
               "%.*s (in %zu articles that include it)", (int)v[i].base_len, v[i].d.message,
               articles);
      for (size_t k = i; k < j; k++)
        push_diag(&dropped, v[k].d);
    }
    i = j;
  }
  diag_list_free(&dropped);
}

/* Gather every article's diagnostics into the build list, in article
 * order, merging those located in include files (merge_included). Safe to
 * call again: it takes what was reported since. */
static void gather(pipeline *b) {
  suppress(b);
  strmap includes;
  strmap_init(&includes, b->mem);
  for (size_t i = 0; i < b->content.nincludes; i++)
    strmap_set(&includes, b->content.includes[i].path, 1);
  included_diag *inc = NULL;
  size_t ninc = 0, cap = 0;
  for (size_t i = 0; i < b->content.narticles; i++) {
    article *art = &b->content.articles[i];
    for (size_t k = 0; k < art->diags.count; k++) {
      diag d = art->diags.items[k];
      if (strcmp(d.file, art->path) && strmap_get(&includes, d.file)) {
        if (ninc == cap) {
          cap = cap ? cap * 2 : 16;
          inc = xrealloc(inc, cap * sizeof *inc);
        }
        inc[ninc++] = (included_diag){d, art->path, base_length(d.message, art->path)};
      } else {
        push_diag(&b->diags, d);
      }
    }
    free(art->diags.items);
    memset(&art->diags, 0, sizeof art->diags);
  }
  merge_included(&b->diags, inc, ninc);
  free(inc);
  diag_sort(&b->diags);
}

/* Whether the run fails: errors, or warnings over the limits. Counted on
 * the gathered list, as they will be reported. */
static bool has_errors(pipeline *b) {
  gather(b);
  return too_many_warnings(b) || diag_count(&b->diags, SEV_ERROR);
}

static int copy_assets(pipeline *b, publish_txn *txn) {
  char *dir = path_join(b->cfg.templates_dir, "assets");
  int rc = 0;
  const char *names[] = {"folio.css", "folio.js", "folio-search.js"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char *from = path_join(dir, names[i]);
    char *rel = path_join("assets", names[i]);
    if (is_file(from) && publish_copy(txn, rel, from, b->cfg.templates_dir, &b->diags) < 0)
      rc = -1;
    free(from);
    free(rel);
  }
  free(dir);
  return rc;
}

typedef int (*locale_page_fn)(const render_env *env, int locale, arena *mem, buf *out,
                              diag_list *diags);

/* Render one page of a locale that is not an article (home, contents, 404)
 * and write it to <locale>/<name>, and also to <name> at the top when
 * also_at_top. */
static void write_locale_page(pipeline *b, publish_txn *txn, int locale, const char *name,
                              locale_page_fn render, bool also_at_top) {
  buf out = {0};
  /* Its own arena: the contents page of 10,000 articles left 30 MB of
   * template values in the build's. */
  arena *mem = arena_new();
  if (render(&b->renv, locale, mem, &out, &b->diags) == 0) {
    publish_write(txn, arena_printf(mem, "%s/%s", b->cfg.locales[locale], name), out.data,
                  out.len, &b->diags);
    if (also_at_top)
      publish_write(txn, name, out.data, out.len, &b->diags);
  }
  arena_free(mem);
  buf_free(&out);
}

/* Lay out every page and write it through txn; with txn NULL (check) the
 * pages are rendered in memory and dropped, so that check reports every
 * problem build would, template errors included. */
static void write_site(pipeline *b, publish_txn *txn) {
  /* The fallback pages first planned: their sources keep their body HTML. */
  plan_fallbacks(b);
  bool *keep_body = arena_alloc(b->mem, (b->content.narticles + 1) * sizeof *keep_body);
  for (size_t i = 0; i < b->nfallbacks; i++)
    keep_body[b->fallbacks[i].source - b->content.articles] = true;
  buildcache_pages_plan(b->cache, txn, b->fallbacks, b->nfallbacks);
  bool *search_kept = arena_alloc(b->mem, (b->cfg.nlocales + 1) * sizeof *search_kept);
  for (size_t l = 0; l < b->cfg.nlocales; l++)
    search_kept[l] = buildcache_search_keep(b->cache, (int)l, txn);
  page_job job = {b, txn, keep_body, search_kept};
  atomic_store(&b->progress_done, 0);
  pool_run(b->opt.jobs, b->content.narticles, write_page, &job, pool_thread_done);
  stage_time(b, "pages");
  pool_run(b->opt.jobs, b->nfallbacks, write_fallback, &job, pool_thread_done);
  /* In order, after the pool: the same problems at any -j. A template error
   * repeats the source page's and is dropped as a duplicate when sorted. */
  for (size_t i = 0; i < b->nfallbacks; i++)
    diag_move(&b->diags, &b->fallbacks[i].diags);
  if (txn && b->content.nmedia) {
    /* Media copies are many small system calls: on the pool too, each
     * with its own diagnostics, gathered in order after it. */
    media_job mj = {b, txn, arena_alloc(b->mem, b->content.nmedia * sizeof(diag_list))};
    pool_run(b->opt.jobs, b->content.nmedia, copy_media, &mj, pool_thread_done);
    for (size_t i = 0; i < b->content.nmedia; i++)
      diag_move(&b->diags, &mj.diags[i]);
  }
  if (txn)
    copy_assets(b, txn);
  /* Where moved articles were, a page that sends readers on. */
  for (size_t i = 0; i < b->nredirects; i++) {
    const redirect_page *rp = &b->redirects[i];
    buf page = {0};
    render_redirect(&b->renv, rp, &page);
    publish_write(txn, arena_printf(b->mem, "%s/%s", b->cfg.locales[rp->locale], rp->url),
                  page.data, page.len, &b->diags);
    buf_free(&page);
  }
  for (size_t l = 0; l < b->cfg.nlocales; l++) {
    /* A generated home unless the locale has index.md or index.yml (or its
     * fallback). */
    if (!render_page_of(&b->renv, (int)l, "index.md", NULL) &&
        !render_page_of(&b->renv, (int)l, "index.yml", NULL))
      write_locale_page(b, txn, (int)l, "index.html", render_locale_home, false);
    /* Large tocs: the whole navigation on one page per locale. */
    if (render_nav_is_compact(&b->renv, (int)l) && template_exists(b->templates, "contents.html"))
      write_locale_page(b, txn, (int)l, "contents.html", render_contents, false);
    /* A 404 page per locale, and the source locale's at the top for servers
     * that look for one there; only when the templates have one. */
    if (template_exists(b->templates, "404.html"))
      write_locale_page(b, txn, (int)l, "404.html", render_not_found, l == 0);
  }
  stage_time(b, "other pages and media");
  if (txn) {
    /* Kept until the site is published: the ids of the page files they
     * record are of that site (search_digests_commit). */
    b->digests = search_digests_open(buildcache_dir(b->cache), b->cfg.locales, b->cfg.nlocales,
                                     txn->keep_from ? txn->keep_from : txn->final);
    search_ctx sc = {b, txn, false};
    out_search_digests dg = {find_digest, keep_digest, digests_done, carry_search_file, &sc};
    if (out_search_write(&b->renv, b->fallbacks, b->nfallbacks, b->opt.jobs, search_kept,
                         search_body, &sc, b->digests ? &dg : NULL, txn, &b->diags) < 0)
      buildcache_search_unsure(b->cache);
    for (size_t l = 0; l < b->cfg.nlocales; l++)
      if (search_kept[l])
        search_digests_carried(b->digests, (int)l);
    stage_time(b, "search index");
    out_sitemap_write(&b->renv, txn, &b->diags);
  }
  buf out = {0};
  /* The rules the articles state, and the schema they follow. */
  if (b->rules && txn) {
    policy_write_json(b->rules, &out);
    publish_write(txn, "rules.json", out.data, out.len, &b->diags);
    publish_write(txn, "rules.schema.json", policy_schema_json, policy_schema_json_len,
                  &b->diags);
    out.len = 0;
  }
  if (render_language_list(&b->renv, b->mem, &out, &b->diags) == 0)
    publish_write(txn, "index.html", out.data, out.len, &b->diags);
  buf_free(&out);
}

static bool unwritable_in(const diag_list *l) {
  for (size_t i = 0; i < l->count; i++)
    if (l->items[i].sev == SEV_ERROR && str_ends_with(l->items[i].code, "-unwritable"))
      return true;
  return false;
}

/* Whether a file of the site could not be written: then even --keep-going
 * must not publish (the site would lack it without saying so in a page). */
static bool output_failed(pipeline *b) {
  if (unwritable_in(&b->diags))
    return true;
  for (size_t i = 0; i < b->content.narticles; i++)
    if (unwritable_in(&b->content.articles[i].diags))
      return true;
  return false;
}

static pipeline_status publish_site(pipeline *b) {
  publish_txn txn = {0};
  /* With the cache, the site replaced is kept to build the next one in
   * (publish.h); `serve` builds each time into a new folder, starting
   * from the build before the one it serves. */
  bool reuse = b->cache != NULL && !b->opt.previous_site;
  const char *spare = b->cache && b->opt.previous_site ? b->opt.spare_site : NULL;
  if (publish_begin(&txn, &b->cfg, b->opt.output, reuse, spare, &b->diags) < 0)
    return PIPELINE_IO_ERROR;
  txn.keep_from = b->opt.previous_site;
  /* Files equal to the site in place's are linked, not written: only when
   * there is one (a first build would look for 20,000 files in vain). */
  txn.keep_same = b->cache != NULL && is_dir(txn.keep_from ? txn.keep_from : txn.final);
  write_site(b, &txn);
  bool errors = has_errors(b);
  if (errors && (!b->opt.keep_going || output_failed(b))) {
    publish_abort(&txn);
    gather(b);
    return diag_count(&b->diags, SEV_ERROR) || too_many_warnings(b) ? PIPELINE_CONTENT_ERRORS
                                                                    : PIPELINE_IO_ERROR;
  }
  b->pages_written = b->nfallbacks + b->nredirects;
  for (size_t i = 0; i < b->content.narticles; i++)
    b->pages_written += b->content.articles[i].ok || !b->opt.keep_going;
  char *site = xstrdup(txn.final);
  if (publish_commit(&txn, &b->diags) < 0) {
    free(site);
    return PIPELINE_IO_ERROR;
  }
  b->published = true;
  search_digests_commit(b->digests, site);
  free(site);
  stage_time(b, "rules, sitemap, publish");
  buildcache_pages_save(b->cache);
  stage_time(b, "cache record");
  /* finish() turns the errors into PIPELINE_CONTENT_ERRORS. */
  return PIPELINE_OK;
}

static bool io_error_in(const diag_list *l) {
  for (size_t i = 0; i < l->count; i++)
    if (l->items[i].sev == SEV_ERROR && diag_is_io(&l->items[i]))
      return true;
  return false;
}

static pipeline_status finish(pipeline *b, pipeline_status st) {
  gather(b);
  if (st == PIPELINE_OK && (diag_count(&b->diags, SEV_ERROR) || too_many_warnings(b)))
    st = PIPELINE_CONTENT_ERRORS;
  if (st != PIPELINE_OK && io_error_in(&b->diags))
    st = PIPELINE_IO_ERROR;
  return st;
}

/* Library set-up, once per process and before any thread. */
static pthread_once_t libraries_once = PTHREAD_ONCE_INIT;
static void set_up_libraries(void) { markdown_init(); }

pipeline_status pipeline_run(pipeline *b, const pipeline_options *opt, pipeline_stop stop) {
  pthread_once(&libraries_once, set_up_libraries);
  memset(b, 0, sizeof *b);
  b->opt = *opt;
  b->stop = stop;
  b->mem = arena_new();
  const char *timings = getenv("FOLIO_TIMINGS");
  b->timings = timings && *timings && strcmp(timings, "0");
  b->clock = clock_s();
  if (config_load(b->mem, opt->root, &b->cfg, &b->diags) < 0)
    return finish(b, PIPELINE_CONTENT_ERRORS);

  b->locales = arena_alloc(b->mem, b->cfg.nlocales * sizeof *b->locales);
  bool locales_ok = true;
  for (size_t i = 0; i < b->cfg.nlocales; i++)
    if (l10n_load(b->mem, b->cfg.locales_dir, b->cfg.locales[i], &b->locales[i], &b->diags) < 0)
      locales_ok = false;
  if (!locales_ok)
    return finish(b, PIPELINE_CONTENT_ERRORS);
  b->policy = policy_catalog_load(b->mem, b->locales, b->cfg.nlocales, &b->diags);
  for (size_t i = 1; i < b->cfg.nlocales; i++)
    l10n_fill_missing(b->mem, &b->locales[0], &b->locales[i], &b->diags);

  b->templates = template_load_dir(b->cfg.templates_dir, &b->diags);
  if (!b->templates)
    return finish(b, PIPELINE_CONTENT_ERRORS);
  const char *required[] = {"page.html", "home.html", "languages.html"};
  for (size_t i = 0; i < 3; i++)
    if (!template_exists(b->templates, required[i]))
      diag_add(&b->diags, b->cfg.templates_dir, 0, 0, SEV_ERROR, "template-missing",
               "the templates folder has no %s", required[i]);

  if (discover_content(b->mem, &b->cfg, &b->content, &b->diags) < 0)
    return finish(b, PIPELINE_IO_ERROR);
  if (redirects_load(b->mem, &b->cfg, &b->content, &b->diags) < 0)
    return finish(b, PIPELINE_IO_ERROR);
  /* A YAML page needs its kind's template (faq.html, ...): said once per
   * kind, at the first page of it. */
  bool told[PAGE_HUB + 1] = {false};
  for (size_t i = 0; i < b->content.narticles; i++) {
    const article *art = &b->content.articles[i];
    const char *name = render_template_of(art->kind);
    if (art->kind == PAGE_MARKDOWN || told[art->kind] || template_exists(b->templates, name))
      continue;
    told[art->kind] = true;
    diag_add(&b->diags, art->path, 1, 1, SEV_ERROR, "template-missing",
             "the templates folder has no %s, which YamlMime:%s pages need", name,
             yamlpage_kind_name(art->kind));
  }
  b->index = resolve_index_build(b->mem, &b->content);
  include_preload(b->mem, &b->content);
  for (size_t i = 0; i < b->content.nincludes; i++) {
    content_file *f = &b->content.includes[i];
    char *repaired = f->text ? check_utf8(f->path, f->text, &f->len, &b->diags) : NULL;
    if (repaired)
      f->text = arena_strndup(b->mem, repaired, f->len);
    free(repaired);
  }
  b->tocs = arena_alloc(b->mem, b->cfg.nlocales * sizeof *b->tocs);
  /* Zone pivot groups: each locale's own file, else the source's. */
  b->pivots = arena_alloc(b->mem, b->cfg.nlocales * sizeof *b->pivots);
  for (size_t i = 0; i < b->cfg.nlocales; i++) {
    char *dir = path_join(b->cfg.content_dir, b->cfg.locales[i]);
    pivots_load(b->mem, dir, &b->pivots[i], &b->diags);
    free(dir);
    if (i && !b->pivots[i].file)
      b->pivots[i] = b->pivots[0];
  }
  b->mdenv = (markdown_env){&b->cfg, b->locales, &b->content, b->index, b->policy, b->pivots};
  b->renv = (render_env){&b->cfg, b->locales, &b->content, b->tocs, b->templates, NULL};
  if (stop != PIPELINE_LOAD && !opt->no_cache)
    b->cache = buildcache_open(b->mem, &b->cfg, &b->content, b->pivots);

  stage_time(b, "config, discovery, includes");
  pool_run(opt->jobs, b->content.narticles, load_article, b, pool_thread_done);
  stage_time(b, "articles");
  if (stop == PIPELINE_LOAD)
    return finish(b, PIPELINE_OK);

  for (size_t i = 0; i < b->cfg.nlocales; i++)
    toc_load(b->mem, &b->content, &b->cfg.urls, (int)i, &b->tocs[i], &b->diags);
  render_prepare(&b->renv, b->mem);

  resolve_links(b->mem, b->index, &b->content);
  link_context lc = {&b->cfg, &b->content, b->index};
  b->nredirects = redirect_plan(b->mem, &lc, &b->redirects, &b->diags);
  toc_report_orphans(&b->cfg, b->tocs, &b->content);
  b->rules = policy_merge(b->mem, b->policy, &b->cfg, &b->content, &b->diags);
  /* Before the pages: a broken external link fails a build as an internal
   * one does, and front matter silences it the same way. */
  if (opt->external) {
    long max_age = opt->external_max_age_set ? opt->external_max_age_s : -1;
    extlinks_stats es = extlinks_check(&b->cfg, max_age, &b->content, &b->diags);
    b->external_urls = es.urls;
    b->external_from_cache = es.from_cache;
  }

  stage_time(b, "tocs, links, rules");
  if (stop == PIPELINE_CHECK) {
    write_site(b, NULL);
    return finish(b, PIPELINE_OK);
  }
  if (!opt->keep_going && has_errors(b))
    return finish(b, PIPELINE_OK);
  return finish(b, publish_site(b));
}

void pipeline_free(pipeline *b) {
  search_digests_close(b->digests);
  buildcache_close(b->cache);
  for (size_t i = 0; i < b->content.narticles; i++) {
    free(b->content.articles[i].body_html);
    free(b->content.articles[i].search_text);
    arena_free(b->content.articles[i].mem);
    diag_list_free(&b->content.articles[i].diags);
  }
  template_free(b->templates);
  policy_catalog_free(b->policy);
  diag_list_free(&b->diags);
  arena_free(b->mem);
  memset(b, 0, sizeof *b);
}
