/* Exports of a rule set for other tools: CSV for spreadsheets, a Casbin
 * model and policy (subject, object, action), and Cedar policies with a
 * Cedar schema. Audience rules say who an article is for, not who may do
 * something: the CSV and Cedar (an "audience" action) carry them, Casbin
 * not. Cedar states a rule's conditions on the request context; Casbin
 * has none, so they are comments there.
 * The rules.json reader lets only ids through where a format has fields,
 * but each writer still quotes and escapes by its format's own rules and
 * refuses (naming the value) what its format cannot carry, whatever the
 * set came from. */
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "text.h"

/* The first value a writer could not write, for the caller's message. */
static bool refuse(const char **bad, const char *value) {
  if (!*bad)
    *bad = value;
  return false;
}

static bool utf8(const char *s) { return !s || text_is_valid_utf8(s, strlen(s)); }

/* ---- CSV (RFC 4180) ---- */

static bool csv_field(buf *out, const char *s, const char **bad) {
  if (!s)
    s = "";
  if (!utf8(s))
    return refuse(bad, s);
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
  return true;
}

static bool csv_list(buf *out, const strlist *l, const char **bad) {
  buf joined = {0};
  for (size_t i = 0; i < l->count; i++) {
    if (i)
      buf_putc(&joined, ' ');
    buf_puts(&joined, l->items[i]);
  }
  bool ok = true;
  for (size_t i = 0; i < l->count && ok; i++)
    if (!utf8(l->items[i]))
      ok = refuse(bad, l->items[i]);
  if (ok)
    csv_field(out, joined.len ? buf_cstr(&joined) : "", bad);
  buf_free(&joined);
  return ok;
}

static const char *kind_name(rule_kind k) {
  return k == RULE_TASK ? "task" : k == RULE_AUDIENCE ? "audience" : "action";
}

bool policy_export_csv(const policy_set *s, buf *out, const char **bad) {
  *bad = NULL;
  bool ok = true;
  buf_puts(out, "id,kind,resource,action,allow,read_only,default,requires,channels,audit,"
                "derived,article,anchor,locale,line,locales\r\n");
  for (size_t i = 0; i < s->nrules && ok; i++) {
    const policy_rule *r = &s->rules[i];
    const char *before[] = {r->id, kind_name(r->kind), r->resource, r->action};
    for (size_t k = 0; k < 4; k++) {
      ok = ok && csv_field(out, before[k], bad);
      buf_putc(out, ',');
    }
    ok = ok && csv_list(out, &r->allow, bad);
    buf_putc(out, ',');
    ok = ok && csv_list(out, &r->read_only, bad);
    buf_putc(out, ',');
    ok = ok && csv_field(out, r->deflt, bad);
    buf_putc(out, ',');
    ok = ok && csv_list(out, &r->requires, bad);
    buf_putc(out, ',');
    ok = ok && csv_list(out, &r->channels, bad);
    const char *after[] = {r->audit, r->derived, r->article, r->anchor, r->locale};
    for (size_t k = 0; k < 5; k++) {
      buf_putc(out, ',');
      ok = ok && csv_field(out, after[k], bad);
    }
    buf_printf(out, ",%d,", r->line);
    ok = ok && csv_list(out, &r->locales, bad);
    buf_puts(out, "\r\n");
  }
  return ok;
}

/* ---- Casbin ---- */

void policy_export_casbin_model(buf *out) {
  buf_puts(out, "# Casbin model for policy.csv from folio: may user (sub) do act on obj?\n"
                "# policy.csv grants roles (p, role, resource, action); users get roles\n"
                "# with g lines (g, alice, admin-agent), in policy.csv or your adapter.\n"
                "# A user with two roles may do what either may; one with none, nothing.\n"
                "# A role may be asked for directly too: g(r.sub, p.sub) holds for the\n"
                "# role itself. The rules' conditions (default, requires, channels) are\n"
                "# comments in policy.csv: the application checks them (Cedar carries\n"
                "# them as conditions on the request context).\n"
                "[request_definition]\n"
                "r = sub, obj, act\n"
                "\n"
                "[policy_definition]\n"
                "p = sub, obj, act\n"
                "\n"
                "[role_definition]\n"
                "g = _, _\n"
                "\n"
                "[policy_effect]\n"
                "e = some(where (p.eft == allow))\n"
                "\n"
                "[matchers]\n"
                "m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act\n");
}

/* Text for a comment line: control characters become spaces (a line break
 * would end the comment), bytes that are not UTF-8 U+FFFD. */
static void comment_text(buf *out, const char *s) {
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (c < 0x20 || c == 0x7F) {
      buf_putc(out, ' ');
    } else if (c < 0x80) {
      buf_putc(out, (char)c);
    } else if (k > 1 && k <= n - i && text_is_valid_utf8(s + i, k)) {
      buf_put(out, s + i, k);
      i += k - 1;
    } else {
      buf_puts(out, "\xEF\xBF\xBD");
    }
  }
}

