/* frontmatter: the YAML block between --- lines at the top of an article.
 * title and description are required; ms.date is parsed (MM/DD/YYYY or
 * M/D/YYYY, as Learn writes it, or YYYY-MM-DD); every key is kept as
 * metadata. Results live in the arena given. */
#ifndef FOLIO_FRONTMATTER_H
#define FOLIO_FRONTMATTER_H

#include "binio.h"
#include "buf.h"
#include "model.h"

/* Returns -1 only when there is no front matter block (missing or never
 * closed): the body cannot be told apart. Any other problem is a diagnostic
 * that costs only its own key (an invalid ms.date is a warning and leaves
 * the date out); title falls back to the file name and description to "",
 * so the article still renders and its links are checked. */
int frontmatter_parse(arena *a, const char *path, const char *text, size_t len, frontmatter *fm,
                      diag_list *diags);
/* fm written with binio, and read back into a (the build cache keeps the
 * front matter of unchanged articles); read returns false on any doubt. */
void frontmatter_write(const frontmatter *fm, buf *b);
bool frontmatter_read(arena *a, binr *r, frontmatter *fm);
/* Parse a date in M/D/YYYY (one or two digits each) or YYYY-MM-DD form;
 * 0 on success. */
int frontmatter_parse_date(const char *s, int *year, int *month, int *day);
/* Metadata value as text: the scalar, or a list joined with ", ". NULL if absent. */
const char *frontmatter_get(arena *a, const frontmatter *fm, const char *key);

#endif
