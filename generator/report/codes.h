/* codes: every stable diagnostic code folio reports, with the severity it
 * usually has and one line on what it means. `folio codes` prints this
 * table, SARIF explains its rules with it, `--ignore` checks names against
 * it, and the README's table is generated from it (tests/codes checks
 * that every code the sources use is here and the README agrees). */
#ifndef FOLIO_CODES_H
#define FOLIO_CODES_H

#include <stddef.h>

typedef struct {
  const char *code;
  const char *severity; /* "error", "warning", "info", or "error or warning" */
  const char *help;
} code_info;

/* The table, sorted by code; *n receives its length. */
const code_info *codes_all(size_t *n);
/* The entry of code, or NULL when folio has no such code. */
const code_info *codes_find(const char *code);
/* One line on what a stable code means, or NULL. */
const char *codes_help(const char *code);
/* The known code nearest to code (for "did you mean"), or NULL. */
const char *codes_nearest(const char *code);

#endif
