/* :::image and :::no-loc inside text: in a paragraph, a list item, a table
 * cell or a heading, as Learn allows ("| :::image type="icon" ...::: Yes |").
 * The block extension only sees directives that stand on their own line,
 * so cmark parses these as text, possibly split over several nodes (an
 * alt text with *stars* becomes emphasis, a URL in link="" an autolink, a
 * long directive runs over a soft line break). This pass finds the opening
 * ":::name" in a text node and the closing ":::" in the text after it, then
 * reads the directive from the source lines, as written, with the same
 * reader as the block directives (dline), and replaces the nodes it covered:
 * :::no-loc by its text, :::image by an inline image built like the block
 * one (pass_image_html: the same link, alt-text and URL checks). */
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dline.h"
#include "passes.h"

static const char *const inline_names[] = {"image", "no-loc", NULL};

static bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

/* The first ":::image" or ":::no-loc" (name in any case, then a non-word
 * character) in s at or after from; its offset, or -1. */
static long find_open(const char *s, size_t from, size_t *name_len) {
  for (const char *p = strstr(s + from, ":::"); p; p = strstr(p + 1, ":::")) {
    for (const char *const *n = inline_names; *n; n++) {
      size_t k = strlen(*n);
      if (!strncasecmp(p + 3, *n, k) && !word_char(p[3 + k])) {
        *name_len = k;
        return p - s;
      }
    }
  }
  return -1;
}

static bool is_text(cmark_node *n) { return n && cmark_node_get_type(n) == CMARK_NODE_TEXT; }

static bool is_break(cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* Where a piece of the directive's text came from. */
typedef struct {
  size_t off;    /* offset in the directive's text */
  int line, col; /* its source position */
} piece;

/* A text node made here for the rest of a text after a directive has no
 * source position in cmark: the pass keeps it. */
typedef struct {
  cmark_node *node;
  int line, col;
} made_pos;

typedef struct {
  /* Start offsets of the lines of the parsed (include-expanded) text. */
  const char *text;
  size_t len;
  size_t *starts;
  size_t nlines;
  made_pos *made;
  size_t nmade, capmade;
} inl_state;

static void lines_init(arena *a, const expanded_text *src, inl_state *l) {
  memset(l, 0, sizeof *l);
  l->text = src->text;
  l->len = src->len;
  size_t cap = 1;
  for (size_t i = 0; i < src->len; i++)
    cap += src->text[i] == '\n';
  l->starts = arena_alloc(a, cap * sizeof *l->starts);
  l->starts[l->nlines++] = 0;
  for (size_t i = 0; i < src->len; i++)
    if (src->text[i] == '\n' && l->nlines < cap)
      l->starts[l->nlines++] = i + 1;
}

/* The source position where node n starts (line 0 when unknown). */
static void start_of(const inl_state *l, cmark_node *n, int *line, int *col) {
  for (size_t i = l->nmade; i > 0; i--)
    if (l->made[i - 1].node == n) {
      *line = l->made[i - 1].line;
      *col = l->made[i - 1].col;
      return;
    }
  *line = cmark_node_get_start_line(n);
  *col = cmark_node_get_start_column(n);
}

/* Line `line` (1-based) from byte column `col` (1-based) to its end;
 * false when there is no such place. */
static bool line_from(const inl_state *l, int line, int col, const char **s, size_t *n) {
  if (line <= 0 || (size_t)line > l->nlines || col <= 0)
    return false;
  size_t b = l->starts[line - 1];
  size_t e = (size_t)line < l->nlines ? l->starts[line] - 1 : l->len;
  if (e > b && l->text[e - 1] == '\r')
    e--;
  if (b + (size_t)(col - 1) > e)
    return false;
  *s = l->text + b + col - 1;
  *n = e - b - (size_t)(col - 1);
  return true;
}

/* Join each run of adjacent text nodes of parent into its first node
 * (cmark may leave ":" or "[" as nodes of their own): the opening and the
 * closing ::: are then each within one node. The first node keeps its
 * source position, which is where the raw text is read from. */
static void merge_texts(pass_context *ctx, cmark_node *parent) {
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    cmark_node *next;
    while (is_text(c) && is_text(next = cmark_node_next(c))) {
      cmark_node_set_literal(c, arena_printf(ctx->scratch, "%s%s", cmark_node_get_literal(c),
                                             cmark_node_get_literal(next)));
      cmark_node_free(next);
    }
  }
}

