/* summary: what a run checked and how it ended, for the report formats
 * that carry it besides the diagnostics. The caller owns every string. */
#ifndef FOLIO_SUMMARY_H
#define FOLIO_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

/* What a run checked and how it ended, for the reports that carry it. */
typedef struct {
  const char *command;      /* "check" or "build" */
  size_t articles, links;
  size_t errors, warnings, infos;
  double seconds;
  bool failed;              /* the exit status is not 0 */
  bool warnings_fail;       /* --strict or --max-warnings made warnings count */
  const char *const *files; /* every article checked (paths as in diags), sorted */
  size_t nfiles;
} report_summary;

#endif
