/* policy: the first-byte prefilter of the role header patterns
 * (policy_header_may_start) never rules out a text that a pattern matches:
 * for each pattern, every first byte before a set of tails is matched by
 * PCRE2 directly and through the catalog. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "l10n.h"
#include "policy.h"
#include "test.h"
#include "yamldoc.h"

/* One locale per pattern, so that each is asked about alone. */
static const char *const patterns[] = {
    /* the shipped ones (locales/<locale>.yml) */
    "(?i)^\\*\\*\\s*Appropriate roles\\s*(?::\\s*\\*\\*|\\*\\*\\s*:?)\\s*(?<names>.*)$",
    "(?i)^\\*\\*\\s*Audience\\s*(?::\\s*\\*\\*|\\*\\*\\s*:?)\\s*(?<names>.*)$",
    "^\\*\\*\\s*Zielgruppe\\s*(?::\\s*\\*\\*|\\*\\*\\s*:?)\\s*(?<names>.*)$",
    /* a letter first, caseless and not */
    "(?i)^Audience:\\s*(?<names>.*)",
    "^Rollen:\\s*(?<names>.*)",
    /* k is also the Kelvin sign caseless: no first unit */
    "(?i)^k:(?<names>.*)",
    /* a first byte of a multibyte character */
    "^\xC3\xA9quipe:(?<names>.*)",
    /* caseless Cyrillic ve is also U+1C80 (another first byte): no first unit */
    "(?i)^\xD0\xB2:(?<names>.*)",
    /* not anchored, or anchored at each line, or no start-up checks: no
     * prefilter */
    "Roles:(?<names>.*)",
    "(?m)^\\*\\*Roles:(?<names>.*)",
    "(*NO_START_OPT)^\\*\\*Roles:(?<names>.*)",
    "\\A\\*\\*Roles:(?<names>.*)",
    "^(?:\\*\\*|__)Roles:(?<names>.*)",
};
#define NPAT (sizeof patterns / sizeof *patterns)

static const char *const tails[] = {
    "",
    "*Appropriate roles**: Admin | Reader",
    "* Audience**: Everyone",
    "**Appropriate roles**: Admin",
    "*Zielgruppe**: Alle",
    "udience: all",
    "UDIENCE: all",
    "ollen: A",
    ":x",
    "\xA9quipe:x",
    "quipe:x",
    "\x84\xAA:x",
    "\xB2:x",
    "\xB2\x80:x",
    "Roles:x",
    "*Roles:x",
    "_Roles:x",
    "text before\n**Roles:x",
};

static policy_catalog *load(arena *a, diag_list *d) {
  locale_info *locs = arena_alloc(a, NPAT * sizeof *locs);
  for (size_t i = 0; i < NPAT; i++) {
    /* the pattern as a single-quoted YAML scalar */
    buf y = {0};
    buf_puts(&y, "patterns:\n  roles: '");
    for (const char *p = patterns[i]; *p; p++) {
      if (*p == '\'')
        buf_putc(&y, '\'');
      buf_putc(&y, *p);
    }
    buf_puts(&y, "'\n");
    locs[i].id = arena_printf(a, "l%zu", i);
    locs[i].file = arena_printf(a, "l%zu.yml", i);
    locs[i].doc = yamldoc_load(a, buf_cstr(&y), y.len, locs[i].file, 0, d);
    buf_free(&y);
  }
  return policy_catalog_load(a, locs, NPAT, d);
}

/* PCRE2 without its own start-up checks (PCRE2_NO_START_OPTIMIZE): the
 * plain answer, which the prefilter must not change. */
static int direct(const char *pattern, const char *text) {
  int err;
  PCRE2_SIZE off;
  pcre2_code *re =
      pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NO_START_OPTIMIZE, &err, &off, NULL);
  if (!re)
    return -100;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
  int rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
  pcre2_match_data_free(md);
  pcre2_code_free(re);
  return rc;
}

static void test_prefilter_is_exact(void) {
  arena *a = arena_new();
  diag_list d = {0};
  policy_catalog *c = load(a, &d);
  CHECK_NO_DIAGS(&d);
  size_t matched = 0, wrong = 0;
  char text[128];
  for (size_t i = 0; i < NPAT; i++)
    for (int b = 0; b < 256; b++)
      for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
        /* b == 0: the tail alone */
        snprintf(text, sizeof text, "%s%s", b ? (char[]){(char)b, 0} : "", tails[t]);
        int rc = direct(patterns[i], text);
        policy_header h;
        int got = policy_match_header(c, (int)i, a, text, "x.md", 1, &h, &d);
        bool may = policy_header_may_start(c, (int)i, (unsigned char)text[0]);
        if (rc > 0)
          matched++;
        if ((rc > 0 && !may) || got != (rc > 0)) {
          wrong++;
          fprintf(stderr, "    pattern %zu, text '%s': pcre2 %d, match_header %d, may %d\n", i,
                  text, rc, got, may);
        }
      }
  CHECK_INT(wrong, 0);
  CHECK(matched > 20); /* the tails do match, so the check means something */
  CHECK_NO_DIAGS(&d);
  policy_catalog_free(c);
  arena_free(a);
}

static void test_prefilter_rules_out(void) {
  arena *a = arena_new();
  diag_list d = {0};
  policy_catalog *c = load(a, &d);
  /* "**": only a text that starts with '*' */
  CHECK(policy_header_may_start(c, 0, '*'));
  CHECK(!policy_header_may_start(c, 0, 'T'));
  CHECK(!policy_header_may_start(c, 0, ' '));
  CHECK(!policy_header_may_start(c, 0, 0));
  CHECK(!policy_header_may_start(c, 2, '_'));
  /* a letter: either case, caseless pattern or not */
  CHECK(policy_header_may_start(c, 3, 'a') && policy_header_may_start(c, 3, 'A'));
  CHECK(!policy_header_may_start(c, 3, 'b'));
  CHECK(policy_header_may_start(c, 4, 'R') && !policy_header_may_start(c, 4, '*'));
  /* no first unit: anything */
  CHECK(policy_header_may_start(c, 5, 0xE2) && policy_header_may_start(c, 5, 'x'));
  CHECK(policy_header_may_start(c, 6, 0xC3) && !policy_header_may_start(c, 6, 'e'));
  CHECK(policy_header_may_start(c, 7, 0xE1) && policy_header_may_start(c, 7, 0xD0));
  for (size_t i = 8; i < NPAT; i++) {
    bool any = policy_header_may_start(c, (int)i, 'x');
    CHECK(i == 11 ? !any : any); /* \A anchors as ^ does */
  }
  /* no such locale, no catalog: nothing matches */
  CHECK(!policy_header_may_start(c, (int)NPAT, '*'));
  CHECK(!policy_header_may_start(NULL, 0, '*'));
  policy_catalog_free(c);
  arena_free(a);
}

int main(void) {
  RUN(test_prefilter_is_exact);
  RUN(test_prefilter_rules_out);
  return test_done();
}
