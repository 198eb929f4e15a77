/* markdown: one article's body through cmark-gfm and folio's tree passes
 * (heading ids, Learn extensions, link rewriting), to HTML. Parsing uses a
 * per-thread scratch arena that is reset after each article; what survives
 * (HTML, headings, links) is copied into the article's own arena. */
#ifndef FOLIO_MARKDOWN_H
#define FOLIO_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "markdown_env.h"
#include "model.h"

/* Register cmark-gfm's extensions and ours. Call once, before any thread. */
void markdown_init(void);
void markdown_shutdown(void);
/* Whether articles' inline parsing runs on several threads at once (see
 * inline_chars.h); false means it runs one article at a time. */
bool markdown_parallel_inlines(void);

/* Most cells in a table row (cmark-gfm's tables are quadratic in columns). */
#define MARKDOWN_MAX_TABLE_COLUMNS 256

/* Render art's body (text, len; starting at line first_line of the file).
 * Sets art->body_html (malloc'd: see model.h), headings and links; problems
 * go to art->diags. */
int markdown_render_article(const markdown_env *env, article *art, const char *text, size_t len,
                            int first_line);

/* One Markdown field of a YAML page (an FAQ answer, a summary): text,
 * whose first line is line first_line of art's file and whose columns are
 * col_offset to the right of the file's, through the same passes as an
 * article body. Headings and links are added to art's; the HTML lives in
 * art's arena. NULL after an error. */
const char *markdown_render_fragment(const markdown_env *env, article *art, const char *text,
                                     size_t len, int first_line, int col_offset);

/* Free this thread's scratch arena (pool threads call it before exiting). */
void markdown_thread_done(void);

#endif
