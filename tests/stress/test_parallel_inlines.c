/* Inline parsing on many threads at once (inline_chars.c): folio must have
 * pinned cmark-gfm's special characters at start-up, and then threads that
 * parse and render documents using every GFM extension at the same time
 * must each get exactly the single-threaded HTML. Without the pin (or the
 * mutex it replaces) strikethrough and autolinks go missing within a few
 * hundred documents. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <pthread.h>

#include "markdown.h"
#include "test.h"

#define THREADS 8
#define ROUNDS 3000

static const char doc[] =
    "# Title ~~old~~\n\n"
    "Text with ~~strike~~, www.example.com, https://example.org/a?b=c and x@example.com.\n\n"
    "| a | ~~b~~ |\n|---|---|\n| www.example.net | `~~code~~` |\n\n"
    "- [ ] task ~one~\n- [x] done https://example.com/done\n\n"
    "Footnote[^1] and <kbd>K</kbd>.\n\n[^1]: The ~~note~~ www.note.example.\n";

static const char *const names[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};

static char *render(void) {
  int opt = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES;
  cmark_parser *p = cmark_parser_new(opt);
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(names[i]));
  cmark_parser_feed(p, doc, sizeof doc - 1);
  cmark_node *root = cmark_parser_finish(p);
  char *html = cmark_render_html(root, opt, cmark_parser_get_syntax_extensions(p));
  cmark_node_free(root);
  cmark_parser_free(p);
  return html;
}

static const char *expected;

static void *worker(void *arg) {
  int *wrong = arg;
  for (int i = 0; i < ROUNDS; i++) {
    char *html = render();
    if (strcmp(html, expected))
      (*wrong)++;
    free(html);
  }
  return NULL;
}

static void test_pinned(void) { CHECK(markdown_parallel_inlines()); }

static void test_threads(void) {
  char *ref = render();
  expected = ref;
  CHECK(strstr(ref, "<del>strike</del>") != NULL);
  CHECK(strstr(ref, "<a href=\"http://www.example.com\">") != NULL);
  CHECK(strstr(ref, "type=\"checkbox\"") != NULL);
  pthread_t t[THREADS];
  int wrong[THREADS] = {0};
  for (int i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, worker, &wrong[i]);
  int total = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(t[i], NULL);
    total += wrong[i];
  }
  CHECK_INT(total, 0);
  free(ref);
}

int main(void) {
  markdown_init();
  RUN(test_pinned);
  RUN(test_threads);
  return test_done();
}
