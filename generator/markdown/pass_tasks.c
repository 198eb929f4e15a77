/* Task list items ("- [x] Done"): cmark-gfm writes a checkbox with no
 * label, which screen readers announce as an unnamed control (axe: label,
 * critical). The item's text names its checkbox when both sit in one
 * <label>, so this pass writes the checkbox itself, inside a label around
 * the first paragraph's text, and the item is then an ordinary list item. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <string.h>

#include "passes.h"

static void label(pass_context *ctx, cmark_node *item) {
  bool checked = cmark_gfm_extensions_get_tasklist_item_checked(item);
  cmark_node *para = cmark_node_first_child(item);
  cmark_node *l = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, ctx->cmem);
  cmark_node_set_on_enter(l, checked ? "<label><input type=\"checkbox\" checked=\"\" disabled=\"\" /> "
                                     : "<label><input type=\"checkbox\" disabled=\"\" /> ");
  cmark_node_set_on_exit(l, "</label>");
  if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH) {
    cmark_node *c;
    while ((c = cmark_node_first_child(para)))
      cmark_node_append_child(l, c);
    cmark_node_append_child(para, l);
  } else {
    /* "- [ ]" with nothing after it: a paragraph for the bare checkbox. */
    cmark_node *p = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, ctx->cmem);
    cmark_node_append_child(p, l);
    if (para)
      cmark_node_insert_before(para, p);
    else
      cmark_node_append_child(item, p);
  }
  cmark_node_set_syntax_extension(item, NULL);
}

void pass_tasks_visit(pass_context *ctx, pass_nodes *items, cmark_event_type ev, cmark_node *n,
                      cmark_node_type t) {
  if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_ITEM &&
      !strcmp(cmark_node_get_type_string(n), "tasklist"))
    pass_nodes_add(ctx, items, n);
}

void pass_tasks_act(pass_context *ctx, const pass_nodes *items) {
  for (size_t i = 0; i < items->n; i++)
    label(ctx, items->items[i]);
}
