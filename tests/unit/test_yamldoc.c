#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "test.h"
#include "yamldoc.h"

static ynode *load(arena *a, const char *text, int offset, diag_list *d) {
  return yamldoc_load(a, text, strlen(text), "t.yml", offset, d);
}

static void test_tree_and_positions(void) {
  arena *a = arena_new();
  diag_list d = {0};
  const char *text = "title: Hello\n"      /* 1 */
                     "list:\n"             /* 2 */
                     "  - a\n"             /* 3 */
                     "  - \"b c\"\n"       /* 4 */
                     "map:\n"              /* 5 */
                     "  k: v\n"            /* 6 */
                     "  n: {x: 1, y: [2]}\n" /* 7 */
                     "text: |\n"           /* 8 */
                     "  two\n"             /* 9 */
                     "  lines\n";          /* 10 */
  ynode *root = load(a, text, 0, &d);
  CHECK_NO_DIAGS(&d);
  if (!CHECK(root != NULL))
    goto out;
  CHECK(root->kind == YNODE_MAP);
  CHECK_INT(ynode_map_size(root), 4);
  CHECK_INT(root->count, 8);
  CHECK_INT(root->line, 1);
  CHECK_INT(root->col, 1);
  /* Keys are nodes with positions too. */
  CHECK_STR(root->items[0]->scalar, "title");
  CHECK_INT(root->items[0]->line, 1);
  CHECK_INT(root->items[0]->col, 1);
  ynode *title = ynode_get(root, "title");
  if (CHECK(title != NULL)) {
    CHECK(title->kind == YNODE_SCALAR);
    CHECK_STR(title->scalar, "Hello");
    CHECK(title->plain);
    CHECK_INT(title->line, 1);
    CHECK_INT(title->col, 8);
  }
  ynode *list = ynode_get(root, "list");
  if (CHECK(list != NULL && list->kind == YNODE_SEQ && list->count == 2)) {
    CHECK_INT(list->line, 3);
    CHECK_INT(list->col, 3);
    CHECK_STR(list->items[0]->scalar, "a");
    CHECK_INT(list->items[0]->line, 3);
    CHECK_INT(list->items[0]->col, 5);
    CHECK_STR(list->items[1]->scalar, "b c");
    CHECK(!list->items[1]->plain);
    CHECK_INT(list->items[1]->line, 4);
    CHECK_INT(list->items[1]->col, 5);
  }
  ynode *map = ynode_get(root, "map");
  if (CHECK(map != NULL && map->kind == YNODE_MAP)) {
    CHECK_INT(map->line, 6);
    CHECK_INT(map->col, 3);
    CHECK_INT(ynode_map_size(map), 2);
    ynode *k = ynode_get(map, "k");
    CHECK(k && k->kind == YNODE_SCALAR && !strcmp(k->scalar, "v"));
    ynode *n = ynode_get(map, "n");
    if (CHECK(n != NULL && n->kind == YNODE_MAP)) {
      CHECK_INT(n->line, 7);
      CHECK_INT(n->col, 6);
      ynode *y = ynode_get(n, "y");
      CHECK(y && y->kind == YNODE_SEQ && y->count == 1);
      if (y && y->count == 1) {
        CHECK_STR(y->items[0]->scalar, "2");
        CHECK_INT(y->items[0]->line, 7);
        CHECK_INT(y->items[0]->col, 17);
      }
      CHECK_STR(ynode_get(n, "x")->scalar, "1");
    }
  }
  ynode *t = ynode_get(root, "text");
  if (CHECK(t != NULL)) {
    CHECK_STR(t->scalar, "two\nlines\n");
    CHECK(!t->plain);
    CHECK_INT(t->line, 8);
  }
  /* Lookup misses. */
  CHECK(ynode_get(root, "missing") == NULL);
  CHECK(ynode_get(root, "Title") == NULL);
  CHECK(ynode_get(list, "a") == NULL);  /* not a map */
  CHECK(ynode_get(title, "x") == NULL); /* a scalar */
  CHECK(ynode_get(NULL, "x") == NULL);
  CHECK_INT(ynode_map_size(list), 0);
  CHECK_INT(ynode_map_size(NULL), 0);
  CHECK_STR(ynode_kind_name(root), "a mapping");
  CHECK_STR(ynode_kind_name(list), "a list");
  CHECK_STR(ynode_kind_name(title), "a scalar");
out:
  diag_list_free(&d);
  arena_free(a);
}

