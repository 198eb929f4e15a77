#include "toc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "resolve.h"
#include "strmap.h"
#include "util.h"
#include "yamldoc.h"

#define MAX_NESTED_TOC 8

/* What loading one locale's toc reads and where it allocates. */
typedef struct {
  arena *mem;
  const content_set *cs;
  const url_policy *urls;
  strmap listed;      /* article rels already in order */
  size_t hint_budget; /* for "did you mean" (resolve_nearest_anchor) */
  const char *chain[MAX_NESTED_TOC + 2]; /* toc files being read, outermost first */
  int nchain;
} toc_loader;

static int load_file(toc_loader *L, int locale, const char *rel, toc_tree *tree, toc_item *into,
                     int depth, diag_list *diags);

/* Whether rel is a toc file being read right now (a cycle). */
static bool on_chain(const toc_loader *L, const char *rel) {
  for (int i = 0; i < L->nchain; i++)
    if (!strcmp(L->chain[i], rel))
      return true;
  return false;
}

/* Reading order: each article once, where the toc first lists it. */
static void add_order(toc_loader *L, toc_tree *t, const char *rel) {
  if (strmap_get(&L->listed, rel))
    return;
  strmap_set(&L->listed, rel, 1);
  ARENA_PUSH(L->mem, t->order, t->norder, t->caporder, rel);
}

/* The toc file of folder dir ("" for the locale's root) in locale: toc.yml
 * first, then toc.yaml, then TOC.md, in any letter case. */
static const content_file *find_toc(const content_set *cs, int locale, const char *dir) {
  static const char *const rank[] = {"toc.yml", "toc.yaml", "toc.md"};
  const content_file *best = NULL;
  size_t best_rank = 3, dn = strlen(dir);
  for (size_t i = 0; i < cs->ntocs; i++) {
    const content_file *f = &cs->tocs[i];
    if (f->locale != locale)
      continue;
    const char *name = f->rel;
    if (dn) {
      if (strncmp(f->rel, dir, dn) || f->rel[dn] != '/')
        continue;
      name = f->rel + dn + 1;
    }
    if (strchr(name, '/'))
      continue;
    for (size_t r = 0; r < best_rank; r++)
      if (!strcasecmp(name, rank[r])) {
        best = f;
        best_rank = r;
      }
  }
  return best;
}

/* DocFX's Markdown toc, TOC.md: one entry a line, "# [Name](href)" or
 * "# Name", nested by the number of #. It becomes the same tree a toc.yml
 * gives (a list of {name, href, items}), with the lines and columns of the
 * Markdown file, so that one reader checks both. */
static ynode *md_node(arena *a, ynode_kind kind, int line, int col) {
  ynode *n = arena_alloc(a, sizeof *n);
  n->kind = kind;
  n->line = line;
  n->col = col;
  return n;
}

static ynode *md_scalar(arena *a, const char *s, size_t len, int line, int col) {
  ynode *n = md_node(a, YNODE_SCALAR, line, col);
  n->scalar = arena_strndup(a, s, len);
  n->style = '"';
  return n;
}

static void md_set(arena *a, ynode *map, const char *key, ynode *value) {
  ARENA_PUSH(a, map->items, map->count, map->cap, md_scalar(a, key, strlen(key), value->line, value->col));
  ARENA_PUSH(a, map->items, map->count, map->cap, value);
}

#define TOC_MD_LEVELS 6

