/* Exports of a rule set for other tools: CSV for spreadsheets, a Casbin
 * model and policy (subject, object, action), and Cedar policies with a
 * Cedar schema. Audience rules say who an article is for, not who may do
 * something, so only the CSV carries them. */
#include <stdio.h>
#include <string.h>

#include "policy.h"

/* ---- CSV (RFC 4180) ---- */

static void csv_field(buf *out, const char *s) {
  if (!s)
    s = "";
  /* A cell that starts with = + - @ is a formula to a spreadsheet: a leading
   * quote keeps it text. */
  bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
  bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
  if (quote)
    buf_putc(out, '"');
  if (formula)
    buf_putc(out, '\'');
  for (; *s; s++) {
    if (*s == '"')
      buf_putc(out, '"');
    buf_putc(out, *s);
  }
  if (quote)
    buf_putc(out, '"');
}

static void csv_list(buf *out, const strlist *l) {
  buf joined = {0};
  for (size_t i = 0; i < l->count; i++) {
    if (i)
      buf_putc(&joined, ' ');
    buf_puts(&joined, l->items[i]);
  }
  csv_field(out, joined.len ? buf_cstr(&joined) : "");
  buf_free(&joined);
}

static const char *kind_name(rule_kind k) {
  return k == RULE_TASK ? "task" : k == RULE_AUDIENCE ? "audience" : "action";
}

void policy_export_csv(const policy_set *s, buf *out) {
  buf_puts(out, "id,kind,resource,action,allow,read_only,default,requires,channels,audit,"
                "derived,article,anchor,locale,line,locales\r\n");
  for (size_t i = 0; i < s->nrules; i++) {
    const policy_rule *r = &s->rules[i];
    csv_field(out, r->id);
    buf_putc(out, ',');
    csv_field(out, kind_name(r->kind));
    buf_putc(out, ',');
    csv_field(out, r->resource);
    buf_putc(out, ',');
    csv_field(out, r->action);
    buf_putc(out, ',');
    csv_list(out, &r->allow);
    buf_putc(out, ',');
    csv_list(out, &r->read_only);
    buf_putc(out, ',');
    csv_field(out, r->deflt);
    buf_putc(out, ',');
    csv_list(out, &r->requires);
    buf_putc(out, ',');
    csv_list(out, &r->channels);
    buf_putc(out, ',');
    csv_field(out, r->audit);
    buf_putc(out, ',');
    csv_field(out, r->derived);
    buf_putc(out, ',');
    csv_field(out, r->article);
    buf_putc(out, ',');
    csv_field(out, r->anchor);
    buf_putc(out, ',');
    csv_field(out, r->locale);
    buf_printf(out, ",%d,", r->line);
    csv_list(out, &r->locales);
    buf_puts(out, "\r\n");
  }
}

/* ---- Casbin ---- */

void policy_export_casbin_model(buf *out) {
  buf_puts(out, "# Casbin model for policy.csv from folio: may role (sub) do act on obj?\n"
                "[request_definition]\n"
                "r = sub, obj, act\n"
                "\n"
                "[policy_definition]\n"
                "p = sub, obj, act\n"
                "\n"
                "[policy_effect]\n"
                "e = some(where (p.eft == allow))\n"
                "\n"
                "[matchers]\n"
                "m = r.sub == p.sub && r.obj == p.obj && r.act == p.act\n");
}

/* Text for a comment line: control characters become spaces. */
static void comment_text(buf *out, const char *s) {
  for (; s && *s; s++)
    buf_putc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
}

void policy_export_casbin_policy(const policy_set *s, buf *out) {
  for (size_t i = 0; i < s->nrules; i++) {
    const policy_rule *r = &s->rules[i];
    if (r->kind == RULE_AUDIENCE)
      continue;
    /* Ids are letters, digits and . _ - / (checked when read), so the
     * values need no quoting in Casbin's CSV. */
    buf_puts(out, "# ");
    comment_text(out, r->id);
    buf_puts(out, " (");
    comment_text(out, r->article);
    if (r->anchor && *r->anchor) {
      buf_putc(out, '#');
      comment_text(out, r->anchor);
    }
    buf_printf(out, ", line %d)", r->line);
    if (r->audit) {
      buf_puts(out, " audit: ");
      comment_text(out, r->audit);
    }
    buf_putc(out, '\n');
    for (size_t j = 0; j < r->allow.count; j++)
      buf_printf(out, "p, %s, %s, %s\n", r->allow.items[j], r->resource, r->action);
  }
}

