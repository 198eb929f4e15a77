/* Code blocks: highlighted at build time (highlight.c) and wrapped in a
 * box whose header names the language ("Azure CLI"). The copy button needs
 * JavaScript, so folio.js adds it; its label and its "Copied" message come
 * from the locale file and travel on the box as data attributes (kept out
 * of the text, so they are not indexed for search). */
#include <string.h>

#include "buf.h"
#include "highlight.h"
#include "passes.h"

/* A UI string; a project whose locale files predate it gets the English. */
static const char *ui(pass_context *ctx, const char *key, const char *english) {
  const char *s = l10n_string(&ctx->env->locales[ctx->art->locale], key);
  return s ? s : english;
}

static void render(pass_context *ctx, cmark_node *n) {
  const char *info = cmark_node_get_fence_info(n);
  const char *code = cmark_node_get_literal(n);
  if (!info)
    info = "";
  if (!code)
    code = "";
  /* The language is the first word of the info string, as cmark reads it. */
  size_t wl = strcspn(info, " \t");
  const highlight_lang *lang = highlight_find(info, wl);
  const char *label = highlight_label(lang);

  buf out = {0};
  buf_puts(&out, "<div class=\"code-block\" data-copy=\"");
  buf_puts_html(&out, ui(ctx, "code_copy", "Copy"));
  buf_puts(&out, "\" data-copied=\"");
  buf_puts_html(&out, ui(ctx, "code_copied", "Copied"));
  buf_puts(&out, "\">\n");
  if (label) {
    buf_puts(&out, "<div class=\"code-header\"><span class=\"code-lang\">");
    buf_puts_html(&out, label);
    buf_puts(&out, "</span></div>\n");
  }
  /* Code reads left to right on a right-to-left page too. */
  buf_puts(&out, "<pre dir=\"ltr\"><code");
  if (wl) {
    buf_puts(&out, " class=\"language-");
    buf_put_html(&out, info, wl);
    buf_puts(&out, "\"");
  }
  buf_puts(&out, ">");
  highlight_html(&out, lang, code, strlen(code));
  buf_puts(&out, "</code></pre>\n</div>");
  pass_wrap_custom(ctx, n, CMARK_NODE_CUSTOM_BLOCK, arena_strdup(ctx->scratch, buf_cstr(&out)), "");
  buf_free(&out);
}

/* Collected first: replacing a node while iterating would end the walk. */
void pass_code_visit(pass_context *ctx, pass_nodes *blocks, cmark_event_type ev, cmark_node *n,
                     cmark_node_type t) {
  if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_CODE_BLOCK)
    pass_nodes_add(ctx, blocks, n);
}

void pass_code_act(pass_context *ctx, const pass_nodes *blocks) {
  for (size_t i = 0; i < blocks->n; i++)
    render(ctx, blocks->items[i]);
}
