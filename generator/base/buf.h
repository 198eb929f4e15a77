/* buf: a growable byte string on the heap, for building output.
 * The caller owns a buf and releases it with buf_free; buf_detach hands the
 * bytes (NUL-terminated) over to the caller, who then free()s them. */
#ifndef FOLIO_BUF_H
#define FOLIO_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
  char *data;
  size_t len, cap;
} buf;

void buf_free(buf *b);
void buf_reserve(buf *b, size_t extra);
void buf_put_slow(buf *b, const char *s, size_t n); /* buf_put when b must grow */

/* Append n bytes (the bytes stay NUL-terminated). Inline: output is built
 * from many small pieces, and most fit without growing. */
static inline void buf_put(buf *b, const char *s, size_t n) {
  if (b->cap - b->len > n) {
    __builtin_memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
  } else {
    buf_put_slow(b, s, n);
  }
}
static inline void buf_puts(buf *b, const char *s) { buf_put(b, s, __builtin_strlen(s)); }
static inline void buf_putc(buf *b, char c) {
  if (b->cap - b->len > 1) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
  } else {
    buf_put_slow(b, &c, 1);
  }
}
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_detach(buf *b);
const char *buf_cstr(buf *b); /* NUL-terminated view; valid until next write */

/* The UTF-8 bytes of code point c; NUL, surrogates and values past
 * U+10FFFF become U+FFFD, so the output is always valid UTF-8. */
void buf_put_utf8(buf *b, unsigned long c);

/* Append s[0..n) with every byte that is not part of a valid UTF-8
 * sequence replaced by U+FFFD; returns how many were replaced. */
size_t buf_put_valid_utf8(buf *b, const char *s, size_t n);

/* Whether s[0..len) is valid UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF). When it is not, *bad is the offset of the first
 * invalid byte and *nbad the number of invalid bytes. */
bool utf8_valid(const char *s, size_t len, size_t *bad, size_t *nbad);
/* A copy of s[0..len) with each invalid byte replaced by U+FFFD, as cmark's
 * VALIDATE_UTF8 does; malloc'd and NUL-terminated, its length in *out_len. */
char *utf8_repair(const char *s, size_t len, size_t *out_len);

/* HTML-escape s into b: & < > " and ' (safe in text and quoted attributes). */
void buf_put_html(buf *b, const char *s, size_t n);
void buf_puts_html(buf *b, const char *s);
/* JSON strings: json_put_string and the writer in json.h. */

#endif
