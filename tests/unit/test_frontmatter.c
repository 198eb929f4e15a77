#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "test.h"

static int parse(arena *a, const char *text, frontmatter *fm, diag_list *d) {
  return frontmatter_parse(a, "a.md", text, strlen(text), fm, d);
}

static void test_valid(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  const char *text = "---\n"
                     "title: Turn on customer purchases\n"
                     "description: How to let customers buy\n"
                     "ms.date: 05/18/2020\n"
                     "ms.topic: how-to\n"
                     "---\n"
                     "# Heading\n"
                     "Body.\n";
  CHECK_INT(parse(a, text, &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(fm.title, "Turn on customer purchases");
  CHECK_STR(fm.description, "How to let customers buy");
  CHECK_INT(fm.year, 2020);
  CHECK_INT(fm.month, 5);
  CHECK_INT(fm.day, 18);
  CHECK_INT(fm.body_line, 7);
  CHECK_INT(fm.body_offset, strstr(text, "# Heading") - text);
  /* Every key, in file order, with its value node. */
  if (CHECK_INT(fm.nmeta, 4)) {
    CHECK_STR(fm.meta[0].key, "title");
    CHECK_STR(fm.meta[3].key, "ms.topic");
    CHECK_STR(fm.meta[3].value->scalar, "how-to");
    CHECK_INT(fm.meta[3].value->line, 5);
    CHECK_INT(fm.meta[3].value->col, 11);
  }
  CHECK_STR(frontmatter_get(a, &fm, "ms.topic"), "how-to");
  CHECK(frontmatter_get(a, &fm, "ms.author") == NULL);
  diag_list_free(&d);

  /* No ms.date: the date stays 0. Body right after the fence, no final newline. */
  const char *t2 = "---\ntitle: T\ndescription: D\n---";
  CHECK_INT(parse(a, t2, &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_INT(fm.year, 0);
  CHECK_INT(fm.month, 0);
  CHECK_INT(fm.day, 0);
  CHECK_INT(fm.body_offset, strlen(t2));
  CHECK_INT(fm.body_line, 5);

  /* A closing fence with trailing blanks; ISO date form. */
  const char *t3 = "---  \ntitle: T\ndescription: D\nms.date: 2021-12-31\n--- \t\nX";
  CHECK_INT(parse(a, t3, &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_INT(fm.year, 2021);
  CHECK_INT(fm.month, 12);
  CHECK_INT(fm.day, 31);
  CHECK_STR(t3 + fm.body_offset, "X");
  CHECK_INT(fm.body_line, 6);
  diag_list_free(&d);
  arena_free(a);
}

static void test_missing_and_unclosed(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  CHECK_INT(parse(a, "# Just a heading\n\ntext\n", &fm, &d), -1);
  CHECK_DIAG(&d, "missing-front-matter", 1, 1);
  CHECK_STR(d.count ? d.items[0].file : NULL, "a.md");
  diag_list_free(&d);

  CHECK_INT(parse(a, "", &fm, &d), -1);
  CHECK_DIAG(&d, "missing-front-matter", 1, 1);
  diag_list_free(&d);

  /* "----" and a fence later in the file are not front matter. */
  CHECK_INT(parse(a, "----\ntitle: x\n----\n", &fm, &d), -1);
  CHECK_DIAG(&d, "missing-front-matter", 1, 1);
  diag_list_free(&d);
  CHECK_INT(parse(a, "\n---\ntitle: x\n---\n", &fm, &d), -1);
  CHECK_DIAG(&d, "missing-front-matter", 1, 1);
  diag_list_free(&d);

  CHECK_INT(parse(a, "---\ntitle: T\ndescription: D\n\n# Body\n", &fm, &d), -1);
  CHECK_DIAG(&d, "unclosed-front-matter", 1, 1);
  CHECK(test_find_diag(&d, "missing-front-matter") == NULL);
  diag_list_free(&d);

  CHECK_INT(parse(a, "---", &fm, &d), -1);
  CHECK_DIAG(&d, "unclosed-front-matter", 1, 1);
  diag_list_free(&d);
  arena_free(a);
}

static void test_required_keys(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  /* A problem costs only its key: the article is still usable (0), with
   * the file name as its title. */
  CHECK_INT(parse(a, "---\ndescription: D\n---\nbody\n", &fm, &d), 0);
  CHECK_DIAG(&d, "missing-title", -1, -1);
  CHECK(test_find_diag(&d, "missing-description") == NULL);
  CHECK_STR(fm.title, "a");
  CHECK_STR(fm.description, "D");
  CHECK_INT(fm.body_line, 4); /* still known, for later messages */
  diag_list_free(&d);

  CHECK_INT(parse(a, "---\ntitle: T\n---\n", &fm, &d), 0);
  CHECK_DIAG(&d, "missing-description", -1, -1);
  CHECK_STR(fm.description, "");
  CHECK(test_find_diag(&d, "missing-title") == NULL);
  diag_list_free(&d);

  /* Empty front matter misses both. */
  CHECK_INT(parse(a, "---\n---\nbody", &fm, &d), 0);
  CHECK_DIAG(&d, "missing-title", -1, -1);
  CHECK_DIAG(&d, "missing-description", -1, -1);
  CHECK_INT(fm.body_line, 3);
  diag_list_free(&d);

  /* Present but empty, null or not text: an error at the value. */
  CHECK_INT(parse(a, "---\ntitle: \"\"\ndescription: D\n---\n", &fm, &d), 0);
  CHECK_DIAG(&d, "invalid-front-matter", 2, 8);
  diag_list_free(&d);
  CHECK_INT(parse(a, "---\ntitle: T\ndescription: ~\n---\n", &fm, &d), 0);
  CHECK_DIAG(&d, "invalid-front-matter", 3, 14);
  diag_list_free(&d);
  CHECK_INT(parse(a, "---\ntitle:\n  - a\n  - b\ndescription: D\n---\n", &fm, &d), 0);
  CHECK_DIAG(&d, "invalid-front-matter", 3, 3);
  diag_list_free(&d);

  /* Not a mapping at all. */
  CHECK_INT(parse(a, "---\n- a\n- b\n---\nbody", &fm, &d), 0);
  CHECK_DIAG(&d, "invalid-front-matter", 2, 1);
  CHECK_INT(fm.body_line, 5);
  CHECK_STR(fm.title, "a");
  diag_list_free(&d);
  arena_free(a);
}

/* Parse a front matter whose ms.date is the given value (on line 4, col 10). */
static int parse_date_fm(arena *a, const char *date, frontmatter *fm, diag_list *d) {
  char *text = arena_printf(a, "---\ntitle: T\ndescription: D\nms.date: %s\n---\n", date);
  return parse(a, text, fm, d);
}

static void test_dates_in_front_matter(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  static const char *bad[] = {"02/30/2021", "13/01/2020", "2021-02-29", "00/10/2020",
                              "05/32/2020", "123/1/2020", "2020-5-18",  "18.05.2020",
                              "yesterday",  "04/31/2020", "1900-02-29", "05/18/2020x",
                              "5/18/20",    "5//2020",    "/5/2020"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    /* A warning that drops the date, never the article. */
    CHECK_INT(parse_date_fm(a, bad[i], &fm, &d), 0);
    CHECK_INT(fm.year, 0);
    const diag *dd = test_find_diag(&d, "invalid-date");
    if (!CHECK_DIAG(&d, "invalid-date", 4, 10))
      fprintf(stderr, "    (date %s)\n", bad[i]);
    else
      CHECK(strstr(dd->message, bad[i]) != NULL && dd->sev == SEV_WARNING);
    CHECK_INT(diag_count(&d, SEV_ERROR), 0);
    CHECK_STR(fm.title, "T");
    diag_list_free(&d);
  }
  /* A date that is a list is not a date either. */
  CHECK_INT(parse(a, "---\ntitle: T\ndescription: D\nms.date: [1, 2]\n---\n", &fm, &d), 0);
  CHECK_DIAG(&d, "invalid-date", 4, 10);
  diag_list_free(&d);

  /* Learn's M/D/YYYY, with or without leading zeros. */
  CHECK_INT(parse_date_fm(a, "5/8/2023", &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK(fm.year == 2023 && fm.month == 5 && fm.day == 8);
  CHECK_INT(parse_date_fm(a, "11/7/2022", &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK(fm.year == 2022 && fm.month == 11 && fm.day == 7);

  CHECK_INT(parse_date_fm(a, "2020-02-29", &fm, &d), 0); /* leap year */
  CHECK_NO_DIAGS(&d);
  CHECK(fm.year == 2020 && fm.month == 2 && fm.day == 29);
  CHECK_INT(parse_date_fm(a, "02/29/2000", &fm, &d), 0); /* divisible by 400 */
  CHECK_NO_DIAGS(&d);
  CHECK(fm.year == 2000 && fm.month == 2 && fm.day == 29);
  CHECK_INT(parse_date_fm(a, "\"12/31/1999\"", &fm, &d), 0); /* quoted is fine */
  CHECK(fm.year == 1999 && fm.month == 12 && fm.day == 31);
  CHECK_NO_DIAGS(&d);
  diag_list_free(&d);
  arena_free(a);
}

static void test_parse_date(void) {
  int y = -1, m = -1, dd = -1;
  CHECK_INT(frontmatter_parse_date("05/18/2020", &y, &m, &dd), 0);
  CHECK(y == 2020 && m == 5 && dd == 18);
  CHECK_INT(frontmatter_parse_date("2020-05-18", &y, &m, &dd), 0);
  CHECK(y == 2020 && m == 5 && dd == 18);
  CHECK_INT(frontmatter_parse_date("01/01/1900", &y, &m, &dd), 0);
  CHECK_INT(frontmatter_parse_date("12/31/9999", &y, &m, &dd), 0);
  y = m = dd = -1;
  CHECK_INT(frontmatter_parse_date("12/31/1899", &y, &m, &dd), -1);
  CHECK(y == -1 && m == -1 && dd == -1); /* untouched on failure */
  CHECK_INT(frontmatter_parse_date("", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("2020-02-30", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("2019-02-29", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("2100-02-29", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("2020-06-31", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("2020/05/18", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("05-18-2020", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("5/18/2020", &y, &m, &dd), 0);
  CHECK(y == 2020 && m == 5 && dd == 18);
  CHECK_INT(frontmatter_parse_date("1/2/2024", &y, &m, &dd), 0);
  CHECK(y == 2024 && m == 1 && dd == 2);
  CHECK_INT(frontmatter_parse_date("2020-5-8", &y, &m, &dd), -1);
  /* Only digits belong in a date: no signs, no blanks (sscanf's %d would
   * take them, and the total length still comes to 10). */
  CHECK_INT(frontmatter_parse_date(" 5/18/2020", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("+5/18/2020", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("05/+8/2020", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("2020-+5-18", &y, &m, &dd), -1);
  CHECK_INT(frontmatter_parse_date("2020- 5- 8", &y, &m, &dd), -1);
}

static void test_duplicate_key(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  CHECK_INT(parse(a, "---\ntitle: A\ndescription: D\ntitle: B\n---\n", &fm, &d), 0);
  CHECK_DIAG(&d, "invalid-front-matter", 4, 1);
  CHECK_STR(fm.title, "A"); /* the first value counts */
  const diag *dup = test_find_diag(&d, "invalid-front-matter");
  CHECK(dup && strstr(dup->message, "'title'") && strstr(dup->message, "twice"));
  diag_list_free(&d);
  /* Keys that differ only in case are different keys. */
  CHECK_INT(parse(a, "---\ntitle: A\ndescription: D\nTitle: B\n---\n", &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  diag_list_free(&d);
  arena_free(a);
}

static void test_bom_and_crlf(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  const char *bom = "\xEF\xBB\xBF---\ntitle: T\ndescription: D\n---\nBody\n";
  CHECK_INT(parse(a, bom, &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(fm.title, "T");
  CHECK_STR(bom + fm.body_offset, "Body\n");
  CHECK_INT(fm.body_line, 5);
  diag_list_free(&d);

  const char *crlf = "---\r\n"
                     "title: Windows\r\n"
                     "description: Line endings\r\n"
                     "ms.date: 05/18/2020\r\n"
                     "---\r\n"
                     "Body\r\n";
  CHECK_INT(parse(a, crlf, &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(fm.title, "Windows");
  CHECK_STR(fm.description, "Line endings");
  CHECK(fm.year == 2020 && fm.month == 5 && fm.day == 18);
  CHECK_STR(crlf + fm.body_offset, "Body\r\n");
  CHECK_INT(fm.body_line, 6);
  diag_list_free(&d);

  /* Positions are right with CRLF too. */
  CHECK_INT(parse(a, "---\r\ntitle: T\r\ndescription: D\r\nms.date: 02/30/2021\r\n---\r\n", &fm, &d),
            0);
  CHECK_DIAG(&d, "invalid-date", 4, 10);
  diag_list_free(&d);

  /* YAML errors point into the file, after the opening fence. */
  CHECK_INT(parse(a, "---\ntitle: T\ndescription: a: b\n---\n", &fm, &d), 0);
  CHECK_DIAG(&d, "yaml-syntax", 3, -1);
  CHECK_INT(fm.body_line, 5); /* the body is still found and rendered */
  diag_list_free(&d);
  arena_free(a);
}

static void test_get_values(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  const char *text = "---\n"
                     "title: T\n"
                     "description: D\n"
                     "ms.author: [alice, bob, carol]\n"
                     "keywords:\n"
                     "  - one\n"
                     "  - two\n"
                     "none: []\n"
                     "nested: {a: 1}\n"
                     "mixed: [x, {y: 1}, z]\n"
                     "---\n";
  CHECK_INT(parse(a, text, &fm, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(frontmatter_get(a, &fm, "ms.author"), "alice, bob, carol");
  CHECK_STR(frontmatter_get(a, &fm, "keywords"), "one, two");
  CHECK_STR(frontmatter_get(a, &fm, "none"), "");
  CHECK(frontmatter_get(a, &fm, "nested") == NULL);
  CHECK_STR(frontmatter_get(a, &fm, "mixed"), "x, z");
  CHECK_STR(frontmatter_get(a, &fm, "title"), "T");
  CHECK(frontmatter_get(a, &fm, "missing") == NULL);
  CHECK_INT(fm.nmeta, 7);
  diag_list_free(&d);
  arena_free(a);
}

/* The build cache keeps parsed front matter: read back, it gives the
 * same values; every cut-short copy is refused. */
static void test_write_read(void) {
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm, back;
  const char *text = "---\n"
                     "title: A title\n"
                     "description: 'Quoted: yes'\n"
                     "ms.date: 2021-03-04\n"
                     "ms.custom: [one, two]\n"
                     "---\n"
                     "Body.\n";
  CHECK_INT(parse(a, text, &fm, &d), 0);
  buf b = {0};
  frontmatter_write(&fm, &b);
  binr r = binr_make(b.data, b.len);
  CHECK(frontmatter_read(a, &r, &back));
  CHECK(r.p == r.end);
  CHECK_STR(back.title, "A title");
  CHECK_STR(back.description, "Quoted: yes");
  CHECK_INT(back.year, 2021);
  CHECK_INT(back.month, 3);
  CHECK_INT(back.day, 4);
  CHECK_INT(back.body_offset, fm.body_offset);
  CHECK_INT(back.body_line, fm.body_line);
  CHECK_INT(back.nmeta, fm.nmeta);
  CHECK_STR(frontmatter_get(a, &back, "ms.custom"), "one, two");
  size_t refused = 0;
  for (size_t cut = 0; cut < b.len; cut++) {
    binr t = binr_make(b.data, cut);
    refused += !frontmatter_read(a, &t, &back);
  }
  CHECK_INT(refused, b.len);
  /* What frontmatter_parse never makes is refused (found by fuzz_cache:
   * a 13th month indexed the month names, a key without a value was
   * read as a node). */
  const struct {
    int month;
    bool value, ok;
  } bad[] = {{3, true, true}, {13, true, false}, {0, true, false}, {3, false, false}};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    buf w = {0};
    binw_str(&w, "T");
    binw_str(&w, "D");
    binw_u32(&w, 2021);
    binw_u32(&w, (uint32_t)bad[k].month);
    binw_u32(&w, 4);
    binw_u64(&w, 10);
    binw_u32(&w, 3);
    binw_u32(&w, 1);
    binw_str(&w, "ms.topic");
    if (bad[k].value) {
      binw_u32(&w, 1);
      binw_u32(&w, YNODE_SCALAR);
      binw_u32(&w, 2);
      binw_u32(&w, 1);
      binw_str(&w, "how-to");
      binw_u32(&w, 1);
    } else {
      binw_u32(&w, 0);
    }
    binr t = binr_make(w.data, w.len);
    CHECK(frontmatter_read(a, &t, &back) == bad[k].ok);
    buf_free(&w);
  }
  buf_free(&b);
  diag_list_free(&d);
  arena_free(a);
}

int main(void) {
  RUN(test_write_read);
  RUN(test_valid);
  RUN(test_missing_and_unclosed);
  RUN(test_required_keys);
  RUN(test_dates_in_front_matter);
  RUN(test_parse_date);
  RUN(test_duplicate_key);
  RUN(test_bom_and_crlf);
  RUN(test_get_values);
  return test_done();
}
