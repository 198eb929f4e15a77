#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "test.h"

/* Compile text as "t.html", render it with ctx; returns the output (arena)
 * or NULL when compiling or rendering failed (diagnostics in d). */
static const char *render(arena *a, const char *text, const tvalue *ctx, diag_list *d) {
  template_set *ts = template_load_string("t.html", text, d);
  if (!ts)
    return NULL;
  buf out = {0};
  int rc = template_render(ts, "t.html", ctx, &out, d);
  const char *s = rc == 0 ? arena_strdup(a, buf_cstr(&out)) : NULL;
  buf_free(&out);
  template_free(ts);
  return s;
}

/* Render a template that must work, and compare. */
#define CHECK_RENDER(a, text, ctx, expected)                                                   \
  do {                                                                                         \
    diag_list d_ = {0};                                                                        \
    CHECK_STR(render((a), (text), (ctx), &d_), (expected));                                   \
    CHECK_NO_DIAGS(&d_);                                                                       \
    diag_list_free(&d_);                                                                       \
  } while (0)

static void test_values(void) {
  arena *a = arena_new();
  tvalue *m = tv_map(a);
  tv_set_str(a, m, "k", "one");
  tv_set_str(a, m, "k", "two"); /* replaces */
  tv_set_bool(a, m, "b", true);
  tv_set(a, m, "n", tv_str(a, NULL));
  CHECK_INT(m->n, 3);
  CHECK_STR(tv_get(m, "k")->s, "two");
  CHECK(tv_get(m, "b")->kind == TV_BOOL && tv_get(m, "b")->b);
  CHECK(tv_get(m, "n")->kind == TV_NULL);
  CHECK(tv_get(m, "x") == NULL);
  CHECK(tv_get(NULL, "k") == NULL);
  tvalue *l = tv_list(a);
  for (int i = 0; i < 20; i++)
    tv_push(a, l, tv_str(a, arena_printf(a, "%d", i)));
  CHECK_INT(l->n, 20);
  CHECK_STR(l->items[19]->s, "19");
  CHECK(tv_get(l, "k") == NULL); /* not a map */
  /* Many keys (the keys and values arrays grow together). */
  for (int i = 0; i < 40; i++)
    tv_set_str(a, m, arena_printf(a, "key%d", i), arena_printf(a, "v%d", i));
  CHECK_INT(m->n, 43);
  CHECK_STR(tv_get(m, "key0")->s, "v0");
  CHECK_STR(tv_get(m, "key39")->s, "v39");
  CHECK_STR(tv_get(m, "k")->s, "two");
  arena_free(a);
}

static void test_escaping(void) {
  arena *a = arena_new();
  tvalue *ctx = tv_map(a);
  tv_set_str(a, ctx, "x", "<script>alert(\"a\" & 'b')</script>");
  CHECK_RENDER(a, "[{{x}}]", ctx, "[&lt;script&gt;alert(&quot;a&quot; &amp; &#39;b&#39;)&lt;/script&gt;]");
  CHECK_RENDER(a, "[{{{x}}}]", ctx, "[<script>alert(\"a\" & 'b')</script>]");
  CHECK_RENDER(a, "[{{&x}}]", ctx, "[<script>alert(\"a\" & 'b')</script>]");
  CHECK_RENDER(a, "[{{ x }}|{{{ x }}}]", ctx,
               "[&lt;script&gt;alert(&quot;a&quot; &amp; &#39;b&#39;)&lt;/script&gt;|"
               "<script>alert(\"a\" & 'b')</script>]");
  /* Text around tags passes through untouched, including a lone brace. */
  CHECK_RENDER(a, "a < b & {c} }}", ctx, "a < b & {c} }}");
  CHECK_RENDER(a, "", ctx, "");
  /* Booleans and nulls print as "true" and "". */
  tv_set_bool(a, ctx, "yes", true);
  tv_set_bool(a, ctx, "no", false);
  tv_set(a, ctx, "nil", tv_str(a, NULL));
  CHECK_RENDER(a, "{{yes}}/{{no}}/{{nil}}", ctx, "true//");
  /* A comment prints nothing. */
  CHECK_RENDER(a, "a{{! a comment with {braces} }}b", ctx, "ab");
  arena_free(a);
}

