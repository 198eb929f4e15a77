/* render: one finished page (article, locale home, language list) from the
 * templates and the locale's strings. Values handed to templates are built in
 * the article's arena; the page HTML is returned in a buf the caller owns. */
#ifndef FOLIO_RENDER_H
#define FOLIO_RENDER_H

#include "build.h"
#include "buf.h"

/* The article page (template page.html). */
int render_article(const build *b, article *art, buf *out, diag_list *diags);
/* A locale's home when it has no index.md (template home.html). */
int render_locale_home(const build *b, int locale, arena *mem, buf *out, diag_list *diags);
/* The root index.html that lists the languages (template languages.html). */
int render_language_list(const build *b, arena *mem, buf *out, diag_list *diags);

#endif
