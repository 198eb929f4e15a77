/* passes: the walks over an article's parsed tree, in the order they run:
 *   directives (blocks) -> directives in text (pass_inline) -> zones
 *   -> role headers -> alerts and videos -> headings (ids, anchors)
 *   -> links (rewrite) -> code -> tasks -> sanitize.
 * Each pass is a function of the tree and the read-only build; output goes
 * into the article (arena ctx->mem) and diagnostics into ctx->diags. Nodes
 * are allocated by cmark from the scratch arena and die with it. */
#ifndef FOLIO_PASSES_H
#define FOLIO_PASSES_H

#include <cmark-gfm.h>

#include "buf.h"
#include "dline.h"
#include "ext_directive.h"
#include "passctx.h"

void passes_init(void);
void passes_attach(cmark_parser *parser);
void passes_run(pass_context *ctx, cmark_node *doc);

void pass_directives(pass_context *ctx, cmark_node *doc);
void pass_roles(pass_context *ctx, cmark_node *doc); /* role header blocks (pass_roles.c) */
void pass_alerts(pass_context *ctx, cmark_node *doc);
void pass_headings(pass_context *ctx, cmark_node *doc);
void pass_sanitize(pass_context *ctx, cmark_node *doc);
void pass_links(pass_context *ctx, cmark_node *doc);
void pass_code(pass_context *ctx, cmark_node *doc); /* highlighted code blocks (pass_code.c) */
void pass_tasks(pass_context *ctx, cmark_node *doc); /* labelled task list checkboxes */

/* Zones (pass_zones.c): pass_directives reports each :::zone when it opens
 * (its index is returned; -1 for none) and its container when it closes;
 * pass_zones then groups them by pivot group and adds the selectors. */
int pass_zone_open(pass_context *ctx, cmark_node *opener, const char *pivot);
void pass_zone_close(pass_context *ctx, int zone, cmark_node *container);
void pass_zones(pass_context *ctx, cmark_node *doc);

/* An :::image as HTML into out: <figure class="image TYPE"> for a block
 * (type="complex" leaves it open: the caller adds the description, whose id
 * is *desc_id, and closes it), <span class="image TYPE"> in text. The source,
 * link and lightbox go through linkref; n and col (0: n's column) locate
 * the diagnostics. False after an error: nothing usable was written. */
bool pass_image_html(pass_context *ctx, cmark_node *n, int col, const dline *d,
                     bool in_text, buf *out, const char **desc_id);
/* :::image and :::no-loc inside text (paragraphs, list items, table cells,
 * headings) (pass_inline.c). */
void pass_inline(pass_context *ctx, cmark_node *doc);

/* A :::policy block found by pass_directives: its rules and its table
 * (pass_policy.c). */
void pass_policy_block(pass_context *ctx, cmark_node *n, const char *id, directive_data *dd);

#endif