/* One field of a policy line, as Casbin's file adapters read it (CSV, as
 * Go's encoding/csv and node-casbin's csv-parse have it): an id stays bare,
 * anything else is quoted with its quotes doubled. A line break would end
 * the line before the CSV reader sees it, and node-casbin joins fields
 * around unbalanced parentheses (for its matcher functions), so those are
 * refused. */
static bool casbin_field(buf *out, const char *s, const char **bad) {
  if (!utf8(s))
    return refuse(bad, s);
  bool plain = *s != '\0';
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 || c == 0x7F || c == '(' || c == ')')
      return refuse(bad, s);
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          strchr("._-/:", c)))
      plain = false;
  }
  if (plain) {
    buf_puts(out, s);
    return true;
  }
  buf_putc(out, '"');
  for (; *s; s++) {
    if (*s == '"')
      buf_putc(out, '"');
    buf_putc(out, *s);
  }
  buf_putc(out, '"');
  return true;
}

static void comment_list(buf *out, const char *label, const strlist *l) {
  if (!l->count)
    return;
  buf_printf(out, " %s: ", label);
  for (size_t i = 0; i < l->count; i++) {
    if (i)
      buf_puts(out, " ");
    comment_text(out, l->items[i]);
  }
  buf_putc(out, ';');
}

bool policy_export_casbin_policy(const policy_set *s, buf *out, const char **bad) {
  *bad = NULL;
  bool ok = true;
  buf_puts(out, "# Policy from folio (model.conf): p, role, resource, action.\n"
                "# Assign users to roles with g lines, here or in your adapter:\n"
                "#   g, alice, admin-agent\n"
                "#   g, alice, sales-agent\n");
  for (size_t i = 0; i < s->nrules && ok; i++) {
    const policy_rule *r = &s->rules[i];
    if (r->kind == RULE_AUDIENCE)
      continue;
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
    if (r->deflt || r->requires.count || r->channels.count) {
      buf_puts(out, "\n# when:");
      if (r->deflt) {
        buf_puts(out, " default: ");
        comment_text(out, r->deflt);
        buf_putc(out, ';');
      }
      comment_list(out, "requires", &r->requires);
      comment_list(out, "channels", &r->channels);
    }
    buf_putc(out, '\n');
    for (size_t j = 0; j < r->allow.count && ok; j++) {
      buf_puts(out, "p, ");
      ok = casbin_field(out, r->allow.items[j], bad) && (buf_puts(out, ", "), true) &&
           casbin_field(out, r->resource, bad) && (buf_puts(out, ", "), true) &&
           casbin_field(out, r->action, bad);
      buf_putc(out, '\n');
    }
  }
  return ok;
}

/* ---- Cedar ---- */

/* A Cedar string literal: the escapes Cedar's lexer reads (\" \\ \n \r \t
 * \0 and \u{...}) for quotes, backslashes and every control character. */
static bool cedar_str(buf *out, const char *s, const char **bad) {
  if (!utf8(s))
    return refuse(bad, s);
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
      if (c < 0x20 || c == 0x7F)
        buf_printf(out, "\\u{%x}", c);
      else
        buf_putc(out, (char)c);
    }
  }
  buf_putc(out, '"');
  return true;
}

static bool cedar_annotation(buf *out, const char *name, const char *value, const char **bad) {
  buf_printf(out, "@%s(", name);
  bool ok = cedar_str(out, value, bad);
  buf_puts(out, ")\n");
  return ok;
}

static bool cedar_annotation_list(buf *out, const char *name, const strlist *l,
                                  const char **bad) {
  if (!l->count)
    return true;
  buf joined = {0};
  bool ok = true;
  for (size_t i = 0; i < l->count; i++) {
    if (i)
      buf_puts(&joined, ", ");
    buf_puts(&joined, l->items[i]);
    if (ok && !utf8(l->items[i]))
      ok = refuse(bad, l->items[i]);
  }
  ok = ok && cedar_annotation(out, name, buf_cstr(&joined), bad);
  buf_free(&joined);
  return ok;
}

/* The conditions a rule puts on the request's context (the schema's
 * Folio::Context): its default ("off": the request must say the rule is
 * switched on, "enabled": true; "on": unless it says false), its
 * requirements (all in "met") and its channels (one of them is
 * "channel"). */
static bool cedar_conditions(buf *out, const policy_rule *r, const char **bad) {
  bool ok = true;
  if (r->deflt && !strcmp(r->deflt, "off"))
    buf_puts(out, "when { context has enabled && context.enabled }\n");
  else if (r->deflt && !strcmp(r->deflt, "on"))
    buf_puts(out, "when { if context has enabled then context.enabled else true }\n");
  if (r->requires.count) {
    buf_puts(out, "when {\n  context has met &&\n  context.met.containsAll([");
    for (size_t j = 0; j < r->requires.count && ok; j++) {
      if (j)
        buf_puts(out, ", ");
      ok = cedar_str(out, r->requires.items[j], bad);
    }
    buf_puts(out, "])\n}\n");
  }
  if (r->channels.count) {
    buf_puts(out, "when {\n  context has channel &&\n  (");
    for (size_t j = 0; j < r->channels.count && ok; j++) {
      buf_puts(out, j ? " || context.channel == " : "context.channel == ");
      ok = cedar_str(out, r->channels.items[j], bad);
    }
    buf_puts(out, ")\n}\n");
  }
  return ok;
}

