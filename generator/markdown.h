/* markdown: one article's body through cmark-gfm and folio's tree passes
 * (heading ids, Learn extensions, link rewriting), to HTML. Parsing uses a
 * per-thread scratch arena that is reset after each article; what survives
 * (HTML, headings, links) is copied into the article's own arena. */
#ifndef FOLIO_MARKDOWN_H
#define FOLIO_MARKDOWN_H

#include <stddef.h>

#include "build.h"

/* Register cmark-gfm's extensions and ours. Call once, before any thread. */
void markdown_init(void);
void markdown_shutdown(void);

/* Render art's body (text, len; starting at line first_line of the file).
 * Sets art->body_html, headings and links; problems go to art->diags. */
int markdown_render_article(const build *b, article *art, const char *text, size_t len,
                            int first_line);

/* The arena of the article this thread is parsing (for extensions). */
arena *markdown_scratch(void);

/* Free this thread's scratch arena (pool threads call it before exiting). */
void markdown_thread_done(void);

/* GitHub-style slug of heading text into out (arena). */
char *markdown_slug(arena *a, const char *text);

#endif
