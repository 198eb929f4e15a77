/* Links and images: record each one (for the resolve stage, which checks
 * anchors once every article is indexed) and rewrite its URL for the site:
 * x.md -> x.html; an article or file missing in a translation -> the source
 * locale's; /prefix/... -> the external address folio.yml maps it to. */
#include <stdlib.h>
#include <string.h>

#include "passes.h"
#include "util.h"

static bool has_scheme(const char *u) {
  const char *p = u;
  if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
    return false;
  while (*p && *p != ':' && *p != '/' && *p != '?' && *p != '#')
    p++;
  return *p == ':';
}

/* Map a site-absolute path through folio.yml's external_links. */
static const char *map_external(pass_context *ctx, const char *url) {
  const site_config *cfg = &ctx->b->cfg;
  const char *locale = cfg->locales[ctx->art->locale];
  for (size_t i = 0; i < cfg->nexternal; i++) {
    const external_root *r = &cfg->external[i];
    if (!str_starts_with(url, r->prefix))
      continue;
    const char *rest = url + strlen(r->prefix);
    const char *t = r->target, *ph = strstr(t, "{locale}");
    if (ph)
      return arena_printf(ctx->scratch, "%.*s%s%s%s", (int)(ph - t), t, locale, ph + 8, rest);
    return arena_printf(ctx->scratch, "%s%s", t, rest);
  }
  return NULL;
}

/* Rewrite a relative URL; NULL leaves it as written. */
static const char *rewrite(pass_context *ctx, cmark_node *n, const char *url, bool image) {
  const build *b = ctx->b;
  const article *art = ctx->art;
  if (!*url) {
    pass_diag(ctx, n, SEV_WARNING, "empty-link", "link has no target");
    return NULL;
  }
  if (url[0] == '#' || has_scheme(url) || str_starts_with(url, "//"))
    return NULL;
  if (url[0] == '/')
    return map_external(ctx, url);

  size_t plen = strcspn(url, "?#");
  const char *suffix = url + plen; /* ?query#fragment, kept */
  char *target = arena_strndup(ctx->scratch, url, plen);
  if (!percent_decode(target))
    return NULL;
  char *dir = path_dirname(art->rel);
  char *joined = path_join(dir, target);
  char *rel = path_normalize(joined);
  free(dir);
  free(joined);
  if (!rel) {
    pass_diag(ctx, n, SEV_ERROR, "link-out-of-scope",
             "'%s' points outside the %s content folder", url, b->cfg.locales[art->locale]);
    return NULL;
  }
  const char *from = arena_printf(ctx->scratch, "%s/%s", b->cfg.locales[art->locale], art->url);
  const char *result = NULL;
  int src = 0; /* the source locale is always index 0 */
  if (str_ends_with(rel, ".md")) {
    const article *t = content_find_article(&b->content, art->locale, rel);
    int loc = art->locale;
    if (!t && art->locale != src) {
      t = content_find_article(&b->content, src, rel);
      loc = src;
    }
    if (t) {
      char *r = path_relative(from, arena_printf(ctx->scratch, "%s/%s", b->cfg.locales[loc], t->url));
      result = arena_printf(ctx->scratch, "%s%s", r, suffix);
      free(r);
    }
  } else {
    int loc = art->locale;
    const content_file *f = content_find_file(b->content.media, b->content.nmedia, loc, rel);
    if (!f && loc != src) {
      f = content_find_file(b->content.media, b->content.nmedia, src, rel);
      loc = src;
    }
    if (f && loc != art->locale) {
      char *r = path_relative(from, arena_printf(ctx->scratch, "%s/%s", b->cfg.locales[loc], rel));
      result = arena_printf(ctx->scratch, "%s%s", r, suffix);
      free(r);
    } else if (f) {
      result = NULL; /* same place in the output tree */
    } else {
      pass_diag(ctx, n, SEV_ERROR, image ? "image-not-found" : "file-not-found",
               "'%s' does not exist (looked for %s/%s)", url, b->cfg.locales[art->locale], rel);
    }
    free(rel);
    return result;
  }
  if (!result)
    pass_diag(ctx, n, SEV_ERROR, "file-not-found",
             "'%s' does not exist (looked for %s/%s)", url, b->cfg.locales[art->locale], rel);
  free(rel);
  return result;
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
    int line = pass_line(ctx, n), col = pass_col(n);
    link_ref ref = {arena_strdup(ctx->mem, url), line, col, t == CMARK_NODE_IMAGE};
    ARENA_PUSH(ctx->mem, ctx->art->links, ctx->art->nlinks, ctx->art->caplinks, ref);
    const char *out = rewrite(ctx, n, url, t == CMARK_NODE_IMAGE);
    if (out)
      cmark_node_set_url(n, out);
  }
  cmark_iter_free(it);
}

const char *pass_resolve_url(pass_context *ctx, cmark_node *n, const char *url, bool image) {
  link_ref ref = {arena_strdup(ctx->mem, url), pass_line(ctx, n), pass_col(n), image};
  ARENA_PUSH(ctx->mem, ctx->art->links, ctx->art->nlinks, ctx->art->caplinks, ref);
  const char *out = rewrite(ctx, n, url, image);
  return out ? out : url;
}
