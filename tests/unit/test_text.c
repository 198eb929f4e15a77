/* text: UTF-8 validation, case folding with NFC, name keys and display. */
#include <string.h>

#include "test.h"
#include "text.h"

static void test_valid_utf8(void) {
  CHECK(text_is_valid_utf8("", 0));
  const char *mixed = "abc \xc3\xbc \xe2\x82\xac \xf0\x9f\x98\x80";
  CHECK(text_is_valid_utf8(mixed, strlen(mixed)));
  CHECK(text_is_valid_utf8("\xf4\x8f\xbf\xbf", 4));  /* U+10FFFF */
  CHECK(!text_is_valid_utf8("\x80", 1));              /* lone continuation */
  CHECK(!text_is_valid_utf8("\xc3", 1));              /* truncated */
  CHECK(!text_is_valid_utf8("\xc0\xaf", 2));          /* overlong '/' */
  CHECK(!text_is_valid_utf8("\xe0\x80\xaf", 3));      /* overlong, 3 bytes */
  CHECK(!text_is_valid_utf8("\xed\xa0\x80", 3));      /* surrogate U+D800 */
  CHECK(!text_is_valid_utf8("\xf4\x90\x80\x80", 4));  /* above U+10FFFF */
  CHECK(!text_is_valid_utf8("\xff", 1));
}

static void test_casefold(void) {
  arena *a = arena_new();
  CHECK_STR(text_casefold(a, "Admin Agent"), "admin agent");
  /* German: Ü in both its forms, and ß folds to ss. */
  CHECK_STR(text_casefold(a, "\xc3\x9c" "BERPR\xc3\x9c" "FER"), "\xc3\xbc" "berpr\xc3\xbc" "fer");
  CHECK_STR(text_casefold(a, "U\xcc\x88" "berpr\xc3\xbc" "fer"), "\xc3\xbc" "berpr\xc3\xbc" "fer");
  CHECK_STR(text_casefold(a, "Stra\xc3\x9f" "e"), "strasse");
  CHECK_STR(text_casefold(a, "STRASSE"), "strasse");
  /* Greek final sigma, Cyrillic. */
  CHECK_STR(text_casefold(a, "\xce\xa3\xce\x9f\xce\xa6\xce\x8f\xce\xa3"),
            text_casefold(a, "\xcf\x83\xce\xbf\xcf\x86\xcf\x8e\xcf\x82"));
  CHECK_STR(text_casefold(a, "\xd0\x90\xd0\x94\xd0\x9c\xd0\x98\xd0\x9d"),
            "\xd0\xb0\xd0\xb4\xd0\xbc\xd0\xb8\xd0\xbd");
  /* Turkish dotted capital I: the default folding, i + combining dot. */
  CHECK_STR(text_casefold(a, "\xc4\xb0"), "i\xcc\x87");
  CHECK(text_casefold(a, "ab\xff") == NULL);
  arena_free(a);
}

static void test_name_key(void) {
  arena *a = arena_new();
  CHECK_STR(text_name_key(a, "  Admin \t\n agent "), "admin agent");
  /* No-break, narrow no-break, ideographic and em spaces are spaces. */
  CHECK_STR(text_name_key(a, "Admin\xc2\xa0" "agent"), "admin agent");
  CHECK_STR(text_name_key(a, "Admin\xe2\x80\xaf" "agent"), "admin agent");
  CHECK_STR(text_name_key(a, "Admin\xe3\x80\x80\xe2\x80\x83" "agent"), "admin agent");
  CHECK_STR(text_name_key(a, "Pr\xc3\x9c" "FER"), text_name_key(a, "pru\xcc\x88" "fer"));
  /* Not UTF-8: ASCII lower-cased, other bytes kept. */
  CHECK_STR(text_name_key(a, "AB\xff" "C"), "ab\xff" "c");
  arena_free(a);
}

static void test_for_display(void) {
  arena *a = arena_new();
  CHECK_STR(text_for_display(a, "plain \xc3\xbc", 80), "plain \xc3\xbc");
  CHECK_STR(text_for_display(a, "a\x1b[31mb\n\x7f", 80), "a\\u{1b}[31mb\\u{a}\\u{7f}");
  CHECK_STR(text_for_display(a, "x\xc2\x85y", 80), "x\\u{85}y");
  CHECK_STR(text_for_display(a, "rtl\xe2\x80\xae" "cod", 80), "rtl\\u{202e}cod");
  CHECK_STR(text_for_display(a, "bad\xff", 80), "bad\\xff");
  CHECK_STR(text_for_display(a, "\xef\xbb\xbf{} zw\xe2\x80\x8bsp", 80), "\\u{feff}{} zw\\u{200b}sp");
  CHECK_STR(text_for_display(a, "abcdef", 3), "abc...");
  /* Cut at a character boundary, never inside one. */
  CHECK_STR(text_for_display(a, "a\xc3\xbc\xc3\xbc", 2), "a\xc3\xbc...");
  arena_free(a);
}

int main(void) {
  RUN(test_valid_utf8);
  RUN(test_casefold);
  RUN(test_name_key);
  RUN(test_for_display);
  return test_done();
}
