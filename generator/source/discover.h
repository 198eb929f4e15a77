/* discover: find the articles, includes, toc files and media of every locale
 * under the content folder. Folders that are not configured locales are
 * errors; hidden files are skipped; everything is sorted so that later stages
 * see the same order on every machine. */
#ifndef FOLIO_DISCOVER_H
#define FOLIO_DISCOVER_H

#include "config.h"
#include "model.h"

/* Returns 0, or -1 when the content folder cannot be read (I/O error). */
int discover_content(arena *a, const site_config *cfg, content_set *cs, diag_list *diags);

#endif
