/* The control for violation.c: the same kind of file including a header of
 * its own layer compiles, so the failure above is the layer rule at work. */
#include "arena.h"

int layer_allowed(void);
int layer_allowed(void) { return 0; }
