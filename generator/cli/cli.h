/* cli: what every command's option parsing shares. */
#ifndef FOLIO_CLI_H
#define FOLIO_CLI_H

#include <stddef.h>

/* Print one line, "folio: msg arg (see 'SEE')", to stderr; returns 2.
 * see names where the options are explained ("folio build --help"). */
int cli_usage_error(const char *msg, const char *arg, const char *see);

/* "folio: msg 'word'; did you mean 'near'? (see 'SEE')" (near may be
 * NULL); returns 2. */
int cli_usage_suggest(const char *msg, const char *word, const char *near, const char *see);

/* The choice nearest to word, for "did you mean" (NULL when none is close). */
const char *cli_nearest(const char *word, const char *const *choices, size_t n);

/* "1 page", "2 pages": a number and its noun, as a value the caller can
 * print without a buffer of its own. */
typedef struct {
  char s[48];
} cli_counted;
cli_counted cli_count(size_t n, const char *one, const char *many);

#endif
