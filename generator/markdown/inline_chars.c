/* Why: cmark-gfm 0.29 keeps the set of characters that stop a text run
 * during inline parsing in a process-wide table. cmark_parser_finish adds
 * the attached extensions' characters (~ for strikethrough; : and w for
 * autolinks) before inline parsing and removes them after, through
 * cmark_manage_extensions_special_characters(parser, add). Two threads
 * finishing at once clear each other's characters: strikethrough and
 * autolinks go missing at random (the golden tests at -j 4 saw it).
 *
 * How: that function is exported by libcmark-gfm.so.0.29.0.gfm.6, and
 * cmark_parser_finish calls it through the PLT (objdump -d shows both calls
 * as "call <cmark_manage_extensions_special_characters@plt>"; readelf -r
 * shows its R_X86_64_JUMP_SLOT), so the dynamic linker binds those calls to
 * the first definition in the lookup order: the one below, in the
 * executable. Once, before any thread, inline_chars_pin adds the characters
 * of every extension folio uses through the library's own function (found
 * with dlsym(RTLD_NEXT)); from then on every call does nothing, so the
 * table is only read while articles are parsed. Every folio parser attaches
 * the same extensions, so the characters are the right ones for each.
 *
 * Failing safe: the pin takes effect only after a probe proves it works. A
 * parse of a probe document must call this definition exactly twice (add,
 * then remove) and, with the characters pinned and both calls ignored,
 * still render strikethrough and an autolink. If dlsym finds no library
 * function, if the library calls its own copy directly (another build or
 * version, or an executable that does not export the symbol), or if the
 * output is wrong, the pin is undone, every call goes to the library as
 * before, and inline_chars_pin returns false: markdown.c then keeps
 * finishing one article at a time under its mutex. */
#define _GNU_SOURCE
#include "inline_chars.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-extension_api.h>

typedef void (*manage_fn)(cmark_parser *parser, int add);

/* Written only by inline_chars_pin, before any parsing thread starts. */
static manage_fn library_manage;
static enum { FORWARD, PROBE, PINNED } mode = FORWARD;
static int probe_calls;

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add) {
  if (mode == PINNED)
    return;
  if (mode == PROBE) {
    probe_calls++;
    return;
  }
  if (library_manage)
    library_manage(parser, add);
}

/* Strikethrough needs ~ in the table, the www. autolink w: both must come
 * out of a parse that ran with the characters pinned. */
static const char probe_text[] = "~~gone~~ and www.example.com\n";

static bool probe_renders(cmark_parser *p) {
  cmark_node *doc = cmark_parser_finish(p);
  if (!doc)
    return false;
  char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
  bool ok = html && strstr(html, "<del>gone</del>") &&
            strstr(html, "<a href=\"http://www.example.com\">");
  free(html);
  cmark_node_free(doc);
  return ok;
}

bool inline_chars_pin(cmark_parser *probe) {
  if (mode == PINNED)
    return true;
  library_manage = (manage_fn)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
  if (!library_manage || library_manage == cmark_manage_extensions_special_characters)
    return false;
  library_manage(probe, 1);
  mode = PROBE;
  probe_calls = 0;
  cmark_parser_feed(probe, probe_text, sizeof probe_text - 1);
  bool ok = probe_renders(probe) && probe_calls == 2;
  if (!ok) {
    /* Back to the library's own behaviour: the characters out of the
     * table, every call forwarded. */
    mode = FORWARD;
    library_manage(probe, 0);
    return false;
  }
  mode = PINNED;
  return true;
}

bool inline_chars_pinned(void) { return mode == PINNED; }
