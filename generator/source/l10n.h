/* l10n: locales/<id>.yml, what one language needs that is not content:
 * its name, text direction, date format and the UI strings of the templates.
 * Strings live in the build arena passed to l10n_load. */
#ifndef FOLIO_L10N_H
#define FOLIO_L10N_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "yamldoc.h"

typedef struct {
  const char *id;          /* "de-de", the content folder name */
  const char *file;        /* locales/de-de.yml */
  const char *name;        /* "Deutsch", in the language itself */
  const char *lang;        /* BCP 47 for <html lang>: "de-DE" */
  const char *dir;         /* "ltr" or "rtl" */
  const char *date_format; /* "{day}. {month} {year}" */
  const char *months[12];
  const char **keys;       /* UI strings, sorted by key */
  const char **values;
  size_t nstrings;
  ynode *doc;              /* the whole file, for later stages (policy) */
  /* policy_labels: how :::policy tables name actions, requirements and
   * channels in this language (id -> label maps; NULL when absent). */
  const ynode *policy_labels[3];
} locale_info;

typedef enum { L10N_ACTIONS, L10N_REQUIRES, L10N_CHANNELS } l10n_label_kind;

/* Returns 0, or -1 with errors in diags. */
int l10n_load(arena *a, const char *dir, const char *id, locale_info *out, diag_list *diags);
/* The UI strings of the source locale that other lacks are added to it (in
 * a), with one warning that lists them. */
void l10n_fill_missing(arena *a, const locale_info *source, locale_info *other,
                       diag_list *diags);
const char *l10n_string(const locale_info *l, const char *key);
/* The label of a policy action, requirement or channel id in this
 * language; NULL when the locale file has none (show the id). */
const char *l10n_policy_label(const locale_info *l, l10n_label_kind kind, const char *id);
/* Format a date with the locale's date_format. */
char *l10n_format_date(arena *a, const locale_info *l, int year, int month, int day);

#endif
