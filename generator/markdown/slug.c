/* GitHub-style heading slugs: lower case, spaces to hyphens, punctuation
 * dropped, letters and digits of every script kept (Learn's ids for German
 * or Arabic headings keep their umlauts and letters). */
#define _GNU_SOURCE
#include "slug.h"

#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "buf.h"

static locale_t utf8_locale;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_locale(void) { utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); }

char *slug_make(arena *a, const char *text) {
  pthread_once(&once, open_locale);
  buf b = {0};
  buf_reserve(&b, strlen(text));
  /* Decode and lower-case with the UTF-8 locale on this thread only. */
  locale_t saved = utf8_locale ? uselocale(utf8_locale) : (locale_t)0;
  mbstate_t st;
  memset(&st, 0, sizeof st);
  const char *p = text, *end = text + strlen(text);
  while (p < end) {
    wchar_t wc;
    size_t n = utf8_locale ? mbrtowc(&wc, p, (size_t)(end - p), &st) : (size_t)-1;
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
      /* Not decodable (or no UTF-8 locale): one byte, ASCII rules. */
      memset(&st, 0, sizeof st);
      unsigned char c = (unsigned char)*p++;
      if (c >= 'A' && c <= 'Z')
        buf_putc(&b, (char)(c + 32));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80)
        buf_putc(&b, (char)c);
      else if (c == ' ')
        buf_putc(&b, '-');
      continue;
    }
    if (wc == L' ') {
      buf_putc(&b, '-');
    } else if (wc == L'-' || wc == L'_' || iswalnum((wint_t)wc)) {
      char out[MB_LEN_MAX];
      mbstate_t os;
      memset(&os, 0, sizeof os);
      size_t m = wcrtomb(out, (wchar_t)towlower((wint_t)wc), &os);
      if (m != (size_t)-1)
        buf_put(&b, out, m);
      else
        buf_put(&b, p, n);
    }
    p += n;
  }
  if (utf8_locale)
    uselocale(saved);
  char *s = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

