#include <stdlib.h>
#include <string.h>

#include "l10n.h"
#include "test.h"

static const char *DE = "name: Deutsch\n"
                        "lang: de-DE\n"
                        "dir: ltr\n"
                        "date_format: \"{day}. {month} {year}\"\n"
                        "months: [Januar, Februar, M\xC3\xA4rz, April, Mai, Juni, Juli, August,\n"
                        "         September, Oktober, November, Dezember]\n"
                        "strings:\n"
                        "  zeta: Zett\n"
                        "  alpha: Alpha\n"
                        "  mid: Mitte\n"
                        "  beta: Beta\n"
                        "  on_this_page: Auf dieser Seite\n"
                        "roles: {}\n";

static const char *EN = "name: English\n"
                        "lang: en-US\n"
                        "date_format: \"{month} {day}, {year}\"\n"
                        "months: [January, February, March, April, May, June, July, August,\n"
                        "         September, October, November, December]\n"
                        "strings:\n"
                        "  alpha: Alpha\n"
                        "  beta: Beta\n"
                        "  gamma: Gamma\n"
                        "  mid: Middle\n"
                        "  zeta: Zed\n"
                        "  on_this_page: On this page\n";

static void test_load(void) {
  char *dir = test_mkdtemp();
  test_write(dir, "de-de.yml", DE);
  arena *a = arena_new();
  diag_list d = {0};
  locale_info de;
  CHECK_INT(l10n_load(a, dir, "de-de", &de, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(de.id, "de-de");
  char *file = path_join(dir, "de-de.yml");
  CHECK_STR(de.file, file);
  free(file);
  CHECK_STR(de.name, "Deutsch");
  CHECK_STR(de.lang, "de-DE");
  CHECK_STR(de.dir, "ltr");
  CHECK_STR(de.date_format, "{day}. {month} {year}");
  CHECK_STR(de.months[0], "Januar");
  CHECK_STR(de.months[2], "M\xC3\xA4rz");
  CHECK_STR(de.months[11], "Dezember");
  CHECK(de.doc != NULL && ynode_get(de.doc, "roles") != NULL);
  /* Strings were written out of order: they are sorted, and all found. */
  if (CHECK_INT(de.nstrings, 5)) {
    CHECK_STR(de.keys[0], "alpha");
    CHECK_STR(de.keys[1], "beta");
    CHECK_STR(de.keys[2], "mid");
    CHECK_STR(de.keys[3], "on_this_page");
    CHECK_STR(de.keys[4], "zeta");
    CHECK_STR(de.values[4], "Zett"); /* values moved with their keys */
  }
  CHECK_STR(l10n_string(&de, "zeta"), "Zett");
  CHECK_STR(l10n_string(&de, "alpha"), "Alpha");
  CHECK_STR(l10n_string(&de, "mid"), "Mitte");
  CHECK_STR(l10n_string(&de, "beta"), "Beta");
  CHECK_STR(l10n_string(&de, "on_this_page"), "Auf dieser Seite");
  CHECK(l10n_string(&de, "gamma") == NULL);
  CHECK(l10n_string(&de, "") == NULL);
  CHECK(l10n_string(&de, "zz") == NULL);
  CHECK(l10n_string(&de, "a") == NULL);
  CHECK(l10n_string(&de, "Alpha") == NULL);

  /* Dates. */
  CHECK_STR(l10n_format_date(a, &de, 2020, 5, 18), "18. Mai 2020");
  CHECK_STR(l10n_format_date(a, &de, 2021, 3, 1), "1. M\xC3\xA4rz 2021");
  CHECK_STR(l10n_format_date(a, &de, 1999, 12, 31), "31. Dezember 1999");
  locale_info custom = de;
  custom.date_format = "{year}-{mm}-{dd} ({unknown}) {day";
  CHECK_STR(l10n_format_date(a, &custom, 2020, 5, 8), "2020-05-08 ({unknown}) {day");
  custom.date_format = "";
  CHECK_STR(l10n_format_date(a, &custom, 2020, 5, 8), "");
  diag_list_free(&d);
  arena_free(a);
  test_rmdir(dir);
}

static void test_defaults(void) {
  char *dir = test_mkdtemp();
  test_write(dir, "fr-fr.yml", "name: Fran\xC3\xA7" "ais\n");
  arena *a = arena_new();
  diag_list d = {0};
  locale_info fr;
  CHECK_INT(l10n_load(a, dir, "fr-fr", &fr, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(fr.lang, "fr-fr"); /* the id when lang is absent */
  CHECK_STR(fr.dir, "ltr");
  CHECK_STR(fr.date_format, "{year}-{mm}-{dd}");
  CHECK_STR(l10n_format_date(a, &fr, 2020, 5, 8), "2020-05-08");
  CHECK_INT(fr.nstrings, 0);
  CHECK(l10n_string(&fr, "anything") == NULL);
  /* rtl */
  test_write(dir, "ar-sa.yml", "name: x\ndir: rtl\n");
  locale_info ar;
  CHECK_INT(l10n_load(a, dir, "ar-sa", &ar, &d), 0);
  CHECK_STR(ar.dir, "rtl");
  CHECK_NO_DIAGS(&d);
  diag_list_free(&d);
  arena_free(a);
  test_rmdir(dir);
}

static void test_check_complete(void) {
  char *dir = test_mkdtemp();
  test_write(dir, "de-de.yml", DE);
  test_write(dir, "en-us.yml", EN);
  arena *a = arena_new();
  diag_list d = {0};
  locale_info de, en;
  CHECK_INT(l10n_load(a, dir, "de-de", &de, &d), 0);
  CHECK_INT(l10n_load(a, dir, "en-us", &en, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(l10n_format_date(a, &en, 2020, 5, 18), "May 18, 2020");
  CHECK(l10n_string(&de, "gamma") == NULL);
  l10n_fill_missing(a, &en, &de, &d);
  /* One warning that lists what is missing; the string then falls back to
   * the source locale's, and de-de's own strings stay. */
  if (CHECK_INT(d.count, 1)) {
    CHECK_STR(d.items[0].code, "locale-missing-string");
    CHECK_STR(d.items[0].file, de.file);
    CHECK(strstr(d.items[0].message, ": gamma") != NULL);
    CHECK(d.items[0].sev == SEV_WARNING);
  }
  CHECK_STR(l10n_string(&de, "gamma"), l10n_string(&en, "gamma"));
  for (size_t i = 0; i < en.nstrings; i++)
    if (strcmp(en.keys[i], "gamma"))
      CHECK(l10n_string(&de, en.keys[i]) != NULL);
  for (size_t i = 1; i < de.nstrings; i++)
    CHECK(strcmp(de.keys[i - 1], de.keys[i]) < 0);
  diag_list_free(&d);
  /* The other way round nothing is missing (extra strings are fine). */
  l10n_fill_missing(a, &de, &en, &d);
  CHECK_NO_DIAGS(&d);
  l10n_fill_missing(a, &en, &en, &d);
  CHECK_NO_DIAGS(&d);
  diag_list_free(&d);
  arena_free(a);
  test_rmdir(dir);
}

/* Load text as locale "xx-yy"; returns l10n_load's result. */
static int load_text(arena *a, const char *text, locale_info *out, diag_list *d) {
  char *dir = test_mkdtemp();
  test_write(dir, "xx-yy.yml", text);
  int rc = l10n_load(a, dir, "xx-yy", out, d);
  test_rmdir(dir);
  return rc;
}

static void test_errors(void) {
  arena *a = arena_new();
  diag_list d = {0};
  locale_info l;
  CHECK_INT(load_text(a, "name: X\ncolour: red\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-unknown-key", 2, 1);
  if (d.count)
    CHECK(strstr(d.items[0].message, "'colour'") != NULL);
  diag_list_free(&d);

  CHECK_INT(load_text(a, "name: X\ndir: up\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 2, 6);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: X\ndir: RTL\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 2, 6);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: X\ndir: [ltr]\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 2, 6);
  diag_list_free(&d);

  /* name is required. */
  CHECK_INT(load_text(a, "lang: x\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 1, 1);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: ~\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 1, 7);
  diag_list_free(&d);

  /* months: exactly 12. */
  CHECK_INT(load_text(a, "name: X\nmonths: [a, b]\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 2, 9);
  diag_list_free(&d);
  /* {month} without months. */
  CHECK_INT(load_text(a, "name: X\ndate_format: \"{month} {year}\"\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", -1, -1);
  diag_list_free(&d);

  /* strings: a mapping of text; no key twice. */
  CHECK_INT(load_text(a, "name: X\nstrings: [a]\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 2, 10);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: X\nstrings:\n  b: 1\n  a: 2\n  b: 3\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", -1, -1);
  if (d.count)
    CHECK(strstr(d.items[0].message, "'b'") && strstr(d.items[0].message, "twice"));
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: X\nstrings:\n  a: [1]\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 3, 6);
  diag_list_free(&d);

  /* Not a mapping; bad YAML. */
  CHECK_INT(load_text(a, "- a\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 1, 1);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: [\n", &l, &d), -1);
  CHECK_DIAG(&d, "yaml-syntax", -1, -1);
  diag_list_free(&d);

  /* Missing file. */
  char *dir = test_mkdtemp();
  CHECK_INT(l10n_load(a, dir, "zz-zz", &l, &d), -1);
  CHECK_DIAG(&d, "locale-unreadable", 0, 0);
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

/* policy_labels: the labels of actions, requirements and channels. */
static void test_policy_labels(void) {
  arena *a = arena_new();
  diag_list d = {0};
  locale_info l;
  CHECK_INT(load_text(a,
                      "name: X\n"
                      "policy_labels:\n"
                      "  actions: {enable: Aktivieren, read: Anzeigen}\n"
                      "  requires:\n"
                      "    signed-agreement: Ein unterschriebener Vertrag\n"
                      "  channels: {api: Partner-API}\n",
                      &l, &d),
            0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(l10n_policy_label(&l, L10N_ACTIONS, "enable"), "Aktivieren");
  CHECK_STR(l10n_policy_label(&l, L10N_ACTIONS, "read"), "Anzeigen");
  CHECK_STR(l10n_policy_label(&l, L10N_REQUIRES, "signed-agreement"), "Ein unterschriebener Vertrag");
  CHECK_STR(l10n_policy_label(&l, L10N_CHANNELS, "api"), "Partner-API");
  /* Each kind has its own ids; what is missing has no label. */
  CHECK(l10n_policy_label(&l, L10N_CHANNELS, "enable") == NULL);
  CHECK(l10n_policy_label(&l, L10N_ACTIONS, "disable") == NULL);

  /* Optional: a file without it has no labels. */
  CHECK_INT(load_text(a, "name: X\n", &l, &d), 0);
  CHECK(l10n_policy_label(&l, L10N_ACTIONS, "enable") == NULL);

  /* Wrong shapes. */
  CHECK_INT(load_text(a, "name: X\npolicy_labels: [a]\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 2, 16);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: X\npolicy_labels:\n  roles: {a: b}\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-unknown-key", 3, 3);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: X\npolicy_labels:\n  actions: [a]\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 3, 12);
  diag_list_free(&d);
  CHECK_INT(load_text(a, "name: X\npolicy_labels:\n  actions: {enable: [a]}\n", &l, &d), -1);
  CHECK_DIAG(&d, "locale-invalid", 3, 21);
  CHECK(l10n_policy_label(&l, L10N_ACTIONS, "enable") == NULL);
  diag_list_free(&d);
  arena_free(a);
}

int main(void) {
  RUN(test_load);
  RUN(test_policy_labels);
  RUN(test_defaults);
  RUN(test_check_complete);
  RUN(test_errors);
  return test_done();
}
