/* Heading ids and anchors. Every heading gets the GitHub slug of its text
 * as its id, with -1, -2 for repeats. Every <a name="x"></a>, <a id="x">
 * and <a href="" id="x"> is an anchor in its own right, wherever it is: in
 * text, alone on a line (also before an include), in a heading or on the
 * line before one. A heading keeps its slug id as well (Learn keeps both):
 * translated Learn articles carry the English anchor next to the localized
 * heading, so links to it work in every locale. An anchor on the line
 * before a heading moves into the heading (the scroll target is the
 * heading); an anchor whose id is the heading's own id is not repeated. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "htmltag.h"
#include "passes.h"
#include "slug.h"
#include "strmap.h"

/* If lit is one <a name|id=...> opening tag, its id; else NULL. */
static const char *tag_anchor_id(arena *a, const char *lit, size_t n, size_t *used) {
  html_tag t;
  if (!lit || !htmltag_parse(a, lit, n, &t) || t.closing || strcmp(t.name, "a"))
    return NULL;
  const char *id = htmltag_attr(&t, "name");
  if (!id || !*id)
    id = htmltag_attr(&t, "id");
  if (used)
    *used = t.len;
  return id && *id ? id : NULL;
}

/* If n is an inline <a name|id=...> tag, its id; else NULL. */
static const char *anchor_id(arena *a, cmark_node *n) {
  if (cmark_node_get_type(n) != CMARK_NODE_HTML_INLINE)
    return NULL;
  const char *lit = cmark_node_get_literal(n);
  return lit ? tag_anchor_id(a, lit, strlen(lit), NULL) : NULL;
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

/* The ids of an HTML block made only of anchor tags (<a id="x"> alone on a
 * line, which CommonMark reads as an HTML block), into ids; false when the
 * block holds anything else. */
static bool anchor_block(pass_context *ctx, cmark_node *b, const char ***ids, size_t *n) {
  if (cmark_node_get_type(b) != CMARK_NODE_HTML_BLOCK)
    return false;
  const char *p = cmark_node_get_literal(b);
  size_t cap = 0;
  *ids = NULL;
  *n = 0;
  while (p && *p) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      p++;
    } else if (!strncmp(p, "</a>", 4)) {
      p += 4;
    } else {
      size_t used;
      const char *id = tag_anchor_id(ctx->scratch, p, strlen(p), &used);
      if (!id)
        return false;
      ARENA_PUSH(ctx->scratch, *ids, *n, cap, id);
      p += used;
    }
  }
  return *n > 0;
}

/* An inline node that writes <a id="id"></a> (escaped). */
static cmark_node *anchor_node(pass_context *ctx, const char *id) {
  buf b = {0};
  buf_puts(&b, "<a id=\"");
  buf_puts_html(&b, id);
  buf_puts(&b, "\"></a>");
  cmark_node *n = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, ctx->cmem);
  cmark_node_set_literal(n, buf_cstr(&b));
  buf_free(&b);
  return n;
}

/* A paragraph made only of anchors (and blanks). */
static bool anchor_paragraph(pass_context *ctx, cmark_node *p) {
  if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH)
    return false;
  bool any = false;
  for (cmark_node *c = cmark_node_first_child(p); c; c = cmark_node_next(c)) {
    if (anchor_id(ctx->scratch, c))
      any = true;
    else if (!is_close_a(c) && !blank_text(c))
      return false;
  }
  return any;
}

/* Move what stands before heading h and only holds anchors (a paragraph of
 * anchors, or an HTML block of anchor tags) into h, in front of its text. */
static void pull_anchors_in(pass_context *ctx, cmark_node *h) {
  cmark_node *prev = cmark_node_previous(h);
  const char **ids;
  size_t n;
  cmark_node *first = cmark_node_first_child(h);
  if (anchor_paragraph(ctx, prev)) {
    cmark_node *c;
    while ((c = cmark_node_first_child(prev))) {
      if (blank_text(c)) {
        cmark_node_free(c);
      } else if (first) {
        cmark_node_insert_before(first, c);
      } else {
        cmark_node_append_child(h, c);
      }
    }
    cmark_node_free(prev);
  } else if (prev && anchor_block(ctx, prev, &ids, &n)) {
    for (size_t i = 0; i < n; i++) {
      cmark_node *a = anchor_node(ctx, ids[i]);
      if (first)
        cmark_node_insert_before(first, a);
      else
        cmark_node_append_child(h, a);
    }
    cmark_node_free(prev);
  }
}

