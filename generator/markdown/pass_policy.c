/* :::policy blocks: the YAML body becomes the article's action rules (one
 * per action, plus the read rule that read-only roles imply) and a table in
 * the page with the role names of the page's language. pass_directives
 * finds the block and hands it over; every value from content is escaped
 * here, since cmark writes custom blocks as they are. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "ext_directive.h"
#include "passes.h"
#include "policy.h"
#include "yamldoc.h"

static const char *ui(pass_context *ctx, const char *key) {
  const char *s = l10n_string(&ctx->env->locales[ctx->art->locale], key);
  return s ? s : key;
}

static const policy_catalog *catalog(const pass_context *ctx) { return ctx->env->catalog; }

/* A role as the page shows it: its name in the page's language when the
 * glossary has one, else the id as code. */
static void put_role(pass_context *ctx, buf *out, const char *id) {
  const char *name = policy_catalog_name(catalog(ctx), ctx->art->locale, id);
  if (name) {
    buf_puts(out, "<span class=\"role\" data-role=\"");
    buf_puts_html(out, id);
    buf_puts(out, "\">");
    buf_puts_html(out, name);
    buf_puts(out, "</span>");
  } else {
    buf_puts(out, "<code>");
    buf_puts_html(out, id);
    buf_puts(out, "</code>");
  }
}

/* An action, requirement or channel: its label in the page's language
 * (policy_labels: in the locale file), else the id as code. */
static void put_term(pass_context *ctx, buf *out, l10n_label_kind kind, const char *id) {
  const char *label = l10n_policy_label(&ctx->env->locales[ctx->art->locale], kind, id);
  if (label) {
    buf_puts(out, "<span class=\"policy-term\" data-id=\"");
    buf_puts_html(out, id);
    buf_puts(out, "\">");
    buf_puts_html(out, label);
    buf_puts(out, "</span>");
  } else {
    buf_puts(out, "<code>");
    buf_puts_html(out, id);
    buf_puts(out, "</code>");
  }
}

/* kind < 0: roles */
static void put_list(pass_context *ctx, buf *out, const strlist *l, int kind) {
  for (size_t i = 0; i < l->count; i++) {
    if (i)
      buf_puts(out, ", ");
    if (kind < 0)
      put_role(ctx, out, l->items[i]);
    else
      put_term(ctx, out, (l10n_label_kind)kind, l->items[i]);
  }
}

typedef struct {
  pass_context *ctx;
  const char *file; /* where the block is written (the article or an include) */
} block_ctx;

static void bad(block_ctx *bc, const ynode *at, severity sev, const char *code, const char *msg) {
  diag_add(bc->ctx->diags, bc->file, at->line, at->col, sev, code, "%s", msg);
}

/* A list of ids (or one id) from the YAML body, copied into the article's
 * arena. Role names from the glossary are taken for their ids. */
static void read_ids(block_ctx *bc, const ynode *v, const char *key, bool roles, strlist *out) {
  pass_context *ctx = bc->ctx;
  const ynode *const *items = &v;
  size_t n = 1;
  if (v->kind == YNODE_SEQ) {
    items = (const ynode *const *)v->items;
    n = v->count;
  } else if (v->kind != YNODE_SCALAR) {
    bad(bc, v, SEV_ERROR, "policy-invalid",
        arena_printf(ctx->scratch, "'%s' must be a list of ids", key));
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const ynode *x = items[i];
    if (x->kind != YNODE_SCALAR || ynode_is_null(x)) {
      bad(bc, x, SEV_ERROR, "policy-invalid",
          arena_printf(ctx->scratch, "'%s' must be a list of ids", key));
      continue;
    }
    const char *id = x->scalar;
    if (roles && policy_catalog_has_roles(catalog(ctx)) &&
        !policy_catalog_knows_id(catalog(ctx), id)) {
      const char *mapped = policy_catalog_lookup(catalog(ctx), ctx->art->locale, id, false);
      if (mapped) {
        id = mapped;
      } else {
        /* A :::policy block is a rule as authored, not prose that names
         * roles as it likes: a role it misspells must not ship, so this is
         * an error, and the role is left out of the rule. */
        const char *near = policy_catalog_nearest_id(catalog(ctx), id);
        bad(bc, x, SEV_ERROR, "policy-unknown-role",
            near ? arena_printf(ctx->scratch, "unknown role '%s' in '%s'; did you mean '%s'?",
                                id, key, near)
                 : arena_printf(ctx->scratch,
                                "unknown role '%s' in '%s' (the roles: glossary of the locale "
                                "files lists the known ones)",
                                id, key));
        continue;
      }
    }
    if (!policy_valid_id(id)) {
      bad(bc, x, SEV_ERROR, "policy-invalid",
          arena_printf(ctx->scratch,
                       "'%s' in '%s' is not an id (letters, digits, '.', '-', '_', '/')", id,
                       key));
      continue;
    }
    if (!strlist_has(out, id))
      strlist_add(ctx->mem, out, arena_strdup(ctx->mem, id));
  }
}

