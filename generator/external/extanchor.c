#include "extanchor.h"

#include <string.h>

/* An id longer than this is never a link target worth matching; the bound
 * keeps decoding in fixed buffers. */
#define MAX_ID 1024

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool eq_ci(const char *s, size_t n, const char *word) {
  size_t i = 0;
  for (; i < n && word[i]; i++)
    if (lower(s[i]) != word[i])
      return false;
  return i == n && word[i] == '\0';
}

/* The first case-insensitive occurrence of the lowercase needle in [p, end). */
static const char *find_ci(const char *p, const char *end, const char *needle) {
  size_t n = strlen(needle);
  for (; (size_t)(end - p) >= n; p++)
    if (eq_ci(p, n, needle))
      return p;
  return NULL;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode s into out[MAX_ID + 1]; false when malformed or too long. */
static bool percent_decode(const char *s, char *out, size_t *outlen) {
  size_t n = 0;
  for (; *s; s++) {
    if (n == MAX_ID)
      return false;
    if (*s == '%') {
      int hi = hex_digit(s[1]), lo = hi < 0 ? -1 : hex_digit(s[2]);
      if (lo < 0)
        return false;
      out[n++] = (char)(hi * 16 + lo);
      s += 2;
    } else {
      out[n++] = *s;
    }
  }
  out[n] = '\0';
  *outlen = n;
  return true;
}

static size_t put_utf8(char *o, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decode the character references of an attribute value v[0..n) into
 * out[MAX_ID + 4]: numeric ones and the five that ids plausibly contain.
 * Anything else is kept as written. False when the result is too long. */
static bool decode_refs(const char *v, size_t n, char *out, size_t *outlen) {
  static const struct {
    const char *name;
    char c;
  } named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (o >= MAX_ID)
      return false;
    if (v[i] != '&') {
      out[o++] = v[i++];
      continue;
    }
    const char *r = v + i + 1;
    size_t left = n - i - 1;
    if (left >= 2 && r[0] == '#') {
      bool hex = r[1] == 'x' || r[1] == 'X';
      size_t k = hex ? 2 : 1;
      unsigned long cp = 0;
      size_t digits = 0;
      for (; k < left; k++, digits++) {
        int d = hex ? hex_digit(r[k]) : (r[k] >= '0' && r[k] <= '9' ? r[k] - '0' : -1);
        if (d < 0)
          break;
        if (cp <= 0x10FFFF)
          cp = cp * (hex ? 16 : 10) + (unsigned long)d;
      }
      if (digits) {
        o += put_utf8(out + o, cp);
        i += 1 + k + (k < left && r[k] == ';');
        continue;
      }
    }
    bool done = false;
    for (size_t k = 0; k < sizeof named / sizeof named[0] && !done; k++) {
      size_t len = strlen(named[k].name);
      if (left >= len && memcmp(r, named[k].name, len) == 0) {
        out[o++] = named[k].c;
        i += 1 + len;
        done = true;
      }
    }
    if (!done)
      out[o++] = v[i++];
  }
  *outlen = o;
  return true;
}

bool extanchor_is_implicit(const char *f) {
  return f[0] == '\0' || eq_ci(f, strlen(f), "top") || strncmp(f, ":~:", 3) == 0;
}

typedef struct {
  const char *raw;
  size_t rawlen;
  char decoded[MAX_ID + 1];
  size_t decodedlen;
  bool has_decoded;
} wanted;

static bool matches(const wanted *w, const char *v, size_t n) {
  char buf[MAX_ID + 4];
  size_t len;
  if (!decode_refs(v, n, buf, &len))
    return false;
  return (len == w->rawlen && memcmp(buf, w->raw, len) == 0) ||
         (w->has_decoded && len == w->decodedlen && memcmp(buf, w->decoded, len) == 0);
}

bool extanchor_find(const char *html, size_t len, const char *fragment) {
  if (extanchor_is_implicit(fragment))
    return true;
  wanted w = {.raw = fragment, .rawlen = strlen(fragment)};
  w.has_decoded = percent_decode(fragment, w.decoded, &w.decodedlen);
  const char *p = html, *end = html + len;
  while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
    p++;
    if (end - p >= 3 && memcmp(p, "!--", 3) == 0) {
      const char *q = find_ci(p + 3, end, "-->");
      if (!q)
        return false;
      p = q + 3;
      continue;
    }
    if (p < end && (*p == '!' || *p == '?' || *p == '/')) {
      const char *q = memchr(p, '>', (size_t)(end - p));
      if (!q)
        return false;
      p = q + 1;
      continue;
    }
    if (p >= end || !is_alpha(*p))
      continue; /* a '<' in text */
    const char *name = p;
    while (p < end && !is_space(*p) && *p != '/' && *p != '>')
      p++;
    size_t namelen = (size_t)(p - name);
    bool is_a = eq_ci(name, namelen, "a");
    const char *raw_end = eq_ci(name, namelen, "script")  ? "</script"
                          : eq_ci(name, namelen, "style") ? "</style"
                                                          : NULL;
    /* Attributes, up to the '>' that closes the tag. */
    for (;;) {
      while (p < end && (is_space(*p) || *p == '/'))
        p++;
      if (p >= end)
        return false;
      if (*p == '>') {
        p++;
        break;
      }
      const char *an = p;
      while (p < end && !is_space(*p) && *p != '/' && *p != '>' && (*p != '=' || p == an))
        p++;
      size_t anlen = (size_t)(p - an);
      while (p < end && is_space(*p))
        p++;
      if (p >= end || *p != '=')
        continue; /* an attribute without a value */
      p++;
      while (p < end && is_space(*p))
        p++;
      const char *v = p;
      size_t vlen;
      if (p < end && (*p == '"' || *p == '\'')) {
        const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
        if (!q)
          return false;
        v = p + 1;
        vlen = (size_t)(q - v);
        p = q + 1;
      } else {
        while (p < end && !is_space(*p) && *p != '>')
          p++;
        vlen = (size_t)(p - v);
      }
      if ((eq_ci(an, anlen, "id") || (is_a && eq_ci(an, anlen, "name"))) && matches(&w, v, vlen))
        return true;
    }
    /* The text of <script> and <style> is not markup. */
    if (raw_end) {
      const char *q = find_ci(p, end, raw_end);
      if (!q)
        return false;
      p = q;
    }
  }
  return false;
}
