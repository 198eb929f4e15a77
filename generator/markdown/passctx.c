#include "passctx.h"

#include <stdarg.h>
#include <string.h>

#include "buf.h"

static const source_line *locate(const pass_context *ctx, cmark_node *n) {
  int l = cmark_node_get_start_line(n);
  if (l <= 0 || (size_t)l > ctx->src->nlines)
    return NULL;
  return &ctx->src->lines[l - 1];
}

int pass_line(const pass_context *ctx, cmark_node *n) {
  const source_line *s = locate(ctx, n);
  return s ? s->line : 0;
}

static void vdiag(const pass_context *ctx, cmark_node *n, int col, severity sev, const char *code,
                  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
static void vdiag(const pass_context *ctx, cmark_node *n, int col, severity sev, const char *code,
                  const char *fmt, va_list ap) {
  char *msg = arena_vprintf(ctx->scratch, fmt, ap);
  const source_line *s = locate(ctx, n);
  if (!col)
    col = pass_col(ctx, n);
  else if (s && !s->via_line)
    col += ctx->col_offset; /* a YAML page's Markdown starts right of its key */
  if (s && s->via_line)
    diag_add(ctx->diags, s->file, s->line, col, sev, code, "%s (included from %s:%d)", msg,
             ctx->art->path, s->via_line);
  else
    diag_add(ctx->diags, ctx->art->path, s ? s->line : 0, s ? col : 0, sev, code, "%s", msg);
}

void pass_diag(const pass_context *ctx, cmark_node *n, severity sev, const char *code,
               const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdiag(ctx, n, 0, sev, code, fmt, ap);
  va_end(ap);
}

void pass_diag_col(const pass_context *ctx, cmark_node *n, int col, severity sev, const char *code,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdiag(ctx, n, col, sev, code, fmt, ap);
  va_end(ap);
}

int pass_col(const pass_context *ctx, cmark_node *n) {
  int c = cmark_node_get_start_column(n);
  c = c > 0 ? c : 1;
  const source_line *s = locate(ctx, n);
  return s && !s->via_line ? c + ctx->col_offset : c;
}

cmark_node *pass_wrap_custom(const pass_context *ctx, cmark_node *n, cmark_node_type type, const char *enter,
                             const char *exit) {
  cmark_node *c = cmark_node_new_with_mem(type, ctx->cmem);
  cmark_node_set_on_enter(c, enter);
  cmark_node_set_on_exit(c, exit);
  cmark_node *child;
  while ((child = cmark_node_first_child(n)))
    cmark_node_append_child(c, child);
  cmark_node_replace(n, c);
  cmark_node_free(n);
  return c;
}

/* The mark is the node's user data pointing here (raw HTML nodes that
 * cmark makes have none). */
static const char built_mark = 1;

void pass_mark_built(cmark_node *n) { cmark_node_set_user_data(n, (void *)&built_mark); }

bool pass_is_built(cmark_node *n) { return cmark_node_get_user_data(n) == &built_mark; }

static void plain(buf *b, cmark_node *n) {
  for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
      buf_puts(b, cmark_node_get_literal(c));
      break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      buf_putc(b, ' ');
      break;
    case CMARK_NODE_HTML_INLINE:
      break;
    default:
      plain(b, c);
    }
  }
}

char *pass_plain_text(arena *mem, cmark_node *n) {
  buf b = {0};
  plain(&b, n);
  char *s = arena_strndup(mem, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}
