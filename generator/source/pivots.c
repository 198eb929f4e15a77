#include "pivots.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "util.h"
#include "yamldoc.h"

typedef struct {
  arena *a;
  const char *file;
  diag_list *diags;
  int errors;
} reader;

static void bad(reader *r, const ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad(reader *r, const ynode *at, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  diag_add(r->diags, r->file, at ? at->line : 1, at ? at->col : 1, SEV_ERROR,
           "pivot-groups-invalid", "%s", msg);
  r->errors++;
}

/* A scalar value of key in map m; NULL when absent. */
static const char *text(reader *r, const ynode *m, const char *key, bool required) {
  const ynode *v = ynode_get(m, key);
  if (!v) {
    if (required)
      bad(r, m, "this entry has no '%s'", key);
    return NULL;
  }
  if (v->kind != YNODE_SCALAR || ynode_is_null(v) || !*v->scalar) {
    bad(r, v, "'%s' must be a non-empty string", key);
    return NULL;
  }
  return arena_strdup(r->a, v->scalar);
}

static void known_keys(reader *r, const ynode *m, const char *const *keys, const char *what) {
  for (size_t i = 0; i + 1 < m->count; i += 2) {
    const char *k = m->items[i]->scalar ? m->items[i]->scalar : "";
    bool ok = false;
    for (const char *const *kk = keys; *kk && !ok; kk++)
      ok = !strcmp(*kk, k);
    if (!ok)
      bad(r, m->items[i], "unknown key '%s' in a %s (known: %s)", k, what,
          !strcmp(what, "group") ? "id, title, prompt, pivots" : "id, title");
  }
}

static void read_group(reader *r, const ynode *g, zone_pivot_groups *out) {
  if (g->kind != YNODE_MAP) {
    bad(r, g, "a group must be a mapping with id, title, prompt and pivots");
    return;
  }
  static const char *const gkeys[] = {"id", "title", "prompt", "pivots", NULL};
  static const char *const pkeys[] = {"id", "title", NULL};
  known_keys(r, g, gkeys, "group");
  zone_pivot_group grp = {0};
  grp.id = text(r, g, "id", true);
  grp.title = text(r, g, "title", false);
  grp.prompt = text(r, g, "prompt", false);
  if (grp.id && pivots_group(out, grp.id)) {
    bad(r, ynode_get(g, "id"), "the group '%s' is defined twice", grp.id);
    return;
  }
  const ynode *ps = ynode_get(g, "pivots");
  if (!ps || ps->kind != YNODE_SEQ || !ps->count) {
    bad(r, ps ? ps : g, "'pivots' must list the group's pivots (id and title)");
    return;
  }
  grp.pivots = arena_alloc(r->a, ps->count * sizeof *grp.pivots);
  for (size_t i = 0; i < ps->count; i++) {
    const ynode *p = ps->items[i];
    if (p->kind != YNODE_MAP) {
      bad(r, p, "a pivot must be a mapping with id and title");
      continue;
    }
    known_keys(r, p, pkeys, "pivot");
    zone_pivot z = {text(r, p, "id", true), text(r, p, "title", false)};
    if (!z.id)
      continue;
    if (pivots_pivot(&grp, z.id)) {
      bad(r, ynode_get(p, "id"), "the pivot '%s' is listed twice in its group", z.id);
      continue;
    }
    grp.pivots[grp.npivots++] = z;
  }
  if (!grp.id)
    return;
  zone_pivot_group *grown = arena_alloc(r->a, (out->ngroups + 1) * sizeof *grown);
  if (out->ngroups)
    memcpy(grown, out->groups, out->ngroups * sizeof *grown);
  grown[out->ngroups++] = grp;
  out->groups = grown;
}

int pivots_load(arena *a, const char *dir, zone_pivot_groups *out, diag_list *diags) {
  memset(out, 0, sizeof *out);
  char *path = path_join(dir, PIVOTS_FILE);
  if (!is_file(path)) {
    free(path);
    return 0;
  }
  reader r = {a, arena_strdup(a, path), diags, 0};
  free(path);
  out->file = r.file;
  char *data;
  size_t len;
  if (read_file(r.file, &data, &len) < 0) {
    diag_add(diags, r.file, 0, 0, SEV_ERROR, "pivot-groups-invalid", "cannot read the file: %s",
             strerror(errno));
    return -1;
  }
  ynode *doc = yamldoc_load(a, data, len, r.file, 0, diags);
  free(data);
  if (!doc)
    return -1;
  const ynode *groups = doc->kind == YNODE_MAP ? ynode_get(doc, "groups") : NULL;
  if (!groups || groups->kind != YNODE_SEQ) {
    bad(&r, groups ? groups : doc, "the file must be a mapping whose 'groups' lists the groups");
    return -1;
  }
  static const char *const keys[] = {"groups", NULL};
  for (size_t i = 0; i + 1 < doc->count; i += 2) {
    const char *k = doc->items[i]->scalar ? doc->items[i]->scalar : "";
    if (strcmp(k, keys[0]))
      bad(&r, doc->items[i], "unknown key '%s' (the file has only 'groups')", k);
  }
  for (size_t i = 0; i < groups->count; i++)
    read_group(&r, groups->items[i], out);
  return r.errors ? -1 : 0;
}

const zone_pivot_group *pivots_group(const zone_pivot_groups *g, const char *id) {
  for (size_t i = 0; g && i < g->ngroups; i++)
    if (!strcmp(g->groups[i].id, id))
      return &g->groups[i];
  return NULL;
}

const zone_pivot *pivots_pivot(const zone_pivot_group *g, const char *id) {
  for (size_t i = 0; g && i < g->npivots; i++)
    if (!strcmp(g->pivots[i].id, id))
      return &g->pivots[i];
  return NULL;
}
