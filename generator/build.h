/* build: runs the pipeline stages in order for `folio build` and
 * `folio check`: config -> locales -> discover -> per-article (load, parse,
 * index, render body; on a thread pool) -> toc -> resolve -> pages -> publish.
 * The build struct is the read-only shared data of the per-article stages
 * once discovery is done; it owns the build arena. */
#ifndef FOLIO_BUILD_H
#define FOLIO_BUILD_H

#include <stdatomic.h>
#include <stdbool.h>

#include "config.h"
#include "diag.h"
#include "l10n.h"
#include "model.h"
#include "template.h"

struct toc_tree;
struct resolve_index;

typedef struct {
  const char *root;      /* -C DIR */
  const char *output;    /* -o DIR, overrides folio.yml */
  int jobs;              /* -j N; 0 = number of cores */
  bool write_site;       /* build (true) or check (false) */
  bool quiet;
  /* When the outcome is a failure (site not written, exit 1), besides errors: */
  bool strict;           /* any warning */
  bool limit_warnings;   /* more than max_warnings warnings */
  size_t max_warnings;
  const char *const *ignore; /* codes dropped everywhere (--ignore) */
  size_t nignore;
  /* Called from worker threads as articles are parsed ("parse") and pages
   * written ("write"); NULL for none. It must be thread-safe and cheap. */
  void (*progress)(const char *stage, size_t done, size_t total);
} build_options;

/* A page of a target locale built from the source article because the
 * locale has no translation of it (untranslated: fallback in folio.yml). */
typedef struct {
  int locale;
  const article *source;
  diag_list diags; /* this page's own, merged into the build's afterwards */
} fallback_page;

typedef struct build {
  build_options opt;
  arena *mem; /* build-wide allocations */
  site_config cfg;
  locale_info *locales; /* one per cfg.locales entry */
  content_set content;
  template_set *templates;
  struct toc_tree **tocs; /* one per locale, may be NULL */
  fallback_page *fallbacks; /* by locale, then source order; build arena */
  size_t nfallbacks;
  diag_list diags;        /* build-level diagnostics */
  struct policy_catalog *policy; /* role glossaries and header patterns (policy.h) */
  struct policy_set *rules;      /* the merged rules, for rules.json (policy.h) */
  struct resolve_index *index; /* lookups by path, case-folded (resolve.h) */
  size_t pages_written;
  _Atomic size_t progress_done; /* articles of the current parallel phase */
} build;

typedef enum {
  BUILD_OK = 0,        /* no errors */
  BUILD_CONTENT_ERRORS = 1,
  BUILD_IO_ERROR = 2,
} build_status;

/* Run the whole pipeline. All diagnostics end up in b->diags, sorted. */
build_status build_run(build *b, const build_options *opt);
void build_free(build *b);

#endif