static bool cedar_policy(buf *out, const policy_rule *r, const char **bad) {
  bool audience = r->kind == RULE_AUDIENCE;
  if (!r->allow.count) {
    buf_puts(out, "// ");
    comment_text(out, r->id);
    buf_puts(out, audience ? " names no audience\n" : " allows no role: nothing to permit\n");
    return true;
  }
  bool ok = cedar_annotation(out, "id", r->id, bad);
  if (r->audit)
    ok = ok && cedar_annotation(out, "audit", r->audit, bad);
  buf src = {0};
  buf_printf(&src, "%s%s%s, line %d", r->article ? r->article : "",
             r->anchor && *r->anchor ? "#" : "", r->anchor ? r->anchor : "", r->line);
  ok = ok && cedar_annotation(out, "source", buf_cstr(&src), bad);
  buf_free(&src);
  if (r->deflt)
    ok = ok && cedar_annotation(out, "default", r->deflt, bad);
  ok = ok && cedar_annotation_list(out, "requires", &r->requires, bad);
  ok = ok && cedar_annotation_list(out, "channels", &r->channels, bad);
  if (r->derived)
    ok = ok && cedar_annotation(out, "derived", r->derived, bad);
  buf_puts(out, "permit (\n  principal,\n  action == Folio::Action::");
  ok = ok && cedar_str(out, audience ? "audience" : r->action, bad);
  buf_puts(out, ",\n  resource == Folio::Resource::");
  ok = ok && cedar_str(out, r->resource, bad);
  buf_puts(out, "\n)\nwhen {\n");
  const char *in = audience ? "principal in Folio::Audience::" : "principal in Folio::Role::";
  for (size_t j = 0; j < r->allow.count && ok; j++) {
    buf_puts(out, j ? " ||\n  " : "  ");
    buf_puts(out, in);
    ok = cedar_str(out, r->allow.items[j], bad);
  }
  buf_puts(out, "\n}\n");
  ok = ok && cedar_conditions(out, r, bad);
  buf_puts(out, ";\n");
  return ok;
}

bool policy_export_cedar_policies(const policy_set *s, buf *out, const char **bad) {
  *bad = NULL;
  bool ok = true;
  buf_puts(out, "// Cedar policies from folio: one permit per rule, its @id the rule id.\n"
                "// Principals are Folio::User entities whose parents are the\n"
                "// Folio::Role (and Folio::Audience) entities they hold, or roles\n"
                "// themselves. A rule's default, requirements and channels are\n"
                "// conditions on the request context (folio.cedarschema, Context):\n"
                "// \"enabled\" (the rule's switch), \"met\" (the requirements that\n"
                "// hold) and \"channel\". Audience rules (who an article is for) permit\n"
                "// the action \"audience\" to Folio::Audience members.\n");
  for (size_t i = 0; i < s->nrules && ok; i++) {
    buf_putc(out, '\n');
    ok = cedar_policy(out, &s->rules[i], bad);
  }
  return ok;
}

bool policy_export_cedar_schema(const policy_set *s, buf *out, const char **bad) {
  *bad = NULL;
  bool ok = true;
  buf_puts(out, "// Cedar schema for the folio policies (policies.cedar).\n"
                "namespace Folio {\n"
                "  entity Role;\n"
                "  entity Audience;\n"
                "  entity User in [Role, Audience];\n"
                "  entity Resource;\n"
                "  // What a request tells about itself: whether the rule's setting is\n"
                "  // switched on (absent: the rule's default decides), the\n"
                "  // requirements that hold, and the channel it comes through.\n"
                "  type Context = {\n"
                "    \"enabled\"?: Bool,\n"
                "    \"met\"?: Set<String>,\n"
                "    \"channel\"?: String\n"
                "  };\n");
  /* Each action name once, in sorted order; audience rules permit the
   * action "audience" to audiences. */
  strlist actions = {0};
  arena *a = arena_new();
  bool audiences = false;
  for (size_t i = 0; i < s->nrules; i++) {
    if (s->rules[i].kind == RULE_AUDIENCE)
      audiences = true;
    else if (!strlist_has(&actions, s->rules[i].action))
      strlist_add(a, &actions, s->rules[i].action);
  }
  bool audience_action = strlist_has(&actions, "audience");
  if (audiences && !audience_action)
    strlist_add(a, &actions, "audience");
  strlist_sort(&actions);
  for (size_t i = 0; i < actions.count && ok; i++) {
    bool aud = !strcmp(actions.items[i], "audience") && audiences;
    bool role = !aud || audience_action;
    buf_puts(out, "  action ");
    ok = cedar_str(out, actions.items[i], bad);
    buf_printf(out, " appliesTo {\n    principal: [User%s%s],\n    resource: [Resource],\n"
                    "    context: Context\n  };\n",
               role ? ", Role" : "", aud ? ", Audience" : "");
  }
  arena_free(a);
  buf_puts(out, "}\n");
  return ok;
}
