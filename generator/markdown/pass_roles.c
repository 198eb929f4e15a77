/* Role header blocks: "**Appropriate roles**: A | B", the same with the
 * colon inside the bold, a bold line alone followed by a bullet list, and
 * "Audience" blocks, in any language. Which paragraphs are headers is data:
 * the PCRE2 patterns under patterns: in locales/<locale>.yml, matched against
 * the Markdown text of each top-level paragraph (so code blocks and quotes
 * never count). Names map to canonical ids through the locale's glossary;
 * an unknown name is a warning with the nearest known name. */
#include <string.h>

#include "buf.h"
#include "passes.h"
#include "policy.h"

/* Line l (1-based) of the parsed text without its line break and leading
 * blanks: [*s, *e). */
static void line_span(const pass_context *ctx, const size_t *starts, size_t nlines, int l,
                      size_t *s, size_t *e) {
  *s = starts[l - 1];
  *e = (size_t)l < nlines ? starts[l] : ctx->src->len;
  while (*e > *s && (ctx->src->text[*e - 1] == '\n' || ctx->src->text[*e - 1] == '\r'))
    (*e)--;
  while (*s < *e && (ctx->src->text[*s] == ' ' || ctx->src->text[*s] == '\t'))
    (*s)++;
}

static bool block_lines(cmark_node *n, size_t nlines, int *first, int *last) {
  *first = cmark_node_get_start_line(n);
  *last = cmark_node_get_end_line(n);
  return *first >= 1 && (size_t)*last <= nlines && *last >= *first;
}

