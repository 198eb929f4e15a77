#include "toc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "resolve.h"
#include "util.h"
#include "yamldoc.h"

#define MAX_NESTED_TOC 8

static int load_file(build *b, int locale, const char *rel, toc_tree *tree, toc_item *into,
                     int depth, diag_list *diags);

static void add_order(build *b, toc_tree *t, const char *rel) {
  for (size_t i = 0; i < t->norder; i++)
    if (!strcmp(t->order[i], rel))
      return;
  ARENA_PUSH(b->mem, t->order, t->norder, t->caporder, rel);
}

static int load_items(build *b, int locale, const char *file, const char *dir, const ynode *list,
                      toc_tree *tree, toc_item *into, int depth, diag_list *diags) {
  int rc = 0;
  if (list->kind != YNODE_SEQ) {
    diag_add(diags, file, list->line, list->col, SEV_ERROR, "toc-invalid",
             "expected a list of entries (- name: ..., href: ...)");
    return -1;
  }
  for (size_t i = 0; i < list->count; i++) {
    const ynode *e = list->items[i];
    if (e->kind != YNODE_MAP) {
      diag_add(diags, file, e->line, e->col, SEV_ERROR, "toc-invalid",
               "a toc entry must be a mapping with name and href");
      rc = -1;
      continue;
    }
    toc_item item = {0};
    item.line = e->line;
    const ynode *items = NULL, *href = NULL;
    for (size_t j = 0; j + 1 < e->count; j += 2) {
      const ynode *k = e->items[j], *v = e->items[j + 1];
      const char *key = k->kind == YNODE_SCALAR ? k->scalar : "";
      if (!strcmp(key, "name") && v->kind == YNODE_SCALAR)
        item.name = v->scalar;
      else if (!strcmp(key, "href") && v->kind == YNODE_SCALAR)
        href = v;
      else if (!strcmp(key, "items"))
        items = v;
      else if (!strcmp(key, "displayName") || !strcmp(key, "expanded") || !strcmp(key, "uid") ||
               !strcmp(key, "topicHref") || !strcmp(key, "tocHref"))
        ; /* known DocFX keys that navigation does not need */
      else {
        diag_add(diags, file, k->line, k->col, SEV_WARNING, "toc-unknown-key",
                 "unknown toc key '%s' is ignored", key);
      }
    }
    if (!item.name) {
      diag_add(diags, file, e->line, e->col, SEV_ERROR, "toc-invalid", "toc entry has no name");
      rc = -1;
      continue;
    }
    if (href) {
      const char *h = href->scalar;
      if (strstr(h, "://")) {
        item.external = h;
      } else {
        char *joined = path_join(dir, h);
        size_t cut = strcspn(joined, "?#");
        joined[cut] = '\0';
        char *norm = path_normalize(joined);
        free(joined);
        const char *base = norm ? strrchr(norm, '/') : NULL;
        base = base ? base + 1 : norm;
        if (!norm) {
          diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-entry-not-found",
                   "'%s' points outside the locale folder", h);
          rc = -1;
        } else if (!strcmp(base, "toc.yml") || !strcmp(base, "TOC.yml")) {
          /* A nested toc: its entries become this entry's children. */
          if (depth >= MAX_NESTED_TOC) {
            diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-too-deep",
                     "toc files nested more than %d deep (a cycle?)", MAX_NESTED_TOC);
            rc = -1;
          } else if (load_file(b, locale, norm, tree, &item, depth + 1, diags) < 0) {
            rc = -1;
          }
        } else if (!content_find_article(&b->content, locale, norm) &&
                   !(locale != 0 && content_find_article(&b->content, 0, norm))) {
          /* An article only the source locale has is fine in a translation's
           * toc (Learn repositories list every article in every locale):
           * the entry leads to its fallback page, or with untranslated: none
           * to the source locale's page. */
          diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-entry-not-found",
                   "toc entry '%s' points to '%s', which does not exist", item.name, h);
          rc = -1;
        } else {
          item.rel = arena_strdup(b->mem, norm);
          add_order(b, tree, item.rel);
          /* href: x.md#section must name an anchor of x (articles are parsed
           * before the toc is read). */
          const char *hash = strchr(h, '#');
          if (hash && hash[1]) {
            item.fragment = arena_strdup(b->mem, hash);
            const article *t = content_find_article(&b->content, locale, norm);
            if (!t)
              t = content_find_article(&b->content, 0, norm);
            bool found = false;
            for (size_t k = 0; t && k < t->nheadings && !found; k++)
              found = !strcmp(t->headings[k].id, hash + 1);
            if (t && t->ok && !found) {
              const char *near = resolve_nearest_anchor(t, hash + 1);
              diag_add(diags, file, href->line, href->col, SEV_ERROR, "bookmark-not-found",
                       "toc entry '%s': '%s' is not an anchor in %s%s%s%s", item.name, hash,
                       t->path, near ? "; did you mean '#" : "", near ? near : "",
                       near ? "'?" : "");
              rc = -1;
            }
          }
        }
        free(norm);
      }
    }
    if (items && load_items(b, locale, file, dir, items, tree, &item, depth, diags) < 0)
      rc = -1;
    ARENA_PUSH(b->mem, into->items, into->n, into->cap, item);
  }
  return rc;
}

static int load_file(build *b, int locale, const char *rel, toc_tree *tree, toc_item *into,
                     int depth, diag_list *diags) {
  const content_file *f = content_find_file(b->content.tocs, b->content.ntocs, locale, rel);
  if (!f) {
    diag_add(diags, tree->file, 0, 0, SEV_ERROR, "toc-entry-not-found",
             "nested toc '%s' does not exist", rel);
    return -1;
  }
  char *text;
  size_t len;
  if (read_file(f->path, &text, &len) < 0) {
    diag_add(diags, f->path, 0, 0, SEV_ERROR, "toc-unreadable", "cannot read: %s",
             strerror(errno));
    return -1;
  }
  ynode *doc = yamldoc_load(b->mem, text, len, f->path, 0, diags);
  free(text);
  if (!doc)
    return -1;
  /* DocFX also accepts a mapping with an items: list at the top. */
  const ynode *list = doc->kind == YNODE_MAP && ynode_get(doc, "items") ? ynode_get(doc, "items") : doc;
  if (doc->kind == YNODE_MAP && doc->count == 0)
    return 0;
  char *dir = path_dirname(rel);
  int rc = load_items(b, locale, f->path, dir, list, tree, into, depth, diags);
  free(dir);
  return rc;
}

int toc_load(build *b, int locale, toc_tree **out, diag_list *diags) {
  *out = NULL;
  const char *names[] = {"toc.yml", "TOC.yml", "toc.yaml"};
  const content_file *f = NULL;
  for (size_t i = 0; i < 3 && !f; i++)
    f = content_find_file(b->content.tocs, b->content.ntocs, locale, names[i]);
  if (!f)
    return 0;
  toc_tree *t = arena_alloc(b->mem, sizeof *t);
  t->file = f->path;
  int rc = load_file(b, locale, f->rel, t, &t->root, 0, diags);
  *out = t;
  return rc;
}

bool toc_contains(const toc_tree *t, const char *rel) {
  for (size_t i = 0; t && i < t->norder; i++)
    if (!strcmp(t->order[i], rel))
      return true;
  return false;
}
