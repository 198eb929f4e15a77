/* pivots: zone-pivot-groups.yml, read into groups; every wrong shape is a
 * pivot-groups-invalid error at its line and column. */
#include <string.h>

#include "pivots.h"
#include "test.h"

/* Load text as dir/zone-pivot-groups.yml (NULL: no file). */
static int load(arena *a, const char *text, zone_pivot_groups *out, diag_list *d) {
  char *dir = test_mkdtemp();
  if (text)
    test_write(dir, PIVOTS_FILE, text);
  int r = pivots_load(a, dir, out, d);
  test_rmdir(dir);
  return r;
}

static void test_load(void) {
  arena *a = arena_new();
  diag_list d = {0};
  zone_pivot_groups g;
  CHECK_INT(load(a,
                 "# YamlMime:ZonePivotGroups\n"
                 "groups:\n"
                 "- id: platform\n"
                 "  title: Platform\n"
                 "  prompt: Choose a platform\n"
                 "  pivots:\n"
                 "  - id: windows\n"
                 "    title: Windows\n"
                 "  - id: macos\n"
                 "    title: macOS\n"
                 "- id: tool\n"
                 "  pivots:\n"
                 "  - id: cli\n",
                 &g, &d),
            0);
  CHECK_NO_DIAGS(&d);
  CHECK(g.file != NULL && strstr(g.file, PIVOTS_FILE));
  if (CHECK_INT(g.ngroups, 2)) {
    const zone_pivot_group *p = pivots_group(&g, "platform");
    if (CHECK(p != NULL)) {
      CHECK_STR(p->title, "Platform");
      CHECK_STR(p->prompt, "Choose a platform");
      CHECK_INT(p->npivots, 2);
      CHECK_STR(p->pivots[1].id, "macos");
      CHECK_STR(pivots_pivot(p, "macos")->title, "macOS");
      CHECK(pivots_pivot(p, "linux") == NULL);
    }
    const zone_pivot_group *t = pivots_group(&g, "tool");
    if (CHECK(t != NULL)) {
      CHECK(t->title == NULL && t->prompt == NULL);
      CHECK(pivots_pivot(t, "cli") != NULL && pivots_pivot(t, "cli")->title == NULL);
    }
  }
  CHECK(pivots_group(&g, "nope") == NULL);
  CHECK(pivots_group(NULL, "platform") == NULL);
  CHECK(pivots_pivot(NULL, "x") == NULL);

  /* No file: no groups, no error. */
  CHECK_INT(load(a, NULL, &g, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK(g.file == NULL && g.ngroups == 0);
  arena_free(a);
}

#define CHECK_BAD(text, line, col)                                                           \
  do {                                                                                       \
    diag_list d_ = {0};                                                                      \
    zone_pivot_groups g_;                                                                    \
    CHECK_INT(load(a, (text), &g_, &d_), -1);                                                \
    CHECK_DIAG(&d_, "pivot-groups-invalid", (line), (col));                                  \
    diag_list_free(&d_);                                                                     \
  } while (0)

static void test_errors(void) {
  arena *a = arena_new();
  CHECK_BAD("- a\n", 1, 1);                                   /* not a mapping */
  CHECK_BAD("groups: {a: b}\n", 1, 9);                        /* groups is no list */
  CHECK_BAD("groups: []\nextra: 1\n", 2, 1);                  /* unknown top-level key */
  CHECK_BAD("groups:\n- just-a-name\n", 2, 3);                /* a group is a mapping */
  CHECK_BAD("groups:\n- title: T\n  pivots: [{id: a}]\n", 2, 3); /* no id */
  CHECK_BAD("groups:\n- id: g\n", 2, 3);                      /* no pivots */
  CHECK_BAD("groups:\n- id: g\n  pivots: [{title: A}]\n", 3, 12);      /* pivot without id */
  CHECK_BAD("groups:\n- id: g\n  colour: red\n  pivots: [{id: a}]\n", 3, 3);
  CHECK_BAD("groups:\n- id: g\n  pivots: [{id: a, icon: x}]\n", 3, 20);
  CHECK_BAD("groups:\n- id: g\n  pivots: [{id: a}, {id: a}]\n", 3, 26); /* twice in a group */
  CHECK_BAD("groups:\n- id: g\n  pivots: [{id: a}]\n- id: g\n  pivots: [{id: b}]\n", 4, 7);
  CHECK_BAD("groups:\n- id: [g]\n  pivots: [{id: a}]\n", 2, 7);
  /* A group that can be read is kept beside one that cannot. */
  diag_list d = {0};
  zone_pivot_groups g;
  CHECK_INT(load(a, "groups:\n- id: ok\n  pivots: [{id: a}]\n- id: bad\n", &g, &d), -1);
  CHECK(pivots_group(&g, "ok") != NULL && pivots_group(&g, "bad") == NULL);
  diag_list_free(&d);
  arena_free(a);
}

int main(void) {
  RUN(test_load);
  RUN(test_errors);
  return test_done();
}
