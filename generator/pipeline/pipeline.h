/* pipeline: the stages in order, for every command (build, check, status,
 * policy, serve): config -> locales -> templates -> discover -> per article
 * (load, parse, render body; on a thread pool) -> toc -> links -> policy ->
 * external links (--external only) -> pages -> publish. Each stage gets what it reads and returns what it makes;
 * only this module stores the products, in the pipeline struct, which owns
 * the build arena and every article's arena. */
#ifndef FOLIO_PIPELINE_H
#define FOLIO_PIPELINE_H

#include <stdatomic.h>
#include <stdbool.h>

#include "config.h"
#include "markdown_env.h"
#include "render.h"
#include "diag.h"
#include "l10n.h"
#include "model.h"
#include "redirect.h"
#include "resolve.h"
#include "template.h"
#include "translation.h"

struct toc_tree;

typedef struct {
  const char *root;      /* -C DIR */
  const char *output;    /* -o DIR, overrides folio.yml */
  int jobs;              /* -j N; 0 = number of cores */
  bool quiet;
  /* When the outcome is a failure (site not written, exit 1), besides errors: */
  bool strict;           /* any warning */
  bool limit_warnings;   /* more than max_warnings warnings */
  size_t max_warnings;
  /* Publish the site even with content errors (--keep-going; `folio serve`):
   * still atomically, and the status is still PIPELINE_CONTENT_ERRORS. An
   * article that could not be loaded (its front matter failed) gets no page;
   * every other page renders as far as its problems allow. Nothing is
   * published when folio.yml, the locale files or the templates fail, nor
   * when the site cannot be written. */
  bool keep_going;
  const char *const *ignore; /* codes dropped everywhere (--ignore) */
  size_t nignore;
  /* --external: check http(s) links over the network (extlinks.h); without
   * it nothing touches the network. */
  bool external;
  bool external_max_age_set; /* --external-max-age: replaces folio.yml's max_age */
  long external_max_age_s;
  /* --no-cache: neither read nor write the build cache (buildcache.h). */
  bool no_cache;
  /* The site that unchanged pages are carried from when it is not the
   * output folder (`folio serve` builds each time into a new folder). */
  const char *previous_site;
  /* With previous_site and the cache: an earlier build of the caller's,
   * no longer read, taken as the staging folder (publish_begin's spare). */
  const char *spare_site;
  /* Called from worker threads as articles are parsed ("parse") and pages
   * written ("write"); NULL for none. It must be thread-safe and cheap. */
  void (*progress)(const char *stage, size_t done, size_t total);
} pipeline_options;

/* How far a command needs the pipeline to go. */
typedef enum {
  PIPELINE_LOAD,    /* articles read: front matter and source hashes (status) */
  PIPELINE_CHECK,   /* everything checked, every page rendered in memory (check, policy) */
  PIPELINE_PUBLISH, /* the site written and swapped into place (build) */
} pipeline_stop;

typedef struct pipeline {
  pipeline_options opt;
  pipeline_stop stop;
  arena *mem; /* build-wide allocations */
  site_config cfg;
  locale_info *locales; /* one per cfg.locales entry */
  content_set content;
  template_set *templates;
  struct toc_tree **tocs; /* one per locale, may be NULL */
  fallback_page *fallbacks; /* by locale, then source order; build arena */
  size_t nfallbacks;
  redirect_page *redirects; /* pages where moved articles were (redirect.h); build arena */
  size_t nredirects;
  diag_list diags;        /* build-level diagnostics */
  struct policy_catalog *policy; /* role glossaries and header patterns (policy.h) */
  struct policy_set *rules;      /* the merged rules, for rules.json (policy.h) */
  resolve_index *index;   /* lookups by path, case-folded (resolve.h) */
  zone_pivot_groups *pivots; /* one per locale (pivots.h) */
  markdown_env mdenv;      /* views of the above that the stages read */
  render_env renv;
  struct buildcache *cache; /* incremental builds (buildcache.h); NULL when off */
  struct search_digests *digests; /* this build's, until published (searchdigest.h) */
  size_t pages_written;
  size_t external_urls;       /* --external: distinct URLs checked */
  size_t external_from_cache; /* of those, answered from the cache */
  size_t search_pages;        /* pages indexed for search (the indexes not carried whole) */
  _Atomic size_t search_digested; /* of those, from the digests of last time (searchdigest.h) */
  bool published;         /* the site was swapped into place (PIPELINE_PUBLISH) */
  _Atomic size_t progress_done; /* articles of the current parallel phase */
  bool timings;           /* FOLIO_TIMINGS: stage times on stderr */
  double clock;           /* when the current stage began (monotonic, s) */
} pipeline;

typedef enum {
  PIPELINE_OK = 0,        /* no errors */
  PIPELINE_CONTENT_ERRORS = 1,
  PIPELINE_IO_ERROR = 2,
} pipeline_status;

/* Run the stages up to stop; libraries are set up on the first call. All
 * diagnostics end up in p->diags, sorted. */
pipeline_status pipeline_run(pipeline *p, const pipeline_options *opt, pipeline_stop stop);
void pipeline_free(pipeline *p);

#endif
