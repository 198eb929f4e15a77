/* libFuzzer target: the template engine, compiling a template and
 * rendering it with a small page context (sections, lists, partials that
 * do not exist, unknown names). A template is trusted input, but a crash
 * or a hang on a typo is still a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  diag_list d = {0};
  template_set *ts = template_load_string("page.html", text, &d);
  if (ts) {
    arena *a = arena_new();
    tvalue *ctx = tv_map(a), *page = tv_map(a), *items = tv_list(a);
    tv_set_str(a, page, "title", "A <title> & more");
    tv_set_str(a, page, "content", "<p>body</p>");
    for (int i = 0; i < 3; i++) {
      tvalue *it = tv_map(a);
      tv_set_str(a, it, "name", i ? "second" : "first");
      tv_set_bool(a, it, "current", i == 1);
      tv_push(a, items, it);
    }
    tv_set(a, page, "items", items);
    tv_set(a, ctx, "page", page);
    tv_set_bool(a, ctx, "flag", true);
    buf out = {0};
    template_render(ts, "page.html", ctx, &out, &d);
    buf_free(&out);
    arena_free(a);
    template_free(ts);
  }
  diag_list_free(&d);
  free(text);
  return 0;
}