static ynode *toc_md_parse(arena *a, const char *path, const char *text, size_t len,
                           diag_list *diags) {
  ynode *root = md_node(a, YNODE_SEQ, 1, 1);
  ynode *lists[TOC_MD_LEVELS + 1] = {root}; /* lists[k]: where level k+1 entries go */
  int level = 0;                              /* of the last entry */
  bool failed = false, in_comment = false;
  const char *p = text, *end = text + len;
  for (int line = 1; p < end; line++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *line_start = p, *s = p;
    p = nl ? nl + 1 : end;
    if (line == 1 && le - s >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
      s += 3;
    const char *e = le;
    while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
      e--;
    while (s < e && (*s == ' ' || *s == '\t'))
      s++;
    if (in_comment || (e - s >= 4 && !memcmp(s, "<!--", 4))) {
      in_comment = !(e - s >= 3 && !memcmp(e - 3, "-->", 3));
      continue;
    }
    if (s == e)
      continue;
    int col = (int)(s - line_start) + 1;
    int hashes = 0;
    while (s + hashes < e && s[hashes] == '#')
      hashes++;
    if (!hashes || hashes > TOC_MD_LEVELS) {
      diag_add(diags, path, line, col, SEV_ERROR, "toc-invalid",
               "a TOC.md line is an entry: '# [Name](href)' or '# Name', nested with ##");
      failed = true;
      continue;
    }
    if (hashes > level + 1) {
      diag_add(diags, path, line, col, SEV_ERROR, "toc-invalid",
               "this entry is %d levels deep, but the entry before it is %d (a level is skipped)",
               hashes, level);
      failed = true;
      continue;
    }
    const char *t = s + hashes;
    while (t < e && (*t == ' ' || *t == '\t'))
      t++;
    ynode *entry = md_node(a, YNODE_MAP, line, col);
    int tcol = (int)(t - line_start) + 1;
    if (t < e && *t == '[' && e[-1] == ')') {
      /* [Name](href): the name runs to the last "](" on the line. */
      const char *close = NULL;
      for (const char *c = t; c + 1 < e; c++)
        if (c[0] == ']' && c[1] == '(')
          close = c;
      if (!close) {
        diag_add(diags, path, line, tcol, SEV_ERROR, "toc-invalid",
                 "write the entry as [Name](href)");
        failed = true;
        continue;
      }
      const char *h = close + 2, *he = e - 1;
      while (h < he && *h == ' ')
        h++;
      if (h < he && *h == '<') { /* <href with spaces> */
        const char *gt = memchr(h, '>', (size_t)(he - h));
        if (gt) {
          h++;
          he = gt;
        }
      } else {
        const char *sp = memchr(h, ' ', (size_t)(he - h)); /* [x](href "title") */
        if (sp)
          he = sp;
      }
      md_set(a, entry, "name", md_scalar(a, t + 1, (size_t)(close - t - 1), line, tcol + 1));
      if (he > h)
        md_set(a, entry, "href",
               md_scalar(a, h, (size_t)(he - h), line, (int)(h - line_start) + 1));
    } else {
      md_set(a, entry, "name", md_scalar(a, t, (size_t)(e - t), line, tcol));
    }
    ynode *parent = lists[hashes - 1];
    ARENA_PUSH(a, parent->items, parent->count, parent->cap, entry);
    /* Children of this entry go into its items: list, made when needed. */
    ynode *kids = md_node(a, YNODE_SEQ, line, col);
    md_set(a, entry, "items", kids);
    lists[hashes] = kids;
    level = hashes;
  }
  return failed && !root->count ? NULL : root;
}

static int load_items(toc_loader *L, int locale, const char *file, const char *dir, const ynode *list,
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
      char scheme[URL_SCHEME_MAX + 1];
      url_form form = url_classify(h, scheme);
      if (form == URL_SCHEME || form == URL_NETWORK) {
        /* Another site: the entry links there, if the scheme is safe. */
        if (url_is_allowed(L->urls, h))
          item.external = h;
        else
          diag_add(diags, file, href->line, href->col, SEV_WARNING, "unsafe-url",
                   "toc entry '%s': URL '%s' is not allowed and was removed", item.name, h);
      } else {
        char *joined = path_join(dir, h);
        size_t cut = strcspn(joined, "?#");
        joined[cut] = '\0';
        /* href: sub/ is the folder's own toc (toc.yml, or TOC.md). */
        bool folder = cut && joined[cut - 1] == '/';
        char *norm = path_normalize(joined);
        free(joined);
        bool no_folder_toc = false;
        if (norm && folder) {
          const content_file *sub = find_toc(L->cs, locale, norm);
          free(norm);
          norm = sub ? xstrdup(sub->rel) : NULL;
          no_folder_toc = !sub;
        }
        if (no_folder_toc) {
          diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-entry-not-found",
                   "toc entry '%s' points to the folder '%s', which has no toc.yml or TOC.md",
                   item.name, h);
          rc = -1;
        } else if (!norm) {
          diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-entry-not-found",
                   "'%s' points outside the locale folder", h);
          rc = -1;
        } else if (content_is_toc_name(norm)) {
          /* A nested toc: its entries become this entry's children. */
          if (depth >= MAX_NESTED_TOC) {
            diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-too-deep",
                     "toc files nested more than %d deep (a cycle?)", MAX_NESTED_TOC);
            rc = -1;
          } else if (on_chain(L, norm)) {
            diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-cycle",
                     "'%s' includes itself (through %s)", norm, L->chain[0]);
            rc = -1;
          } else if (load_file(L, locale, norm, tree, &item, depth + 1, diags) < 0) {
            rc = -1;
          }
        } else if (!content_find_article(L->cs, locale, norm) &&
                   !(locale != 0 && content_find_article(L->cs, 0, norm))) {
          /* An article only the source locale has is fine in a translation's
           * toc (Learn repositories list every article in every locale):
           * the entry leads to its fallback page, or with untranslated: none
           * to the source locale's page. */
          diag_add(diags, file, href->line, href->col, SEV_ERROR, "toc-entry-not-found",
                   "toc entry '%s' points to '%s', which does not exist", item.name, h);
          rc = -1;
        } else {
          item.rel = arena_strdup(L->mem, norm);
          add_order(L, tree, item.rel);
          /* href: x.md#section must name an anchor of x (articles are parsed
           * before the toc is read). */
          const char *hash = strchr(h, '#');
          if (hash && hash[1]) {
            item.fragment = arena_strdup(L->mem, hash);
            const article *t = content_find_article(L->cs, locale, norm);
            if (!t)
              t = content_find_article(L->cs, 0, norm);
            bool found = false;
            for (size_t k = 0; t && k < t->nheadings && !found; k++)
              found = !strcmp(t->headings[k].id, hash + 1);
            if (t && t->ok && !found) {
              const char *near = resolve_nearest_anchor(t, hash + 1, &L->hint_budget);
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
    if (items && load_items(L, locale, file, dir, items, tree, &item, depth, diags) < 0)
      rc = -1;
    ARENA_PUSH(L->mem, into->items, into->n, into->cap, item);
  }
  return rc;
}

static int load_file(toc_loader *L, int locale, const char *rel, toc_tree *tree, toc_item *into,
                     int depth, diag_list *diags) {
  const content_file *f = content_find_file(L->cs->tocs, L->cs->ntocs, locale, rel);
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
  size_t rn = strlen(f->rel);
  bool markdown = rn > 3 && !strcasecmp(f->rel + rn - 3, ".md");
  size_t before = diag_count(diags, SEV_ERROR);
  ynode *doc = markdown ? toc_md_parse(L->mem, f->path, text, len, diags)
                        : yamldoc_load(L->mem, text, len, f->path, 0, diags);
  free(text);
  if (!doc)
    return -1;
  /* DocFX also accepts a mapping with an items: list at the top. */
  const ynode *list = doc->kind == YNODE_MAP && ynode_get(doc, "items") ? ynode_get(doc, "items") : doc;
  if (doc->kind == YNODE_MAP && doc->count == 0)
    return 0;
  char *dir = path_dirname(rel);
  L->chain[L->nchain++] = rel;
  int rc = load_items(L, locale, f->path, dir, list, tree, into, depth, diags);
  L->nchain--;
  free(dir);
  return diag_count(diags, SEV_ERROR) > before ? -1 : rc;
}

int toc_load(arena *mem, const content_set *cs, const url_policy *urls, int locale,
             toc_tree **out, diag_list *diags) {
  toc_loader loader = {.mem = mem, .cs = cs, .urls = urls, .hint_budget = RESOLVE_HINT_BUDGET};
  toc_loader *L = &loader;
  strmap_init(&L->listed, mem);
  *out = NULL;
  const content_file *f = find_toc(L->cs, locale, "");
  if (!f)
    return 0;
  toc_tree *t = arena_alloc(L->mem, sizeof *t);
  t->file = f->path;
  int rc = load_file(L, locale, f->rel, t, &t->root, 0, diags);
  *out = t;
  return rc;
}

bool toc_contains(const toc_tree *t, const char *rel) {
  for (size_t i = 0; t && i < t->norder; i++)
    if (!strcmp(t->order[i], rel))
      return true;
  return false;
}

void toc_report_orphans(const site_config *cfg, toc_tree *const *tocs, content_set *cs) {
  for (size_t l = 0; l < cfg->nlocales; l++) {
    const toc_tree *t = tocs[l] ? tocs[l] : tocs[0];
    if (!t)
      continue;
    const char **listed = xmalloc((t->norder ? t->norder : 1) * sizeof *listed);
    if (t->norder)
      memcpy(listed, t->order, t->norder * sizeof *listed);
    if (t->norder)
      qsort(listed, t->norder, sizeof *listed, str_cmp_ptrs);
    for (size_t i = 0; i < cs->narticles; i++) {
      article *art = &cs->articles[i];
      if (art->locale != (int)l || !strcmp(art->url, "index.html"))
        continue;
      if (t->norder && bsearch(&art->rel, listed, t->norder, sizeof *listed, str_cmp_ptrs))
        continue;
      diag_add(&art->diags, art->path, 1, 1, SEV_WARNING, "orphan-article",
               "no toc.yml lists this article, so readers can reach it only through links "
               "(add it to %s, or silence this with folio.ignore: [orphan-article])",
               t->file);
    }
    free(listed);
  }
}