static void test_sections(void) {
  arena *a = arena_new();
  tvalue *ctx = tv_map(a);
  tvalue *items = tv_list(a);
  const char *names[] = {"a", "b<", "c"};
  for (int i = 0; i < 3; i++) {
    tvalue *it = tv_map(a);
    tv_set_str(a, it, "name", names[i]);
    tv_set_bool(a, it, "first", i == 0);
    tv_push(a, items, it);
  }
  tv_set(a, ctx, "items", items);
  tv_set(a, ctx, "empty", tv_list(a));
  tv_set_bool(a, ctx, "on", true);
  tv_set_bool(a, ctx, "off", false);
  tv_set_str(a, ctx, "blank", "");
  tv_set_str(a, ctx, "word", "w");
  tvalue *page = tv_map(a);
  tv_set_str(a, page, "title", "Page");
  tvalue *author = tv_map(a);
  tv_set_str(a, author, "name", "Ann");
  tv_set(a, page, "author", author);
  tv_set(a, ctx, "page", page);
  tvalue *tags = tv_list(a);
  tv_push(a, tags, tv_str(a, "x"));
  tv_push(a, tags, tv_str(a, "<y>"));
  tv_set(a, ctx, "tags", tags);
  tv_set(a, ctx, "nothing", tv_str(a, NULL));

  /* Lists: once per item, the item is the innermost context. */
  CHECK_RENDER(a, "{{#items}}[{{name}}]{{/items}}", ctx, "[a][b&lt;][c]");
  CHECK_RENDER(a, "{{#items}}{{#first}}*{{/first}}{{name}}{{/items}}", ctx, "*ab&lt;c");
  CHECK_RENDER(a, "{{#items}}{{^first}},{{/first}}{{name}}{{/items}}", ctx, "a,b&lt;,c");
  /* Empty list, false, "" and null: no output; inverted: output. */
  CHECK_RENDER(a, "<{{#empty}}x{{/empty}}>", ctx, "<>");
  CHECK_RENDER(a, "<{{^empty}}none{{/empty}}>", ctx, "<none>");
  CHECK_RENDER(a, "<{{^items}}none{{/items}}>", ctx, "<>");
  CHECK_RENDER(a, "{{#on}}on{{/on}}{{#off}}off{{/off}}{{^off}}!off{{/off}}{{^on}}!on{{/on}}", ctx,
               "on!off");
  CHECK_RENDER(a, "{{#blank}}x{{/blank}}{{^blank}}blank{{/blank}}", ctx, "blank");
  CHECK_RENDER(a, "{{#nothing}}x{{/nothing}}{{^nothing}}null{{/nothing}}", ctx, "null");
  /* A non-empty string section renders once, with the string as ".". */
  CHECK_RENDER(a, "{{#word}}<{{.}}>{{/word}}", ctx, "<w>");
  /* Maps: once, the map is the context. */
  CHECK_RENDER(a, "{{#page}}{{title}} by {{#author}}{{name}}{{/author}}{{/page}}", ctx,
               "Page by Ann");
  CHECK_RENDER(a, "{{^page}}x{{/page}}", ctx, "");
  /* Dotted names. */
  CHECK_RENDER(a, "{{page.title}}/{{page.author.name}}", ctx, "Page/Ann");
  CHECK_RENDER(a, "{{#page.author}}{{name}}{{/page.author}}", ctx, "Ann");
  /* "." is the current item. */
  CHECK_RENDER(a, "{{#tags}}({{.}}){{/tags}}", ctx, "(x)(&lt;y&gt;)");
  CHECK_RENDER(a, "{{#tags}}({{{.}}}){{/tags}}", ctx, "(x)(<y>)");
  /* Names not found in the item are looked up outwards. */
  CHECK_RENDER(a, "{{#items}}{{name}}:{{page.title}}:{{word}};{{/items}}", ctx,
               "a:Page:w;b&lt;:Page:w;c:Page:w;");
  CHECK_RENDER(a, "{{#page}}{{#author}}{{name}}/{{title}}/{{word}}{{/author}}{{/page}}", ctx,
               "Ann/Page/w");
  /* The innermost definition wins. */
  tvalue *outer = tv_map(a);
  tv_set_str(a, outer, "name", "outer");
  tv_set(a, outer, "items", items);
  CHECK_RENDER(a, "{{name}}:{{#items}}{{name}}{{/items}}:{{name}}", outer, "outer:ab&lt;c:outer");
  /* Nested lists. */
  tvalue *rows = tv_list(a);
  for (int r = 0; r < 2; r++) {
    tvalue *row = tv_map(a);
    tvalue *cells = tv_list(a);
    for (int c = 0; c < 3; c++)
      tv_push(a, cells, tv_str(a, arena_printf(a, "%d%d", r, c)));
    tv_set(a, row, "cells", cells);
    tv_push(a, rows, row);
  }
  tvalue *grid = tv_map(a);
  tv_set(a, grid, "rows", rows);
  CHECK_RENDER(a, "{{#rows}}[{{#cells}}{{.}} {{/cells}}]{{/rows}}", grid, "[00 01 02 ][10 11 12 ]");
  arena_free(a);
}