static strlist sorted_copy(arena *a, const strlist *l) {
  strlist c = {0};
  for (size_t i = 0; i < l->count; i++)
    strlist_add(a, &c, l->items[i]);
  strlist_sort(&c);
  return c;
}

void pass_policy_block(pass_context *ctx, cmark_node *n, const char *id, directive_data *dd) {
  if (!id || !*id) {
    pass_diag(ctx, n, SEV_ERROR, "policy-missing-id", ":::policy needs an id=\"...\" attribute");
    pass_wrap_custom(ctx, n, CMARK_NODE_CUSTOM_BLOCK, "", "");
    return;
  }
  if (!dd->closed)
    pass_diag(ctx, n, SEV_ERROR, "directive-unclosed",
              ":::policy is never closed by a ::: line");
  int line_offset = 0;
  block_ctx bc = {ctx, ctx->art->path};
  int line = pass_line(ctx, n);
  if (dd->body_line > 0 && (size_t)dd->body_line <= ctx->src->nlines) {
    line_offset = ctx->src->lines[dd->body_line - 1].line - 1;
    bc.file = ctx->src->lines[dd->body_line - 1].file;
  }
  ynode *doc = yamldoc_load(ctx->scratch, dd->body ? dd->body : "", dd->body_len, bc.file,
                            line_offset, ctx->diags);
  bool valid_id = policy_valid_id(id) && strncmp(id, "article/", 8);
  if (!valid_id)
    pass_diag(ctx, n, SEV_ERROR, "policy-invalid",
              "policy id '%s' must be letters, digits, '.', '-', '_' or '/' (and not start "
              "with article/)",
              id);
  if (doc && doc->kind != YNODE_MAP) {
    pass_diag(ctx, n, SEV_ERROR, "policy-invalid", "the body of :::policy must be a YAML mapping");
    doc = NULL;
  }
  static const char *const keys[] = {"default", "allow", "read-only", "requires", "channels",
                                     "audit", NULL};
  for (size_t i = 0; doc && i + 1 < doc->count; i += 2) {
    const char *k = doc->items[i]->scalar;
    bool known = false;
    for (const char *const *kk = keys; *kk && !known; kk++)
      known = k && !strcmp(*kk, k);
    if (!known)
      diag_add(ctx->diags, bc.file, doc->items[i]->line, doc->items[i]->col, SEV_ERROR,
               "policy-invalid",
               "unknown key '%s' in :::policy (known: default, allow, read-only, requires, "
               "channels, audit)",
               k ? k : "?");
  }

  /* The facts of the whole block. */
  const ynode *allow = doc ? ynode_get(doc, "allow") : NULL;
  const ynode *audit = doc ? ynode_get(doc, "audit") : NULL;
  const ynode *v;
  const char *deflt = NULL;
  if (doc && (v = ynode_get(doc, "default"))) {
    const char *d = v->kind == YNODE_SCALAR ? v->scalar : "";
    if (!strcmp(d, "on") || !strcmp(d, "true"))
      deflt = "on";
    else if (!strcmp(d, "off") || !strcmp(d, "false"))
      deflt = "off";
    else
      bad(&bc, v, SEV_ERROR, "policy-invalid", "'default' must be on or off");
  }
  strlist read_only = {0}, requires = {0}, channels = {0};
  if (doc && (v = ynode_get(doc, "read-only")))
    read_ids(&bc, v, "read-only", true, &read_only);
  if (doc && (v = ynode_get(doc, "requires")))
    read_ids(&bc, v, "requires", false, &requires);
  if (doc && (v = ynode_get(doc, "channels")))
    read_ids(&bc, v, "channels", false, &channels);
  if (allow && allow->kind != YNODE_MAP) {
    bad(&bc, allow, SEV_ERROR, "policy-invalid",
        "'allow' must map each action to the roles that may do it");
    allow = NULL;
  }
  if (audit && audit->kind != YNODE_MAP) {
    bad(&bc, audit, SEV_ERROR, "policy-invalid",
        "'audit' must map actions to the names of their activity-log events");
    audit = NULL;
  }
  for (size_t i = 0; audit && i + 1 < audit->count; i += 2) {
    const char *action = audit->items[i]->scalar;
    if (!action || !ynode_get(allow, action))
      bad(&bc, audit->items[i], SEV_WARNING, "policy-invalid",
          arena_printf(ctx->scratch, "'audit' names action '%s', which 'allow' does not list",
                       action ? action : "?"));
    else if (audit->items[i + 1]->kind != YNODE_SCALAR)
      bad(&bc, audit->items[i + 1], SEV_ERROR, "policy-invalid",
          "an audit event is the name of one activity-log operation");
  }

  /* One rule per action; the rules are the article's, in its arena. */
  if (!ctx->art->policy)
    ctx->art->policy = arena_alloc(ctx->mem, sizeof *ctx->art->policy);
  policy_article *pa = ctx->art->policy;
  policy_rule base;
  memset(&base, 0, sizeof base);
  base.kind = RULE_ACTION;
  base.resource = arena_strdup(ctx->mem, id);
  base.deflt = deflt;
  base.read_only = sorted_copy(ctx->mem, &read_only);
  base.requires = sorted_copy(ctx->mem, &requires);
  base.channels = sorted_copy(ctx->mem, &channels);
  base.article = ctx->art->rel;
  base.locale = ctx->env->cfg->locales[ctx->art->locale];
  base.file = arena_strdup(ctx->mem, bc.file);
  base.line = line;

  buf rows = {0};
  strlist everyone = {0};
  bool has_read = false;
  for (size_t i = 0; allow && i + 1 < allow->count; i += 2) {
    const ynode *k = allow->items[i];
    const char *action = k->scalar;
    if (k->kind != YNODE_SCALAR || !policy_valid_id(action)) {
      bad(&bc, k, SEV_ERROR, "policy-invalid",
          "an action name is letters, digits, '.', '-', '_' or '/'");
      continue;
    }
    strlist roles = {0};
    read_ids(&bc, allow->items[i + 1], action, true, &roles);
    const ynode *ev = ynode_get(audit, action);
    const char *event = ev && ev->kind == YNODE_SCALAR ? ev->scalar : NULL;

    /* data-label: the column's heading, shown beside each cell where a
     * narrow screen stacks the rows. */
    buf_puts(&rows, "<tr><th scope=\"row\">");
    put_term(ctx, &rows, L10N_ACTIONS, action);
    buf_puts(&rows, "</th><td data-label=\"");
    buf_puts_html(&rows, ui(ctx, "policy_allowed_roles"));
    buf_puts(&rows, "\">");
    put_list(ctx, &rows, &roles, -1);
    buf_puts(&rows, "</td><td data-label=\"");
    buf_puts_html(&rows, ui(ctx, "policy_audit_event"));
    buf_puts(&rows, "\">");
    if (event)
      buf_puts_html(&rows, event);
    buf_puts(&rows, "</td></tr>\n");

    policy_rule r = base;
    r.action = arena_strdup(ctx->mem, action);
    r.id = arena_printf(ctx->mem, "%s:%s", id, action);
    r.audit = event ? arena_strdup(ctx->mem, event) : NULL;
    if (!strcmp(action, "read")) {
      has_read = true;
      for (size_t j = 0; j < read_only.count; j++)
        if (!strlist_has(&roles, read_only.items[j]))
          strlist_add(ctx->mem, &roles, read_only.items[j]);
    }
    r.allow = sorted_copy(ctx->mem, &roles);
    for (size_t j = 0; j < roles.count; j++)
      if (!strlist_has(&everyone, roles.items[j]))
        strlist_add(ctx->mem, &everyone, roles.items[j]);
    if (valid_id)
      ARENA_PUSH(ctx->mem, pa->rules, pa->count, pa->cap, r);
  }
  /* Read-only roles may read; so may everyone who may change the thing. */
  if (read_only.count && !has_read && valid_id) {
    policy_rule r = base;
    r.action = "read";
    r.id = arena_printf(ctx->mem, "%s:read", id);
    r.derived = "read-only";
    for (size_t j = 0; j < read_only.count; j++)
      if (!strlist_has(&everyone, read_only.items[j]))
        strlist_add(ctx->mem, &everyone, read_only.items[j]);
    r.allow = sorted_copy(ctx->mem, &everyone);
    ARENA_PUSH(ctx->mem, pa->rules, pa->count, pa->cap, r);
  }

  buf out = {0};
  buf_puts(&out, "<div class=\"policy\">\n<table class=\"policy-table\" data-policy-id=\"");
  buf_puts_html(&out, id);
  buf_puts(&out, "\">\n<caption>");
  buf_puts_html(&out, ui(ctx, "policy_title"));
  buf_puts(&out, ": <code>");
  buf_puts_html(&out, id);
  buf_puts(&out, "</code></caption>\n<thead><tr><th scope=\"col\">");
  buf_puts_html(&out, ui(ctx, "policy_action"));
  buf_puts(&out, "</th><th scope=\"col\">");
  buf_puts_html(&out, ui(ctx, "policy_allowed_roles"));
  buf_puts(&out, "</th><th scope=\"col\">");
  buf_puts_html(&out, ui(ctx, "policy_audit_event"));
  buf_puts(&out, "</th></tr></thead>\n<tbody>\n");
  if (rows.len)
    buf_put(&out, rows.data, rows.len);
  buf_puts(&out, "</tbody>\n</table>\n<dl class=\"policy-facts\">\n");
  struct {
    const char *key, *label;
    const strlist *list;
    int kind; /* roles: -1 */
  } facts[] = {{"default", "policy_default", NULL, -1},
               {"read-only", "policy_read_only", &read_only, -1},
               {"requires", "policy_requires", &requires, L10N_REQUIRES},
               {"channels", "policy_channels", &channels, L10N_CHANNELS}};
  for (size_t i = 0; doc && i < sizeof facts / sizeof *facts; i++) {
    if (!ynode_get(doc, facts[i].key))
      continue;
    buf_puts(&out, "<dt>");
    buf_puts_html(&out, ui(ctx, facts[i].label));
    buf_puts(&out, "</dt><dd>");
    if (!facts[i].list)
      buf_puts_html(&out, ui(ctx, deflt && !strcmp(deflt, "on") ? "policy_on" : "policy_off"));
    else
      put_list(ctx, &out, facts[i].list, facts[i].kind);
    buf_puts(&out, "</dd>\n");
  }
  buf_puts(&out, "</dl>");
  pass_wrap_custom(ctx, n, CMARK_NODE_CUSTOM_BLOCK, arena_strdup(ctx->scratch, buf_cstr(&out)),
                   "</div>");
  buf_free(&out);
  buf_free(&rows);
}
