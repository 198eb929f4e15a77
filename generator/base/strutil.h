/* strutil: small string predicates and the edit distance behind every
 * "did you mean" hint. Nothing here allocates. */
#ifndef FOLIO_STRUTIL_H
#define FOLIO_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Levenshtein distance, for "did you mean" hints; (size_t)-1 when either
 * string is longer than 256 bytes. ignore_case folds ASCII letters. */
size_t str_distance(const char *a, const char *b, bool ignore_case);
/* The same, but stops as soon as the distance must exceed max (and then
 * returns max + 1): a hint only wants close strings. */
size_t str_distance_within(const char *a, const char *b, bool ignore_case, size_t max);
/* qsort/bsearch comparator for an array of C strings. */
int str_cmp_ptrs(const void *a, const void *b);
bool str_ends_with(const char *s, const char *suffix);
bool str_starts_with(const char *s, const char *prefix);
/* The 1-based line and byte column of offset off in text[0..len) (off past
 * the end counts as len), as folio's diagnostics give positions. */
void str_position(const char *text, size_t len, size_t off, int *line, int *col);

#endif
