/* include: expands [!INCLUDE [title](path)] before parsing, as DocFX does,
 * block form (alone on its line) and inline form. Paths are relative to the
 * file that names them and must stay inside the locale folder; a translation
 * without its own copy uses the source locale's. A cycle is an error that
 * lists the chain. The expanded text keeps a map from its lines back to the
 * file and line each came from, so diagnostics point at the right place. */
#ifndef FOLIO_INCLUDE_H
#define FOLIO_INCLUDE_H

#include "config.h"
#include "model.h"

typedef struct {
  const char *file;     /* path for messages */
  const char *rel;      /* that file inside its locale folder (links in it are relative to it) */
  int line;             /* line in that file */
  int via_line;         /* line of the article's [!INCLUDE] (0 in the article) */
} source_line;

typedef struct {
  char *text;           /* expanded Markdown, in the arena given to include_expand */
  size_t len;
  source_line *lines;   /* one per line of text (index 0 = line 1) */
  size_t nlines;
} expanded_text;

/* Read every include file once, before the articles are processed in
 * parallel (a shared snippet would otherwise be read once per article). */
void include_preload(arena *mem, content_set *cs);

/* Expand the body of art (text, len, starting at first_line of the file).
 * The text and the line map go into mem (parsing needs them, the article
 * does not keep them); the file names the map points to live in art's
 * arena, as long as the article. Returns 0, or -1 after errors (the text
 * is still usable). */
int include_expand(const site_config *cfg, const content_set *cs, article *art, const char *text,
                   size_t len, int first_line, arena *mem, expanded_text *out);

/* The include files the body of art expands, in the order include_expand
 * reads them (a nested include after the one naming it; a file included
 * twice is listed twice). What cannot be expanded (missing, a cycle, past a
 * limit) is left out, without diagnostics: include_expand reports those.
 * *out is malloc'd (NULL when none); returns the count. */
size_t include_list(const site_config *cfg, const content_set *cs, article *art, const char *text,
                    size_t len, const content_file ***out);

#endif
