/* Alerts: a blockquote whose first text is [!NOTE], [!TIP], [!IMPORTANT],
 * [!CAUTION] or [!WARNING] (any case, with or without the space after >)
 * becomes an alert with a localized title. [!div class="..."] makes a plain
 * div (Learn's call-to-action "nextstepaction"). Other blockquotes stay. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "passes.h"

static const char *const kinds[] = {"note", "tip", "important", "caution", "warning"};

/* The blockquote's first paragraph and its first text node. */
static cmark_node *first_text(cmark_node *bq, cmark_node **para) {
  cmark_node *p = cmark_node_first_child(bq);
  if (!p || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH)
    return NULL;
  cmark_node *t = cmark_node_first_child(p);
  if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT)
    return NULL;
  *para = p;
  return t;
}

/* Join the run of text nodes at the start of the paragraph: cmark leaves
 * "[" and "!NOTE]" as separate nodes when the bracket is not a link. */
static void merge_texts(pass_context *ctx, cmark_node *t) {
  cmark_node *next;
  while ((next = cmark_node_next(t)) && cmark_node_get_type(next) == CMARK_NODE_TEXT) {
    char *joined = arena_printf(ctx->scratch, "%s%s", cmark_node_get_literal(t),
                                cmark_node_get_literal(next));
    cmark_node_set_literal(t, joined);
    cmark_node_free(next);
  }
}

/* Remove the marker (len bytes) and the line break after it. */
static void strip_marker(cmark_node *para, cmark_node *t, size_t len) {
  const char *lit = cmark_node_get_literal(t);
  const char *rest = lit + len;
  while (*rest == ' ' || *rest == '\t')
    rest++;
  if (*rest) {
    cmark_node_set_literal(t, rest);
    return;
  }
  cmark_node *next = cmark_node_next(t);
  cmark_node_free(t);
  if (next && (cmark_node_get_type(next) == CMARK_NODE_SOFTBREAK ||
               cmark_node_get_type(next) == CMARK_NODE_LINEBREAK))
    cmark_node_free(next);
  if (!cmark_node_first_child(para))
    cmark_node_free(para);
}

static bool safe_class(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == ' '))
      return false;
  }
  return n > 0;
}

/* A reference definition such as "[!note]: x" turns the marker into a link;
 * take it back as text and say so, since the author meant an alert. */
static void unlink_marker(pass_context *ctx, cmark_node *bq) {
  cmark_node *p = cmark_node_first_child(bq);
  cmark_node *l = p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH ? cmark_node_first_child(p) : NULL;
  if (!l || cmark_node_get_type(l) != CMARK_NODE_LINK)
    return;
  cmark_node *txt = cmark_node_first_child(l);
  if (!txt || cmark_node_next(txt) || cmark_node_get_type(txt) != CMARK_NODE_TEXT)
    return;
  const char *lit = cmark_node_get_literal(txt);
  if (lit[0] != '!')
    return;
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    if (strcasecmp(lit + 1, kinds[k]))
      continue;
    pass_diag(ctx, bq, SEV_WARNING, "alert-marker-is-link",
              "[%s] is a link here because a reference definition [%s]: ... exists; it is read "
              "as an alert marker, but rename the definition",
              lit, lit);
    cmark_node *plain = cmark_node_new_with_mem(CMARK_NODE_TEXT, ctx->cmem);
    cmark_node_set_literal(plain, arena_printf(ctx->scratch, "[%s]", lit));
    cmark_node_replace(l, plain);
    cmark_node_free(l);
    return;
  }
}

static void convert(pass_context *ctx, cmark_node *bq) {
  cmark_node *para = NULL;
  unlink_marker(ctx, bq);
  cmark_node *t = first_text(bq, &para);
  if (!t)
    return;
  merge_texts(ctx, t);
  const char *lit = cmark_node_get_literal(t);
  if (strncmp(lit, "[!", 2))
    return;
  const char *close = strchr(lit, ']');
  if (!close)
    return;
  size_t len = (size_t)(close - lit) + 1;
  const char *word = lit + 2;
  size_t wl = len - 3;
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    if (wl != strlen(kinds[k]) || strncasecmp(word, kinds[k], wl))
      continue;
    char key[32];
    snprintf(key, sizeof key, "alert_%s", kinds[k]);
    const char *title = l10n_string(&ctx->env->locales[ctx->art->locale], key);
    buf open = {0};
    buf_printf(&open, "<div class=\"alert %s\" role=\"note\">\n<p class=\"alert-title\">", kinds[k]);
    buf_puts_html(&open, title ? title : kinds[k]);
    buf_puts(&open, "</p>");
    strip_marker(para, t, len);
    pass_wrap_custom(ctx, bq, CMARK_NODE_CUSTOM_BLOCK, buf_cstr(&open), "</div>");
    buf_free(&open);
    return;
  }
  /* [!div class="name"] */
  if (wl > 4 && !strncasecmp(word, "div ", 4)) {
    const char *c = strstr(word, "class=\"");
    const char *e = c ? strchr(c + 7, '"') : NULL;
    if (c && e && e < close && safe_class(c + 7, (size_t)(e - c - 7))) {
      buf open = {0};
      buf_printf(&open, "<div class=\"%.*s\">", (int)(e - c - 7), c + 7);
      strip_marker(para, t, len);
      pass_wrap_custom(ctx, bq, CMARK_NODE_CUSTOM_BLOCK, buf_cstr(&open), "</div>");
      buf_free(&open);
      return;
    }
  }
  pass_diag(ctx, bq, SEV_WARNING, "unknown-alert",
            "'%.*s' is not an alert type (NOTE, TIP, IMPORTANT, CAUTION, WARNING); the block "
            "stays a quotation",
            (int)len, lit);
}

void pass_alerts(pass_context *ctx, cmark_node *doc) {
  /* Collect first; convert innermost quotes first so nesting works. */
  cmark_node **quotes = NULL;
  size_t n = 0, cap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *x = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_EXIT && cmark_node_get_type(x) == CMARK_NODE_BLOCK_QUOTE)
      ARENA_PUSH(ctx->scratch, quotes, n, cap, x);
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < n; i++)
    convert(ctx, quotes[i]);
}
