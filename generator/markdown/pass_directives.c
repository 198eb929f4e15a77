/* Triple-colon directives, after parsing: pair each opener (:::zone,
 * :::row, :::column, complex :::image) with its -end line among its
 * siblings and wrap what lies between; render images (policy blocks are
 * pass_policy.c's).
 * Every value that came from content is escaped here: cmark writes custom
 * blocks as they are. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dline.h"
#include "ext_directive.h"
#include "linkref.h"
#include "passes.h"
#include "url.h"
#include "yamldoc.h"

/* Read a directive node's line; false after a diagnostic. */
static bool parse_line(pass_context *ctx, cmark_node *n, const char *raw, dline *out) {
  if (dline_read(ctx->scratch, raw, strlen(raw), cmark_node_get_start_column(n), out) == 0)
    return true;
  pass_diag(ctx, n, SEV_ERROR, out->err_code, "%s", out->err_msg);
  return false;
}

static const char *attr(const dline *d, const char *name) { return dline_attr_value(d, name); }

static bool check_attrs(pass_context *ctx, cmark_node *n, int col, const dline *d,
                        const char *const *known) {
  bool ok = true;
  for (size_t i = 0; i < d->nattrs; i++) {
    bool found = false;
    for (const char *const *k = known; *k && !found; k++)
      found = !strcmp(*k, d->attrs[i].name);
    if (!found) {
      pass_diag_col(ctx, n, col, SEV_WARNING, "unknown-attribute",
                    "unknown attribute '%s' (column %d) on :::%s is ignored", d->attrs[i].name,
                    d->attrs[i].col, d->name);
      ok = false;
    }
  }
  return ok;
}

static const char *ui(pass_context *ctx, const char *key, const char *fallback) {
  const char *s = l10n_string(&ctx->env->locales[ctx->art->locale], key);
  return s ? s : fallback;
}

/* border: "true" or "false" in any case; a bare `border` asks for one;
 * otherwise Learn's default: content and complex images have a border,
 * icons do not. */
static bool wants_border(const char *v, const char *type) {
  if (v && (!strcasecmp(v, "true") || !*v))
    return true;
  if (v && !strcasecmp(v, "false"))
    return false;
  return strcmp(type, "icon") != 0;
}

/* Replace a directive by a custom block with the given HTML. */
static cmark_node *replace(pass_context *ctx, cmark_node *n, const char *enter, const char *exit) {
  return pass_wrap_custom(ctx, n, CMARK_NODE_CUSTOM_BLOCK, enter, exit);
}

bool pass_image_html(pass_context *ctx, cmark_node *n, int col, const dline *d, bool in_text,
                     buf *out, const char **desc_id) {
  static const char *const known[] = {"type", "source", "alt-text", "border", "lightbox",
                                      "link", "loc-scope", NULL};
  check_attrs(ctx, n, col, d, known);
  const char *type = attr(d, "type");
  if (!type)
    type = "content";
  if (strcmp(type, "content") && strcmp(type, "complex") && strcmp(type, "icon")) {
    pass_diag_col(ctx, n, col, SEV_ERROR, "image-invalid-type",
                  "image type '%s' is not one of content, complex, icon", type);
    return false;
  }
  bool complex = !strcmp(type, "complex");
  if (complex && in_text) {
    pass_diag_col(ctx, n, col, SEV_ERROR, "image-invalid-type",
                  "a type=\"complex\" image cannot stand in text: start it on a line of its "
                  "own and end its description with :::image-end:::");
    return false;
  }
  const char *src = attr(d, "source"), *alt = attr(d, "alt-text");
  bool ok = true;
  if (!src || !*src) {
    pass_diag_col(ctx, n, col, SEV_ERROR, "image-missing-source",
                  ":::image has no source attribute");
    ok = false;
  }
  if (strcmp(type, "icon") && (!alt || !*alt)) {
    pass_diag_col(ctx, n, col, SEV_ERROR, "missing-alt-text",
                  ":::image needs alt-text (only type=\"icon\" images may go without)");
    ok = false;
  }
  if (!ok)
    return false;
  const char *url = linkref_resolve_at(ctx, n, col, src, true);
  if (!url)
    return false; /* a source that is not allowed: no image at all */
  const char *lightbox = attr(d, "lightbox"), *link = attr(d, "link");
  const char *href = link ? linkref_resolve_at(ctx, n, col, link, false)
                     : lightbox ? linkref_resolve_at(ctx, n, col, lightbox, true)
                                : NULL;
  buf_printf(out, in_text ? "<span class=\"image %s\">" : "<figure class=\"image %s\">", type);
  if (href) {
    buf_puts(out, "<a href=\"");
    url_put_attr(out, href);
    buf_puts(out, "\"");
    /* Without JavaScript the link opens the large image; folio.js shows it
     * in a dialog, with this label on its close button. */
    if (lightbox && !link) {
      buf_puts(out, " class=\"lightbox\" data-close-label=\"");
      buf_puts_html(out, ui(ctx, "lightbox_close", "Close"));
      buf_puts(out, "\"");
    }
    buf_puts(out, ">");
  }
  buf_puts(out, "<img src=\"");
  url_put_attr(out, url);
  buf_puts(out, "\" alt=\"");
  if (strcmp(type, "icon"))
    buf_puts_html(out, alt);
  buf_puts(out, "\"");
  if (!strcmp(type, "icon"))
    buf_puts(out, " role=\"presentation\"");
  if (wants_border(attr(d, "border"), type))
    buf_puts(out, " class=\"border\"");
  const char *scope = attr(d, "loc-scope");
  if (scope) {
    buf_puts(out, " data-loc-scope=\"");
    buf_puts_html(out, scope);
    buf_puts(out, "\"");
  }
  if (complex) {
    *desc_id = arena_printf(ctx->scratch, "image-description-%d", ++ctx->images);
    buf_printf(out, " aria-describedby=\"%s\"", *desc_id);
  }
  buf_puts(out, " loading=\"lazy\">");
  if (href)
    buf_puts(out, "</a>");
  if (in_text)
    buf_puts(out, "</span>");
  return true;
}

