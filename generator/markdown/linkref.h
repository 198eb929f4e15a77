/* linkref: every URL an article writes (Markdown links and images, raw
 * HTML href and src, :::image source, link and lightbox) goes through here:
 * resolved against the site (resolve_url), its scheme checked, recorded on
 * the article for the anchor check, and its problems reported at the node. */
#ifndef FOLIO_LINKREF_H
#define FOLIO_LINKREF_H

#include <stdbool.h>

#include "passctx.h"

/* The URL to write for url, found at node n; NULL when it must not be
 * written at all (a scheme that is not allowed: reported as unsafe-url). */
const char *linkref_resolve(pass_context *ctx, cmark_node *n, const char *url, bool image);
/* The same for a URL at column col of n's line (0: n's own column). */
const char *linkref_resolve_at(pass_context *ctx, cmark_node *n, int col, const char *url,
                               bool image);

/* Record a link without resolving it (a bare www. autolink GFM made). */
void linkref_record(pass_context *ctx, cmark_node *n, const char *url);

#endif
