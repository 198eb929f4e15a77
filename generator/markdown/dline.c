#include "dline.h"

#include <string.h>
#include <strings.h>

static bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static const char *lower(arena *a, const char *s, size_t n) {
  char *r = arena_strndup(a, s, n);
  for (char *p = r; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p + 32);
  return r;
}

static int fail(dline *out, const char *code, const char *msg) {
  out->err_code = code;
  out->err_msg = msg;
  return -1;
}

int dline_read(arena *a, const char *s, size_t n, int base_col, dline *out) {
  memset(out, 0, sizeof *out);
  const char *p = s + 3, *end = s + n;
  /* DocFX allows blanks between ::: and the name. */
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  const char *nm = p;
  while (p < end && word_char(*p))
    p++;
  out->name = lower(a, nm, (size_t)(p - nm));
  for (;;) {
    while (p < end && blank(*p))
      p++;
    if (p == end) {
      out->len = n;
      return 0;
    }
    if (end - p >= 3 && !memcmp(p, ":::", 3)) {
      out->closed = true;
      out->len = (size_t)(p + 3 - s);
      return 0;
    }
    const char *k = p;
    while (p < end && word_char(*p))
      p++;
    if (p == k)
      return fail(out, "directive-syntax",
                  arena_printf(a,
                               "unexpected '%c' at column %d of :::%s (attributes are written "
                               "key=\"value\")",
                               *p, base_col + (int)(p - s), out->name));
    dline_attr at = {lower(a, k, (size_t)(p - k)), "", base_col + (int)(k - s)};
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t'))
      q++;
    if (q < end && *q == '=') {
      p = q + 1;
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (p < end && (*p == '"' || *p == '\'')) {
        char quote = *p++;
        char *v = arena_alloc(a, (size_t)(end - p) + 1);
        size_t vn = 0;
        while (p < end && *p != quote) {
          /* Learn: a backslash escapes the quote (text="Say \"hi\""). */
          if (*p == '\\' && p + 1 < end && (p[1] == quote || p[1] == '\\'))
            p++;
          v[vn++] = *p++;
        }
        if (p == end)
          return fail(out, "unterminated-quote",
                      arena_printf(a, "the value of '%s' (column %d) has no closing %c", at.name,
                                   at.col, quote));
        v[vn] = '\0';
        at.value = v;
        p++;
      } else {
        const char *v = p;
        while (p < end && !blank(*p) && !(end - p >= 3 && !memcmp(p, ":::", 3)))
          p++;
        at.value = arena_strndup(a, v, (size_t)(p - v));
      }
    }
    if (out->nattrs < DLINE_MAX_ATTRS)
      out->attrs[out->nattrs++] = at;
  }
}

const char *dline_attr_value(const dline *d, const char *name) {
  for (size_t i = 0; i < d->nattrs; i++)
    if (!strcmp(d->attrs[i].name, name))
      return d->attrs[i].value;
  return NULL;
}

bool dline_only_breaks(const char *s, size_t n) {
  const char *p = s, *end = s + n;
  for (;;) {
    while (p < end && blank(*p))
      p++;
    if (p == end)
      return true;
    /* <br>, <br/>, <br />, </br> in any case */
    const char *q = p;
    if (*q++ != '<')
      return false;
    if (q < end && *q == '/')
      q++;
    if (end - q < 2 || strncasecmp(q, "br", 2))
      return false;
    q += 2;
    while (q < end && (*q == ' ' || *q == '\t'))
      q++;
    if (q < end && *q == '/')
      q++;
    if (q == end || *q != '>')
      return false;
    p = q + 1;
  }
}
