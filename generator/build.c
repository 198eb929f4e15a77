/* The order of the stages, and the two parallel phases: (1) each article is
 * loaded, parsed, indexed and rendered to body HTML; (2) after the serial
 * stages that need every article (toc, resolve), each page is laid out and
 * written. Per-article work writes only into that article. */
#include "build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "frontmatter.h"
#include "markdown.h"
#include "pool.h"
#include "publish.h"
#include "render.h"
#include "resolve.h"
#include "toc.h"
#include "util.h"

static void load_article(void *ctx, size_t i) {
  build *b = ctx;
  article *art = &b->content.articles[i];
  art->mem = arena_new();
  char *text;
  size_t len;
  if (read_file(art->abspath, &text, &len) < 0) {
    diag_add(&art->diags, art->path, 0, 0, SEV_ERROR, "file-unreadable", "cannot read: %s",
             strerror(errno));
    return;
  }
  if (frontmatter_parse(art->mem, art->path, text, len, &art->fm, &art->diags) == 0 &&
      markdown_render_article(b, art, text + art->fm.body_offset, len - art->fm.body_offset,
                              art->fm.body_line) == 0)
    art->ok = true;
  free(text);
}

typedef struct {
  build *b;
  publish_txn *txn;
} page_job;

static void write_page(void *ctx, size_t i) {
  page_job *job = ctx;
  build *b = job->b;
  article *art = &b->content.articles[i];
  buf out = {0};
  if (render_article(b, art, &out, &art->diags) == 0) {
    char *rel = arena_printf(art->mem, "%s/%s", b->cfg.locales[art->locale], art->url);
    publish_write(job->txn, rel, out.data, out.len, &art->diags);
  }
  buf_free(&out);
}

static bool has_errors(build *b) {
  if (diag_count(&b->diags, SEV_ERROR))
    return true;
  for (size_t i = 0; i < b->content.narticles; i++)
    if (diag_count(&b->content.articles[i].diags, SEV_ERROR))
      return true;
  return false;
}

/* Gather every article's diagnostics into the build list, in article order. */
static void gather(build *b) {
  for (size_t i = 0; i < b->content.narticles; i++)
    diag_move(&b->diags, &b->content.articles[i].diags);
  diag_sort(&b->diags);
}

static int copy_assets(build *b, publish_txn *txn) {
  char *dir = path_join(b->cfg.templates_dir, "assets");
  int rc = 0;
  const char *names[] = {"folio.css", "folio.js"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char *from = path_join(dir, names[i]);
    char *rel = path_join("assets", names[i]);
    if (is_file(from) && publish_copy(txn, rel, from, &b->diags) < 0)
      rc = -1;
    free(from);
    free(rel);
  }
  free(dir);
  return rc;
}

static build_status publish_site(build *b) {
  publish_txn txn = {0};
  if (publish_begin(&txn, b->opt.output ? b->opt.output : b->cfg.output_dir, &b->diags) < 0)
    return BUILD_IO_ERROR;
  page_job job = {b, &txn};
  pool_run(b->opt.jobs, b->content.narticles, write_page, &job, markdown_thread_done);
  for (size_t i = 0; i < b->content.nmedia; i++) {
    const content_file *f = &b->content.media[i];
    char *rel = arena_printf(b->mem, "%s/%s", b->cfg.locales[f->locale], f->rel);
    publish_copy(&txn, rel, f->path, &b->diags);
  }
  copy_assets(b, &txn);
  for (size_t l = 0; l < b->cfg.nlocales; l++) {
    if (content_find_article(&b->content, (int)l, "index.md"))
      continue;
    buf out = {0};
    if (render_locale_home(b, (int)l, b->mem, &out, &b->diags) == 0)
      publish_write(&txn, arena_printf(b->mem, "%s/index.html", b->cfg.locales[l]), out.data,
                    out.len, &b->diags);
    buf_free(&out);
  }
  buf out = {0};
  if (render_language_list(b, b->mem, &out, &b->diags) == 0)
    publish_write(&txn, "index.html", out.data, out.len, &b->diags);
  buf_free(&out);
  if (has_errors(b)) {
    publish_abort(&txn);
    gather(b);
    return diag_count(&b->diags, SEV_ERROR) ? BUILD_CONTENT_ERRORS : BUILD_IO_ERROR;
  }
  b->pages_written = b->content.narticles;
  if (publish_commit(&txn, &b->diags) < 0)
    return BUILD_IO_ERROR;
  return BUILD_OK;
}

