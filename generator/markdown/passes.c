#include "passes.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ext_directive.h"

static cmark_syntax_extension *directive_ext;

void passes_init(void) {
  if (!directive_ext)
    directive_ext = ext_directive_create();
}

void passes_attach(cmark_parser *parser) { cmark_parser_attach_syntax_extension(parser, directive_ext); }

void pass_nodes_add(pass_context *ctx, pass_nodes *l, cmark_node *n) {
  ARENA_PUSH(ctx->scratch, l->items, l->n, l->cap, n);
}

/* Each walk of the whole tree costs about as much as one pass's work on a
 * typical article, so the passes share three. A pass can join a walk only
 * when what it collects there is what it would find in a walk of its own
 * at its turn: the acts that run between the walk and its turn must not
 * add, remove or reorder the nodes it looks for, nor change what it reads
 * of them. */
void passes_run(pass_context *ctx, cmark_node *doc) {
  /* Walk 1, the tree as parsed. Directive nodes are leaves, and their acts
   * only replace them and move the siblings between an opener and its end
   * into a container (document order kept); pass_inline changes inline
   * content only. So the nodes holding a text with ":::" and the block
   * quotes, each in the order they close, are the same after them. */
  pass_nodes directives = {0}, quotes = {0};
  pass_inline_walk texts = {0};
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    pass_directives_visit(ctx, &directives, ev, n, t);
    pass_inline_visit(ctx, &texts, ev, n, t);
    pass_alerts_visit(ctx, &quotes, ev, n, t);
  }
  cmark_iter_free(it);
  pass_directives_act(ctx, &directives);
  pass_inline_act(ctx, &texts);
  pass_zones(ctx, doc); /* walks only when the article has :::zone blocks */
  pass_roles(ctx, doc); /* top-level blocks only */
  pass_alerts_act(ctx, &quotes);

  /* Walk 2, after the alerts: an alert's marker taken out can leave a
   * paragraph of anchors right before a heading, which pass_headings moves
   * into it. The headings' acts move anchors, drop some and wrap headings;
   * they touch no link, image, code block or list item, and no text inside
   * an image (alt text). Links are unwrapped, code highlighted and task
   * items labelled afterwards, in that order, as they ran alone. */
  pass_headings_walk heads;
  pass_links_walk links = {0};
  pass_nodes code = {0}, tasks = {0};
  pass_headings_begin(ctx, &heads);
  it = cmark_iter_new(doc);
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    pass_headings_visit(ctx, &heads, ev, n, t);
    pass_links_visit(ctx, &links, ev, n, t);
    pass_code_visit(ctx, &code, ev, n, t);
    pass_tasks_visit(ctx, &tasks, ev, n, t);
  }
  cmark_iter_free(it);
  pass_headings_act(ctx, &heads);
  pass_links_act(ctx, &links);
  pass_code_act(ctx, &code);
  pass_tasks_act(ctx, &tasks);

  /* Walk 3, sanitize alone and last: the headings write anchors of their
   * own and rewrite or drop the authors', and only what is left must be
   * checked (an anchor block pass_headings rebuilt is not warned about). */
  pass_sanitize(ctx, doc);
}
