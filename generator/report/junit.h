/* junit: diagnostics as JUnit XML (written with libxml2's xmlTextWriter),
 * which GitLab merge requests and Jenkins show as test results: one
 * testsuite per file, one testcase per diagnostic, a passing testcase for a
 * file without any. Errors are failures, and so are warnings when they fail
 * the run (--strict, --max-warnings); other warnings and infos pass, with
 * the message as system-out. */
#ifndef FOLIO_JUNIT_H
#define FOLIO_JUNIT_H

#include <stdio.h>

#include "diag.h"
#include "summary.h"

/* Write the report to out. Returns 0, or -1 when writing failed. */
int junit_write(FILE *out, const diag_list *l, const report_summary *s);

#endif