/* What a node contributes to the text when the source cannot be read. */
static void put_plain(pass_context *ctx, buf *b, cmark_node *n) {
  if (is_break(n))
    buf_putc(b, '\n');
  else if (is_text(n) || cmark_node_get_type(n) == CMARK_NODE_CODE ||
           cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE)
    buf_puts(b, cmark_node_get_literal(n));
  else
    buf_puts(b, pass_plain_text(ctx->scratch, n));
}

/* The directive's source text, from its opening ::: in t (at literal offset
 * i0) through the node e that holds the closing ::: (and past it: the
 * reader stops there). Read from the source lines when every line of it
 * can be found there, so that values are as written (pieces says where
 * each line came from); otherwise from the nodes (no pieces). */
static void directive_text(pass_context *ctx, const inl_state *l, cmark_node *t, size_t i0,
                           size_t name_len, cmark_node *e, buf *out, piece **pieces,
                           size_t *npieces) {
  const char *s;
  size_t n, cap = 0;
  int line, col;
  const char *lit = cmark_node_get_literal(t);
  *pieces = NULL;
  *npieces = 0;
  start_of(l, t, &line, &col);
  if (line_from(l, line, col, &s, &n)) {
    /* The same directive in the source: the first ":::name" from the
     * node's start (escapes before it make the offsets differ). */
    char *src = arena_strndup(ctx->scratch, s, n);
    size_t k;
    long at = find_open(src, 0, &k);
    bool ok = at >= 0 && k == name_len;
    if (ok) {
      piece p = {0, line, col + (int)at};
      ARENA_PUSH(ctx->scratch, *pieces, *npieces, cap, p);
      buf_put(out, src + at, n - (size_t)at);
    }
    bool need_line = false;
    for (cmark_node *c = cmark_node_next(t); ok && c && c != cmark_node_next(e);
         c = cmark_node_next(c)) {
      if (is_break(c)) {
        need_line = true;
      } else if (need_line) {
        /* The next line of the directive starts where this node does
         * (after any quote marker or list indentation). */
        start_of(l, c, &line, &col);
        ok = line_from(l, line, col, &s, &n);
        if (ok) {
          buf_putc(out, '\n');
          piece p = {out->len, line, col};
          ARENA_PUSH(ctx->scratch, *pieces, *npieces, cap, p);
          buf_put(out, s, n);
        }
        need_line = false;
      }
    }
    if (ok)
      return;
    out->len = 0;
    *npieces = 0;
  }
  buf_puts(out, lit + i0);
  for (cmark_node *c = cmark_node_next(t); c && c != cmark_node_next(e); c = cmark_node_next(c))
    put_plain(ctx, out, c);
}

/* The source position of offset off of the directive's text. */
static void position_at(const piece *pieces, size_t npieces, size_t off, int *line, int *col) {
  size_t i = npieces;
  while (i > 1 && pieces[i - 1].off > off)
    i--;
  *line = pieces[i - 1].line;
  *col = pieces[i - 1].col + (int)(off - pieces[i - 1].off);
}

/* The node that replaces a directive, or NULL when it renders as nothing
 * (after an error). */
static cmark_node *replacement(pass_context *ctx, cmark_node *t, int col, const dline *d) {
  if (!strcmp(d->name, "no-loc")) {
    for (size_t i = 0; i < d->nattrs; i++)
      if (strcmp(d->attrs[i].name, "text"))
        pass_diag_col(ctx, t, col, SEV_WARNING, "unknown-attribute",
                      "unknown attribute '%s' (column %d) on :::no-loc is ignored",
                      d->attrs[i].name, d->attrs[i].col);
    const char *text = dline_attr_value(d, "text");
    if (!text) {
      pass_diag_col(ctx, t, col, SEV_ERROR, "directive-syntax",
                    ":::no-loc needs the text to keep, as text=\"...\"");
      return NULL;
    }
    /* A text node: cmark escapes it, and headings and search see it. */
    cmark_node *r = cmark_node_new_with_mem(CMARK_NODE_TEXT, ctx->cmem);
    cmark_node_set_literal(r, text);
    return r;
  }
  buf html = {0};
  const char *desc = NULL;
  cmark_node *r = NULL;
  if (pass_image_html(ctx, t, col, d, true, &html, &desc)) {
    /* Inline HTML (a table cell may hold no custom inline), marked as
     * folio's own so that pass_sanitize leaves it as built. */
    r = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, ctx->cmem);
    cmark_node_set_literal(r, buf_cstr(&html));
    pass_mark_built(r);
  }
  buf_free(&html);
  return r;
}