static void test_line_offset(void) {
  arena *a = arena_new();
  diag_list d = {0};
  ynode *root = load(a, "a: 1\nb:\n  - x\n", 10, &d);
  CHECK_NO_DIAGS(&d);
  if (CHECK(root != NULL)) {
    CHECK_INT(root->line, 11);
    CHECK_INT(ynode_get(root, "a")->line, 11);
    CHECK_INT(ynode_get(root, "a")->col, 4);
    ynode *b = ynode_get(root, "b");
    CHECK_INT(b->line, 13);
    CHECK_INT(b->items[0]->line, 13);
    CHECK_INT(b->items[0]->col, 5);
  }
  diag_list_free(&d);
  arena_free(a);
}

static void test_documents(void) {
  arena *a = arena_new();
  diag_list d = {0};
  /* Empty and comment-only documents give an empty mapping. */
  ynode *e = load(a, "", 0, &d);
  CHECK(e && e->kind == YNODE_MAP && e->count == 0);
  e = load(a, "# only a comment\n", 0, &d);
  CHECK(e && e->kind == YNODE_MAP && e->count == 0);
  /* A scalar or a list can be the root. */
  ynode *s = load(a, "just text", 0, &d);
  CHECK(s && s->kind == YNODE_SCALAR && !strcmp(s->scalar, "just text"));
  ynode *l = load(a, "- 1\n- 2\n- 3\n", 0, &d);
  CHECK(l && l->kind == YNODE_SEQ && l->count == 3);
  /* Only the first document counts. */
  ynode *m = load(a, "a: 1\n---\nb: 2\n", 0, &d);
  if (CHECK(m != NULL)) {
    CHECK(ynode_get(m, "a") != NULL);
    CHECK(ynode_get(m, "b") == NULL);
  }
  /* Anchors without aliases are fine. */
  ynode *an = load(a, "a: &x 1\n", 0, &d);
  CHECK(an && ynode_get(an, "a") && !strcmp(ynode_get(an, "a")->scalar, "1"));
  /* UTF-8 text is kept as is. */
  ynode *u = load(a, "name: \"Übersicht\"\n", 0, &d);
  CHECK(u && !strcmp(ynode_get(u, "name")->scalar, "\xC3\x9C" "bersicht"));
  CHECK_NO_DIAGS(&d);
  diag_list_free(&d);
  arena_free(a);
}

static void test_nulls(void) {
  arena *a = arena_new();
  diag_list d = {0};
  ynode *r = load(a,
                  "tilde: ~\n"
                  "word: null\n"
                  "Word: Null\n"
                  "WORD: NULL\n"
                  "empty:\n"
                  "quoted: \"\"\n"
                  "squoted: ''\n"
                  "qnull: \"null\"\n"
                  "qtilde: '~'\n"
                  "text: nullable\n"
                  "zero: 0\n"
                  "list: []\n",
                  0, &d);
  CHECK_NO_DIAGS(&d);
  if (!CHECK(r != NULL))
    goto out;
  CHECK(ynode_is_null(ynode_get(r, "tilde")));
  CHECK(ynode_is_null(ynode_get(r, "word")));
  CHECK(ynode_is_null(ynode_get(r, "Word")));
  CHECK(ynode_is_null(ynode_get(r, "WORD")));
  ynode *empty = ynode_get(r, "empty");
  CHECK(empty && empty->kind == YNODE_SCALAR && empty->plain && !strcmp(empty->scalar, ""));
  CHECK(ynode_is_null(empty));
  ynode *quoted = ynode_get(r, "quoted");
  CHECK(quoted && !quoted->plain && !strcmp(quoted->scalar, ""));
  CHECK(!ynode_is_null(quoted));
  CHECK(!ynode_is_null(ynode_get(r, "squoted")));
  CHECK(!ynode_is_null(ynode_get(r, "qnull")));
  CHECK(!ynode_is_null(ynode_get(r, "qtilde")));
  CHECK(!ynode_is_null(ynode_get(r, "text")));
  CHECK(!ynode_is_null(ynode_get(r, "zero")));
  CHECK(!ynode_is_null(ynode_get(r, "list")));
out:
  diag_list_free(&d);
  arena_free(a);
}

