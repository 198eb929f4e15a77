/* passctx: what a tree pass works with (the article, its arenas, the line
 * map of its expanded text) and the helpers every pass shares: source
 * positions, diagnostics at a node, wrapping nodes, plain text. */
#ifndef FOLIO_PASSCTX_H
#define FOLIO_PASSCTX_H

#include <cmark-gfm.h>

#include "include.h"
#include "markdown_env.h"

/* A :::zone of the article, recorded by pass_directives for pass_zones. */
typedef struct {
  const char *pivot; /* as written (scratch arena) */
  cmark_node *node;  /* its container, once closed; NULL when never closed */
  int parent;        /* the zone it is in, or -1 (pass_zones) */
} pass_zone;

typedef struct {
  const markdown_env *env;
  link_context links; /* env as resolve_url reads it */
  article *art;
  arena *mem;       /* the article's arena: what must outlive the tree */
  arena *scratch;   /* the tree's arena */
  const expanded_text *src; /* maps parsed lines to files and lines */
  diag_list *diags;
  cmark_parser *parser;
  cmark_mem *cmem;  /* allocator for new nodes (the scratch arena) */
  int images;       /* complex images so far, for description ids */
  int col_offset;   /* added to columns of the article's own lines (a YAML block's indentation) */
  pass_zone *zones; /* :::zone blocks in the order they open (scratch) */
  size_t nzones, capzones;
} pass_context;

/* Helpers shared by the passes. */
/* The file line of node n (in the article, or in the include it came from). */
int pass_line(const pass_context *ctx, cmark_node *n);
/* Add a diagnostic at node n; one inside an include names the include file
 * and the article line that included it. */
void pass_diag(const pass_context *ctx, cmark_node *n, severity sev, const char *code,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same at column col of n's line (a construct inside a text node);
 * col 0 is n's own column. */
void pass_diag_col(const pass_context *ctx, cmark_node *n, int col, severity sev, const char *code,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The file column of node n. */
int pass_col(const pass_context *ctx, cmark_node *n);
/* Replace node n by a custom block (or inline) that writes enter/exit around
 * n's children, which move into it. Returns the new node. */
cmark_node *pass_wrap_custom(const pass_context *ctx, cmark_node *n, cmark_node_type type, const char *enter,
                             const char *exit);
/* Mark an HTML node as built by folio from escaped values (an inline
 * :::image), so that pass_sanitize leaves it alone; and test the mark. */
void pass_mark_built(cmark_node *n);
bool pass_is_built(cmark_node *n);
/* Plain text of a subtree (text, code, entities; no HTML), into mem. */
char *pass_plain_text(arena *mem, cmark_node *n);

#endif
