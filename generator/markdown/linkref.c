#include "linkref.h"

#include "resolve.h"

/* Where node n came from: the include's line, or NULL for the article. */
static const source_line *origin(const pass_context *ctx, cmark_node *n) {
  int l = cmark_node_get_start_line(n);
  if (l <= 0 || (size_t)l > ctx->src->nlines)
    return NULL;
  const source_line *s = &ctx->src->lines[l - 1];
  return s->via_line ? s : NULL;
}

static void record(pass_context *ctx, cmark_node *n, int col, const char *url, bool image,
                   const source_line *s, const link_resolution *r) {
  link_ref ref = {
      .url = arena_strdup(ctx->mem, url),
      .line = pass_line(ctx, n),
      .col = col ? col : pass_col(ctx, n),
      .image = image,
      .file = s ? s->file : NULL,
      .via_line = s ? s->via_line : 0,
      .target = r && r->kind == LINK_ARTICLE ? r->target : NULL,
      .fragment = r && r->kind == LINK_ARTICLE && r->fragment ? arena_strdup(ctx->mem, r->fragment)
                                                             : NULL,
  };
  /* Grown in scratch; markdown.c keeps an exact copy in the article. */
  ARENA_PUSH(ctx->scratch, ctx->art->links, ctx->art->nlinks, ctx->art->caplinks, ref);
}

const char *linkref_resolve(pass_context *ctx, cmark_node *n, const char *url, bool image) {
  return linkref_resolve_at(ctx, n, 0, url, image);
}

const char *linkref_resolve_at(pass_context *ctx, cmark_node *n, int col, const char *url,
                               bool image) {
  const source_line *s = origin(ctx, n);
  /* Relative links in an include are relative to the include (DocFX). */
  const char *base_rel = s && s->rel ? s->rel : ctx->art->rel;
  link_resolution r;
  resolve_url(&ctx->links, ctx->art, base_rel, url, image, ctx->scratch, &r);
  record(ctx, n, col, url, image, s, &r);
  if (r.code)
    pass_diag_col(ctx, n, col, r.sev, r.code, "%s", r.message);
  if (r.kind == LINK_BLOCKED)
    return NULL;
  return r.href ? r.href : url;
}

void linkref_record(pass_context *ctx, cmark_node *n, const char *url) {
  record(ctx, n, 0, url, false, origin(ctx, n), NULL);
}
