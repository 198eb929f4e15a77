/* text: Unicode for the modules that compare or show names (utf8proc).
 * Names written by people (role names in locale files, articles, activity
 * logs, the command line) are compared in one folded form, and text that
 * came from an untrusted file is made safe to print on a terminal.
 * Every string returned lives in the arena given. */
#ifndef FOLIO_TEXT_H
#define FOLIO_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Whether s[0..n) is UTF-8 as RFC 3629 has it: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
bool text_is_valid_utf8(const char *s, size_t n);

/* s case-folded (Unicode full case folding: "Straße" and "STRASSE" fold
 * alike) and in NFC (a precomposed "Ü" and "U" + U+0308 fold alike). NULL
 * when s is not valid UTF-8. Turkish dotted and dotless i are folded as
 * in every other language (U+0130 becomes "i" + U+0307). */
char *text_casefold(arena *a, const char *s);

/* The form in which two names written by people are the same name: case
 * folded and NFC as text_casefold, every run of white space (the Unicode
 * White_Space characters, the no-break space included) one ASCII space,
 * none at either end. Bytes that are not UTF-8 are kept, with ASCII letters
 * lower-cased (such a name only ever matches itself). */
char *text_name_key(arena *a, const char *s);

/* s made safe to print in a message: control characters (C0, DEL, C1),
 * format characters (the bidirectional controls, which reorder what a
 * terminal shows, zero-width characters, U+FEFF) and bytes that are not
 * UTF-8 become \u{...} or \x.. escapes; longer than max bytes, it is cut at
 * a character boundary and "..." added. */
char *text_for_display(arena *a, const char *s, size_t max);

#endif
