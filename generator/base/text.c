/* Unicode helpers over utf8proc: validation, case folding with NFC, the
 * comparison key of a name, and escaping for messages. */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"

/* One code point at s (n bytes left): its length, or -1 when the bytes are
 * not UTF-8. utf8proc_iterate rejects overlong forms and surrogates. */
static long next_cp(const char *s, size_t n, int32_t *cp) {
  utf8proc_int32_t c;
  utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
  if (k <= 0 || c < 0)
    return -1;
  *cp = c;
  return (long)k;
}

bool text_is_valid_utf8(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    int32_t cp;
    long k = next_cp(s + i, n - i, &cp);
    if (k < 0)
      return false;
    i += (size_t)k;
  }
  return true;
}

char *text_casefold(arena *a, const char *s) {
  size_t n = strlen(s);
  if (!text_is_valid_utf8(s, n))
    return NULL;
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  if (len < 0) /* only on running out of memory: the input was checked */
    return NULL;
  char *r = arena_strndup(a, (const char *)out, (size_t)len);
  free(out);
  return r;
}

/* Unicode White_Space (PropList.txt): the ASCII controls \t..\r, U+0085,
 * and the space, line and paragraph separators (Zs, Zl, Zp). */
static bool is_space(int32_t cp) {
  if (cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85)
    return true;
  if (cp < 0xA0)
    return false;
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP;
}

char *text_name_key(arena *a, const char *s) {
  const char *folded = text_casefold(a, s);
  bool utf8 = folded != NULL;
  if (!utf8)
    folded = s;
  buf b = {0};
  bool space = false;
  size_t n = strlen(folded);
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)folded[i];
    int32_t cp = c;
    long k = 1;
    if (utf8 && c >= 0x80)
      k = next_cp(folded + i, n - i, &cp);
    if (k < 0) /* not reached: text_casefold returned UTF-8 */
      k = 1;
    if (is_space(cp)) {
      space = true;
    } else {
      if (space && b.len)
        buf_putc(&b, ' ');
      space = false;
      if (utf8)
        buf_put(&b, folded + i, (size_t)k);
      else
        buf_putc(&b, (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
    }
    i += (size_t)k;
  }
  char *r = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}

/* Control characters (Cc) and format characters (Cf: the bidirectional
 * controls, zero-width characters, the byte order mark), which a terminal
 * does not show as themselves. */
static bool is_invisible(int32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
    return true;
  return cp >= 0xA0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

char *text_for_display(arena *a, const char *s, size_t max) {
  buf b = {0};
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    int32_t cp = c;
    long k = c < 0x80 ? 1 : next_cp(s + i, n - i, &cp);
    if (i >= max) {
      buf_puts(&b, "...");
      break;
    }
    if (k < 0) {
      buf_printf(&b, "\\x%02x", c);
      k = 1;
    } else if (is_invisible(cp)) {
      buf_printf(&b, "\\u{%x}", (unsigned)cp);
    } else {
      buf_put(&b, s + i, (size_t)k);
    }
    i += (size_t)k;
  }
  char *r = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}
