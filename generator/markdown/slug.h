/* slug: the id a heading gets when it has none of its own, the way GitHub
 * and Learn make it. The string lives in the arena given. */
#ifndef FOLIO_SLUG_H
#define FOLIO_SLUG_H

#include "arena.h"

char *slug_make(arena *a, const char *text);

#endif
