/* out_search: the static search index of each locale, written beside its
 * pages: <locale>/search.json for tools, and the same data as
 * <locale>/search-index.js, which assets/folio-search.js loads with a script
 * element, so that search works from file:// and offline as well.
 * An entry per page: title, URL (relative to the locale folder),
 * description, headings and the text, with tags removed. */
#ifndef FOLIO_OUT_SEARCH_H
#define FOLIO_OUT_SEARCH_H

#include "publish.h"
#include "render.h"

/* Longest text kept per page, in bytes; a longer one is cut at a character. */
#define OUT_SEARCH_MAX_TEXT 20000

/* Returns 0, or -1 with an error in diags. */
int out_search_write(const render_env *env, const fallback_page *fallbacks, size_t nfallbacks,
                     const publish_txn *txn, diag_list *diags);

/* The text of an HTML fragment: tags dropped, entities decoded, white space
 * collapsed to single spaces. Appended to out. */
void out_search_text(const char *html, buf *out);

#endif
