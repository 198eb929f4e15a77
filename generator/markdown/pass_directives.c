/* Triple-colon directives, after parsing: pair each opener (:::zone,
 * :::row, :::column, complex :::image) with its -end line among its
 * siblings and wrap what lies between; render images (policy blocks are
 * pass_policy.c's).
 * Every value that came from content is escaped here: cmark writes custom
 * blocks as they are. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "ext_directive.h"
#include "linkref.h"
#include "passes.h"
#include "url.h"
#include "yamldoc.h"

typedef struct {
  const char *name;
  const char *value;
  int col; /* column of the attribute in the line */
} dattr;

typedef struct {
  const char *name; /* "image", "zone-end", ... */
  dattr attrs[16];
  size_t nattrs;
} dline;

static bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

/* Parse ":::name key="v" key2='v' flag:::"; false after a diagnostic. */
static bool parse_line(pass_context *ctx, cmark_node *n, const char *raw, dline *out) {
  memset(out, 0, sizeof *out);
  int base = cmark_node_get_start_column(n);
  const char *p = raw + 3;
  const char *s = p;
  while (word_char(*p))
    p++;
  out->name = arena_strndup(ctx->scratch, s, (size_t)(p - s));
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (!*p || !strcmp(p, ":::"))
      return true;
    const char *k = p;
    while (word_char(*p))
      p++;
    if (p == k) {
      pass_diag(ctx, n, SEV_ERROR, "directive-syntax",
                "unexpected '%c' at column %d of :::%s (attributes are written key=\"value\")", *p,
                base + (int)(p - raw), out->name);
      return false;
    }
    dattr a = {arena_strndup(ctx->scratch, k, (size_t)(p - k)), "", base + (int)(k - raw)};
    if (*p == '=') {
      p++;
      if (*p == '"' || *p == '\'') {
        char q = *p++;
        const char *v = p;
        while (*p && *p != q)
          p++;
        if (!*p) {
          pass_diag(ctx, n, SEV_ERROR, "unterminated-quote",
                    "the value of '%s' (column %d) has no closing %c", a.name, a.col, q);
          return false;
        }
        a.value = arena_strndup(ctx->scratch, v, (size_t)(p - v));
        p++;
      } else {
        const char *v = p;
        while (*p && *p != ' ' && *p != '\t' && strncmp(p, ":::", 3))
          p++;
        a.value = arena_strndup(ctx->scratch, v, (size_t)(p - v));
      }
    }
    if (out->nattrs < sizeof out->attrs / sizeof *out->attrs)
      out->attrs[out->nattrs++] = a;
  }
}

static const char *attr(const dline *d, const char *name) {
  for (size_t i = 0; i < d->nattrs; i++)
    if (!strcmp(d->attrs[i].name, name))
      return d->attrs[i].value;
  return NULL;
}

static bool check_attrs(pass_context *ctx, cmark_node *n, const dline *d, const char *const *known) {
  bool ok = true;
  for (size_t i = 0; i < d->nattrs; i++) {
    bool found = false;
    for (const char *const *k = known; *k && !found; k++)
      found = !strcmp(*k, d->attrs[i].name);
    if (!found) {
      pass_diag(ctx, n, SEV_WARNING, "unknown-attribute",
                "unknown attribute '%s' (column %d) on :::%s is ignored", d->attrs[i].name,
                d->attrs[i].col, d->name);
      ok = false;
    }
  }
  return ok;
}

static const char *ui(pass_context *ctx, const char *key) {
  const char *s = l10n_string(&ctx->env->locales[ctx->art->locale], key);
  return s ? s : key;
}

static bool truthy(const char *v) { return v && (!strcmp(v, "true") || !*v); }

/* Replace a directive by a custom block with the given HTML. */
static cmark_node *replace(pass_context *ctx, cmark_node *n, const char *enter, const char *exit) {
  return pass_wrap_custom(ctx, n, CMARK_NODE_CUSTOM_BLOCK, enter, exit);
}

/* Returns the opening HTML of an image; complex images leave the
 * description open (the caller closes it). */