/* ---- pairing ---- */

typedef struct {
  cmark_node *node;
  dline d;
  const char *end_name;  /* "zone-end" */
  const char *enter, *exit;
  int zone;              /* index in ctx->zones for a :::zone, else -1 */
} opener;

static const char *end_of(const dline *d) {
  if (!strcmp(d->name, "zone"))
    return "zone-end";
  if (!strcmp(d->name, "row"))
    return "row-end";
  if (!strcmp(d->name, "column"))
    return "column-end";
  if (!strcmp(d->name, "image")) {
    const char *t = attr(d, "type");
    return t && !strcmp(t, "complex") ? "image-end" : NULL;
  }
  return NULL;
}

/* Move the siblings strictly between open and close into a new container,
 * which is returned. */
static cmark_node *wrap_between(pass_context *ctx, opener *o, cmark_node *close) {
  cmark_node *c = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, ctx->cmem);
  cmark_node_set_on_enter(c, o->enter);
  cmark_node_set_on_exit(c, o->exit);
  cmark_node *x = cmark_node_next(o->node);
  while (x && x != close) {
    cmark_node *next = cmark_node_next(x);
    cmark_node_append_child(c, x);
    x = next;
  }
  cmark_node_replace(o->node, c);
  cmark_node_free(o->node);
  cmark_node_free(close);
  return c;
}

void pass_directives_visit(pass_context *ctx, pass_nodes *found, cmark_event_type ev, cmark_node *n,
                           cmark_node_type t) {
  (void)t;
  if (ev == CMARK_EVENT_ENTER && ext_directive_data(n))
    pass_nodes_add(ctx, found, n);
}

