/* passes: the work on an article's parsed tree, in the order it runs:
 *   directives (blocks) -> directives in text (pass_inline) -> zones
 *   -> role headers -> alerts and videos -> headings (ids, anchors)
 *   -> links (rewrite) -> code -> tasks -> sanitize.
 * The passes that find their nodes by walking the whole tree share three
 * walks (passes_run says which and why): during a walk each one's visit
 * function only collects (links also rewrite URLs, which a walk survives);
 * the passes then act in the order above. Output goes into the article
 * (arena ctx->mem) and diagnostics into ctx->diags. Nodes are allocated by
 * cmark from the scratch arena and die with it. */
#ifndef FOLIO_PASSES_H
#define FOLIO_PASSES_H

#include <cmark-gfm.h>

#include "buf.h"
#include "dline.h"
#include "ext_directive.h"
#include "passctx.h"
#include "strmap.h"

void passes_init(void);
void passes_attach(cmark_parser *parser);
void passes_run(pass_context *ctx, cmark_node *doc);

/* Nodes a pass collected in a walk, in the walk's order (scratch arena). */
typedef struct {
  cmark_node **items;
  size_t n, cap;
} pass_nodes;

/* Visit functions: called for every event of a shared walk (t is n's
 * type); they leave the tree as it is. */
void pass_directives_visit(pass_context *ctx, pass_nodes *found, cmark_event_type ev, cmark_node *n,
                           cmark_node_type t);
void pass_directives_act(pass_context *ctx, const pass_nodes *found);

/* :::image and :::no-loc inside text (paragraphs, list items, table cells,
 * headings) (pass_inline.c): the nodes holding a text with ":::", in the
 * order they close. */
typedef struct {
  pass_nodes parents;
  pass_nodes open; /* the parents not closed yet, innermost last */
} pass_inline_walk;
void pass_inline_visit(pass_context *ctx, pass_inline_walk *w, cmark_event_type ev, cmark_node *n,
                       cmark_node_type t);
void pass_inline_act(pass_context *ctx, const pass_inline_walk *w);

void pass_roles(pass_context *ctx, cmark_node *doc); /* role header blocks (pass_roles.c) */

/* Block quotes, innermost first (pass_alerts.c). */
void pass_alerts_visit(pass_context *ctx, pass_nodes *quotes, cmark_event_type ev, cmark_node *n,
                       cmark_node_type t);
void pass_alerts_act(pass_context *ctx, const pass_nodes *quotes);

/* Headings and the anchors outside them (pass_headings.c). */
typedef struct {
  strmap seen;        /* ids in use */
  strmap next_suffix; /* per slug, the next -N to try */
  pass_nodes heads;   /* headings */
  pass_nodes blocks;  /* HTML blocks made only of anchors */
} pass_headings_walk;
void pass_headings_begin(pass_context *ctx, pass_headings_walk *w);
void pass_headings_visit(pass_context *ctx, pass_headings_walk *w, cmark_event_type ev, cmark_node *n,
                         cmark_node_type t);
void pass_headings_act(pass_context *ctx, pass_headings_walk *w);

/* Links and images (pass_links.c): resolved and rewritten during the
 * walk; the ones whose URL must not be written are unwrapped after it. */
typedef struct {
  pass_nodes blocked;
  pass_nodes images;  /* open images whose alt text is being read */
  size_t with_text;   /* how many of them (from the bottom) have seen text */
} pass_links_walk;
void pass_links_visit(pass_context *ctx, pass_links_walk *w, cmark_event_type ev, cmark_node *n,
                      cmark_node_type t);
void pass_links_act(pass_context *ctx, const pass_links_walk *w);

/* Highlighted code blocks (pass_code.c). */
void pass_code_visit(pass_context *ctx, pass_nodes *blocks, cmark_event_type ev, cmark_node *n,
                     cmark_node_type t);
void pass_code_act(pass_context *ctx, const pass_nodes *blocks);

/* Labelled task list checkboxes (pass_tasks.c). */
void pass_tasks_visit(pass_context *ctx, pass_nodes *items, cmark_event_type ev, cmark_node *n,
                      cmark_node_type t);
void pass_tasks_act(pass_context *ctx, const pass_nodes *items);

/* Raw HTML against the allowlist (pass_sanitize.c): a walk of its own. */
void pass_sanitize(pass_context *ctx, cmark_node *doc);

void pass_nodes_add(pass_context *ctx, pass_nodes *l, cmark_node *n);

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
/* A :::policy block found by pass_directives: its rules and its table
 * (pass_policy.c). */
void pass_policy_block(pass_context *ctx, cmark_node *n, const char *id, directive_data *dd);

#endif
