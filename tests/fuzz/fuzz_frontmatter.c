/* libFuzzer target: an article's front matter (libyaml underneath). It
 * must never crash, and whatever it reports must be valid UTF-8 with a
 * position inside the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frontmatter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  arena *a = arena_new();
  diag_list d = {0};
  frontmatter fm;
  memset(&fm, 0, sizeof fm);
  frontmatter_parse(a, "fuzz.md", text, size, &fm, &d);
  for (size_t i = 0; i < d.count; i++) {
    size_t bad, nbad;
    if (!utf8_valid(d.items[i].message, strlen(d.items[i].message), &bad, &nbad))
      abort();
  }
  if (fm.body_offset > size)
    abort();
  diag_list_free(&d);
  arena_free(a);
  free(text);
  return 0;
}
