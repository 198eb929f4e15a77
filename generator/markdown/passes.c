#include "passes.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ext_directive.h"

static cmark_syntax_extension *directive_ext;

void passes_init(void) {
  if (!directive_ext)
    directive_ext = ext_directive_create();
}

void passes_attach(cmark_parser *parser) { cmark_parser_attach_syntax_extension(parser, directive_ext); }

void passes_run(pass_context *ctx, cmark_node *doc) {
  pass_directives(ctx, doc);
  pass_inline(ctx, doc);
  pass_zones(ctx, doc);
  pass_roles(ctx, doc);
  pass_alerts(ctx, doc);
  pass_headings(ctx, doc);
  pass_links(ctx, doc);
  pass_code(ctx, doc);
  pass_tasks(ctx, doc);
  pass_sanitize(ctx, doc);
}

