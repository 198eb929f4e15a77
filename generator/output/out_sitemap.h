/* out_sitemap: what search engines read. <locale>/sitemap.xml lists the
 * locale's pages, each with xhtml:link alternates for its translations and
 * x-default (the source page); sitemap.xml at the top is the sitemap index;
 * robots.txt names it. Fallback pages are not listed: they are copies of the
 * source page (canonical there, noindex). Sitemaps need absolute URLs, so
 * they are written only when base_url is an http(s) URL; robots.txt always. */
#ifndef FOLIO_OUT_SITEMAP_H
#define FOLIO_OUT_SITEMAP_H

#include "publish.h"
#include "render.h"

/* Returns 0, or -1 with an error in diags. */
int out_sitemap_write(const render_env *env, const publish_txn *txn, diag_list *diags);

#endif
