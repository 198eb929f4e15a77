/* libFuzzer target: the YAML reader every project file goes through
 * (folio.yml, locale files, tocs, front matter, YAML pages, :::policy). */
#include <stdint.h>
#include <stdlib.h>

#include "yamldoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  arena *a = arena_new();
  diag_list d = {0};
  ynode *root = yamldoc_load(a, (const char *)data, size, "fuzz.yml", 0, &d);
  /* No tree means an error says why. */
  if (!root && !diag_count(&d, SEV_ERROR))
    abort();
  diag_list_free(&d);
  arena_free(a);
  return 0;
}