/* Remove the anchor node a from its heading, and the </a> that closes it
 * (right after it, or after the text it wraps). */
static void drop_anchor(cmark_node *a) {
  cmark_node *next = cmark_node_next(a);
  if (is_close_a(next)) {
    cmark_node_free(next);
  } else {
    for (cmark_node *c = next; c; c = cmark_node_next(c))
      if (is_close_a(c)) {
        cmark_node_free(c);
        break;
      }
  }
  cmark_node_free(a);
}

/* Trim the blanks between leading anchors and the heading's text. */
static void trim_after_anchors(pass_context *ctx, cmark_node *h) {
  cmark_node *c = cmark_node_first_child(h);
  while (c && (anchor_id(ctx->scratch, c) || is_close_a(c)))
    c = cmark_node_next(c);
  if (c && cmark_node_get_type(c) == CMARK_NODE_TEXT) {
    const char *lit = cmark_node_get_literal(c);
    size_t skip = strspn(lit, " \t");
    if (skip && lit[skip])
      cmark_node_set_literal(c, lit + skip);
    else if (skip)
      cmark_node_free(c);
  }
}

typedef pass_headings_walk idset; /* seen and next_suffix */

/* Record an anchor (level 0) at node n; a repeated id is a warning. */
static void add_anchor(pass_context *ctx, idset *s, cmark_node *n, const char *id) {
  if (strmap_get(&s->seen, id))
    pass_diag(ctx, n, SEV_WARNING, "duplicate-anchor",
              "anchor '%s' is used twice in this article; links to '#%s' reach only the first", id,
              id);
  heading a = {0, arena_strdup(ctx->mem, id), "", pass_line(ctx, n), true};
  strmap_set(&s->seen, a.id, 1);
  ARENA_PUSH(ctx->scratch, ctx->art->headings, ctx->art->nheadings, ctx->art->capheadings, a);
}

static void heading_id(pass_context *ctx, idset *s, cmark_node *h) {
  int line = pass_line(ctx, h);
  pull_anchors_in(ctx, h);
  trim_after_anchors(ctx, h);
  /* The anchors the heading holds now. */
  cmark_node **anchors = NULL;
  const char **ids = NULL;
  size_t na = 0, cap = 0, capi = 0, ni = 0;
  for (cmark_node *c = cmark_node_first_child(h); c; c = cmark_node_next(c)) {
    const char *id = anchor_id(ctx->scratch, c);
    if (id) {
      ARENA_PUSH(ctx->scratch, anchors, na, cap, c);
      ARENA_PUSH(ctx->scratch, ids, ni, capi, id);
    }
  }
  /* The text without the blanks around it (an icon or an anchor before
   * the words leaves one). */
  char *text = pass_plain_text(ctx->mem, h);
  text += strspn(text, " \t");
  size_t tl = strlen(text);
  while (tl && (text[tl - 1] == ' ' || text[tl - 1] == '\t'))
    text[--tl] = '\0';
  const char *base = slug_make(ctx->mem, text), *id = NULL;
  /* An anchor that is the heading's own slug is the heading's id. */
  bool merged = false;
  for (size_t i = 0; i < na && !merged; i++)
    if (!strcmp(ids[i], base) && !strmap_get(&s->seen, base)) {
      merged = true;
      id = base;
      drop_anchor(anchors[i]);
      anchors[i] = NULL;
    }
  if (!merged) {
    /* GitHub's rule: slug, slug-1, slug-2, ... skipping ids in use. */
    int *next = strmap_get(&s->next_suffix, base);
    int k = next ? *next : 1;
    id = base;
    while (strmap_get(&s->seen, id))
      id = arena_printf(ctx->mem, "%s-%d", base, k++);
    strmap_set(&s->next_suffix, base, k);
  }
  id = arena_strdup(ctx->mem, id);
  strmap_set(&s->seen, id, 1);
  int level = cmark_node_get_heading_level(h);
  heading rec = {level, id, text, line, merged};
  ARENA_PUSH(ctx->scratch, ctx->art->headings, ctx->art->nheadings, ctx->art->capheadings, rec);
  /* Its other anchors are targets of their own, right after it (so that
   * the rules of policy.h name the anchor a translation shares). */
  for (size_t i = 0; i < na; i++)
    if (anchors[i])
      add_anchor(ctx, s, h, ids[i]);

  /* level is 1 to 6: one digit. */
  char open_tag[] = "<h0 id=\"", close[] = "</h0>";
  open_tag[2] = close[3] = (char)('0' + level);
  buf open = {0};
  buf_puts(&open, open_tag);
  buf_puts_html(&open, id);
  buf_puts(&open, "\">");
  pass_wrap_custom(ctx, h, CMARK_NODE_CUSTOM_BLOCK, buf_cstr(&open), close);
  buf_free(&open);
}

