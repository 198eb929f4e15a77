/* sarif: diagnostics as a SARIF 2.1.0 log, the format GitHub code
 * scanning uploads (github/codeql-action/upload-sarif). One run; one rule
 * per code that occurs; file paths become relative URIs. */
#ifndef FOLIO_SARIF_H
#define FOLIO_SARIF_H

#include <stdio.h>

#include "diag.h"
#include "summary.h"

/* Write the log to out. Returns 0, or -1 when writing failed. */
int sarif_write(FILE *out, const diag_list *l, const report_summary *s);

#endif
