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

#include "buf.h"
#include "include.h"
#include "passes.h"
#include "util.h"

/* cmark's allocator callbacks carry no context, so they allocate from the
 * arena of the article this thread is working on. */
static _Thread_local arena *scratch;

/* cmark-gfm 0.29 keeps the table of special inline characters in a global:
 * cmark_parser_finish adds the extensions' characters (~ for strikethrough,
 * : and w for autolinks) before inline parsing and removes them after. Two
 * threads finishing at once would clear each other's characters, so the
 * finish step (inline parsing) runs one thread at a time; block parsing,
 * folio's passes and rendering stay parallel. The golden tests at -j 4
 * caught this as randomly missing strikethrough and autolinks. */
static pthread_mutex_t finish_lock = PTHREAD_MUTEX_INITIALIZER;

static void *mem_calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    abort();
  return arena_alloc(scratch, n * size);
}
static void *mem_realloc(void *p, size_t n) { return arena_realloc(scratch, p, n); }
arena *markdown_scratch(void) { return scratch; }

static void mem_free(void *p) { (void)p; /* the arena is reset per article */ }
static cmark_mem arena_mem = {mem_calloc, mem_realloc, mem_free};

static const char *gfm_names[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};
static cmark_syntax_extension *gfm[sizeof gfm_names / sizeof *gfm_names];
static locale_t utf8_locale;

void markdown_init(void) {
  cmark_gfm_core_extensions_ensure_registered();
  for (size_t i = 0; i < sizeof gfm_names / sizeof *gfm_names; i++)
    gfm[i] = cmark_find_syntax_extension(gfm_names[i]);
  passes_init();
  utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

void markdown_shutdown(void) {
  if (utf8_locale)
    freelocale(utf8_locale);
  utf8_locale = 0;
}

char *markdown_slug(arena *a, const char *text) {
  buf b = {0};
  buf_reserve(&b, strlen(text));
  /* Decode and lower-case with the UTF-8 locale on this thread only. */
  locale_t saved = utf8_locale ? uselocale(utf8_locale) : (locale_t)0;
  mbstate_t st;
  memset(&st, 0, sizeof st);
  const char *p = text, *end = text + strlen(text);
  while (p < end) {
    wchar_t wc;
    size_t n = utf8_locale ? mbrtowc(&wc, p, (size_t)(end - p), &st) : (size_t)-1;
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
      /* Not decodable (or no UTF-8 locale): one byte, ASCII rules. */
      memset(&st, 0, sizeof st);
      unsigned char c = (unsigned char)*p++;
      if (c >= 'A' && c <= 'Z')
        buf_putc(&b, (char)(c + 32));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80)
        buf_putc(&b, (char)c);
      else if (c == ' ')
        buf_putc(&b, '-');
      continue;
    }
    if (wc == L' ') {
      buf_putc(&b, '-');
    } else if (wc == L'-' || wc == L'_' || iswalnum((wint_t)wc)) {
      char out[MB_LEN_MAX];
      mbstate_t os;
      memset(&os, 0, sizeof os);
      size_t m = wcrtomb(out, (wchar_t)towlower((wint_t)wc), &os);
      if (m != (size_t)-1)
        buf_put(&b, out, m);
      else
        buf_put(&b, p, n);
    }
    p += n;
  }
  if (utf8_locale)
    uselocale(saved);
  char *s = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

static int parser_options(void) {
  /* Raw HTML must reach the tree (for <a name> anchors); pass_sanitize
   * removes what is not on folio's allowlist, URLs included. */
  return CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;
}

int markdown_render_article(const build *b, article *art, const char *text, size_t len,
                            int first_line) {
  /* Discovery refused larger files from their size; this one grew since. */
  if (len > b->cfg.file_bytes) {
    diag_add(&art->diags, art->path, first_line, 1, SEV_ERROR, "file-too-large",
             "article body is %zu bytes; the limit is %llu (limits.file_bytes in folio.yml)",
             len, b->cfg.file_bytes);
    return -1;
  }
  if (!scratch)
    scratch = arena_new();
  arena_reset(scratch);
  cmark_parser *parser = cmark_parser_new_with_mem(parser_options(), &arena_mem);
  /* Ours first: the table extension claims every paragraph line it sees
   * (returning the paragraph), and extensions after it are never asked. */
  passes_attach(parser);
  for (size_t i = 0; i < sizeof gfm / sizeof *gfm; i++)
    if (gfm[i])
      cmark_parser_attach_syntax_extension(parser, gfm[i]);
  expanded_text src;
  include_expand(b, art, text, len, first_line, &src);
  cmark_parser_feed(parser, src.text, src.len);
  pthread_mutex_lock(&finish_lock);
  cmark_node *doc = cmark_parser_finish(parser);
  pthread_mutex_unlock(&finish_lock);

  pass_context ctx = {
      .b = b,
      .art = art,
      .mem = art->mem,
      .scratch = scratch,
      .src = &src,
      .diags = &art->diags,
      .parser = parser,
      .cmem = &arena_mem,
  };
  passes_run(&ctx, doc);

  char *html = cmark_render_html_with_mem(doc, parser_options(),
                                          cmark_parser_get_syntax_extensions(parser), &arena_mem);
  art->body_html = arena_strdup(art->mem, html);
  cmark_node_free(doc);
  cmark_parser_free(parser);
  arena_reset(scratch);
  return 0;
}

/* Called at thread exit by the pool (and at shutdown for the main thread). */
void markdown_thread_done(void) {
  arena_free(scratch);
  scratch = NULL;
}