static void test_syntax_error(void) {
  arena *a = arena_new();
  diag_list d = {0};
  CHECK(load(a, "a: b\nc: d: e\n", 0, &d) == NULL);
  if (CHECK_INT(d.count, 1)) {
    CHECK_STR(d.items[0].code, "yaml-syntax");
    CHECK_STR(d.items[0].file, "t.yml");
    CHECK_INT(d.items[0].line, 2);
    CHECK(d.items[0].col > 0);
    CHECK(d.items[0].sev == SEV_ERROR);
    CHECK(strstr(d.items[0].message, "invalid YAML") != NULL);
  }
  diag_list_free(&d);
  /* With a line offset the error moves with it. */
  CHECK(load(a, "ok: 1\nlist: [1, 2\nnext: 3\n", 5, &d) == NULL);
  CHECK_DIAG(&d, "yaml-syntax", -1, -1);
  if (d.count)
    CHECK(d.items[0].line > 5);
  diag_list_free(&d);
  /* A tab where indentation is expected. */
  CHECK(load(a, "a:\n\t- b\n", 0, &d) == NULL);
  CHECK_DIAG(&d, "yaml-syntax", 2, -1);
  diag_list_free(&d);
  /* An unterminated quoted string. */
  CHECK(load(a, "a: \"open\n", 0, &d) == NULL);
  CHECK_DIAG(&d, "yaml-syntax", -1, -1);
  diag_list_free(&d);
  arena_free(a);
}

static void test_alias_rejected(void) {
  arena *a = arena_new();
  diag_list d = {0};
  CHECK(load(a, "a: &x 1\nb: *x\n", 0, &d) == NULL);
  if (CHECK_INT(d.count, 1)) {
    CHECK_STR(d.items[0].code, "yaml-alias");
    CHECK_INT(d.items[0].line, 2);
    CHECK_INT(d.items[0].col, 4);
    CHECK(strstr(d.items[0].message, "*x") != NULL);
  }
  diag_list_free(&d);
  /* A billion laughs starts with an alias inside a list. */
  CHECK(load(a, "a: &a [x, x]\nb: [*a, *a]\n", 3, &d) == NULL);
  CHECK_DIAG(&d, "yaml-alias", 5, 5);
  diag_list_free(&d);
  arena_free(a);
}

static char *nested(int levels) {
  buf b = {0};
  for (int i = 0; i < levels; i++)
    buf_putc(&b, '[');
  buf_putc(&b, 'x');
  for (int i = 0; i < levels; i++)
    buf_putc(&b, ']');
  buf_putc(&b, '\n');
  return buf_detach(&b);
}

static void test_depth_limit(void) {
  arena *a = arena_new();
  diag_list d = {0};
  char *ok = nested(64);
  ynode *r = load(a, ok, 0, &d);
  CHECK_NO_DIAGS(&d);
  if (CHECK(r != NULL)) {
    int depth = 0;
    const ynode *n = r;
    while (n->kind == YNODE_SEQ && n->count == 1) {
      depth++;
      n = n->items[0];
    }
    CHECK_INT(depth, 64);
    CHECK(n->kind == YNODE_SCALAR && !strcmp(n->scalar, "x"));
  }
  free(ok);
  char *deep = nested(65);
  CHECK(load(a, deep, 0, &d) == NULL);
  CHECK_DIAG(&d, "yaml-too-deep", 1, 65);
  free(deep);
  diag_list_free(&d);
  /* Block mappings count the same way; a huge nesting fails cleanly. */
  char *huge = nested(100000);
  CHECK(load(a, huge, 0, &d) == NULL);
  CHECK_DIAG(&d, "yaml-too-deep", 1, 65);
  free(huge);
  diag_list_free(&d);
  buf b = {0};
  for (int i = 0; i < 70; i++)
    buf_printf(&b, "%*sk%d:\n", i, "", i);
  CHECK(load(a, buf_cstr(&b), 0, &d) == NULL);
  CHECK_DIAG(&d, "yaml-too-deep", 65, 65);
  buf_free(&b);
  diag_list_free(&d);
  arena_free(a);
}

