/* Alerts: a blockquote whose first text is [!NOTE], [!TIP], [!IMPORTANT],
 * [!CAUTION] or [!WARNING] (any case, with or without the space after >)
 * becomes an alert with a localized title. [!div class="..."] makes a plain
 * div (Learn's call-to-action "nextstepaction"); [!VIDEO url] an embedded
 * player. Other blockquotes stay. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "linkref.h"
#include "passes.h"
#include "url.h"

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

static bool is_break(cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* The text of the paragraph's first line as written (GFM has made the URL
 * of "[!VIDEO https://..." a link node: its text is the URL). */
static char *first_line(pass_context *ctx, cmark_node *para) {
  buf b = {0};
  for (cmark_node *c = cmark_node_first_child(para); c && !is_break(c); c = cmark_node_next(c)) {
    cmark_node_type t = cmark_node_get_type(c);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_HTML_INLINE)
      buf_puts(&b, cmark_node_get_literal(c));
    else
      buf_puts(&b, pass_plain_text(ctx->scratch, c));
  }
  char *r = arena_strndup(ctx->scratch, b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}

static bool video_host_allowed(const site_config *cfg, const char *host) {
  /* youtube.com is www.youtube.com (both are served, Learn writes both). */
  if (!strcmp(host, "youtube.com"))
    host = "www.youtube.com";
  for (size_t i = 0; i < cfg->nvideo_hosts; i++)
    if (!strcmp(cfg->video_hosts[i], host))
      return true;
  return false;
}

/* > [!VIDEO https://... title="..."], alone on the quote's first line: an
 * embedded player when the address is https:// (http:// is upgraded, as on
 * Learn) on a host of folio.yml's video_hosts, a plain link otherwise, with
 * a warning. YouTube players are embedded from www.youtube-nocookie.com, as
 * Learn does. The rest of the quote, if any, stays a quote after it.
 * Returns false when the quote does not start with [!VIDEO. */
static bool video(pass_context *ctx, cmark_node *bq) {
  cmark_node *para = cmark_node_first_child(bq);
  if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
    return false;
  char *line = first_line(ctx, para);
  while (*line == ' ' || *line == '\t')
    line++;
  size_t n = strlen(line);
  while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
    line[--n] = '\0';
  if (n < 8 || strncasecmp(line, "[!video", 7) || (line[7] != ' ' && line[7] != ']') ||
      line[n - 1] != ']')
    return false;
  line[n - 1] = '\0';
  char *url = line + 7;
  while (*url == ' ' || *url == '\t')
    url++;
  char *title = url + strcspn(url, " \t");
  if (*title) {
    *title++ = '\0';
    while (*title == ' ' || *title == '\t')
      title++;
    if (!strncmp(title, "title=", 6))
      title += 6;
    size_t tl = strlen(title);
    if (tl >= 2 && (title[0] == '"' || title[0] == '\'') && title[tl - 1] == title[0]) {
      title[tl - 1] = '\0';
      title++;
    }
  }
  if (!strncasecmp(url, "http://", 7))
    url = arena_printf(ctx->scratch, "https://%s", url + 7);
  char host[URL_HOST_MAX + 1];
  bool https = *url && url_https_host(url, host);
  bool embed = https && video_host_allowed(ctx->env->cfg, host);
  buf html = {0};
  if (embed) {
    const char *src = url;
    if (!strcmp(host, "youtube.com") || !strcmp(host, "www.youtube.com")) {
      const char *path = strstr(url, "://") + 3 + strlen(host);
      src = arena_printf(ctx->scratch, "https://www.youtube-nocookie.com%s", path);
    }
    src = linkref_resolve(ctx, bq, src, false);
    buf_puts(&html, "<div class=\"video\"><iframe src=\"");
    url_put_attr(&html, src ? src : "about:blank");
    buf_puts(&html, "\" title=\"");
    const char *fallback = l10n_string(&ctx->env->locales[ctx->art->locale], "video");
    buf_puts_html(&html, *title ? title : fallback ? fallback : "Video");
    buf_puts(&html, "\" loading=\"lazy\" allow=\"fullscreen; picture-in-picture; encrypted-media\" "
                    "allowfullscreen sandbox=\"allow-scripts allow-same-origin allow-presentation "
                    "allow-popups\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe></div>");
  } else {
    if (!*url)
      pass_diag(ctx, bq, SEV_WARNING, "video-host-not-allowed",
                "[!VIDEO] names no video: write > [!VIDEO https://host/path]");
    else if (https)
      pass_diag(ctx, bq, SEV_WARNING, "video-host-not-allowed",
                "video host '%s' is not in folio.yml's video_hosts, so the video is not embedded "
                "(the page shows a link)",
                host);
    else if (url_is_allowed(&ctx->env->cfg->urls, url))
      pass_diag(ctx, bq, SEV_WARNING, "video-host-not-allowed",
                "video '%s' is not an https:// address with a plain host name, so it is not "
                "embedded (the page shows a link)",
                url);
    /* A refused scheme: linkref_resolve reports it (unsafe-url), once. */
    const char *href = *url ? linkref_resolve(ctx, bq, url, false) : NULL;
    buf_puts(&html, "<p class=\"video\">");
    if (href) {
      buf_puts(&html, "<a href=\"");
      url_put_attr(&html, href);
      buf_puts(&html, "\">");
    }
    buf_puts_html(&html, *title ? title : url);
    buf_puts(&html, href ? "</a></p>" : "</p>");
  }
  /* Take the marker line out; what is left stays a quote. */
  cmark_node *c = cmark_node_first_child(para);
  while (c) {
    cmark_node *next = cmark_node_next(c);
    bool last = is_break(c);
    cmark_node_free(c);
    c = last ? NULL : next;
  }
  if (!cmark_node_first_child(para))
    cmark_node_free(para);
  cmark_node *v = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, ctx->cmem);
  cmark_node_set_on_enter(v, buf_cstr(&html));
  cmark_node_set_on_exit(v, "");
  buf_free(&html);
  if (cmark_node_first_child(bq)) {
    cmark_node_insert_before(bq, v);
  } else {
    cmark_node_replace(bq, v);
    cmark_node_free(bq);
  }
  return true;
}

static void convert(pass_context *ctx, cmark_node *bq) {
  cmark_node *para = NULL;
  unlink_marker(ctx, bq);
  if (video(ctx, bq))
    return;
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

/* Collected first, as they close: inner quotes come before the quotes
 * around them, so nesting works. */
void pass_alerts_visit(pass_context *ctx, pass_nodes *quotes, cmark_event_type ev, cmark_node *n,
                       cmark_node_type t) {
  if (ev == CMARK_EVENT_EXIT && t == CMARK_NODE_BLOCK_QUOTE)
    pass_nodes_add(ctx, quotes, n);
}

void pass_alerts_act(pass_context *ctx, const pass_nodes *quotes) {
  for (size_t i = 0; i < quotes->n; i++)
    convert(ctx, quotes->items[i]);
}
