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
const char *severity_name(severity s);

#endif
