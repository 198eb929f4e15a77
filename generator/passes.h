/* passes: the walks over an article's parsed tree, in the order they run:
 *   includes -> alerts -> headings (ids) -> links (rewrite) -> sanitize.
 * Each pass is a function of the tree and the read-only build; output goes
 * into the article (arena ctx->mem) and diagnostics into ctx->diags. Nodes
 * are allocated by cmark from the scratch arena and die with it. */
#ifndef FOLIO_PASSES_H
#define FOLIO_PASSES_H

#include <cmark-gfm.h>

#include "build.h"
#include "ext_directive.h"
#include "include.h"

typedef struct {
  const build *b;
  article *art;
  arena *mem;       /* the article's arena: what must outlive the tree */
  arena *scratch;   /* the tree's arena */
  const expanded_text *src; /* maps parsed lines to files and lines */
  diag_list *diags;
  cmark_parser *parser;
  cmark_mem *cmem;  /* allocator for new nodes (the scratch arena) */
  int images;       /* complex images so far, for description ids */
} pass_context;

void passes_init(void);
void passes_attach(cmark_parser *parser);
void passes_run(pass_context *ctx, cmark_node *doc);

void pass_directives(pass_context *ctx, cmark_node *doc);
void pass_roles(pass_context *ctx, cmark_node *doc); /* role header blocks (pass_roles.c) */
void pass_alerts(pass_context *ctx, cmark_node *doc);
void pass_headings(pass_context *ctx, cmark_node *doc);
void pass_sanitize(pass_context *ctx, cmark_node *doc);
void pass_links(pass_context *ctx, cmark_node *doc);

/* A :::policy block found by pass_directives: its rules and its table
 * (pass_policy.c). */
void pass_policy_block(pass_context *ctx, cmark_node *n, const char *id, directive_data *dd);

/* Helpers shared by the passes. */
/* The file line of node n (in the article, or in the include it came from). */
int pass_line(const pass_context *ctx, cmark_node *n);
/* Add a diagnostic at node n; one inside an include names the include file
 * and the article line that included it. */
void pass_diag(const pass_context *ctx, cmark_node *n, severity sev, const char *code,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int pass_col(cmark_node *n);
/* Replace node n by a custom block (or inline) that writes enter/exit around
 * n's children, which move into it. Returns the new node. */
cmark_node *pass_wrap_custom(const pass_context *ctx, cmark_node *n, cmark_node_type type, const char *enter,
                             const char *exit);
/* Check and rewrite a link or image URL for the site (see pass_links.c);
 * returns the URL to use. */
const char *pass_resolve_url(pass_context *ctx, cmark_node *n, const char *url, bool image);
/* Plain text of a subtree (text, code, entities; no HTML), into mem. */
char *pass_plain_text(arena *mem, cmark_node *n);

#endif