/* Replace the first inline directive in text node t. Returns false when
 * there is none (t is unchanged); otherwise *resume is the first node after
 * the directive (the rest of t's text, or what followed), NULL at the end. */
static bool convert(pass_context *ctx, inl_state *l, cmark_node *t, cmark_node **resume) {
  const char *lit = cmark_node_get_literal(t);
  size_t name_len;
  long i0 = find_open(lit, 0, &name_len);
  if (i0 < 0)
    return false;
  /* The closing ::: : in this node after the name, or in a later text
   * node of the same paragraph (a line break or inline markup between). */
  cmark_node *e = t;
  const char *close = strstr(lit + i0 + 3 + name_len, ":::");
  while (!close && (e = cmark_node_next(e)))
    if (is_text(e))
      close = strstr(cmark_node_get_literal(e), ":::");
  buf raw = {0};
  piece *pieces;
  size_t npieces;
  directive_text(ctx, l, t, (size_t)i0, name_len, e ? e : t, &raw, &pieces, &npieces);
  /* The directive's column; 0 (the node's) when the source was not read. */
  int col = npieces ? pieces[0].col : 0;
  if (!e) {
    pass_diag_col(ctx, t, col, SEV_WARNING, "directive-unclosed",
                  "':::%.*s' has no closing ::: in its paragraph and is shown as text",
                  (int)name_len, lit + i0 + 3);
    buf_free(&raw);
    return false;
  }
  dline d;
  cmark_node *r = NULL;
  int end_line = 0, end_col = 0; /* where the text after it starts */
  if (dline_read(ctx->scratch, buf_cstr(&raw), raw.len, col ? col : pass_col(t), &d) < 0) {
    pass_diag_col(ctx, t, col, SEV_ERROR, d.err_code, "%s", d.err_msg);
  } else {
    r = replacement(ctx, t, col, &d);
    if (npieces)
      position_at(pieces, npieces, d.len, &end_line, &end_col);
  }
  if (!end_line) /* as good as it gets: the text's own start */
    start_of(l, t, &end_line, &end_col);
  buf_free(&raw);

  /* Splice: t keeps the text before the directive, e the text after it;
   * whatever lay between goes. */
  char *after = arena_strdup(ctx->scratch, close + 3);
  char *before = arena_strndup(ctx->scratch, lit, (size_t)i0);
  cmark_node *anchor = t;
  if (r && cmark_node_insert_after(t, r)) {
    anchor = r;
  } else if (r) {
    cmark_node_free(r); /* not allowed here: the directive renders as nothing */
  }
  if (e != t) {
    cmark_node *x = cmark_node_next(anchor);
    while (x && x != e) {
      cmark_node *next = cmark_node_next(x);
      cmark_node_free(x);
      x = next;
    }
  }
  cmark_node *rest = NULL;
  if (*after) {
    if (e == t) {
      rest = cmark_node_new_with_mem(CMARK_NODE_TEXT, ctx->cmem);
      if (!cmark_node_insert_after(anchor, rest)) {
        cmark_node_free(rest);
        rest = NULL;
      }
    } else {
      rest = e;
    }
    if (rest)
      cmark_node_set_literal(rest, after);
  } else if (e != t) {
    cmark_node_free(e);
  }
  if (rest) {
    made_pos m = {rest, end_line, end_col};
    ARENA_PUSH(ctx->scratch, l->made, l->nmade, l->capmade, m);
  }
  *resume = rest ? rest : cmark_node_next(anchor);
  if (*before)
    cmark_node_set_literal(t, before);
  else
    cmark_node_free(t);
  return true;
}

void pass_inline(pass_context *ctx, cmark_node *doc) {
  /* Collect the parents first: the tree changes under the walk. */
  cmark_node **parents = NULL;
  size_t n = 0, cap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *x = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || !is_text(x) || !strstr(cmark_node_get_literal(x), ":::"))
      continue;
    cmark_node *p = cmark_node_parent(x);
    if (!n || parents[n - 1] != p)
      ARENA_PUSH(ctx->scratch, parents, n, cap, p);
  }
  cmark_iter_free(it);
  if (!n)
    return;
  inl_state l;
  lines_init(ctx->scratch, ctx->src, &l);
  for (size_t i = 0; i < n; i++) {
    merge_texts(ctx, parents[i]);
    cmark_node *c = cmark_node_first_child(parents[i]);
    while (c) {
      cmark_node *resume;
      if (is_text(c) && convert(ctx, &l, c, &resume))
        c = resume; /* the rest of the text may hold another directive */
      else
        c = cmark_node_next(c);
    }
  }
}
