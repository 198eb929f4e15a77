/* codes: what each stable diagnostic code means, in one line, for the
 * reports that explain codes (SARIF rules). */
#ifndef FOLIO_CODES_H
#define FOLIO_CODES_H

/* One line on what a stable code means, or NULL. */
const char *codes_help(const char *code);

#endif
