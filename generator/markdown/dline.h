/* dline: reads one triple-colon directive, `:::name key="value" flag :::`,
 * as Learn writes them: names in any case (kept in lower case), blanks
 * around '=', values in double or single quotes (a backslash escapes the
 * quote) or bare, blanks before the closing ':::'. It stops after the
 * closing ':::', so the caller sees where the directive ends and what text
 * follows it. The block extension, the block pass and the inline pass all
 * read directives through here. Strings live in the arena given. */
#ifndef FOLIO_DLINE_H
#define FOLIO_DLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

#define DLINE_MAX_ATTRS 16

typedef struct {
  const char *name;  /* lower case */
  const char *value; /* "" for a bare flag */
  int col;           /* column of the name (base_col + its offset) */
} dline_attr;

typedef struct {
  const char *name;  /* lower case: "image", "zone-end", "no-loc" */
  dline_attr attrs[DLINE_MAX_ATTRS]; /* attributes past the limit are dropped */
  size_t nattrs;
  size_t len;        /* bytes read: through the closing ::: when closed */
  bool closed;       /* ended with ::: (otherwise the text ran out) */
  /* When the directive cannot be read (dline_read returned -1): */
  const char *err_code; /* "directive-syntax" or "unterminated-quote" */
  const char *err_msg;
} dline;

/* Read the directive at s[0..n) (s starts with ":::"); base_col is the
 * column of s[0], for the columns in attrs and messages. Blanks and line
 * breaks separate attributes. Returns 0, or -1 with err_code and err_msg. */
int dline_read(arena *a, const char *s, size_t n, int base_col, dline *out);

/* The value of attribute name (lower case), or NULL. */
const char *dline_attr_value(const dline *d, const char *name);

/* Whether s[0..n) is blanks and <br> tags only (what Learn articles put
 * after a block :::image to space it out, and that folio drops). */
bool dline_only_breaks(const char *s, size_t n);

#endif
