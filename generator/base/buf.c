#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void buf_free(buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void buf_reserve(buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1)
    cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void buf_put_slow(buf *b, const char *s, size_t n) {
  buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_printf(buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n > 0) {
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
  }
  va_end(ap);
}

char *buf_detach(buf *b) {
  buf_reserve(b, 0);
  b->data[b->len] = '\0';
  char *p = b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

const char *buf_cstr(buf *b) {
  buf_reserve(b, 0);
  b->data[b->len] = '\0';
  return b->data;
}

void buf_put_html(buf *b, const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep = NULL;
    switch (s[i]) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: continue;
    }
    buf_put(b, s + start, i - start);
    buf_puts(b, rep);
    start = i + 1;
  }
  buf_put(b, s + start, n - start);
}

void buf_puts_html(buf *b, const char *s) { buf_put_html(b, s, strlen(s)); }

void buf_put_utf8(buf *b, unsigned long c) {
  if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    c = 0xFFFD; /* what HTML makes of a reference to such a code point */
  if (c < 0x80) {
    buf_putc(b, (char)c);
  } else if (c < 0x800) {
    buf_putc(b, (char)(0xC0 | (c >> 6)));
    buf_putc(b, (char)(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    buf_putc(b, (char)(0xE0 | (c >> 12)));
    buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
    buf_putc(b, (char)(0x80 | (c & 0x3F)));
  } else {
    buf_putc(b, (char)(0xF0 | (c >> 18)));
    buf_putc(b, (char)(0x80 | ((c >> 12) & 0x3F)));
    buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3F)));
    buf_putc(b, (char)(0x80 | (c & 0x3F)));
  }
}

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (!len || len > n)
    return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  /* No overlong forms, surrogates or code points past U+10FFFF. */
  if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
      (c == 0xF4 && s[1] > 0x8F))
    return 0;
  return len;
}

size_t buf_put_valid_utf8(buf *b, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  size_t bad = 0;
  while (p < end) {
    const unsigned char *run = p;
    size_t k;
    while (p < end && (k = utf8_seq(p, (size_t)(end - p))) > 0)
      p += k;
    buf_put(b, (const char *)run, (size_t)(p - run));
    if (p < end) {
      buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD for each byte that starts no valid sequence */
      p++;
      bad++;
    }
  }
  return bad;
}

bool utf8_valid(const char *s, size_t len, size_t *bad, size_t *nbad) {
  const unsigned char *u = (const unsigned char *)s;
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    /* Eight ASCII bytes at a time: most text is ASCII. */
    uint64_t w;
    while (len - i >= 8 && (memcpy(&w, u + i, 8), !(w & 0x8080808080808080ull)))
      i += 8;
    if (i == len)
      break;
    size_t k = utf8_seq(u + i, len - i);
    if (k) {
      i += k;
      continue;
    }
    if (!n++)
      *bad = i;
    i++;
  }
  *nbad = n;
  return n == 0;
}

char *utf8_repair(const char *s, size_t len, size_t *out_len) {
  buf b = {0};
  buf_reserve(&b, len + 1);
  buf_put_valid_utf8(&b, s, len);
  buf_reserve(&b, 1);
  b.data[b.len] = '\0';
  *out_len = b.len;
  return buf_detach(&b);
}
