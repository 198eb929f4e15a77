/* Links and images: record each one (resolve checks its fragment once every
 * article is parsed) and rewrite its URL for the site with resolve_url:
 * x.md -> x.html (query and fragment kept); an article or file missing in a
 * translation -> the source locale's; /path -> the article it names or the
 * external address folio.yml maps it to. Problems are reported at the link,
 * in the include it came from when it came from one. Markdown images need
 * alt text, as :::image does. */
#include <stdlib.h>
#include <string.h>

#include "linkref.h"
#include "passes.h"

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

/* A link or image whose URL must not be written: the link becomes its text
 * and the image its alt text, so nothing clickable or loadable is left. */
static void unwrap(pass_context *ctx, cmark_node *n) {
  if (cmark_node_get_type(n) == CMARK_NODE_IMAGE) {
    cmark_node *text = cmark_node_new_with_mem(CMARK_NODE_TEXT, ctx->cmem);
    cmark_node_set_literal(text, pass_plain_text(ctx->scratch, n));
    cmark_node_insert_before(n, text);
  } else {
    cmark_node *c;
    while ((c = cmark_node_first_child(n)))
      cmark_node_insert_before(n, c);
  }
  cmark_node_unlink(n);
}

/* Images whose alt text is being read: the stack of open images
 * (w->images), and how many of them (from the bottom) have seen text.
 * Text marks every open image at once by raising the mark, so images
 * nested in images cost one walk, not one walk per image. */
static void alt_text(pass_links_walk *w, const char *lit) {
  if (lit && !blank(lit))
    w->with_text = w->images.n;
}

static void alt_exit(pass_context *ctx, pass_links_walk *w) {
  cmark_node *n = w->images.items[--w->images.n];
  bool has_text = w->with_text > w->images.n;
  if (w->with_text > w->images.n)
    w->with_text = w->images.n;
  if (!has_text)
    pass_diag(ctx, n, SEV_WARNING, "missing-alt-text",
              "image '%s' has no alt text: describe it between the brackets, ![...](...)",
              cmark_node_get_url(n));
}

void pass_links_visit(pass_context *ctx, pass_links_walk *w, cmark_event_type ev, cmark_node *n,
                      cmark_node_type t) {
  if (w->images.n && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE))
    alt_text(w, cmark_node_get_literal(n));
  if (t == CMARK_NODE_IMAGE && ev == CMARK_EVENT_EXIT && w->images.n &&
      w->images.items[w->images.n - 1] == n)
    alt_exit(ctx, w);
  if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
    return;
  const char *url = cmark_node_get_url(n);
  if (!url)
    return;
  bool image = t == CMARK_NODE_IMAGE;
  if (!image && bare_www_autolink(n, url)) {
    linkref_record(ctx, n, url);
    return;
  }
  if (image)
    pass_nodes_add(ctx, &w->images, n);
  const char *out = linkref_resolve(ctx, n, url, image);
  if (out)
    cmark_node_set_url(n, out);
  else /* changed after the walk: the iterator is still on n */
    pass_nodes_add(ctx, &w->blocked, n);
}

void pass_links_act(pass_context *ctx, const pass_links_walk *w) {
  for (size_t i = 0; i < w->blocked.n; i++)
    unwrap(ctx, w->blocked.items[i]);
}
