#include "ext_directive.h"

#include <string.h>

#include "dline.h"
#include "scratch.h"

static cmark_node_type DIRECTIVE;

cmark_node_type ext_directive_type(void) { return DIRECTIVE; }

directive_data *ext_directive_data(cmark_node *n) {
  if (!DIRECTIVE || cmark_node_get_type(n) != DIRECTIVE)
    return NULL;
  return cmark_node_get_user_data(n);
}

static bool starts_directive(const unsigned char *s, int len) {
  return len >= 3 && s[0] == ':' && s[1] == ':' && s[2] == ':';
}

/* Directives whose following lines belong to them, up to a ::: line. */
static bool takes_body(const unsigned char *s, int len) {
  return len >= 9 && !memcmp(s, ":::policy", 9) && (len == 9 || s[9] == ' ' || s[9] == '\t' ||
                                                    s[9] == '\r' || s[9] == '\n');
}

static int trimmed_len(const unsigned char *s, int len) {
  while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' ||
                     s[len - 1] == '\t'))
    len--;
  return len;
}

/* Take the rest of the line but its line break: cmark then sees a blank
 * remainder and adds no paragraph (which would close the directive). */
static void consume_line(cmark_parser *parser, const unsigned char *input, int len) {
  int end = len;
  if (end > 0 && input[end - 1] == '\n')
    end--;
  int off = cmark_parser_get_offset(parser);
  if (end > off)
    cmark_parser_advance_offset(parser, (const char *)input, end - off, 0);
}

/* Advance over the line up to byte `to` (an offset into input). */
static void consume_to(cmark_parser *parser, const unsigned char *input, int to) {
  int off = cmark_parser_get_offset(parser);
  if (to > off)
    cmark_parser_advance_offset(parser, (const char *)input, to - off, 0);
}

static cmark_node *open_block(cmark_syntax_extension *ext, int indented, cmark_parser *parser,
                              cmark_node *parent, unsigned char *input, int len) {
  if (indented)
    return NULL;
  int first = cmark_parser_get_first_nonspace(parser);
  if (first >= len || !starts_directive(input + first, len - first))
    return NULL;
  arena *a = scratch_arena();
  int n_raw = trimmed_len(input + first, len - first);
  bool body = takes_body(input + first, n_raw);
  /* Where the directive ends on its line, and what follows it. */
  dline dl;
  bool read = dline_read(a, (const char *)input + first, (size_t)n_raw, 1, &dl) == 0;
  int used = n_raw;
  const char *rest = (const char *)input + first + dl.len;
  size_t nrest = read && dl.closed ? (size_t)n_raw - dl.len : 0;
  bool breaks_only = dline_only_breaks(rest, nrest);
  if (read && !body) {
    /* :::no-loc is always text; an :::image with text after it on its line
     * is an image in that text (the inline pass renders both), as on Learn. */
    bool complex = !strcmp(dl.name, "image") && dline_attr_value(&dl, "type") &&
                   !strcmp(dline_attr_value(&dl, "type"), "complex");
    if (!strcmp(dl.name, "no-loc") || (!strcmp(dl.name, "image") && !complex && !breaks_only))
      return NULL;
    /* Other text after the closing ::: is Markdown after the directive;
     * <br> tags there only spaced the block out, and go. */
    if (dl.closed && !breaks_only)
      used = (int)dl.len;
  }
  cmark_node *n = cmark_parser_add_child(parser, parent, DIRECTIVE,
                                         cmark_parser_get_first_nonspace_column(parser) + 1);
  cmark_node_set_syntax_extension(n, ext);
  directive_data *d = arena_alloc(a, sizeof *d);
  d->raw = arena_strndup(a, (const char *)input + first, (size_t)used);
  d->line = cmark_parser_get_line_number(parser);
  d->body_line = d->line + 1;
  d->multiline = body;
  /* A :::policy written on one line with a closing ::: has no body. */
  if (d->multiline && n_raw > 9 && !memcmp(input + first + n_raw - 3, ":::", 3))
    d->closed = true;
  cmark_node_set_user_data(n, d);
  if (used < n_raw)
    consume_to(parser, input, first + used);
  else
    consume_line(parser, input, len);
  return n;
}

static int match_block(cmark_syntax_extension *ext, cmark_parser *parser, unsigned char *input,
                       int len, cmark_node *container) {
  (void)ext;
  directive_data *d = cmark_node_get_user_data(container);
  if (!d || !d->multiline || d->closed)
    return 0;
  int off = cmark_parser_get_offset(parser);
  const unsigned char *s = input + off;
  int n = trimmed_len(s, len - off);
  int lead = 0;
  while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
    lead++;
  if (n - lead == 3 && starts_directive(s + lead, 3)) {
    d->closed = true;
  } else {
    arena *a = scratch_arena();
    size_t add = (size_t)(len - off);
    arena_grow(a, (void **)&d->body, &d->body_cap, d->body_len + add + 1, 1);
    memcpy(d->body + d->body_len, s, add);
    d->body_len += add;
    d->body[d->body_len] = '\0';
  }
  consume_line(parser, input, len);
  return 1;
}

static int can_contain(cmark_syntax_extension *ext, cmark_node *node, cmark_node_type child) {
  (void)ext;
  (void)node;
  (void)child;
  return 0;
}

static const char *type_string(cmark_syntax_extension *ext, cmark_node *node) {
  (void)ext;
  (void)node;
  return "directive";
}

/* pass_directives replaces every directive; should one remain, it prints
 * nothing rather than stray ::: text. */
static void html_render(cmark_syntax_extension *ext, struct cmark_html_renderer *renderer,
                        cmark_node *node, cmark_event_type ev, int options) {
  (void)ext;
  (void)renderer;
  (void)node;
  (void)ev;
  (void)options;
}

cmark_syntax_extension *ext_directive_create(void) {
  cmark_syntax_extension *ext = cmark_syntax_extension_new("folio-directive");
  DIRECTIVE = cmark_syntax_extension_add_node(0);
  cmark_syntax_extension_set_open_block_func(ext, open_block);
  cmark_syntax_extension_set_match_block_func(ext, match_block);
  cmark_syntax_extension_set_can_contain_func(ext, can_contain);
  cmark_syntax_extension_set_get_type_string_func(ext, type_string);
  cmark_syntax_extension_set_html_render_func(ext, html_render);
  return ext;
}
