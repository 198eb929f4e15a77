/* resolve: checks every link against the global index once all articles are
 * parsed: the anchor a link names must exist in its target article (in the
 * same locale, or the source locale where the article is not translated). */
#ifndef FOLIO_RESOLVE_H
#define FOLIO_RESOLVE_H

#include "build.h"

void resolve_links(build *b, diag_list *diags);
/* The anchor of art closest to id (edit distance), or NULL; for hints. */
const char *resolve_nearest_anchor(const article *art, const char *id);

#endif
