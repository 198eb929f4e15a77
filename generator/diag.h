/* diag: diagnostics as values. Stages append to a diag_list (one per article,
 * one per build, so threads never share a list); main merges, sorts and
 * prints them once, in the chosen format. Strings in a diag are copied into
 * the list's own storage: the list owns them. */
#ifndef FOLIO_DIAG_H
#define FOLIO_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { SEV_INFO, SEV_WARNING, SEV_ERROR } severity;

typedef struct {
  char *file;    /* path as the user sees it (relative to the project) */
  int line, col; /* 1-based; 0 when unknown */
  severity sev;
  char *code;    /* stable id, e.g. "missing-front-matter" */
  char *message;
} diag;

typedef struct {
  diag *items;
  size_t count, cap;
} diag_list;

void diag_add(diag_list *l, const char *file, int line, int col, severity sev,
              const char *code, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Move every diagnostic of src to the end of dst; src becomes empty. */
void diag_move(diag_list *dst, diag_list *src);
void diag_list_free(diag_list *l);
/* Sort by file, line, column, code, message, and drop exact duplicates. */
void diag_sort(diag_list *l);
size_t diag_count(const diag_list *l, severity sev);
/* Whether d reports an I/O failure (exit 2) rather than a content problem
 * (exit 1). By convention such codes end in -unreadable or -unwritable. */
bool diag_is_io(const diag *d);
/* Remove (and free) every diagnostic whose code is one of codes[0..n). */
void diag_drop_codes(diag_list *l, const char *const *codes, size_t n);
/* One line on what a stable code means (for SARIF rules), or NULL. */
const char *diag_code_help(const char *code);
const char *severity_name(severity s);

typedef enum {
  DIAG_TEXT,     /* path:line:col: severity: message [code] */
  DIAG_JSON,     /* see schemas/diagnostics.schema.json */
  DIAG_GITHUB,   /* workflow commands (::error file=...::) */
  DIAG_SARIF,    /* SARIF 2.1.0, for code scanning (out_sarif.c) */
  DIAG_JUNIT,    /* JUnit XML, for GitLab and Jenkins (out_junit.c) */
  DIAG_MARKDOWN, /* a job summary (out_markdown.c) */
} diag_format;

/* "text", "json", ... -> the format; false for an unknown name. */
bool diag_format_parse(const char *name, diag_format *out);

/* Print the list; color adds ANSI colors to the text format. JSON is the
 * bare array of diagnostics here (diag_report wraps it with a summary). */
void diag_print(FILE *out, const diag_list *l, diag_format fmt, bool color);

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
} diag_summary;

/* The whole report in fmt: the diagnostics, plus the summary where the
 * format has room for it (json, sarif, junit, markdown; text and github
 * print only the diagnostics, main prints the summary line). Returns 0, or
 * -1 when writing failed. */
int diag_report(FILE *out, const diag_list *l, diag_format fmt, const diag_summary *s,
                bool color);

#endif
