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
 * one (pass_image_html: the same link, alt-text and URL checks).
 * Everything is linear in the text: each piece of text is copied once and
 * the source is read forward (a line of ten thousand icons is no worse than
 * ten thousand lines of one). */
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
 * character or the end) in s[from..n); its offset, or -1. */
static long find_open(const char *s, size_t n, size_t from, size_t *name_len) {
  for (size_t i = from; i + 3 <= n; i++) {
    if (s[i] != ':' || s[i + 1] != ':' || s[i + 2] != ':')
      continue;
    for (const char *const *nm = inline_names; *nm; nm++) {
      size_t k = strlen(*nm);
      if (i + 3 + k <= n && !strncasecmp(s + i + 3, *nm, k) &&
          (i + 3 + k == n || !word_char(s[i + 3 + k]))) {
        *name_len = k;
        return (long)i;
      }
    }
  }
  return -1;
}

/* The first ":::" in s[from..n); its offset, or -1. */
static long find_close(const char *s, size_t n, size_t from) {
  for (size_t i = from; i + 3 <= n; i++)
    if (s[i] == ':' && s[i + 1] == ':' && s[i + 2] == ':')
      return (long)i;
  return -1;
}

static bool is_text(cmark_node *n) { return n && cmark_node_get_type(n) == CMARK_NODE_TEXT; }

