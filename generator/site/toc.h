/* toc: a locale's navigation from toc.yml, in the form Learn repositories
 * use: a top-level list of items with name, href, displayName and items; an
 * href may name another toc.yml, whose items are taken in. The tree lives in
 * the build arena. */
#ifndef FOLIO_TOC_H
#define FOLIO_TOC_H

#include "config.h"
#include "model.h"
#include "url.h"

typedef struct toc_item toc_item;
struct toc_item {
  const char *name;
  const char *rel;      /* article path in the locale folder, or NULL */
  const char *external; /* absolute URL, or NULL */
  const char *fragment; /* "#section" of the href, or NULL */
  toc_item *items;
  size_t n, cap;
  int line;
};

typedef struct toc_tree {
  toc_item root;        /* root.items are the top-level entries */
  const char **order;   /* article rels in reading order (previous/next) */
  size_t norder, caporder;
  const char *file;
} toc_tree;

/* Load content/<locale>/toc.yml (in mem); *out is NULL when the locale has
 * none. Articles must be parsed first: href fragments are checked.
 * Returns 0, or -1 after errors in diags. */
int toc_load(arena *mem, const content_set *cs, const url_policy *urls, int locale,
             toc_tree **out, diag_list *diags);
/* orphan-article: articles of a locale that its toc.yml (or the source
 * locale's, when it has none) does not list; the root index.md is the home
 * page and never an orphan. Nothing is reported without any toc.yml. */
void toc_report_orphans(const site_config *cfg, toc_tree *const *tocs, content_set *cs);

/* Whether rel appears in the toc. */
bool toc_contains(const toc_tree *t, const char *rel);

#endif
