/* libFuzzer target: one article's body through the whole Markdown stage:
 * includes, cmark-gfm with folio's block extension, every tree pass
 * (directives, directives in text, zones, alerts and videos, headings,
 * links through the URL door, code highlighting, sanitizing) and the HTML
 * renderer. The HTML must never hold a javascript: URL or a <script>. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "markdown.h"
#include "resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *locales[] = {"en-us"};

/* Whether an href or src attribute of a tag (not text that looks like one:
 * text of an HTML block is kept as written) starts with javascript:. */
static int script_url_in_tag(const char *html) {
  for (const char *p = html; (p = strchr(p, '<')); p++) {
    const char *end = strchr(p, '>');
    if (!end)
      return 0;
    for (const char *q = p; q < end; q++)
      if ((!strncasecmp(q, " href=\"", 7) && !strncasecmp(q + 7, "javascript:", 11)) ||
          (!strncasecmp(q, " src=\"", 6) && !strncasecmp(q + 6, "javascript:", 11)))
        return 1;
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    markdown_init();
    ready = 1;
  }
  arena *a = arena_new();
  site_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.locales = locales;
  cfg.nlocales = 1;
  cfg.base_url = "https://docs.example/";
  cfg.file_bytes = CONFIG_FILE_BYTES;
  cfg.media_bytes = CONFIG_MEDIA_BYTES;
  cfg.video_hosts = config_default_video_hosts;
  locale_info loc;
  memset(&loc, 0, sizeof loc);
  loc.id = "en-us";
  loc.file = "locales/en-us.yml";
  article art;
  memset(&art, 0, sizeof art);
  art.rel = "fuzz.md";
  art.path = "content/en-us/fuzz.md";
  art.abspath = art.path;
  art.url = "fuzz.html";
  art.mem = arena_new();
  content_set cs;
  memset(&cs, 0, sizeof cs);
  cs.articles = &art;
  cs.narticles = 1;
  content_index_articles(a, &cs); /* as discover_content does */
  markdown_env env = {.cfg = &cfg, .locales = &loc, .content = &cs,
                      .index = resolve_index_build(a, &cs)};
  markdown_render_article(&env, &art, (const char *)data, size, 1);
  if (art.body_html && script_url_in_tag(art.body_html))
    abort();
  if (art.body_html && strcasestr(art.body_html, "<script"))
    abort();
  diag_list_free(&art.diags);
  free(art.body_html);
  arena_free(art.mem);
  arena_free(a);
  markdown_thread_done();
  return 0;
}
