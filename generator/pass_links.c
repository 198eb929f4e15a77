/* Links and images: record each one (resolve checks its fragment once every
 * article is parsed) and rewrite its URL for the site with resolve_url:
 * x.md -> x.html (query and fragment kept); an article or file missing in a
 * translation -> the source locale's; /path -> the article it names or the
 * external address folio.yml maps it to. Problems are reported at the link,
 * in the include it came from when it came from one. Markdown images need
 * alt text, as :::image does. */
#include <stdlib.h>
#include <string.h>

#include "passes.h"
#include "resolve.h"
#include "util.h"

/* Where node n came from: the include file, or NULL for the article. */
static const source_line *origin(const pass_context *ctx, cmark_node *n) {
  int l = cmark_node_get_start_line(n);
  if (l <= 0 || (size_t)l > ctx->src->nlines)
    return NULL;
  const source_line *s = &ctx->src->lines[l - 1];
  return s->via_line ? s : NULL;
}

/* The path inside the locale folder of the file a link was written in:
 * relative links in an include are relative to the include (DocFX). */
static const char *base_rel(const pass_context *ctx, const source_line *s) {
  if (!s)
    return ctx->art->rel;
  const content_set *cs = &ctx->b->content;
  for (size_t i = 0; i < cs->nincludes; i++)
    if (!strcmp(cs->includes[i].path, s->file))
      return cs->includes[i].rel;
  return ctx->art->rel;
}

static const char *check(pass_context *ctx, cmark_node *n, const char *url, bool image) {
  const source_line *s = origin(ctx, n);
  link_resolution r;
  resolve_url(ctx->b, ctx->art, base_rel(ctx, s), url, image, ctx->scratch, &r);
  link_ref ref = {
      .url = arena_strdup(ctx->mem, url),
      .line = pass_line(ctx, n),
      .col = pass_col(n),
      .image = image,
      .file = s ? s->file : NULL,
      .via_line = s ? s->via_line : 0,
      .target = r.kind == LINK_ARTICLE ? r.target : NULL,
      .fragment = r.kind == LINK_ARTICLE && r.fragment ? arena_strdup(ctx->mem, r.fragment) : NULL,
  };
  ARENA_PUSH(ctx->mem, ctx->art->links, ctx->art->nlinks, ctx->art->caplinks, ref);
  if (r.code)
    pass_diag(ctx, n, r.sev, r.code, "%s", r.message);
  return r.href;
}

/* GFM turns a bare www.example.com into http://www.example.com: the author
 * wrote no scheme, so an http:// there is not the author's insecure link. */
static bool bare_www_autolink(cmark_node *n, const char *url) {
  cmark_node *c = cmark_node_first_child(n);
  const char *text = c && cmark_node_get_type(c) == CMARK_NODE_TEXT ? cmark_node_get_literal(c) : NULL;
  return text && !cmark_node_next(c) && !strncmp(url, "http://", 7) && !strcmp(text, url + 7);
}

static bool blank(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n')
      return false;
  return true;
}

void pass_links(pass_context *ctx, cmark_node *doc) {
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
      continue;
    const char *url = cmark_node_get_url(n);
    if (!url)
      continue;
    bool image = t == CMARK_NODE_IMAGE;
    if (!image && bare_www_autolink(n, url)) {
      link_ref ref = {.url = arena_strdup(ctx->mem, url), .line = pass_line(ctx, n),
                      .col = pass_col(n)};
      ARENA_PUSH(ctx->mem, ctx->art->links, ctx->art->nlinks, ctx->art->caplinks, ref);
      continue;
    }
    if (image && blank(pass_plain_text(ctx->scratch, n)))
      pass_diag(ctx, n, SEV_WARNING, "missing-alt-text",
                "image '%s' has no alt text: describe it between the brackets, ![...](...)",
                url);
    const char *out = check(ctx, n, url, image);
    if (out)
      cmark_node_set_url(n, out);
  }
  cmark_iter_free(it);
}

const char *pass_resolve_url(pass_context *ctx, cmark_node *n, const char *url, bool image) {
  const char *out = check(ctx, n, url, image);
  return out ? out : url;
}
