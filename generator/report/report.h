/* report: the diagnostics of a run printed once, in the format the user
 * asked for: text for people, JSON, SARIF, JUnit, GitHub annotations and a
 * Markdown job summary for machines. Nothing here changes the list. */
#ifndef FOLIO_REPORT_H
#define FOLIO_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "summary.h"

typedef enum {
  REPORT_TEXT,     /* path:line:col: severity: message [code] */
  REPORT_JSON,     /* see schemas/diagnostics.schema.json */
  REPORT_GITHUB,   /* workflow commands (::error file=...::) */
  REPORT_SARIF,    /* SARIF 2.1.0, for code scanning (sarif.c) */
  REPORT_JUNIT,    /* JUnit XML, for GitLab and Jenkins (junit.c) */
  REPORT_MARKDOWN, /* a job summary (summary_md.c) */
} report_format;

/* "text", "json", ... -> the format; false for an unknown name. */
bool report_format_parse(const char *name, report_format *out);

/* Print the list; color adds ANSI colors to the text format. JSON is the
 * bare array of diagnostics here (report_write wraps it with a summary). */
void report_print(FILE *out, const diag_list *l, report_format fmt, bool color);

/* The whole report in fmt: the diagnostics, plus the summary where the
 * format has room for it (json, sarif, junit, markdown; text and github
 * print only the diagnostics, main prints the summary line). Returns 0, or
 * -1 when writing failed. */
int report_write(FILE *out, const diag_list *l, report_format fmt, const report_summary *s,
                bool color);

#endif
