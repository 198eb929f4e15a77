/* redirect: the pages that stand where moved articles were. For every entry
 * of the redirection file (redirects.h) and every locale without an article
 * at that path, a small page sends readers to the target: the article it
 * names (in that locale, or the source locale's when untranslated) or the
 * external URL. Targets are checked once, in the source locale: one that
 * leads nowhere is an error at the redirect_url's line and column, and an
 * external one must pass the URL module's scheme check. Call after
 * resolve_links (fragments are checked against the target's anchors).
 * Pages and their strings live in the arena given. */
#ifndef FOLIO_REDIRECT_H
#define FOLIO_REDIRECT_H

#include "resolve.h"

typedef struct {
  int locale;
  const redirect_entry *entry;
  const char *url;       /* the page: "old/x.html" in the locale folder */
  const char *href;      /* the target, as seen from the page */
  const char *canonical; /* the target's absolute URL (relative when base_url is) */
  const char *title;     /* the target article's title, or NULL (external) */
} redirect_page;

/* Check every redirect and plan its pages. Returns the number of pages. */
size_t redirect_plan(arena *mem, const link_context *lc, redirect_page **out, diag_list *diags);

#endif
