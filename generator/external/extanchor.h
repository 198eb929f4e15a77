/* extanchor: does an HTML page (untrusted, possibly cut short) define the
 * target of a #fragment? A small, bounded scan of its tags, without an HTML
 * library: id= on any element, name= on <a>. Nothing is allocated. */
#ifndef FOLIO_EXTANCHOR_H
#define FOLIO_EXTANCHOR_H

#include <stdbool.h>
#include <stddef.h>

/* Whether fragment needs no element: empty, "top" (any case) or a text
 * directive (":~:text=..."). Such fragments are always found. */
bool extanchor_is_implicit(const char *fragment);

/* Whether html[0..len) has an element whose id (or, on <a>, name) equals the
 * fragment, as written in the URL or percent-decoded. Comments, doctypes,
 * end tags and the text of <script> and <style> are skipped; attribute
 * values have their character references (&amp;, &#39;, ...) decoded. */
bool extanchor_find(const char *html, size_t len, const char *fragment);

#endif