/* Whether n (an anchor paragraph or block) stands right before a heading,
 * whose anchors it will become. */
static bool before_heading(cmark_node *n) {
  cmark_node *after = n ? cmark_node_next(n) : NULL;
  return after && cmark_node_get_type(after) == CMARK_NODE_HEADING;
}

/* Collect first: the tree changes as headings are replaced. Anchors
 * outside headings (and not about to move into one) are recorded during
 * the walk, so that heading slugs step around them. */
void pass_headings_begin(pass_context *ctx, pass_headings_walk *w) {
  memset(w, 0, sizeof *w);
  strmap_init(&w->seen, ctx->scratch);
  strmap_init(&w->next_suffix, ctx->scratch);
  /* A YAML page renders its Markdown in pieces: ids taken by the pieces
   * before (questions, other answers) are in use. */
  for (size_t i = 0; i < ctx->art->nheadings; i++)
    strmap_set(&w->seen, ctx->art->headings[i].id, 1);
}

void pass_headings_visit(pass_context *ctx, pass_headings_walk *w, cmark_event_type ev, cmark_node *n,
                         cmark_node_type t) {
  if (ev != CMARK_EVENT_ENTER)
    return;
  if (t == CMARK_NODE_HEADING) {
    pass_nodes_add(ctx, &w->heads, n);
  } else if (t == CMARK_NODE_HTML_BLOCK) {
    const char **ids;
    size_t ni;
    if (anchor_block(ctx, n, &ids, &ni) && !before_heading(n)) {
      for (size_t i = 0; i < ni; i++)
        add_anchor(ctx, w, n, ids[i]);
      pass_nodes_add(ctx, &w->blocks, n);
    }
  } else if (t == CMARK_NODE_HTML_INLINE) {
    cmark_node *parent = cmark_node_parent(n);
    const char *id = anchor_id(ctx->scratch, n);
    if (!id || !parent || cmark_node_get_type(parent) == CMARK_NODE_HEADING)
      return;
    if (before_heading(parent) && anchor_paragraph(ctx, parent))
      return;
    add_anchor(ctx, w, n, id);
  }
}

void pass_headings_act(pass_context *ctx, pass_headings_walk *w) {
  /* An HTML block of anchors alone: written as closed anchors, so that an
   * unclosed <a id="x"> cannot wrap what follows. */
  for (size_t i = 0; i < w->blocks.n; i++) {
    const char **ids;
    size_t ni;
    anchor_block(ctx, w->blocks.items[i], &ids, &ni);
    buf b = {0};
    for (size_t k = 0; k < ni; k++) {
      buf_puts(&b, "<a id=\"");
      buf_puts_html(&b, ids[k]);
      buf_puts(&b, "\"></a>");
    }
    buf_putc(&b, '\n');
    cmark_node_set_literal(w->blocks.items[i], buf_cstr(&b));
    buf_free(&b);
  }

  for (size_t i = 0; i < w->heads.n; i++)
    heading_id(ctx, w, w->heads.items[i]);
}
