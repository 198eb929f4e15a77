/* build: runs the pipeline stages in order for `folio build` and
 * `folio check`: config -> locales -> discover -> per-article (load, parse,
 * index, render body; on a thread pool) -> toc -> resolve -> pages -> publish.
 * The build struct is the read-only shared data of the per-article stages
 * once discovery is done; it owns the build arena. */
#ifndef FOLIO_BUILD_H
#define FOLIO_BUILD_H

#include <stdbool.h>

#include "config.h"
#include "diag.h"
#include "l10n.h"
#include "model.h"
#include "template.h"

struct toc_tree;

typedef struct {
  const char *root;      /* -C DIR */
  const char *output;    /* -o DIR, overrides folio.yml */
  int jobs;              /* -j N; 0 = number of cores */
  bool write_site;       /* build (true) or check (false) */
  bool quiet;
} build_options;

typedef struct build {
  build_options opt;
  arena *mem; /* build-wide allocations */
  site_config cfg;
  locale_info *locales; /* one per cfg.locales entry */
  content_set content;
  template_set *templates;
  struct toc_tree **tocs; /* one per locale, may be NULL */
  diag_list diags;        /* build-level diagnostics */
  size_t pages_written;
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
