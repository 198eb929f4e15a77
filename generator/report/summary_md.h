/* summary_md: diagnostics as a Markdown job summary (for GitHub's
 * $GITHUB_STEP_SUMMARY): a headline, the summary figures and a table.
 * Every string from content is escaped as numeric character references, so
 * it can neither break the table nor become Markdown or HTML. */
#ifndef FOLIO_SUMMARY_MD_H
#define FOLIO_SUMMARY_MD_H

#include <stdio.h>

#include "diag.h"
#include "summary.h"

/* Write the summary to out. Returns 0, or -1 when writing failed. */
int summary_md_write(FILE *out, const diag_list *l, const report_summary *s);

#endif