/* The style a scalar was written in: YAML pages need it to find where the
 * text of a block scalar starts. */
static void test_scalar_styles(void) {
  arena *a = arena_new();
  diag_list d = {0};
  ynode *root = load(a, "p: plain\ns: 'single'\nd: \"double\"\nl: |\n  lit\nf: >\n  fold\n", 0, &d);
  CHECK_NO_DIAGS(&d);
  if (CHECK(root != NULL)) {
    CHECK_INT(ynode_get(root, "p")->style, 0);
    CHECK_INT(ynode_get(root, "s")->style, '\'');
    CHECK_INT(ynode_get(root, "d")->style, '"');
    CHECK_INT(ynode_get(root, "l")->style, '|');
    CHECK_INT(ynode_get(root, "l")->line, 4); /* a block scalar starts at its indicator */
    CHECK_INT(ynode_get(root, "f")->style, '>');
  }
  diag_list_free(&d);
  arena_free(a);
}

static bool same_tree(const ynode *x, const ynode *y) {
  if (!x || !y)
    return x == y;
  if (x->kind != y->kind || x->line != y->line || x->col != y->col || x->count != y->count)
    return false;
  if (x->kind == YNODE_SCALAR)
    return !strcmp(x->scalar, y->scalar) && x->plain == y->plain && x->style == y->style;
  for (size_t i = 0; i < x->count; i++)
    if (!same_tree(x->items[i], y->items[i]))
      return false;
  return true;
}

/* The build cache keeps trees: written and read back, a tree is the same
 * (kinds, positions, scalars, styles); every cut-short copy is refused. */
static void test_write_read(void) {
  arena *a = arena_new();
  diag_list d = {0};
  ynode *root = load(a,
                     "title: 'Quoted'\nlist: [a, \"b\", ~]\nmap:\n  k: |\n    text\n"
                     "  deep: {x: [1, {y: z}]}\nempty: {}\n",
                     4, &d);
  CHECK_NO_DIAGS(&d);
  buf b = {0};
  ynode_write(root, &b);
  ynode_write(NULL, &b);
  binr r = binr_make(b.data, b.len);
  ynode *back = ynode_read(a, &r);
  CHECK(same_tree(root, back));
  CHECK(ynode_read(a, &r) == NULL);
  CHECK(!r.bad && r.p == r.end);
  CHECK_STR(ynode_get(ynode_get(back, "map"), "k")->scalar, "text\n");
  /* Cut short anywhere inside the tree (the NULL mark after it aside). */
  size_t refused = 0, total = 0;
  for (size_t cut = 0; cut < b.len - 4; cut++) {
    binr t = binr_make(b.data, cut);
    ynode *n = ynode_read(a, &t);
    total++;
    refused += n == NULL && t.bad;
  }
  CHECK_INT(refused, total);
  /* A map with an odd number of items is not one yamldoc makes. */
  buf odd = {0};
  binw_u32(&odd, 1);
  binw_u32(&odd, YNODE_MAP);
  binw_u32(&odd, 1);
  binw_u32(&odd, 1);
  binw_u32(&odd, 1);
  binw_u32(&odd, YNODE_SCALAR);
  binw_u32(&odd, 1);
  binw_u32(&odd, 1);
  binw_str(&odd, "k");
  binw_u32(&odd, 1);
  binr o = binr_make(odd.data, odd.len);
  CHECK(ynode_read(a, &o) == NULL && o.bad);
  buf_free(&odd);
  buf_free(&b);
  diag_list_free(&d);
  arena_free(a);
}

int main(void) {
  RUN(test_write_read);
  RUN(test_tree_and_positions);
  RUN(test_line_offset);
  RUN(test_documents);
  RUN(test_nulls);
  RUN(test_syntax_error);
  RUN(test_alias_rejected);
  RUN(test_depth_limit);
  RUN(test_scalar_styles);
  return test_done();
}
