/* frontmatter: the YAML block between --- lines at the top of an article.
 * title and description are required; ms.date is parsed (MM/DD/YYYY, as
 * Learn writes it, or YYYY-MM-DD); every key is kept as metadata. Results
 * live in the arena given. */
#ifndef FOLIO_FRONTMATTER_H
#define FOLIO_FRONTMATTER_H

#include "model.h"

/* Returns 0, or -1 after adding errors to diags (the article is unusable). */
int frontmatter_parse(arena *a, const char *path, const char *text, size_t len, frontmatter *fm,
                      diag_list *diags);
/* Parse a date in MM/DD/YYYY or YYYY-MM-DD form; 0 on success. */
int frontmatter_parse_date(const char *s, int *year, int *month, int *day);
/* Metadata value as text: the scalar, or a list joined with ", ". NULL if absent. */
const char *frontmatter_get(arena *a, const frontmatter *fm, const char *key);

#endif
