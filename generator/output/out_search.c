/* The index is small JSON, written by hand: every string goes through
 * buf_put_json. Pages are listed in the content order (sorted paths), real
 * translations first and then the locale's fallback pages, so the bytes do
 * not depend on -j. */
#include "out_search.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

/* The UTF-8 bytes of code point c. */
static void put_utf8(buf *b, unsigned long c) {
  if (c < 0x80) {
    buf_putc(b, (char)c);
  } else if (c < 0x800) {
    buf_putc(b, (char)(0xc0 | (c >> 6)));
    buf_putc(b, (char)(0x80 | (c & 0x3f)));
  } else if (c < 0x10000) {
    buf_putc(b, (char)(0xe0 | (c >> 12)));
    buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
    buf_putc(b, (char)(0x80 | (c & 0x3f)));
  } else if (c < 0x110000) {
    buf_putc(b, (char)(0xf0 | (c >> 18)));
    buf_putc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
    buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
    buf_putc(b, (char)(0x80 | (c & 0x3f)));
  }
}

static void put_space(buf *out) {
  if (out->len && out->data[out->len - 1] != ' ')
    buf_putc(out, ' ');
}

void out_search_text(const char *html, buf *out) {
  const char *p = html;
  while (*p) {
    if (*p == '<') {
      /* A tag separates words ("<td>a</td><td>b</td>" is "a b"). */
      const char *e = strchr(p, '>');
      if (!e)
        break;
      put_space(out);
      p = e + 1;
    } else if (*p == '&') {
      const char *e = strchr(p, ';');
      size_t n = e ? (size_t)(e - p) : 0;
      unsigned long c = 0;
      if (n == 4 && !memcmp(p, "&amp", 4))
        c = '&';
      else if (n == 3 && !memcmp(p, "&lt", 3))
        c = '<';
      else if (n == 3 && !memcmp(p, "&gt", 3))
        c = '>';
      else if (n == 5 && !memcmp(p, "&quot", 5))
        c = '"';
      else if (n == 5 && !memcmp(p, "&apos", 5))
        c = '\'';
      else if (n == 5 && !memcmp(p, "&nbsp", 5))
        c = ' ';
      else if (n > 2 && n < 10 && p[1] == '#')
        c = p[2] == 'x' || p[2] == 'X' ? strtoul(p + 3, NULL, 16) : strtoul(p + 2, NULL, 10);
      if (c) {
        if (c == ' ')
          put_space(out);
        else
          put_utf8(out, c);
        p = e + 1;
      } else {
        buf_putc(out, *p++);
      }
    } else if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
      put_space(out);
      p++;
    } else {
      buf_putc(out, *p++);
    }
  }
  while (out->len && out->data[out->len - 1] == ' ')
    out->len--;
  size_t lead = 0;
  while (lead < out->len && out->data[lead] == ' ')
    lead++;
  if (lead) {
    memmove(out->data, out->data + lead, out->len - lead);
    out->len -= lead;
  }
}

static void put_key(buf *j, const char *key, const char *value) {
  buf_printf(j, "\"%s\":\"", key);
  buf_puts_json(j, value ? value : "");
  buf_putc(j, '"');
}

static void put_page(buf *j, const article *art, const char *lang, bool first) {
  buf_puts(j, first ? "\n{" : ",\n{");
  put_key(j, "t", art->fm.title);
  buf_putc(j, ',');
  put_key(j, "u", art->url);
  buf_putc(j, ',');
  put_key(j, "d", art->fm.description);
  buf_putc(j, ',');
  put_key(j, "l", lang);
  buf_puts(j, ",\"h\":[");
  bool any = false;
  for (size_t i = 0; i < art->nheadings; i++) {
    if (art->headings[i].level < 2 || art->headings[i].level > 3)
      continue;
    buf_puts(j, any ? ",\"" : "\"");
    buf_puts_json(j, art->headings[i].text);
    buf_putc(j, '"');
    any = true;
  }
  buf_puts(j, "],");
  buf text = {0};
  out_search_text(art->body_html ? art->body_html : "", &text);
  size_t n = text.len;
  if (n > OUT_SEARCH_MAX_TEXT) {
    n = OUT_SEARCH_MAX_TEXT;
    while (n && ((unsigned char)text.data[n] & 0xc0) == 0x80)
      n--; /* not inside a UTF-8 sequence */
  }
  buf_puts(j, "\"x\":\"");
  buf_put_json(j, text.data ? text.data : "", n);
  buf_putc(j, '"');
  buf_free(&text);
  buf_putc(j, '}');
}

int out_search_write(const render_env *env, const fallback_page *fallbacks, size_t nfallbacks,
                     const publish_txn *txn, diag_list *diags) {
  int rc = 0;
  for (size_t l = 0; l < env->cfg->nlocales; l++) {
    buf j = {0};
    buf_puts(&j, "{");
    put_key(&j, "locale", env->cfg->locales[l]);
    buf_putc(&j, ',');
    put_key(&j, "lang", env->locales[l].lang);
    buf_puts(&j, ",\"pages\":[");
    bool first = true;
    for (size_t i = 0; i < env->content->narticles; i++) {
      const article *art = &env->content->articles[i];
      if (art->locale != (int)l || !art->ok)
        continue;
      put_page(&j, art, env->locales[l].lang, first);
      first = false;
    }
    for (size_t i = 0; i < nfallbacks; i++)
      if (fallbacks[i].locale == (int)l) {
        put_page(&j, fallbacks[i].source, env->locales[0].lang, first);
        first = false;
      }
    buf_puts(&j, "\n]}\n");
    const char *loc = env->cfg->locales[l];
    char *json = path_join(loc, "search.json");
    if (publish_write(txn, json, j.data, j.len, diags) < 0)
      rc = -1;
    free(json);
    buf js = {0};
    buf_puts(&js, "/* folio search index; loaded by assets/folio-search.js */\nfolioSearchIndex(");
    buf_put(&js, j.data, j.len - 1);
    buf_puts(&js, ");\n");
    char *script = path_join(loc, "search-index.js");
    if (publish_write(txn, script, js.data, js.len, diags) < 0)
      rc = -1;
    free(script);
    buf_free(&js);
    buf_free(&j);
  }
  return rc;
}