static bool io_error_in(const diag_list *l) {
  for (size_t i = 0; i < l->count; i++)
    if (l->items[i].sev == SEV_ERROR &&
        (!strcmp(l->items[i].code, "config-unreadable") ||
         !strcmp(l->items[i].code, "content-unreadable") ||
         !strcmp(l->items[i].code, "file-unreadable") ||
         !strcmp(l->items[i].code, "locale-unreadable") ||
         !strcmp(l->items[i].code, "template-unreadable") ||
         !strcmp(l->items[i].code, "output-unwritable")))
      return true;
  return false;
}

static build_status finish(build *b, build_status st) {
  gather(b);
  if (st == BUILD_OK && diag_count(&b->diags, SEV_ERROR))
    st = BUILD_CONTENT_ERRORS;
  if (st != BUILD_OK && io_error_in(&b->diags))
    st = BUILD_IO_ERROR;
  return st;
}

build_status build_run(build *b, const build_options *opt) {
  memset(b, 0, sizeof *b);
  b->opt = *opt;
  b->mem = arena_new();
  if (config_load(b->mem, opt->root, &b->cfg, &b->diags) < 0)
    return finish(b, BUILD_CONTENT_ERRORS);

  b->locales = arena_alloc(b->mem, b->cfg.nlocales * sizeof *b->locales);
  bool locales_ok = true;
  for (size_t i = 0; i < b->cfg.nlocales; i++)
    if (l10n_load(b->mem, b->cfg.locales_dir, b->cfg.locales[i], &b->locales[i], &b->diags) < 0)
      locales_ok = false;
  if (!locales_ok)
    return finish(b, BUILD_CONTENT_ERRORS);
  for (size_t i = 1; i < b->cfg.nlocales; i++)
    l10n_check_complete(&b->locales[0], &b->locales[i], &b->diags);

  b->templates = template_load_dir(b->cfg.templates_dir, &b->diags);
  if (!b->templates)
    return finish(b, BUILD_CONTENT_ERRORS);
  const char *required[] = {"page.html", "home.html", "languages.html"};
  for (size_t i = 0; i < 3; i++)
    if (!template_exists(b->templates, required[i]))
      diag_add(&b->diags, b->cfg.templates_dir, 0, 0, SEV_ERROR, "template-missing",
               "the templates folder has no %s", required[i]);

  if (discover_content(b->mem, &b->cfg, &b->content, &b->diags) < 0)
    return finish(b, BUILD_IO_ERROR);

  pool_run(opt->jobs, b->content.narticles, load_article, b, markdown_thread_done);

  b->tocs = arena_alloc(b->mem, b->cfg.nlocales * sizeof *b->tocs);
  for (size_t i = 0; i < b->cfg.nlocales; i++)
    toc_load(b, (int)i, &b->tocs[i], &b->diags);

  resolve_links(b, &b->diags);

  if (has_errors(b) || !opt->write_site)
    return finish(b, BUILD_OK);
  return finish(b, publish_site(b));
}

void build_free(build *b) {
  for (size_t i = 0; i < b->content.narticles; i++) {
    arena_free(b->content.articles[i].mem);
    diag_list_free(&b->content.articles[i].diags);
  }
  template_free(b->templates);
  diag_list_free(&b->diags);
  arena_free(b->mem);
  memset(b, 0, sizeof *b);
}
