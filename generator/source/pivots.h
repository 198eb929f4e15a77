/* pivots: the zone pivot groups of a locale, as DocFX defines them in
 * zone-pivot-groups.yml at the root of the docset (for folio, of a locale's
 * content folder):
 *
 *   groups:
 *   - id: api-client                  # what front matter names:
 *     title: API client               #   zone_pivot_groups: api-client
 *     prompt: Choose how you call the API
 *     pivots:
 *     - id: powershell                # what :::zone pivot="..." names
 *       title: PowerShell
 *
 * A translation has its own file with the titles in its language. Strings
 * and arrays live in the arena given to pivots_load. */
#ifndef FOLIO_PIVOTS_H
#define FOLIO_PIVOTS_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

#define PIVOTS_FILE "zone-pivot-groups.yml"

typedef struct {
  const char *id;
  const char *title; /* NULL when the file gives none */
} zone_pivot;

typedef struct {
  const char *id;
  const char *title, *prompt; /* NULL when absent */
  zone_pivot *pivots;
  size_t npivots;
} zone_pivot_group;

typedef struct {
  const char *file; /* the file read, NULL when the locale has none */
  zone_pivot_group *groups;
  size_t ngroups;
} zone_pivot_groups;

/* Read dir/zone-pivot-groups.yml. A missing file gives no groups and
 * returns 0; a file of the wrong shape adds pivot-groups-invalid errors
 * and returns -1 (out keeps the groups that could be read). */
int pivots_load(arena *a, const char *dir, zone_pivot_groups *out, diag_list *diags);
/* Lookups by id; NULL when absent. */
const zone_pivot_group *pivots_group(const zone_pivot_groups *g, const char *id);
const zone_pivot *pivots_pivot(const zone_pivot_group *g, const char *id);

#endif