static bool image_html(pass_context *ctx, cmark_node *n, const dline *d, buf *out, bool *complex,
                       const char **desc_id) {
  static const char *const known[] = {"type", "source", "alt-text", "border", "lightbox",
                                      "link", "loc-scope", NULL};
  check_attrs(ctx, n, d, known);
  const char *type = attr(d, "type");
  if (!type)
    type = "content";
  if (strcmp(type, "content") && strcmp(type, "complex") && strcmp(type, "icon")) {
    pass_diag(ctx, n, SEV_ERROR, "image-invalid-type",
              "image type '%s' is not one of content, complex, icon", type);
    return false;
  }
  *complex = !strcmp(type, "complex");
  const char *src = attr(d, "source"), *alt = attr(d, "alt-text");
  bool ok = true;
  if (!src || !*src) {
    pass_diag(ctx, n, SEV_ERROR, "image-missing-source", ":::image has no source attribute");
    ok = false;
  }
  if (strcmp(type, "icon") && (!alt || !*alt)) {
    pass_diag(ctx, n, SEV_ERROR, "missing-alt-text",
              ":::image needs alt-text (only type=\"icon\" images may go without)");
    ok = false;
  }
  if (!ok)
    return false;
  const char *url = linkref_resolve(ctx, n, src, true);
  if (!url)
    return false; /* a source that is not allowed: no image at all */
  const char *lightbox = attr(d, "lightbox"), *link = attr(d, "link");
  const char *href = link ? linkref_resolve(ctx, n, link, false)
                     : lightbox ? linkref_resolve(ctx, n, lightbox, true)
                                : NULL;
  buf_printf(out, "<figure class=\"image %s\">", type);
  if (href) {
    buf_puts(out, "<a href=\"");
    url_put_attr(out, href);
    buf_puts(out, lightbox && !link ? "\" class=\"lightbox\">" : "\">");
  }
  buf_puts(out, "<img src=\"");
  url_put_attr(out, url);
  buf_puts(out, "\" alt=\"");
  if (strcmp(type, "icon"))
    buf_puts_html(out, alt);
  buf_puts(out, "\"");
  if (!strcmp(type, "icon"))
    buf_puts(out, " role=\"presentation\"");
  if (truthy(attr(d, "border")) && attr(d, "border"))
    buf_puts(out, " class=\"border\"");
  const char *scope = attr(d, "loc-scope");
  if (scope) {
    buf_puts(out, " data-loc-scope=\"");
    buf_puts_html(out, scope);
    buf_puts(out, "\"");
  }
  if (*complex) {
    *desc_id = arena_printf(ctx->scratch, "image-description-%d", ++ctx->images);
    buf_printf(out, " aria-describedby=\"%s\"", *desc_id);
  }
  buf_puts(out, " loading=\"lazy\">");
  if (href)
    buf_puts(out, "</a>");
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

void pass_directives(pass_context *ctx, cmark_node *doc) {
  cmark_node **nodes = NULL;
  size_t n = 0, cap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *x = cmark_iter_get_node(it);
    if (ev == CMARK_EVENT_ENTER && ext_directive_data(x))
      ARENA_PUSH(ctx->scratch, nodes, n, cap, x);
  }
  cmark_iter_free(it);

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
        check_attrs(ctx, x, &d, known);
        buf_puts(&enter, "<div class=\"zone\" data-pivot=\"");
        buf_puts_html(&enter, pivot ? pivot : "");
        buf_puts(&enter, "\">");
        o.exit = "</div>";
        o.zone = pivot ? pass_zone_open(ctx, x, pivot) : -1;
      } else if (!strcmp(d.name, "row")) {
        static const char *const known[] = {NULL};
        check_attrs(ctx, x, &d, known);
        buf_puts(&enter, "<div class=\"row\">");
        o.exit = "</div>";
      } else if (!strcmp(d.name, "column")) {
        static const char *const known[] = {"span", NULL};
        check_attrs(ctx, x, &d, known);
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
        bool complex = false;
        const char *desc = NULL;
        if (!image_html(ctx, x, &d, &enter, &complex, &desc)) {
          buf_free(&enter);
          buf_puts(&enter, "<div hidden>");
          o.exit = "</div>";
        } else {
          buf_puts(&enter, "<details class=\"long-description\"><summary>");
          buf_puts_html(&enter, ui(ctx, "image_description"));
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
      bool complex = false;
      const char *desc = NULL;
      if (image_html(ctx, x, &d, &html, &complex, &desc)) {
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
