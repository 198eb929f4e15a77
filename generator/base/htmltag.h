/* htmltag: read one HTML tag (<a name="x">, </a>, <br/>) from raw HTML text,
 * enough for folio's allowlist and heading anchors. Strings point into an
 * arena given by the caller. */
#ifndef FOLIO_HTMLTAG_H
#define FOLIO_HTMLTAG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct {
  const char *name;  /* lower-cased attribute name */
  const char *value; /* decoded of quotes; "" for a bare attribute */
} html_attr;

typedef struct {
  const char *name; /* lower-cased tag name */
  bool closing;     /* </x> */
  bool self_closing;/* <x/> */
  html_attr attrs[16];
  size_t nattrs;
  size_t len;       /* bytes consumed from the '<' */
} html_tag;

/* The longest tag folio reads (bytes from < to >). */
#define HTMLTAG_MAX_BYTES 8192

/* Parse a tag at s (which starts with '<'). Returns false when s is not one
 * well-formed tag (a comment, a declaration, or broken markup). */
bool htmltag_parse(arena *a, const char *s, size_t n, html_tag *out);
const char *htmltag_attr(const html_tag *t, const char *name);

#endif
