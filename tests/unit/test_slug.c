#include <string.h>
#include <utf8proc.h>

#include "slug.h"
#include "test.h"

#define CHECK_SLUG(a, text, expected) CHECK_STR(slug_make((a), (text)), (expected))

static void test_ascii(void) {
  arena *a = arena_new();
  CHECK_SLUG(a, "Turn on customer purchases", "turn-on-customer-purchases");
  CHECK_SLUG(a, "What's new?", "whats-new");
  CHECK_SLUG(a, "Step 1: Install (v2.0)", "step-1-install-v20");
  CHECK_SLUG(a, "C++ & C#", "c--c");
  CHECK_SLUG(a, "snake_case and kebab-case", "snake_case-and-kebab-case");
  CHECK_SLUG(a, "--already-slugged--", "--already-slugged--");
  CHECK_SLUG(a, "2024 Release Notes", "2024-release-notes");
  CHECK_SLUG(a, "ALL CAPS", "all-caps");
  CHECK_SLUG(a, "\"Quoted\", <tagged> & [linked]!", "quoted-tagged--linked");
  /* Every space is a hyphen, as on GitHub. */
  CHECK_SLUG(a, "two  spaces", "two--spaces");
  CHECK_SLUG(a, "a   b", "a---b");
  CHECK_SLUG(a, "", "");
  CHECK_SLUG(a, "?!.", "");
  arena_free(a);
}

/* ASCII takes a shortcut past the decoder: every byte must get what
 * Unicode's tables give it (letters, marks, numbers, connectors kept and
 * lower-cased; a space is '-'; the rest dropped). */
static void test_ascii_same_as_tables(void) {
  arena *a = arena_new();
  for (int c = 1; c < 0x80; c++) {
    char in[4] = {'x', (char)c, 'y', 0};
    char want[4] = {'x', 0, 0, 0};
    utf8proc_category_t k = utf8proc_category(c);
    if (c == ' ' || c == '-')
      want[1] = '-';
    else if (k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_ND ||
             k == UTF8PROC_CATEGORY_PC)
      want[1] = (char)utf8proc_tolower(c);
    strcat(want, "y");
    CHECK_SLUG(a, in, want);
  }
  arena_free(a);
}

static void test_unicode(void) {
  arena *a = arena_new();
  CHECK_SLUG(a, "\xC3\x9C" "bersicht \xC3\xBC" "ber Kunden", /* Übersicht über Kunden */
             "\xC3\xBC" "bersicht-\xC3\xBC" "ber-kunden");
  CHECK_SLUG(a, "Stra\xC3\x9F" "e \xC3\x84nderung", /* Straße Änderung */
             "stra\xC3\x9F" "e-\xC3\xA4nderung");
  CHECK_SLUG(a, "\xC3\x89t\xC3\xA9 fran\xC3\xA7" "ais", /* Été français */
             "\xC3\xA9t\xC3\xA9-fran\xC3\xA7" "ais");
  CHECK_SLUG(a, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\x9C\xD0\xB8\xD1\x80", /* Привет Мир */
             "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82-\xD0\xBC\xD0\xB8\xD1\x80");
  /* Punctuation outside ASCII is dropped too: « » and an emoji. */
  CHECK_SLUG(a, "\xC2\xAB" "Zitat\xC2\xBB", "zitat");
  CHECK_SLUG(a, "Done \xF0\x9F\x8E\x89", "done-");
  /* A decomposed umlaut keeps its combining mark, as GitHub keeps marks. */
  CHECK_SLUG(a, "U\xCC\x88" "bersicht", "u\xCC\x88" "bersicht");
  /* Greek capitals lower-cased; Arabic letters kept, the Arabic comma and
   * question mark dropped (Unicode's tables, not the machine's locales). */
  CHECK_SLUG(a, "\xCE\x91\xCE\x92\xCE\x93", "\xCE\xB1\xCE\xB2\xCE\xB3");
  CHECK_SLUG(a, "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7\xD8\x8C \xD8\x9F",
             "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7-");
  arena_free(a);
}

int main(void) {

  RUN(test_ascii);
  RUN(test_ascii_same_as_tables);
  RUN(test_unicode);

  return test_done();
}