static void test_standalone_lines(void) {
  arena *a = arena_new();
  tvalue *ctx = tv_map(a);
  tvalue *l = tv_list(a);
  tv_push(a, l, tv_str(a, "1"));
  tv_push(a, l, tv_str(a, "2"));
  tv_set(a, ctx, "l", l);
  /* Section tags alone on their line take the line with them. */
  CHECK_RENDER(a, "<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n", ctx,
               "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
  CHECK_RENDER(a, "a\n{{! comment }}\nb\n", ctx, "a\nb\n");
  /* Not alone: the surrounding text stays. */
  CHECK_RENDER(a, "x {{#l}}{{.}}{{/l}} y\n", ctx, "x 12 y\n");
  arena_free(a);
}

static void test_partials(void) {
  arena *a = arena_new();
  diag_list d = {0};
  /* template_load_string links at once, so a partial must exist before a
   * template that uses it: load the partial first, under its full name. */
  template_set *ts = template_load_string("partials/item.html", "<li>{{name}}</li>", &d);
  CHECK_NO_DIAGS(&d);
  if (!CHECK(ts != NULL))
    goto out;
  CHECK(template_exists(ts, "partials/item.html"));
  CHECK(!template_exists(ts, "item"));
  CHECK_INT(template_add_partial(ts, "list", "<ul>{{#items}}{{> item}}{{/items}}</ul>", &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK(template_exists(ts, "partials/list.html"));
  tvalue *ctx = tv_map(a);
  tvalue *items = tv_list(a);
  tv_push(a, items, tv_map(a));
  tv_set_str(a, items->items[0], "name", "x&y");
  tv_push(a, items, tv_map(a));
  tv_set_str(a, items->items[1], "name", "z");
  tv_set(a, ctx, "items", items);
  buf out = {0};
  CHECK_INT(template_render(ts, "partials/list.html", ctx, &out, &d), 0);
  CHECK_STR(buf_cstr(&out), "<ul><li>x&amp;y</li><li>z</li></ul>");
  buf_free(&out);
  CHECK_NO_DIAGS(&d);

  /* A recursive partial renders a tree. */
  CHECK_INT(template_add_partial(ts, "node",
                                 "<li>{{title}}{{^leaf}}<ul>{{#children}}{{> node}}{{/children}}"
                                 "</ul>{{/leaf}}</li>",
                                 &d),
            0);
  CHECK_INT(template_add_partial(ts, "tree", "<ul>{{#children}}{{> node}}{{/children}}</ul>", &d),
            0);
  CHECK_NO_DIAGS(&d);
  /* root: A (A1, A2 (A2a)), B */
  tvalue *root = tv_map(a);
  tvalue *top = tv_list(a);
  tv_set(a, root, "children", top);
  const char *titles[] = {"A", "A1", "A2", "A2a", "B"};
  tvalue *n[5];
  for (int i = 0; i < 5; i++) {
    n[i] = tv_map(a);
    tv_set_str(a, n[i], "title", titles[i]);
    tv_set(a, n[i], "children", tv_list(a));
  }
  tv_push(a, top, n[0]);
  tv_push(a, top, n[4]);
  tv_push(a, tv_get(n[0], "children"), n[1]);
  tv_push(a, tv_get(n[0], "children"), n[2]);
  tv_push(a, tv_get(n[2], "children"), n[3]);
  tv_set_bool(a, n[0], "leaf", false);
  tv_set_bool(a, n[1], "leaf", true);
  tv_set_bool(a, n[2], "leaf", false);
  tv_set_bool(a, n[3], "leaf", true);
  tv_set_bool(a, n[4], "leaf", true);
  CHECK_INT(template_render(ts, "partials/tree.html", root, &out, &d), 0);
  CHECK_STR(buf_cstr(&out),
            "<ul><li>A<ul><li>A1</li><li>A2<ul><li>A2a</li></ul></li></ul></li><li>B</li></ul>");
  buf_free(&out);
  CHECK_NO_DIAGS(&d);

  /* A partial that includes itself unconditionally fails cleanly. */
  CHECK_INT(template_add_partial(ts, "loop", "x{{> loop}}", &d), 0);
  CHECK_INT(template_render(ts, "partials/loop.html", root, &out, &d), -1);
  CHECK_DIAG(&d, "template-render", 1, 2);
  buf_free(&out);
  diag_list_free(&d);

  /* An error inside a partial names the partial's file and line. */
  CHECK_INT(template_add_partial(ts, "bad", "ok\n{{missing}}", &d), 0);
  CHECK_INT(template_add_partial(ts, "uses-bad", "a\nb\n{{> bad}}", &d), 0);
  CHECK_INT(template_render(ts, "partials/uses-bad.html", root, &out, &d), -1);
  CHECK_DIAG(&d, "template-render", 2, 1);
  CHECK_STR(d.count ? d.items[0].file : NULL, "partials/bad.html");
  buf_free(&out);
  diag_list_free(&d);

  /* Rendering a template that does not exist. */
  CHECK_INT(template_render(ts, "nope.html", root, &out, &d), -1);
  CHECK_DIAG(&d, "template-missing", -1, -1);
  buf_free(&out);
  template_free(ts);
out:
  diag_list_free(&d);
  arena_free(a);
}

static void test_unknown_variable(void) {
  arena *a = arena_new();
  diag_list d = {0};
  tvalue *ctx = tv_map(a);
  tv_set_str(a, ctx, "known", "k");
  tvalue *page = tv_map(a);
  tv_set_str(a, page, "title", "T");
  tv_set(a, ctx, "page", page);
  tv_set(a, ctx, "list", tv_list(a));

  CHECK(render(a, "line one\n\n  {{unknown}}\n", ctx, &d) == NULL);
  if (CHECK_INT(d.count, 1)) {
    CHECK_STR(d.items[0].code, "template-render");
    CHECK_STR(d.items[0].file, "t.html");
    CHECK_INT(d.items[0].line, 3);
    CHECK_INT(d.items[0].col, 3);
    CHECK(strstr(d.items[0].message, "unknown") != NULL);
  }
  diag_list_free(&d);
  /* Unknown in a section, in a dotted name, as a section name. */
  CHECK(render(a, "{{#page}}\n{{nope}}{{/page}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 2, 1);
  diag_list_free(&d);
  CHECK(render(a, "{{known}}{{page.subtitle}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 1, 10);
  diag_list_free(&d);
  CHECK(render(a, "{{#missing}}x{{/missing}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 1, 1);
  diag_list_free(&d);
  CHECK(render(a, "{{^missing}}x{{/missing}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 1, 1);
  diag_list_free(&d);
  /* Dotting into a string is unknown too. */
  CHECK(render(a, "{{known.x}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 1, 1);
  diag_list_free(&d);
  /* An unknown name inside an empty section is never looked up. */
  CHECK_RENDER(a, "{{#list}}{{nope}}{{/list}}ok", ctx, "ok");
  /* Printing a list or a map is an error. */
  CHECK(render(a, "{{page}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 1, 1);
  diag_list_free(&d);
  CHECK(render(a, "x\n{{{list}}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 2, 1);
  diag_list_free(&d);
  /* Lines are counted after standalone section lines too. */
  CHECK(render(a, "{{#page}}\n{{/page}}\n{{! c }}\nx {{oops}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 4, 3);
  diag_list_free(&d);
  arena_free(a);
}

static void test_syntax_errors(void) {
  diag_list d = {0};
  template_set *ts;
  /* Unclosed section: reported where it opens. */
  ts = template_load_string("s.html", "a\n  {{#sec}}\nb\n", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 2, 3);
  CHECK_STR(d.count ? d.items[0].file : NULL, "s.html");
  diag_list_free(&d);
  /* Mismatched close: reported at the close. */
  ts = template_load_string("s.html", "{{#a}}\nx {{/b}}\n", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 2, 3);
  diag_list_free(&d);
  /* Close without open. */
  ts = template_load_string("s.html", "x\ny{{/a}}", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 2, 2);
  diag_list_free(&d);
  /* Unclosed tag. */
  ts = template_load_string("s.html", "ok {{ok}}\n\n  {{name", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 3, 3);
  diag_list_free(&d);
  /* Bad names. */
  ts = template_load_string("s.html", "{{a b}}", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 1, 1);
  diag_list_free(&d);
  ts = template_load_string("s.html", "x{{}}", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 1, 2);
  diag_list_free(&d);
  ts = template_load_string("s.html", "{{a.}}", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 1, 1);
  diag_list_free(&d);
  ts = template_load_string("s.html", "{{>}}", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 1, 1);
  diag_list_free(&d);
  /* A tag spanning lines: later positions still right. */
  ts = template_load_string("s.html", "{{! a\ncomment\n}}\n{{#x}}", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-syntax", 4, 1);
  diag_list_free(&d);
  /* Unknown partial. */
  ts = template_load_string("s.html", "x\n  {{> nav}}", &d);
  CHECK(ts == NULL);
  CHECK_DIAG(&d, "template-unknown-partial", 2, 3);
  if (d.count)
    CHECK(strstr(d.items[0].message, "nav") != NULL);
  diag_list_free(&d);
  ts = template_load_string("partials/p.html", "ok", &d);
  if (CHECK(ts != NULL)) {
    CHECK_INT(template_add_partial(ts, "q", "{{> p}}{{> r}}", &d), -1);
    CHECK_DIAG(&d, "template-unknown-partial", 1, 8);
    diag_list_free(&d);
    CHECK_INT(template_add_partial(ts, "broken", "{{#x}}", &d), -1);
    CHECK_DIAG(&d, "template-syntax", 1, 1);
    template_free(ts);
  }
  diag_list_free(&d);
}

static void test_open_maps(void) {
  arena *a = arena_new();
  diag_list d = {0};
  tvalue *ctx = tv_map(a);
  tvalue *meta = tv_map(a);
  meta->open = true;
  tv_set_str(a, meta, "author", "ann");
  tv_set(a, ctx, "meta", meta);
  tvalue *closed = tv_map(a);
  tv_set(a, ctx, "closed", closed);
  CHECK_RENDER(a, "[{{meta.author}}|{{meta.missing}}|{{{meta.other}}}]", ctx, "[ann||]");
  CHECK_RENDER(a, "{{#meta.missing}}x{{/meta.missing}}{{^meta.missing}}none{{/meta.missing}}", ctx,
               "none");
  /* A closed map still reports a missing key. */
  CHECK(render(a, "{{closed.missing}}", ctx, &d) == NULL);
  CHECK_DIAG(&d, "template-render", 1, 1);
  diag_list_free(&d);
  arena_free(a);
}

int main(void) {
  RUN(test_values);
  RUN(test_escaping);
  RUN(test_sections);
  RUN(test_standalone_lines);
  RUN(test_partials);
  RUN(test_unknown_variable);
  RUN(test_syntax_errors);
  RUN(test_open_maps);
  return test_done();
}