/* The Markdown source of a block, its lines joined by one space. */
static char *source_text(pass_context *ctx, cmark_node *n, const size_t *starts, size_t nlines) {
  int first, last;
  if (!block_lines(n, nlines, &first, &last))
    return NULL;
  buf b = {0};
  for (int l = first; l <= last; l++) {
    size_t s, e;
    line_span(ctx, starts, nlines, l, &s, &e);
    if (b.len)
      buf_putc(&b, ' ');
    buf_put(&b, ctx->src->text + s, e - s);
  }
  char *r = arena_strndup(ctx->scratch, b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}

/* The first byte source_text would return (0 when it is empty), without
 * making it; -1 when it would return NULL. */
static int source_first(const pass_context *ctx, cmark_node *n, const size_t *starts,
                        size_t nlines) {
  int first, last;
  if (!block_lines(n, nlines, &first, &last))
    return -1;
  for (int l = first; l <= last; l++) {
    size_t s, e;
    line_span(ctx, starts, nlines, l, &s, &e);
    if (s < e)
      return (unsigned char)ctx->src->text[s];
  }
  return 0;
}

/* The names of one header, mapped to ids; unknown names as written and
 * the slugs they are kept under. */
typedef struct {
  strlist ids, unknown_names, unknown_ids;
  strlist written; /* every name as written, in order (folio policy glossary) */
} header_ids;

/* Map the names to ids; an unknown name is reported at line and kept under
 * the slug of its name, so that the rule still allows it. */
static void add_names(pass_context *ctx, const strlist *names, bool audience, cmark_node *at,
                      header_ids *h) {
  strlist *ids = &h->ids;
  const policy_catalog *c = ctx->env->catalog;
  for (size_t i = 0; i < names->count; i++) {
    const char *name = names->items[i];
    if (!*policy_name_slug(ctx->scratch, name))
      continue; /* "-" or "|": no letter or digit, no name */
    strlist_add(ctx->mem, &h->written, arena_strdup(ctx->mem, name));
    const char *id = policy_catalog_lookup(c, ctx->art->locale, name, audience);
    if (!id) {
      const char *near = policy_catalog_nearest_name(c, ctx->art->locale, name, audience);
      const char *what = audience ? "audience" : "role";
      if (near)
        pass_diag(ctx, at, SEV_WARNING, "unknown-role",
                  "unknown %s '%s'; did you mean '%s' (%s)?", what, name, near,
                  policy_catalog_lookup(c, ctx->art->locale, near, audience));
      else
        pass_diag(ctx, at, SEV_WARNING, "unknown-role",
                  "unknown %s '%s' (not in the %s glossary of locales/%s.yml)", what, name,
                  audience ? "audiences:" : "roles:", ctx->env->cfg->locales[ctx->art->locale]);
      id = policy_name_slug(ctx->mem, name);
      if (!strlist_has(&h->unknown_ids, id)) {
        strlist_add(ctx->mem, &h->unknown_ids, id);
        strlist_add(ctx->mem, &h->unknown_names, arena_strdup(ctx->mem, name));
      }
    }
    if (!strlist_has(ids, id))
      strlist_add(ctx->mem, ids, id);
  }
}

static char *stem(arena *a, const char *rel) {
  size_t n = strlen(rel);
  if (n > 3 && !strcmp(rel + n - 3, ".md"))
    n -= 3;
  else if (n > 4 && !strcmp(rel + n - 4, ".yml"))
    n -= 4; /* a YAML page's rules are named as its Markdown twin's would be */
  return arena_strndup(a, rel, n);
}

static void add_rule(pass_context *ctx, cmark_node *at, bool audience, header_ids *h,
                     int section) {
  strlist *ids = &h->ids;
  if (!ctx->art->policy)
    ctx->art->policy = arena_alloc(ctx->mem, sizeof *ctx->art->policy);
  policy_article *pa = ctx->art->policy;
  const char *resource = arena_printf(ctx->mem, "article/%s", stem(ctx->scratch, ctx->art->rel));
  const char *action = audience ? "audience" : "perform";
  const char *id = arena_printf(ctx->mem, "%s:%s", resource, action);
  /* A second block of the same kind in one section (an article with
   * pivots) adds to the first; another section has a rule of its own. */
  for (size_t i = 0; i < pa->count; i++)
    if (!strcmp(pa->rules[i].id, id) && pa->rules[i].section == section) {
      for (size_t j = 0; j < ids->count; j++)
        if (!strlist_has(&pa->rules[i].allow, ids->items[j]))
          strlist_add(ctx->mem, &pa->rules[i].allow, ids->items[j]);
      for (size_t j = 0; j < h->written.count; j++)
        strlist_add(ctx->mem, &pa->rules[i].written, h->written.items[j]);
      for (size_t j = 0; j < h->unknown_ids.count; j++)
        if (!strlist_has(&pa->rules[i].unknown_ids, h->unknown_ids.items[j])) {
          strlist_add(ctx->mem, &pa->rules[i].unknown_ids, h->unknown_ids.items[j]);
          strlist_add(ctx->mem, &pa->rules[i].unknown_names, h->unknown_names.items[j]);
        }
      strlist_sort(&pa->rules[i].allow);
      return;
    }
  policy_rule r;
  memset(&r, 0, sizeof r);
  r.id = id;
  r.kind = audience ? RULE_AUDIENCE : RULE_TASK;
  r.resource = resource;
  r.action = action;
  r.allow = *ids;
  strlist_sort(&r.allow);
  r.unknown_ids = h->unknown_ids;
  r.section = section;
  r.written = h->written;
  r.unknown_names = h->unknown_names;
  r.article = ctx->art->rel;
  r.locale = ctx->env->cfg->locales[ctx->art->locale];
  int l = cmark_node_get_start_line(at);
  const source_line *sl = l > 0 && (size_t)l <= ctx->src->nlines ? &ctx->src->lines[l - 1] : NULL;
  r.file = sl ? sl->file : ctx->art->path;
  r.line = sl ? sl->line : 0;
  ARENA_PUSH(ctx->mem, pa->rules, pa->count, pa->cap, r);
}

void pass_roles(pass_context *ctx, cmark_node *doc) {
  if (!ctx->env->catalog)
    return;
  size_t *starts = NULL, nlines = 0, cap = 0;
  int section = 0; /* headings below H1 so far: the header's section */
  for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
    if (cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) >= 2)
      section++;
    if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
      continue;
    if (!starts) { /* where each line of the parsed text starts, once */
      ARENA_PUSH(ctx->scratch, starts, nlines, cap, 0);
      const char *text = ctx->src->text, *end = text + ctx->src->len;
      for (const char *p = text; (p = memchr(p, '\n', (size_t)(end - p))) && ++p < end;)
        ARENA_PUSH(ctx->scratch, starts, nlines, cap, (size_t)(p - text));
    }
    /* Most paragraphs cannot start a header: the patterns say which first
     * byte one needs (policy_header_may_start), so most texts are not made. */
    int b = source_first(ctx, n, starts, nlines);
    if (b < 0 || !policy_header_may_start(ctx->env->catalog, ctx->art->locale, (unsigned char)b))
      continue;
    char *text = source_text(ctx, n, starts, nlines);
    if (!text)
      continue;
    policy_header h;
    int line = pass_line(ctx, n);
    if (policy_match_header(ctx->env->catalog, ctx->art->locale, ctx->scratch, text, ctx->art->path,
                            line, &h, ctx->diags) != 1)
      continue;
    bool audience = !strcmp(h.kind, "audience");
    strlist names = {0};
    header_ids ids = {0};
    cmark_node *list = cmark_node_next(n);
    if (*h.names) {
      policy_split_names(ctx->env->catalog, ctx->art->locale, ctx->scratch, h.names, &names);
      add_names(ctx, &names, audience, n, &ids);
    } else if (list && cmark_node_get_type(list) == CMARK_NODE_LIST) {
      for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
        strlist one = {0};
        policy_split_names(ctx->env->catalog, ctx->art->locale, ctx->scratch,
                           pass_plain_text(ctx->scratch, item), &one);
        add_names(ctx, &one, audience, item, &ids);
      }
    }
    /* No names on the line and no list, or only punctuation: no rule, since
     * a rule that allows nobody would deny everyone. */
    if (!ids.ids.count) {
      pass_diag(ctx, n, SEV_WARNING, "role-header-empty",
                "this %s header names nobody: put the names on the line or in a list right "
                "after it",
                audience ? "audience" : "roles");
      continue;
    }
    add_rule(ctx, n, audience, &ids, section);
  }
}
