/* The exporters on values the rules.json reader would refuse (a set can
 * also come from elsewhere): each format quotes and escapes what it can
 * carry, and refuses what it cannot, naming the value. */
#include <string.h>

#include "policy.h"
#include "test.h"

static policy_set *one_rule(arena *a, const char *role, const char *resource, const char *action,
                            const char *audit, const char *anchor) {
  policy_set *s = arena_alloc(a, sizeof *s);
  s->generator = "folio test";
  s->source_locale = "en-us";
  static const char *locales[] = {"en-us"};
  s->locales = locales;
  s->nlocales = 1;
  s->rules = arena_alloc(a, sizeof *s->rules);
  s->nrules = 1;
  policy_rule *r = &s->rules[0];
  r->id = arena_printf(a, "%s:%s", resource, action);
  r->kind = RULE_ACTION;
  r->resource = resource;
  r->action = action;
  strlist_add(a, &r->allow, role);
  r->audit = audit;
  r->article = "a.md";
  r->anchor = anchor;
  r->locale = "en-us";
  r->line = 3;
  strlist_add(a, &r->locales, "en-us");
  return s;
}

/* policy.csv opens with how users get roles (g lines); the rules follow. */
static const char *after_head(const char *text) {
  const char *g = strstr(text, "#   g, alice, sales-agent\n");
  return g ? g + strlen("#   g, alice, sales-agent\n") : "(no head)";
}

static void test_casbin_quotes_fields(void) {
  arena *a = arena_new();
  buf b = {0};
  const char *bad = NULL;
  policy_set *s = one_rule(a, "admin, evil-obj, *", "res \"x\"", "#act", "Ev\nent", "h\rx");
  CHECK(policy_export_casbin_policy(s, &b, &bad));
  CHECK(bad == NULL);
  CHECK_STR(after_head(buf_cstr(&b)), "# res \"x\":#act (a.md#h x, line 3) audit: Ev ent\n"
                          "p, \"admin, evil-obj, *\", \"res \"\"x\"\"\", \"#act\"\n");
  /* Plain ids stay bare. */
  b.len = 0;
  s = one_rule(a, "admin-agent", "customer.services", "enable", NULL, "");
  CHECK(policy_export_casbin_policy(s, &b, &bad));
  CHECK_STR(after_head(buf_cstr(&b)), "# customer.services:enable (a.md, line 3)\n"
                          "p, admin-agent, customer.services, enable\n");
  buf_free(&b);
  arena_free(a);
}

static void test_casbin_refuses_what_a_line_cannot_carry(void) {
  arena *a = arena_new();
  buf b = {0};
  const char *bad = NULL;
  /* A line break ends a Casbin policy line whatever the quoting; node-casbin
   * joins fields around unbalanced parentheses. */
  policy_set *s = one_rule(a, "admin\np, sales-agent, x, y", "res", "act", NULL, "");
  CHECK(!policy_export_casbin_policy(s, &b, &bad));
  CHECK_STR(bad, "admin\np, sales-agent, x, y");
  s = one_rule(a, "admin", "res(", "act", NULL, "");
  CHECK(!policy_export_casbin_policy(s, &b, &bad));
  CHECK_STR(bad, "res(");
  s = one_rule(a, "admin", "res", "\xff", NULL, "");
  CHECK(!policy_export_casbin_policy(s, &b, &bad));
  CHECK_STR(bad, "\xff");
  buf_free(&b);
  arena_free(a);
}

static void test_cedar_escapes_strings(void) {
  arena *a = arena_new();
  buf b = {0};
  const char *bad = NULL;
  policy_set *s = one_rule(a, "r\"ole", "res\\x", "act\") when { true };\npermit (principal, action, resource",
                           "E\"v\\\t\x7f\xc3\xbc", "");
  CHECK(policy_export_cedar_policies(s, &b, &bad));
  const char *text = buf_cstr(&b);
  CHECK(strstr(text, "@audit(\"E\\\"v\\\\\\t\\u{7f}\xc3\xbc\")\n") != NULL);
  CHECK(strstr(text, "action == Folio::Action::\"act\\\") when { true };\\npermit (principal, action, "
                     "resource\",\n") != NULL);
  CHECK(strstr(text, "resource == Folio::Resource::\"res\\\\x\"\n") != NULL);
  CHECK(strstr(text, "principal in Folio::Role::\"r\\\"ole\"\n") != NULL);
  /* The comment line of a rule without roles cannot be ended early. */
  b.len = 0;
  s = one_rule(a, "x", "res", "act", NULL, "");
  s->rules[0].allow.count = 0;
  s->rules[0].id = "res:act\npermit (principal, action, resource);";
  CHECK(policy_export_cedar_policies(s, &b, &bad));
  CHECK(strstr(buf_cstr(&b), "// res:act permit (principal, action, resource); allows no role") != NULL);
  /* Not UTF-8: refused, naming the value. */
  b.len = 0;
  s = one_rule(a, "x", "res", "act", "ev\xc3", "");
  CHECK(!policy_export_cedar_policies(s, &b, &bad));
  CHECK_STR(bad, "ev\xc3");
  b.len = 0;
  s = one_rule(a, "x", "res", "a\xff", NULL, "");
  CHECK(!policy_export_cedar_schema(s, &b, &bad));
  CHECK_STR(bad, "a\xff");
  buf_free(&b);
  arena_free(a);
}

