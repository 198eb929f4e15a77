/* extlinks: the stage of `--external`. Every absolute http(s) link of the
 * parsed articles is gathered, once per distinct URL with all the places it
 * is used; the external layer requests each URL once (folio.yml's external:
 * settings, the cache file), and each problem is reported at every place,
 * in the diagnostics of the article that has it, the way internal links
 * are. Nothing here touches the network unless the stage is run. */
#ifndef FOLIO_EXTLINKS_H
#define FOLIO_EXTLINKS_H

#include <stddef.h>

#include "config.h"
#include "diag.h"
#include "model.h"

/* The cache of earlier results, inside the project folder (git-ignored). */
#define EXTLINKS_CACHE_FILE ".folio/cache/external-links.tsv"

typedef struct {
  size_t urls;       /* distinct URLs checked; excluded ones are not */
  size_t from_cache; /* of those, answered from the cache with no request */
  size_t requests;   /* HTTP requests made */
} extlinks_stats;

/* Check the external links of cs's articles with cfg->extcheck; max_age_s
 * >= 0 replaces its max_age (--external-max-age). Problems of the links go
 * into their articles' diagnostics; problems of the check itself (a cache
 * that cannot be written, libcurl failing) into diags. */
extlinks_stats extlinks_check(const site_config *cfg, long max_age_s, content_set *cs,
                              diag_list *diags);

#endif
