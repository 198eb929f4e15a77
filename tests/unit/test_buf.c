#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "test.h"

static void test_put_and_detach(void) {
  buf b = {0};
  CHECK_STR(buf_cstr(&b), ""); /* an empty buf still gives a C string */
  buf_puts(&b, "abc");
  buf_putc(&b, '-');
  buf_put(&b, "xyz123", 3);
  CHECK_INT(b.len, 7);
  CHECK_STR(buf_cstr(&b), "abc-xyz");
  /* Embedded NUL bytes are kept and counted. */
  buf_put(&b, "\0q", 2);
  CHECK_INT(b.len, 9);
  CHECK(memcmp(b.data, "abc-xyz\0q", 9) == 0);
  char *s = buf_detach(&b);
  CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
  CHECK(memcmp(s, "abc-xyz\0q", 10) == 0);
  free(s);
  /* Detaching an empty buf gives "" that the caller frees (buf.h: "hands
   * the bytes (NUL-terminated) over"), whether or not it has storage. */
  test_dirty_heap(256);
  char *e = buf_detach(&b);
  CHECK_STR(e, "");
  free(e);
  test_dirty_heap(256);
  buf_reserve(&b, 10);
  e = buf_detach(&b);
  CHECK_STR(e, "");
  free(e);
  /* Growth well past the first capacity. */
  for (int i = 0; i < 10000; i++)
    buf_putc(&b, (char)('a' + i % 26));
  CHECK_INT(b.len, 10000);
  CHECK(b.cap > b.len);
  CHECK(b.data[9999] == (char)('a' + 9999 % 26));
  CHECK(b.data[10000] == '\0');
  buf_free(&b);
  CHECK(b.data == NULL && b.len == 0);
  buf_free(&b); /* twice is fine */
}

static void test_html(void) {
  buf b = {0};
  buf_puts_html(&b, "a & b < c > d \"e\" 'f'");
  CHECK_STR(buf_cstr(&b), "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
  buf_free(&b);

  buf_puts_html(&b, "<script>alert('x')</script>");
  CHECK_STR(buf_cstr(&b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  buf_free(&b);

  /* Nothing to escape; non-ASCII passes through. */
  buf_puts_html(&b, "plain \xC3\xBC text");
  CHECK_STR(buf_cstr(&b), "plain \xC3\xBC text");
  buf_free(&b);

  /* Only n bytes are read; escapes at both ends; appends to what is there. */
  buf_puts(&b, "[");
  buf_put_html(&b, "&x&<tail not read>", 3);
  buf_puts(&b, "]");
  CHECK_STR(buf_cstr(&b), "[&amp;x&amp;]");
  buf_free(&b);

  /* Already-escaped text is escaped again (no double-decoding). */
  buf_puts_html(&b, "&amp;");
  CHECK_STR(buf_cstr(&b), "&amp;amp;");
  buf_free(&b);

  buf_put_html(&b, "", 0);
  CHECK_STR(buf_cstr(&b), "");
  buf_free(&b);
}

static void test_printf(void) {
  buf b = {0};
  buf_printf(&b, "%d-%s", 42, "x");
  buf_printf(&b, "|%05.1f|", 3.14159);
  CHECK_STR(buf_cstr(&b), "42-x|003.1|");
  CHECK_INT(b.len, 11);
  buf_printf(&b, "%s", ""); /* nothing appended */
  CHECK_INT(b.len, 11);
  /* Longer than the initial capacity, appended after what is there. */
  buf_printf(&b, "%0999d", 7);
  CHECK_INT(b.len, 11 + 999);
  CHECK(b.data[11] == '0');
  CHECK(b.data[11 + 998] == '7');
  CHECK(b.data[11 + 999] == '\0');
  buf_free(&b);
  buf_printf(&b, "%zu %c", (size_t)5, 'z');
  CHECK_STR(buf_cstr(&b), "5 z");
  buf_free(&b);
}

static void test_reserve(void) {
  buf b = {0};
  buf_reserve(&b, 1000);
  CHECK(b.cap >= 1001);
  CHECK_INT(b.len, 0);
  char *before = b.data;
  buf_put(&b, "0123456789", 10);
  CHECK(b.data == before); /* no reallocation within reserved space */
  buf_free(&b);
}

/* Bytes that start no valid UTF-8 sequence become U+FFFD, one each; valid
 * text (of every length, up to U+10FFFF) passes as it is. */
static void test_valid_utf8(void) {
  static const struct {
    const char *in, *out;
    size_t bad;
  } cases[] = {
      {"plain", "plain", 0},
      {"Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x98\x80", "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x98\x80", 0},
      {"caf\xe9", "caf\xef\xbf\xbd", 1},              /* Latin-1 e-acute */
      {"x\xc3", "x\xef\xbf\xbd", 1},                  /* a cut two-byte character */
      {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", 2},   /* overlong '/' */
      {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 3}, /* a surrogate */
      {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 4}, /* past U+10FFFF */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    buf b = {0};
    size_t bad = buf_put_valid_utf8(&b, cases[i].in, strlen(cases[i].in));
    CHECK_STR(buf_cstr(&b), cases[i].out);
    CHECK_INT(bad, cases[i].bad);
    buf_free(&b);
  }
}

int main(void) {
  RUN(test_valid_utf8);
  RUN(test_put_and_detach);
  RUN(test_html);
  RUN(test_printf);
  RUN(test_reserve);
  return test_done();
}