static bool is_break(cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* The lines of the parsed (include-expanded) text: where each starts. */
typedef struct {
  const char *text;
  size_t len;
  size_t *starts;
  size_t nlines;
} src_lines;

static void lines_init(arena *a, const expanded_text *src, src_lines *l) {
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

/* Line `line` (1-based) from byte column `col` (1-based) to its end;
 * false when there is no such place. */
static bool line_from(const src_lines *l, int line, int col, const char **s, size_t *n) {
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
 * source position, which is where the source is read from. */
static void merge_texts(cmark_node *parent) {
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    if (!is_text(c) || !is_text(cmark_node_next(c)))
      continue;
    buf b = {0};
    buf_puts(&b, cmark_node_get_literal(c));
    cmark_node *next;
    while (is_text(next = cmark_node_next(c))) {
      buf_puts(&b, cmark_node_get_literal(next));
      cmark_node_free(next);
    }
    cmark_node_set_literal(c, buf_cstr(&b));
    buf_free(&b);
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

/* Where the source of the text being converted is read: its line and the
 * column from which the next directive is looked for. line 0: unknown (the
 * directive is then read from the nodes). */
typedef struct {
  int line, col;
} cursor;

/* Where a piece of a directive's text came from. */
typedef struct {
  size_t off;    /* offset in the directive's text */
  int line, col; /* its source position */
} piece;

/* The directive's text, from its opening (literal offset i0 in node t, the
 * source looked for from cur) through the closing ::: in node e (at
 * literal offset close in it). From the source lines when each of its
 * lines can be found there, so that values are as written (pieces says
 * where each came from); otherwise from the nodes (no pieces). */
static void directive_text(pass_context *ctx, const src_lines *l, cursor cur, cmark_node *t,
                           size_t i0, size_t name_len, cmark_node *e, size_t close, buf *out,
                           piece **pieces, size_t *npieces) {
  const char *s;
  size_t n, cap = 0, k;
  *pieces = NULL;
  *npieces = 0;
  long at;
  if (line_from(l, cur.line, cur.col, &s, &n) && (at = find_open(s, n, 0, &k)) >= 0 &&
      k == name_len) {
    /* To the first ::: after the name, or to the end of the line when the
     * directive goes on. */
    long end = find_close(s, n, (size_t)at + 3 + k);
    size_t take = end >= 0 ? (size_t)end + 3 - (size_t)at : n - (size_t)at;
    piece p = {0, cur.line, cur.col + (int)at};
    ARENA_PUSH(ctx->scratch, *pieces, *npieces, cap, p);
    buf_put(out, s + at, take);
    bool ok = true, need_line = false;
    for (cmark_node *c = cmark_node_next(t); end < 0 && ok && c && c != cmark_node_next(e);
         c = cmark_node_next(c)) {
      if (is_break(c)) {
        need_line = true;
      } else if (need_line) {
        /* The next line of the directive starts where this node does
         * (after any quote marker or list indentation). */
        ok = line_from(l, cmark_node_get_start_line(c), cmark_node_get_start_column(c), &s, &n);
        if (ok) {
          end = find_close(s, n, 0);
          buf_putc(out, '\n');
          piece q = {out->len, cmark_node_get_start_line(c), cmark_node_get_start_column(c)};
          ARENA_PUSH(ctx->scratch, *pieces, *npieces, cap, q);
          buf_put(out, s, end >= 0 ? (size_t)end + 3 : n);
        }
        need_line = false;
      }
    }
    if (ok && end >= 0)
      return;
    out->len = 0;
    *npieces = 0;
  }
  const char *lit = cmark_node_get_literal(t);
  if (e == t) {
    buf_put(out, lit + i0, close + 3 - i0);
    return;
  }
  buf_puts(out, lit + i0);
  for (cmark_node *c = cmark_node_next(t); c != e; c = cmark_node_next(c))
    put_plain(ctx, out, c);
  buf_put(out, cmark_node_get_literal(e), close + 3);
}

/* The source position of offset off of the directive's text. */
static cursor position_at(const piece *pieces, size_t npieces, size_t off) {
  size_t i = npieces;
  while (i > 1 && pieces[i - 1].off > off)
    i--;
  return (cursor){pieces[i - 1].line, pieces[i - 1].col + (int)(off - pieces[i - 1].off)};
}

/* The node that replaces a directive, or NULL when it renders as nothing
 * (after an error). t and col locate its diagnostics. */
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

/* Put n before `before` (in its parent); n is freed when the parent may
 * not hold it. */
static void put_before(cmark_node *before, cmark_node *n) {
  if (!cmark_node_insert_before(before, n))
    cmark_node_free(n);
}

static void put_text_before(pass_context *ctx, cmark_node *before, const char *s, size_t n) {
  if (!n)
    return;
  cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, ctx->cmem);
  cmark_node_set_literal(t, arena_strndup(ctx->scratch, s, n));
  put_before(before, t);
}

/* Convert the directives of text node t. The text before each directive
 * and the directives themselves go in front of t as new nodes; t keeps
 * what is left. Returns the node to go on from. */
static cmark_node *convert(pass_context *ctx, const src_lines *l, cmark_node *t) {
  /* t's literal stays as it is until the end: lit points into it. */
  const char *lit = cmark_node_get_literal(t);
  size_t len = strlen(lit), pos = 0, name_len;
  cursor cur = {cmark_node_get_start_line(t), cmark_node_get_start_column(t)};
  cmark_node *resume = cmark_node_next(t); /* nothing after t changes unless e != t */
  bool t_gone = false;
  long i0;
  while ((i0 = find_open(lit, len, pos, &name_len)) >= 0) {
    /* The closing ::: : in t after the name, or in a later text node of
     * the same paragraph (a line break or inline markup between). */
    cmark_node *e = t;
    long close = find_close(lit, len, (size_t)i0 + 3 + name_len);
    while (close < 0 && (e = cmark_node_next(e)))
      if (is_text(e))
        close = find_close(cmark_node_get_literal(e), strlen(cmark_node_get_literal(e)), 0);
    if (!e) {
      /* Nothing closes it: it stays text (and so does the rest). */
      const char *s;
      size_t n, k;
      long at = -1;
      if (line_from(l, cur.line, cur.col, &s, &n))
        at = find_open(s, n, 0, &k);
      pass_diag_col(ctx, t, at >= 0 ? cur.col + (int)at : 0, SEV_WARNING, "directive-unclosed",
                    "':::%.*s' has no closing ::: in its paragraph and is shown as text",
                    (int)name_len, lit + i0 + 3);
      break;
    }
    buf raw = {0};
    piece *pieces;
    size_t npieces;
    directive_text(ctx, l, cur, t, (size_t)i0, name_len, e, (size_t)close, &raw, &pieces,
                   &npieces);
    /* The directive's column; 0 (the node's own) when read from the nodes. */
    int col = npieces ? pieces[0].col : 0;
    dline d;
    cmark_node *r = NULL;
    if (dline_read(ctx->scratch, buf_cstr(&raw), raw.len, col ? col : pass_col(ctx, t), &d) < 0)
      pass_diag_col(ctx, t, col, SEV_ERROR, d.err_code, "%s", d.err_msg);
    else
      r = replacement(ctx, t, col, &d);
    cursor after = {0, 0};
    if (npieces && d.closed)
      after = position_at(pieces, npieces, d.len);
    buf_free(&raw);

    put_text_before(ctx, t, lit + pos, (size_t)i0 - pos);
    if (r)
      put_before(t, r);
    if (e == t) {
      pos = (size_t)close + 3;
      cur = after;
      continue;
    }
    /* It ran into later nodes: those up to e go, and e keeps its text
     * after the closing :::, to be looked at next. */
    for (cmark_node *x = cmark_node_next(t); x != e;) {
      cmark_node *next = cmark_node_next(x);
      cmark_node_free(x);
      x = next;
    }
    const char *elit = cmark_node_get_literal(e);
    if (elit[close + 3]) {
      cmark_node_set_literal(e, arena_strdup(ctx->scratch, elit + close + 3));
      resume = e;
    } else {
      resume = cmark_node_next(e);
      cmark_node_free(e);
    }
    t_gone = true;
    break;
  }
  if (t_gone || (pos && pos == len))
    cmark_node_free(t);
  else if (pos)
    cmark_node_set_literal(t, arena_strdup(ctx->scratch, lit + pos));
  return resume;
}

/* A text with ":::" marks its parent; each parent is taken when it closes
 * (after all its children), once. Only the innermost parent not yet closed
 * can be the parent of the text at hand: those inside it have closed. */
void pass_inline_visit(pass_context *ctx, pass_inline_walk *w, cmark_event_type ev, cmark_node *n,
                       cmark_node_type t) {
  if (t == CMARK_NODE_TEXT) {
    if (strstr(cmark_node_get_literal(n), ":::")) {
      cmark_node *parent = cmark_node_parent(n);
      if (!w->open.n || w->open.items[w->open.n - 1] != parent)
        pass_nodes_add(ctx, &w->open, parent);
    }
  } else if (ev == CMARK_EVENT_EXIT && w->open.n && w->open.items[w->open.n - 1] == n) {
    w->open.n--;
    pass_nodes_add(ctx, &w->parents, n);
  }
}

void pass_inline_act(pass_context *ctx, const pass_inline_walk *w) {
  /* The parents were collected first: the tree changes under the work. */
  cmark_node **parents = w->parents.items;
  size_t n = w->parents.n;
  if (!n)
    return;
  src_lines l;
  lines_init(ctx->scratch, ctx->src, &l);
  for (size_t i = 0; i < n; i++) {
    merge_texts(parents[i]);
    cmark_node *c = cmark_node_first_child(parents[i]);
    while (c)
      c = is_text(c) ? convert(ctx, &l, c) : cmark_node_next(c);
  }
}
