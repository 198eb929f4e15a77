/* ext_directive: a cmark-gfm block extension for DocFX's triple-colon lines
 * (:::image ...:::, :::zone pivot="x", :::row:::, :::policy id="x" ... :::).
 * Each ::: line becomes one "directive" node holding its raw text, so that
 * attribute values are never parsed as Markdown; :::policy also takes the
 * lines up to its closing ::: as its YAML body. Text after a directive's
 * closing ::: is left to cmark (a paragraph after it), except <br> tags,
 * which go; :::no-loc, and an :::image followed by text, are not blocks but
 * text for pass_inline. pass_directives then pairs openers with their -end
 * lines and renders everything. */
#ifndef FOLIO_EXT_DIRECTIVE_H
#define FOLIO_EXT_DIRECTIVE_H

#include <cmark-gfm-extension_api.h>
#include <stdbool.h>

typedef struct {
  const char *raw;  /* the ::: line, without indentation, line break or the
                       text after the directive's closing ::: */
  char *body;       /* :::policy: the YAML lines (NULL otherwise) */
  size_t body_len, body_cap;
  int line;         /* line in the parsed text */
  int body_line;    /* first body line */
  bool multiline, closed;
} directive_data;

/* Create the extension (once, at start-up). */
cmark_syntax_extension *ext_directive_create(void);
cmark_node_type ext_directive_type(void);
/* The node's data, or NULL when n is not a directive. */
directive_data *ext_directive_data(cmark_node *n);

#endif
