/* GitHub-style heading slugs: lower case, spaces to hyphens, punctuation
 * dropped, letters, marks and digits of every script kept (Learn's ids for
 * German or Arabic headings keep their umlauts and letters). The character
 * classes and case come from utf8proc (Unicode's own tables), so a slug is
 * the same on every machine, whatever locales it has installed. */
#include "slug.h"

#include <string.h>
#include <utf8proc.h>

#include "buf.h"

/* Whether code point c stays in a slug: letters, marks, numbers and the
 * connector punctuation (_), as GitHub's slugger keeps them; and '-'. */
static bool kept(utf8proc_int32_t c) {
  if (c == '-')
    return true;
  switch (utf8proc_category(c)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
  case UTF8PROC_CATEGORY_PC:
    return true;
  default:
    return false;
  }
}

char *slug_make(arena *a, const char *text) {
  buf b = {0};
  size_t len = strlen(text);
  buf_reserve(&b, len);
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text, *end = p + len;
  while (p < end) {
    /* ASCII, most of every heading, by the same rules without decoding:
     * letters (lower-cased), digits, '-' and '_' (the one ASCII connector)
     * are kept, a space is '-', the rest (punctuation, controls) goes. */
    if (*p < 0x80) {
      unsigned char ch = *p++;
      if (ch >= 'A' && ch <= 'Z')
        buf_putc(&b, (char)(ch + 32));
      else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')
        buf_putc(&b, (char)ch);
      else if (ch == ' ')
        buf_putc(&b, '-');
      continue;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &c);
    if (n <= 0) {
      /* Not UTF-8 (the text was repaired before; this is defence): the
       * byte is kept as it is. */
      buf_putc(&b, (char)*p++);
      continue;
    }
    p += n;
    if (c == ' ') {
      buf_putc(&b, '-');
    } else if (kept(c)) {
      utf8proc_uint8_t out[4];
      utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(c), out);
      buf_put(&b, (const char *)out, (size_t)m);
    }
  }
  char *s = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}
