/* libFuzzer target: `folio status --record` editing a translation's front
 * matter (translation_record). The file is untrusted; the edit must never
 * crash, and when it succeeds the new text must read back with the new
 * hash under the key, every other front matter key unchanged, and the
 * body untouched. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frontmatter.h"
#include "translation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char hash[] =
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  arena *a = arena_new();
  diag_list d = {0};
  buf out = {0};
  int rc = translation_record(a, "fuzz.md", text, size, hash, &out, &d);
  if (rc < 0 && !diag_count(&d, SEV_ERROR))
    abort(); /* a refusal says why */
  if (rc == 0) {
    frontmatter before, after;
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    diag_list d1 = {0}, d2 = {0};
    char *copy = malloc(out.len + 1);
    memcpy(copy, out.data, out.len);
    copy[out.len] = '\0';
    if (frontmatter_parse(a, "after.md", copy, out.len, &after, &d2) < 0)
      abort(); /* the edit broke the front matter */
    const char *got = frontmatter_get(a, &after, TRANSLATION_HASH_KEY);
    if (!got || strcmp(got, hash))
      abort();
    /* The body is the same bytes. */
    if (frontmatter_parse(a, "before.md", text, size, &before, &d1) == 0 &&
        (size - before.body_offset != out.len - after.body_offset ||
         memcmp(text + before.body_offset, copy + after.body_offset, size - before.body_offset)))
      abort();
    diag_list_free(&d1);
    diag_list_free(&d2);
    free(copy);
  }
  buf_free(&out);
  diag_list_free(&d);
  arena_free(a);
  free(text);
  return 0;
}
