/* markdown_env: what the Markdown stage reads besides the article itself,
 * all of it read-only and shared by every thread: the project file, the
 * locales' strings, every file found (includes, media, other articles), the
 * path index links resolve against, the role glossaries and the zone
 * pivot groups. */
#ifndef FOLIO_MARKDOWN_ENV_H
#define FOLIO_MARKDOWN_ENV_H

#include "config.h"
#include "l10n.h"
#include "model.h"
#include "pivots.h"
#include "resolve.h"

struct policy_catalog;

typedef struct {
  const site_config *cfg;
  const locale_info *locales;            /* one per cfg->locales entry */
  const content_set *content;
  const resolve_index *index;
  const struct policy_catalog *catalog;  /* NULL: no rules are read */
  const zone_pivot_groups *pivots;       /* one per locale (a translation without its
                                            own file has the source's) */
} markdown_env;

#endif