/* ---- Cedar ---- */

static void cedar_str(buf *out, const char *s) {
  buf_putc(out, '"');
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    switch (c) {
    case '"': buf_puts(out, "\\\""); break;
    case '\\': buf_puts(out, "\\\\"); break;
    case '\n': buf_puts(out, "\\n"); break;
    case '\r': buf_puts(out, "\\r"); break;
    case '\t': buf_puts(out, "\\t"); break;
    default:
      if (c < 0x20)
        buf_printf(out, "\\u{%x}", c);
      else
        buf_putc(out, (char)c);
    }
  }
  buf_putc(out, '"');
}

static void cedar_annotation(buf *out, const char *name, const char *value) {
  buf_printf(out, "@%s(", name);
  cedar_str(out, value);
  buf_puts(out, ")\n");
}

static void cedar_annotation_list(buf *out, const char *name, const strlist *l) {
  if (!l->count)
    return;
  buf joined = {0};
  for (size_t i = 0; i < l->count; i++) {
    if (i)
      buf_puts(&joined, ", ");
    buf_puts(&joined, l->items[i]);
  }
  cedar_annotation(out, name, buf_cstr(&joined));
  buf_free(&joined);
}

void policy_export_cedar_policies(const policy_set *s, buf *out) {
  buf_puts(out, "// Cedar policies from folio: one permit per rule; principals are\n"
                "// Folio::Role entities (or Folio::User entities in those roles).\n");
  for (size_t i = 0; i < s->nrules; i++) {
    const policy_rule *r = &s->rules[i];
    if (r->kind == RULE_AUDIENCE)
      continue;
    buf_putc(out, '\n');
    if (!r->allow.count) {
      buf_puts(out, "// ");
      comment_text(out, r->id);
      buf_puts(out, " allows no role: nothing to permit\n");
      continue;
    }
    cedar_annotation(out, "id", r->id);
    if (r->audit)
      cedar_annotation(out, "audit", r->audit);
    char *src = NULL;
    buf sb = {0};
    buf_printf(&sb, "%s%s%s, line %d", r->article, r->anchor && *r->anchor ? "#" : "",
               r->anchor ? r->anchor : "", r->line);
    src = sb.data;
    cedar_annotation(out, "source", src ? src : "");
    buf_free(&sb);
    if (r->deflt)
      cedar_annotation(out, "default", r->deflt);
    cedar_annotation_list(out, "requires", &r->requires);
    cedar_annotation_list(out, "channels", &r->channels);
    if (r->derived)
      cedar_annotation(out, "derived", r->derived);
    buf_puts(out, "permit (\n  principal,\n  action == Folio::Action::");
    cedar_str(out, r->action);
    buf_puts(out, ",\n  resource == Folio::Resource::");
    cedar_str(out, r->resource);
    buf_puts(out, "\n)\nwhen {\n");
    for (size_t j = 0; j < r->allow.count; j++) {
      buf_puts(out, j ? " ||\n  principal in Folio::Role::" : "  principal in Folio::Role::");
      cedar_str(out, r->allow.items[j]);
    }
    buf_puts(out, "\n};\n");
  }
}

void policy_export_cedar_schema(const policy_set *s, buf *out) {
  buf_puts(out, "// Cedar schema for the folio policies.\n"
                "namespace Folio {\n"
                "  entity Role;\n"
                "  entity User in [Role];\n"
                "  entity Resource;\n");
  /* Each action name once, in sorted order (the rules are sorted by id). */
  strlist actions = {0};
  arena *a = arena_new();
  for (size_t i = 0; i < s->nrules; i++)
    if (s->rules[i].kind != RULE_AUDIENCE && !strlist_has(&actions, s->rules[i].action))
      strlist_add(a, &actions, s->rules[i].action);
  strlist_sort(&actions);
  for (size_t i = 0; i < actions.count; i++) {
    buf_puts(out, "  action ");
    cedar_str(out, actions.items[i]);
    buf_puts(out, " appliesTo {\n    principal: [User, Role],\n    resource: [Resource],\n  };\n");
  }
  arena_free(a);
  buf_puts(out, "}\n");
}
