/* strmap: a hash map from strings to ints, for sets of ids and counters
 * where a linear scan would make large articles quadratic. Keys are not
 * copied: they must outlive the map. The table lives in the arena given. */
#ifndef FOLIO_STRMAP_H
#define FOLIO_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct {
  const char **keys;
  int *values;
  size_t cap, count; /* cap is 0 or a power of two */
  arena *mem;
} strmap;

void strmap_init(strmap *m, arena *mem);
/* Pointer to the value of key, or NULL when absent. */
int *strmap_get(const strmap *m, const char *key);
/* Set key to value (insert or overwrite). */
void strmap_set(strmap *m, const char *key, int value);

#endif
