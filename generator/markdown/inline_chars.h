/* inline_chars: lets several threads run cmark-gfm's inline parsing at once.
 * cmark-gfm 0.29 adds the extensions' special characters to a process-wide
 * table at the start of every cmark_parser_finish and removes them at the
 * end; inline_chars_pin adds them once for good instead (see the .c file for
 * how, and how it falls back). */
#ifndef FOLIO_INLINE_CHARS_H
#define FOLIO_INLINE_CHARS_H

#include <stdbool.h>

#include <cmark-gfm.h>

/* Call once, before any thread, with a parser that has every syntax
 * extension folio attaches (and nothing fed yet). Returns true when
 * cmark_parser_finish may run on several threads at once; false means
 * nothing changed and callers must keep finishing one at a time. */
bool inline_chars_pin(cmark_parser *probe);

/* What inline_chars_pin returned (false before it ran). */
bool inline_chars_pinned(void);

#endif
