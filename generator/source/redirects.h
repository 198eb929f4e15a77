/* redirects: Learn's .openpublishing.redirection.json, the list of articles
 * that moved: {"redirections": [{"source_path": "articles/old.md",
 * "redirect_url": "/docset/new", "redirect_document_id": false}]}. libyaml
 * reads the JSON (YAML 1.2 is a superset), so every entry keeps its line
 * and column. Source paths start at the repository root (the project
 * folder); those under folio.yml's redirects.source_root are this docset's
 * and apply to every locale. Reading is strict: a wrong type is an error, an
 * unknown key a warning. Entries live in the build arena. */
#ifndef FOLIO_REDIRECTS_H
#define FOLIO_REDIRECTS_H

#include "config.h"
#include "model.h"

/* Read cfg's redirection files into cs->redirects (sorted by rel). A file
 * folio.yml does not name is optional. Returns 0, or -1 when a file could
 * not be read (I/O error, in diags). */
int redirects_load(arena *a, const site_config *cfg, content_set *cs, diag_list *diags);

#endif
