/* The article body goes: cmark-gfm parse (with GFM extensions and folio's
 * block directives) -> tree passes -> HTML. The tree passes live in their own
 * files (pass_*.c, ext_*.c); this file owns the parser, the allocator and the
 * order of the passes. */
#define _GNU_SOURCE
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "alloc.h"
#include "buf.h"
#include "include.h"
#include "inline_chars.h"
#include "passes.h"
#include "scratch.h"
#include "util.h"

/* cmark-gfm 0.29 keeps the table of special inline characters in a global
 * that cmark_parser_finish changes on every call (see inline_chars.c). When
 * inline_chars_pin has proved at start-up that it fixed the table, inline
 * parsing runs on every thread; otherwise the finish step runs one thread
 * at a time under this lock (block parsing, folio's passes and rendering
 * stay parallel). tests/stress builds a corpus at -j 8 again and again and
 * compares every byte with -j 1. */
static pthread_mutex_t finish_lock = PTHREAD_MUTEX_INITIALIZER;
static bool parallel_finish;

static const char *gfm_names[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};
static cmark_syntax_extension *gfm[sizeof gfm_names / sizeof *gfm_names];

static int parser_options(void) {
  /* Raw HTML must reach the tree (for <a name> anchors); pass_sanitize
   * removes what is not on folio's allowlist, URLs included. */
  return CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;
}

/* Every parser gets the same extensions, in this order: ours first (the
 * table extension claims every paragraph line it sees, returning the
 * paragraph, and extensions after it are never asked). */
static void attach_extensions(cmark_parser *parser) {
  passes_attach(parser);
  for (size_t i = 0; i < sizeof gfm / sizeof *gfm; i++)
    if (gfm[i])
      cmark_parser_attach_syntax_extension(parser, gfm[i]);
}

void markdown_init(void) {
  cmark_gfm_core_extensions_ensure_registered();
  for (size_t i = 0; i < sizeof gfm_names / sizeof *gfm_names; i++)
    gfm[i] = cmark_find_syntax_extension(gfm_names[i]);
  passes_init();
  cmark_parser *probe = cmark_parser_new(parser_options());
  attach_extensions(probe);
  parallel_finish = inline_chars_pin(probe);
  cmark_parser_free(probe);
}

bool markdown_parallel_inlines(void) { return parallel_finish; }

void markdown_shutdown(void) {}


/* cmark-gfm's table extension is quadratic in the columns of a row (1.7 s
 * at 8,000): a line with more cells than the limit has its pipes escaped,
 * so it stays as text, and a warning says so. Returns the text to parse. */
static void bound_table_rows(article *art, expanded_text *src) {
  const char *p = src->text, *end = src->text + src->len;
  buf out = {0};
  const char *copied = p;
  for (size_t line = 0; p < end; line++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    /* A line no longer than the limit cannot hold more pipes. */
    size_t pipes = 0;
    if ((size_t)(le - p) > MARKDOWN_MAX_TABLE_COLUMNS)
      for (const char *c = p; c < le; c++)
        pipes += *c == '|';
    if (pipes > MARKDOWN_MAX_TABLE_COLUMNS) {
      const source_line *at = line < src->nlines ? &src->lines[line] : NULL;
      diag_add(&art->diags, at ? at->file : art->path, at ? at->line : 0, 1, SEV_WARNING,
               "table-too-wide",
               "a table row with %zu cells is over the limit of %d; it is shown as text",
               pipes, MARKDOWN_MAX_TABLE_COLUMNS);
      buf_put(&out, copied, (size_t)(p - copied));
      for (const char *c = p; c < le; c++) {
        if (*c == '|')
          buf_putc(&out, '\\');
        buf_putc(&out, *c);
      }
      copied = le;
    }
    p = nl ? nl + 1 : end;
  }
  if (out.data) {
    buf_put(&out, copied, (size_t)(end - copied));
    src->text = arena_strndup(art->mem, out.data, out.len);
    src->len = out.len;
  }
  buf_free(&out);
}

/* A copy of n items of size bytes in mem (NULL for none). */
static void *keep(arena *mem, const void *items, size_t n, size_t size) {
  if (!n)
    return NULL;
  void *p = arena_alloc(mem, n * size);
  memcpy(p, items, n * size);
  return p;
}

/* Parse text (starting at line first_line of art's file, its columns
 * col_offset to the right), run the passes and return the HTML in art's
 * arena, or malloc'd when own; NULL when the text is too large. */
static char *render(const markdown_env *env, article *art, const char *text, size_t len,
                    int first_line, int col_offset, bool own) {
  /* Discovery refused larger files from their size; this one grew since. */
  if (len > env->cfg->file_bytes) {
    diag_add(&art->diags, art->path, first_line, 1, SEV_ERROR, "file-too-large",
             "article body is %zu bytes; the limit is %llu (limits.file_bytes in folio.yml)",
             len, env->cfg->file_bytes);
    return NULL;
  }
  arena *scratch = scratch_begin();
  cmark_parser *parser = cmark_parser_new_with_mem(parser_options(), scratch_cmark_mem());
  attach_extensions(parser);
  expanded_text src;
  include_expand(env->cfg, env->content, art, text, len, first_line, scratch, &src);
  bound_table_rows(art, &src);
  cmark_parser_feed(parser, src.text, src.len);
  if (!parallel_finish)
    pthread_mutex_lock(&finish_lock);
  cmark_node *doc = cmark_parser_finish(parser);
  if (!parallel_finish)
    pthread_mutex_unlock(&finish_lock);

  pass_context ctx = {
      .env = env,
      .links = {env->cfg, env->content, env->index},
      .art = art,
      .mem = art->mem,
      .scratch = scratch,
      .src = &src,
      .diags = &art->diags,
      .parser = parser,
      .cmem = scratch_cmark_mem(),
      .col_offset = col_offset,
  };
  passes_run(&ctx, doc);
  /* The passes grew the article's links and headings in scratch (a vector
   * that doubles leaves its old copies behind in an arena); the article
   * keeps them at their final size. */
  art->links = keep(art->mem, art->links, art->nlinks, sizeof *art->links);
  art->caplinks = art->nlinks;
  art->headings = keep(art->mem, art->headings, art->nheadings, sizeof *art->headings);
  art->capheadings = art->nheadings;

  char *html = cmark_render_html_with_mem(doc, parser_options(),
                                          cmark_parser_get_syntax_extensions(parser), scratch_cmark_mem());
  char *out = own ? xstrdup(html) : arena_strdup(art->mem, html);
  /* No cmark_node_free(doc): every node, literal and extension datum came
   * from the scratch arena (cmark's, the passes' and ext_directive's
   * allocations alike), and no node has a free function, so a walk that
   * frees each node one by one would only repeat what resetting the arena
   * does at once. */
  cmark_parser_free(parser);
  scratch_end();
  return out;
}

int markdown_render_article(const markdown_env *env, article *art, const char *text, size_t len,
                            int first_line) {
  char *html = render(env, art, text, len, first_line, 0, true);
  if (!html)
    return -1;
  free(art->body_html);
  art->body_html = html;
  return 0;
}

const char *markdown_render_fragment(const markdown_env *env, article *art, const char *text,
                                     size_t len, int first_line, int col_offset) {
  return render(env, art, text, len, first_line, col_offset, false);
}

void markdown_thread_done(void) { scratch_thread_done(); }
