/* folio's own raw-HTML allowlist. cmark-gfm's unsafe option (needed for
 * <a name> anchors) lets all HTML through and also drops its URL check, so
 * this pass keeps the tags and attributes documentation uses, rebuilds them
 * with escaped values, and removes the rest with a warning: scripts, styles,
 * frames and event handlers. URLs in href and src go through linkref, the
 * same door as Markdown links (javascript:, vbscript:, data: and file: are
 * refused there). */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "htmltag.h"
#include "linkref.h"
#include "passes.h"
#include "url.h"

static const char *const allowed_tags[] = {
    "a",     "abbr",  "b",       "blockquote", "br",     "caption", "center", "code",
    "dd",    "del",   "details", "div",        "dl",     "dt",      "em",     "figcaption",
    "figure", "hr",   "i",       "img",        "ins",    "kbd",     "li",     "mark",
    "ol",    "p",     "pre",     "q",          "s",      "samp",    "small",  "span",
    "strong", "sub",  "summary", "sup",        "table",  "tbody",   "td",     "tfoot",
    "th",    "thead", "tr",      "u",          "ul",     "var",     NULL};

/* Attributes any allowed tag may carry, then per tag. */
static const char *const global_attrs[] = {"id", "class", "title", "lang", "dir", NULL};

static bool in_list(const char *const *list, const char *s) {
  /* The first byte first: most names differ there, and a call each cost
   * more than the rest of the check. */
  for (; *list; list++)
    if (**list == *s && !strcmp(*list, s))
      return true;
  return false;
}

static bool tag_attr_ok(const char *tag, const char *a) {
  if (in_list(global_attrs, a))
    return true;
  if (!strcmp(tag, "a"))
    return !strcmp(a, "href") || !strcmp(a, "name") || !strcmp(a, "rel") || !strcmp(a, "target");
  if (!strcmp(tag, "img"))
    return !strcmp(a, "src") || !strcmp(a, "alt") || !strcmp(a, "width") || !strcmp(a, "height");
  if (!strcmp(tag, "td") || !strcmp(tag, "th"))
    return !strcmp(a, "colspan") || !strcmp(a, "rowspan") || !strcmp(a, "align") ||
           !strcmp(a, "scope");
  if (!strcmp(tag, "ol"))
    return !strcmp(a, "start") || !strcmp(a, "type") || !strcmp(a, "reversed");
  if (!strcmp(tag, "details"))
    return !strcmp(a, "open");
  return false;
}

/* Character references in an attribute value, decoded as a browser would
 * before it reads the URL ("&#106;avascript:" is javascript:). Numeric ones
 * and the named ones that matter in a URL; any other named reference is
 * kept as written and makes a would-be scheme unreadable (refused). */
static const struct {
  const char *name, *text;
} named_refs[] = {{"amp;", "&"},   {"lt;", "<"},     {"gt;", ">"},       {"quot;", "\""},
                  {"apos;", "'"},  {"colon;", ":"},  {"Tab;", "\t"},    {"NewLine;", "\n"},
                  {"sol;", "/"},   {"num;", "#"},    {"quest;", "?"},    {"period;", "."},
                  {"nbsp;", "\xc2\xa0"}};

static char *decode_refs(arena *a, const char *s, bool *unknown_ref) {
  buf b = {0};
  buf_reserve(&b, strlen(s));
  *unknown_ref = false;
  while (*s) {
    if (*s != '&') {
      buf_putc(&b, *s++);
      continue;
    }
    if (s[1] == '#') {
      bool hex = s[2] == 'x' || s[2] == 'X';
      const char *d = s + (hex ? 3 : 2);
      unsigned long c = 0;
      size_t n = 0;
      for (; n < 8 && (hex ? isxdigit((unsigned char)d[n]) : isdigit((unsigned char)d[n])); n++)
        c = c * (hex ? 16 : 10) +
            (unsigned long)(isdigit((unsigned char)d[n]) ? d[n] - '0' : (d[n] | 32) - 'a' + 10);
      if (n) {
        buf_put_utf8(&b, c);
        s = d + n + (d[n] == ';');
        continue;
      }
    } else {
      size_t k = 0;
      for (; k < sizeof named_refs / sizeof *named_refs; k++)
        if (!strncmp(s + 1, named_refs[k].name, strlen(named_refs[k].name)))
          break;
      if (k < sizeof named_refs / sizeof *named_refs) {
        buf_puts(&b, named_refs[k].text);
        s += 1 + strlen(named_refs[k].name);
        continue;
      }
      size_t n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
      if (n && s[1 + n] == ';')
        *unknown_ref = true;
    }
    buf_putc(&b, *s++);
  }
  char *r = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}

