/* Heading ids. An <a name="id"></a> (or <a id>) inside a heading, or alone in
 * the paragraph just before it, gives the heading its id: translated Learn
 * articles carry the English id so links work in every locale. Otherwise the
 * id is the GitHub slug of the heading text, with -1, -2 for repeats. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "htmltag.h"
#include "passes.h"
#include "slug.h"
#include "strmap.h"

/* If n is an inline <a name|id=...> tag, its id; else NULL. */
static const char *anchor_id(arena *a, cmark_node *n) {
  if (cmark_node_get_type(n) != CMARK_NODE_HTML_INLINE)
    return NULL;
  const char *lit = cmark_node_get_literal(n);
  html_tag t;
  if (!lit || !htmltag_parse(a, lit, strlen(lit), &t) || t.closing || strcmp(t.name, "a"))
    return NULL;
  const char *id = htmltag_attr(&t, "name");
  if (!id || !*id)
    id = htmltag_attr(&t, "id");
  return id && *id ? id : NULL;
}

static bool is_close_a(cmark_node *n) {
  if (!n || cmark_node_get_type(n) != CMARK_NODE_HTML_INLINE)
    return false;
  const char *lit = cmark_node_get_literal(n);
  return lit && !strcmp(lit, "</a>");
}

static bool blank_text(cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
    return true;
  if (t != CMARK_NODE_TEXT)
    return false;
  for (const char *s = cmark_node_get_literal(n); *s; s++)
    if (*s != ' ' && *s != '\t')
      return false;
  return true;
}

/* Take the anchors out of a heading; return the first id found. */
static const char *take_anchor(pass_context *ctx, cmark_node *h) {
  const char *found = NULL;
  cmark_node *c = cmark_node_first_child(h);
  while (c) {
    cmark_node *next = cmark_node_next(c);
    const char *id = anchor_id(ctx->scratch, c);
    if (id) {
      if (!found)
        found = id;
      if (is_close_a(next)) {
        cmark_node *after = cmark_node_next(next);
        cmark_node_free(next);
        next = after;
      }
      cmark_node_free(c);
    } else if (is_close_a(c) && found) {
      cmark_node_free(c); /* closes <a name="x">text</a> */
    }
    c = next;
  }
  /* Trim the space that separated the anchor from the text. */
  cmark_node *first = cmark_node_first_child(h);
  if (found && first && cmark_node_get_type(first) == CMARK_NODE_TEXT) {
    const char *lit = cmark_node_get_literal(first);
    size_t skip = strspn(lit, " \t");
    if (skip)
      cmark_node_set_literal(first, lit + skip);
  }
  return found;
}

/* A paragraph made only of anchors, right before a heading. */
static const char *anchor_paragraph(pass_context *ctx, cmark_node *p) {
  if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH)
    return NULL;
  const char *found = NULL;
  for (cmark_node *c = cmark_node_first_child(p); c; c = cmark_node_next(c)) {
    const char *id = anchor_id(ctx->scratch, c);
    if (id && !found)
      found = id;
    else if (!id && !is_close_a(c) && !blank_text(c))
      return NULL;
  }
  return found;
}

void pass_headings(pass_context *ctx, cmark_node *doc) {
  /* Collect first: the tree changes as headings are replaced. */
  cmark_node **heads = NULL;
  size_t nheads = 0, cap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  strmap seen, next_suffix; /* ids in use; per slug, the next -N to try */
  strmap_init(&seen, ctx->scratch);
  strmap_init(&next_suffix, ctx->scratch);
  /* A YAML page renders its Markdown in pieces: ids taken by the pieces
   * before (questions, other answers) are in use. */
  for (size_t i = 0; i < ctx->art->nheadings; i++)
    strmap_set(&seen, ctx->art->headings[i].id, 1);
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
      ARENA_PUSH(ctx->scratch, heads, nheads, cap, n);
    } else if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE) {
      /* Anchors outside headings are link targets too. */
      cmark_node *parent = cmark_node_parent(n);
      const char *id = anchor_id(ctx->scratch, n);
      cmark_node *after = parent ? cmark_node_next(parent) : NULL;
      bool before_heading = after && cmark_node_get_type(after) == CMARK_NODE_HEADING &&
                            anchor_paragraph(ctx, parent);
      if (id && parent && cmark_node_get_type(parent) != CMARK_NODE_HEADING && !before_heading) {
        heading h = {0, arena_strdup(ctx->mem, id), "", pass_line(ctx, n), true};
        if (strmap_get(&seen, h.id))
          pass_diag(ctx, n, SEV_WARNING, "duplicate-anchor",
                    "anchor '%s' is used twice in this article; links to '#%s' reach only the "
                    "first",
                    h.id, h.id);
        strmap_set(&seen, h.id, 1);
        ARENA_PUSH(ctx->mem, ctx->art->headings, ctx->art->nheadings, ctx->art->capheadings, h);
      }
    }
  }
  cmark_iter_free(it);

  for (size_t i = 0; i < nheads; i++) {
    cmark_node *h = heads[i];
    int line = pass_line(ctx, h);
    const char *id = take_anchor(ctx, h);
    cmark_node *prev = cmark_node_previous(h);
    const char *before = anchor_paragraph(ctx, prev);
    if (before) {
      if (!id)
        id = before;
      cmark_node_free(prev);
    }
    char *text = pass_plain_text(ctx->mem, h);
    bool explicit_id = id != NULL;
    if (explicit_id) {
      if (strmap_get(&seen, id))
        pass_diag(ctx, h, SEV_WARNING, "duplicate-anchor",
                 "anchor '%s' is used twice in this article; links to '#%s' reach only the first",
                 id, id);
    } else {
      const char *slug = slug_make(ctx->mem, text);
      id = slug;
      /* GitHub's rule: slug, slug-1, slug-2, ... skipping ids in use. */
      int *next = strmap_get(&next_suffix, slug);
      int k = next ? *next : 1;
      while (strmap_get(&seen, id))
        id = arena_printf(ctx->mem, "%s-%d", slug, k++);
      strmap_set(&next_suffix, slug, k);
    }
    id = arena_strdup(ctx->mem, id);
    strmap_set(&seen, id, 1);
    int level = cmark_node_get_heading_level(h);
    heading rec = {level, id, text, line, explicit_id};
    ARENA_PUSH(ctx->mem, ctx->art->headings, ctx->art->nheadings, ctx->art->capheadings, rec);

    buf open = {0};
    buf_printf(&open, "<h%d id=\"", level);
    buf_puts_html(&open, id);
    buf_puts(&open, "\">");
    char close[8];
    snprintf(close, sizeof close, "</h%d>", level);
    pass_wrap_custom(ctx, h, CMARK_NODE_CUSTOM_BLOCK, buf_cstr(&open), close);
    buf_free(&open);
  }
}
