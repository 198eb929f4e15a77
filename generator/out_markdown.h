/* out_markdown: diagnostics as a Markdown job summary (for GitHub's
 * $GITHUB_STEP_SUMMARY): a headline, the summary figures and a table.
 * Every string from content is escaped as numeric character references, so
 * it can neither break the table nor become Markdown or HTML. */
#ifndef FOLIO_OUT_MARKDOWN_H
#define FOLIO_OUT_MARKDOWN_H

#include <stdio.h>

#include "diag.h"

/* Write the summary to out. Returns 0, or -1 when writing failed. */
int out_markdown_write(FILE *out, const diag_list *l, const diag_summary *s);

#endif
