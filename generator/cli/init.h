/* init: `folio init DIR` writes a new minimal project that builds at once:
 * folio.yml, one locale, the default templates and one article. */
#ifndef FOLIO_INIT_H
#define FOLIO_INIT_H

#include "diag.h"

/* datadir holds the default templates/ and locales/. Returns 0, or -1 with
 * an error in diags (the folder exists and is not empty, or I/O failed). */
int init_project(const char *dir, const char *datadir, diag_list *diags);

#endif