void pass_directives_act(pass_context *ctx, const pass_nodes *found) {
  cmark_node **nodes = found->items;
  size_t n = found->n;
  opener *stack = NULL;
  size_t depth = 0, scap = 0;
  for (size_t i = 0; i < n; i++) {
    cmark_node *x = nodes[i];
    directive_data *dd = ext_directive_data(x);
    dline d;
    if (!parse_line(ctx, x, dd->raw, &d)) {
      cmark_node_free(x);
      continue;
    }
    const char *end = end_of(&d);
    if (end) {
      opener o = {x, d, end, NULL, NULL, -1};
      buf enter = {0};
      if (!strcmp(d.name, "zone")) {
        const char *pivot = attr(&d, "pivot");
        if (!pivot)
          pass_diag(ctx, x, SEV_ERROR, "directive-syntax", ":::zone needs a pivot=\"...\"");
        static const char *const known[] = {"pivot", "target", NULL};
        check_attrs(ctx, x, 0, &d, known);
        buf_puts(&enter, "<div class=\"zone\" data-pivot=\"");
        buf_puts_html(&enter, pivot ? pivot : "");
        buf_puts(&enter, "\">");
        o.exit = "</div>";
        o.zone = pivot ? pass_zone_open(ctx, x, pivot) : -1;
      } else if (!strcmp(d.name, "row")) {
        static const char *const known[] = {NULL};
        check_attrs(ctx, x, 0, &d, known);
        buf_puts(&enter, "<div class=\"row\">");
        o.exit = "</div>";
      } else if (!strcmp(d.name, "column")) {
        static const char *const known[] = {"span", NULL};
        check_attrs(ctx, x, 0, &d, known);
        const char *span = attr(&d, "span");
        buf_puts(&enter, "<div class=\"column\"");
        if (span) {
          buf_puts(&enter, " data-span=\"");
          buf_puts_html(&enter, span);
          buf_puts(&enter, "\"");
        }
        buf_puts(&enter, ">");
        o.exit = "</div>";
      } else { /* complex image */
        const char *desc = NULL;
        if (!pass_image_html(ctx, x, 0, &d, false, &enter, &desc)) {
          buf_free(&enter);
          buf_puts(&enter, "<div hidden>");
          o.exit = "</div>";
        } else {
          buf_puts(&enter, "<details class=\"long-description\"><summary>");
          buf_puts_html(&enter, ui(ctx, "image_description", "Description of the image"));
          buf_printf(&enter, "</summary><div id=\"%s\">", desc);
          o.exit = "</div></details></figure>";
        }
      }
      o.enter = arena_strdup(ctx->scratch, buf_cstr(&enter));
      buf_free(&enter);
      ARENA_PUSH(ctx->scratch, stack, depth, scap, o);
      continue;
    }
    const char *name = d.name;
    size_t nl = strlen(name);
    if (nl > 4 && !strcmp(name + nl - 4, "-end")) {
      /* Close the innermost matching opener in the same parent. */
      size_t k = depth;
      while (k > 0 && strcmp(stack[k - 1].end_name, name))
        k--;
      if (k == 0) {
        pass_diag(ctx, x, SEV_ERROR, "directive-unopened", ":::%s has no opening :::%.*s", name,
                  (int)(nl - 4), name);
        cmark_node_free(x);
        continue;
      }
      opener *o = &stack[k - 1];
      if (cmark_node_parent(o->node) != cmark_node_parent(x)) {
        pass_diag(ctx, x, SEV_ERROR, "directive-nesting",
                  ":::%s closes :::%.*s from line %d, which is in another block (list or quote)",
                  name, (int)(nl - 4), name, pass_line(ctx, o->node));
        cmark_node_free(x);
        continue;
      }
      /* Openers above k were never closed. */
      for (size_t j = depth; j > k; j--) {
        pass_diag(ctx, stack[j - 1].node, SEV_ERROR, "directive-unclosed",
                  ":::%s is never closed by :::%s", stack[j - 1].d.name, stack[j - 1].end_name);
        cmark_node_free(stack[j - 1].node);
      }
      depth = k - 1;
      cmark_node *c = wrap_between(ctx, o, x);
      if (o->zone >= 0)
        pass_zone_close(ctx, o->zone, c);
      continue;
    }
    if (!strcmp(name, "image")) {
      buf html = {0};
      const char *desc = NULL;
      if (pass_image_html(ctx, x, 0, &d, false, &html, &desc)) {
        buf_puts(&html, "</figure>");
        replace(ctx, x, buf_cstr(&html), "");
      } else {
        cmark_node_free(x);
      }
      buf_free(&html);
    } else if (!strcmp(name, "policy")) {
      pass_policy_block(ctx, x, attr(&d, "id"), dd);
    } else {
      pass_diag(ctx, x, SEV_ERROR, "unknown-directive",
                "unknown directive ':::%s' (known: image, zone, row, column, policy)", name);
      cmark_node_free(x);
    }
  }
  for (size_t j = depth; j > 0; j--) {
    pass_diag(ctx, stack[j - 1].node, SEV_ERROR, "directive-unclosed",
              ":::%s is never closed by :::%s", stack[j - 1].d.name, stack[j - 1].end_name);
    cmark_node_free(stack[j - 1].node);
  }
}
