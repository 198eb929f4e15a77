#include "htmltag.h"

#include <string.h>

static bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == ':';
}

static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static char *lower_dup(arena *a, const char *s, size_t n) {
  char *p = arena_strndup(a, s, n);
  for (size_t i = 0; i < n; i++)
    if (p[i] >= 'A' && p[i] <= 'Z')
      p[i] = (char)(p[i] + 32);
  return p;
}

bool htmltag_parse(arena *a, const char *s, size_t n, html_tag *out) {
  memset(out, 0, sizeof *out);
  /* A tag longer than this is not one documentation writes; the bound
   * keeps an unclosed quote repeated many times from costing the rest of
   * the text at every '<'. */
  if (n > HTMLTAG_MAX_BYTES)
    n = HTMLTAG_MAX_BYTES;
  size_t i = 0;
  if (n < 3 || s[i++] != '<')
    return false;
  if (s[i] == '/') {
    out->closing = true;
    i++;
  }
  size_t start = i;
  while (i < n && name_char(s[i]))
    i++;
  if (i == start || !((s[start] >= 'a' && s[start] <= 'z') || (s[start] >= 'A' && s[start] <= 'Z')))
    return false;
  out->name = lower_dup(a, s + start, i - start);
  for (;;) {
    while (i < n && space(s[i]))
      i++;
    if (i >= n)
      return false;
    if (s[i] == '>') {
      out->len = i + 1;
      return true;
    }
    if (s[i] == '/' && i + 1 < n && s[i + 1] == '>') {
      out->self_closing = true;
      out->len = i + 2;
      return true;
    }
    if (out->closing)
      return false;
    size_t an = i;
    while (i < n && !space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/' && s[i] != '"' &&
           s[i] != '\'')
      i++;
    if (i == an)
      return false;
    html_attr attr = {lower_dup(a, s + an, i - an), ""};
    while (i < n && space(s[i]))
      i++;
    if (i < n && s[i] == '=') {
      i++;
      while (i < n && space(s[i]))
        i++;
      if (i >= n)
        return false;
      if (s[i] == '"' || s[i] == '\'') {
        char q = s[i++];
        size_t vs = i;
        while (i < n && s[i] != q)
          i++;
        if (i >= n)
          return false;
        attr.value = arena_strndup(a, s + vs, i - vs);
        i++;
      } else {
        size_t vs = i;
        while (i < n && !space(s[i]) && s[i] != '>')
          i++;
        attr.value = arena_strndup(a, s + vs, i - vs);
      }
    }
    if (out->nattrs == sizeof out->attrs / sizeof *out->attrs)
      return false;
    out->attrs[out->nattrs++] = attr;
  }
}

const char *htmltag_attr(const html_tag *t, const char *name) {
  for (size_t i = 0; i < t->nattrs; i++)
    if (!strcmp(t->attrs[i].name, name))
      return t->attrs[i].value;
  return NULL;
}