/* The model maps users to roles; conditions are comments in policy.csv,
 * their text unable to end the comment line. */
static void test_casbin_users_and_conditions(void) {
  arena *a = arena_new();
  buf b = {0};
  const char *bad = NULL;
  policy_export_casbin_model(&b);
  CHECK(strstr(buf_cstr(&b), "[role_definition]\ng = _, _\n") != NULL);
  CHECK(strstr(buf_cstr(&b), "m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act\n") != NULL);
  b.len = 0;
  policy_set *s = one_rule(a, "admin-agent", "res", "act", NULL, "");
  s->rules[0].deflt = "off";
  strlist_add(a, &s->rules[0].requires, "plan\np, owner, res, act");
  strlist_add(a, &s->rules[0].channels, "api");
  CHECK(policy_export_casbin_policy(s, &b, &bad));
  CHECK_STR(after_head(buf_cstr(&b)), "# res:act (a.md, line 3)\n"
                                      "# when: default: off; requires: plan p, owner, res, act; "
                                      "channels: api;\n"
                                      "p, admin-agent, res, act\n");
  buf_free(&b);
  arena_free(a);
}

/* Cedar: default, requirements and channels are when clauses on the
 * context, their values escaped as Cedar strings; audience rules permit
 * the action "audience" to audiences, and the schema declares both. */
static void test_cedar_conditions_and_audience(void) {
  arena *a = arena_new();
  buf b = {0};
  const char *bad = NULL;
  policy_set *s = one_rule(a, "admin-agent", "res", "act", NULL, "");
  s->rules[0].deflt = "off";
  strlist_add(a, &s->rules[0].requires, "plan\") || true");
  strlist_add(a, &s->rules[0].requires, "owner\"])) || true");
  strlist_add(a, &s->rules[0].channels, "api");
  strlist_add(a, &s->rules[0].channels, "dash\nboard");
  CHECK(policy_export_cedar_policies(s, &b, &bad));
  const char *text = buf_cstr(&b);
  CHECK(strstr(text, "@id(\"res:act\")\n") != NULL);
  CHECK(strstr(text, "when { context has enabled && context.enabled }\n") != NULL);
  CHECK(strstr(text, "context.met.containsAll([\"plan\\\") || true\", "
                     "\"owner\\\"])) || true\"])\n") != NULL);
  CHECK(strstr(text, "(context.channel == \"api\" || context.channel == \"dash\\nboard\")\n") != NULL);
  b.len = 0;
  s->rules[0].deflt = "on";
  CHECK(policy_export_cedar_policies(s, &b, &bad));
  CHECK(strstr(buf_cstr(&b), "when { if context has enabled then context.enabled else true }\n") != NULL);
  b.len = 0;
  s = one_rule(a, "csp-partner", "article/a", "audience", NULL, "");
  s->rules[0].kind = RULE_AUDIENCE;
  CHECK(policy_export_cedar_policies(s, &b, &bad));
  CHECK(strstr(buf_cstr(&b), "action == Folio::Action::\"audience\",\n") != NULL);
  CHECK(strstr(buf_cstr(&b), "principal in Folio::Audience::\"csp-partner\"\n") != NULL);
  b.len = 0;
  CHECK(policy_export_cedar_schema(s, &b, &bad));
  CHECK(strstr(buf_cstr(&b), "action \"audience\" appliesTo {\n    principal: [User, Audience],") !=
        NULL);
  CHECK(strstr(buf_cstr(&b), "    \"met\"?: Set<String>,\n") != NULL);
  buf_free(&b);
  arena_free(a);
}

static void test_csv_rfc4180(void) {
  arena *a = arena_new();
  buf b = {0};
  const char *bad = NULL;
  policy_set *s = one_rule(a, "a,b", "res", "act", "=HYPERLINK(\"x\")", "line\r\nbreak");
  CHECK(policy_export_csv(s, &b, &bad));
  const char *text = buf_cstr(&b);
  const char *row = strstr(text, "\r\n") + 2;
  CHECK_STR(row, "res:act,action,res,act,\"a,b\",,,,,\"'=HYPERLINK(\"\"x\"\")\",,a.md,"
                 "\"line\r\nbreak\",en-us,3,en-us\r\n");
  b.len = 0;
  s = one_rule(a, "x", "res", "act", "\xc0\xaf", "");
  CHECK(!policy_export_csv(s, &b, &bad));
  CHECK_STR(bad, "\xc0\xaf");
  buf_free(&b);
  arena_free(a);
}

int main(void) {
  RUN(test_casbin_quotes_fields);
  RUN(test_casbin_refuses_what_a_line_cannot_carry);
  RUN(test_casbin_users_and_conditions);
  RUN(test_cedar_escapes_strings);
  RUN(test_cedar_conditions_and_audience);
  RUN(test_csv_rfc4180);
  return test_done();
}