/* Escape for a quoted attribute, keeping entities the author wrote. */
static void put_attr(buf *b, const char *s) {
  for (; *s; s++) {
    if (*s == '&') {
      size_t n = strspn(s + 1, "#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
      if (n && s[1 + n] == ';') {
        buf_putc(b, '&');
        continue;
      }
      buf_puts(b, "&amp;");
    } else if (*s == '"') {
      buf_puts(b, "&quot;");
    } else if (*s == '<') {
      buf_puts(b, "&lt;");
    } else if (*s == '>') {
      buf_puts(b, "&gt;");
    } else {
      buf_putc(b, *s);
    }
  }
}

/* ' name="' before an attribute's value. */
static void put_name(buf *b, const char *name) {
  buf_putc(b, ' ');
  buf_puts(b, name);
  buf_puts(b, "=\"");
}

static const char *const dropped_with_content[] = {"script", "style", "iframe", "object",
                                                   "embed", "template", "noscript", "textarea",
                                                   "title", "xmp", "noembed", "noframes", NULL};

/* Rewrite one HTML literal; report what was removed. */
static char *clean(pass_context *ctx, cmark_node *n, const char *s) {
  buf out = {0};
  size_t len = strlen(s);
  buf_reserve(&out, len);
  const char *p = s, *end_of_s = s + len;
  while (*p) {
    const char *lt = strchr(p, '<');
    if (!lt) {
      buf_puts(&out, p);
      break;
    }
    buf_put(&out, p, (size_t)(lt - p));
    if (!strncmp(lt, "<!--", 4)) {
      const char *end = strstr(lt + 4, "-->");
      p = end ? end + 3 : lt + strlen(lt);
      continue;
    }
    html_tag t;
    if (!htmltag_parse(ctx->scratch, lt, (size_t)(end_of_s - lt), &t)) {
      buf_puts(&out, "&lt;");
      p = lt + 1;
      continue;
    }
    p = lt + t.len;
    if (!in_list(allowed_tags, t.name)) {
      if (!t.closing)
        pass_diag(ctx, n, SEV_WARNING, "unsafe-html", "<%s> is not allowed in articles and was removed",
                  t.name);
      if (!t.closing && in_list(dropped_with_content, t.name)) {
        char close[32];
        snprintf(close, sizeof close, "</%s", t.name);
        const char *end = strcasestr(p, close);
        if (end) {
          const char *gt = strchr(end, '>');
          p = gt ? gt + 1 : end + strlen(end);
        } else {
          p += strlen(p);
        }
      }
      continue;
    }
    if (t.closing) {
      buf_puts(&out, "</");
      buf_puts(&out, t.name);
      buf_putc(&out, '>');
      continue;
    }
    if (!strcmp(t.name, "img") && !htmltag_attr(&t, "alt"))
      pass_diag(ctx, n, SEV_WARNING, "missing-alt-text",
                "<img> has no alt attribute: describe the image (alt=\"\" if it is decorative)");
    buf_putc(&out, '<');
    buf_puts(&out, t.name);
    for (size_t i = 0; i < t.nattrs; i++) {
      const html_attr *a = &t.attrs[i];
      if (!tag_attr_ok(t.name, a->name)) {
        pass_diag(ctx, n, SEV_WARNING, "unsafe-html",
                  "attribute '%s' on <%s> is not allowed and was removed", a->name, t.name);
        continue;
      }
      const char *value = a->value;
      bool is_url = !strcmp(a->name, "href") || !strcmp(a->name, "src");
      /* <a href="" id="x">: an anchor, as Windows docs write them; the
       * empty href is no link to report. */
      if (!strcmp(t.name, "a") && !strcmp(a->name, "href") && !value[strspn(value, " \t")] &&
          (htmltag_attr(&t, "id") || htmltag_attr(&t, "name")))
        continue;
      if (is_url) {
        /* Links in raw HTML are links too: checked and rewritten like
         * Markdown ones (x.md -> x.html, fallbacks, anchors), through the
         * same door, once their character references are decoded. */
        bool unknown_ref;
        const char *url = decode_refs(ctx->scratch, value, &unknown_ref);
        char scheme[URL_SCHEME_MAX + 1];
        if (unknown_ref && url_classify(url, scheme) == URL_RELATIVE && strchr(url, ':')) {
          pass_diag(ctx, n, SEV_WARNING, "unsafe-url",
                    "URL '%s' hides its scheme behind a character reference and was removed",
                    value);
          continue;
        }
        url = linkref_resolve(ctx, n, url, !strcmp(t.name, "img"));
        if (!url)
          continue;
        put_name(&out, a->name);
        url_put_attr(&out, url);
        buf_putc(&out, '"');
        continue;
      }
      put_name(&out, a->name);
      put_attr(&out, value);
      buf_putc(&out, '"');
    }
    buf_puts(&out, t.self_closing ? " />" : ">");
  }
  char *r = arena_strndup(ctx->scratch, out.data ? out.data : "", out.len);
  buf_free(&out);
  return r;
}

void pass_sanitize(pass_context *ctx, cmark_node *doc) {
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE: {
      const char *lit = cmark_node_get_literal(n);
      if (lit && !pass_is_built(n))
        cmark_node_set_literal(n, clean(ctx, n, lit));
      break;
    }
    default:
      break;
    }
  }
  cmark_iter_free(it);
}
