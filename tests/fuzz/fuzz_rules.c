/* libFuzzer target: the rules.json reader (strict JSON, then the schema's
 * checks). Whatever it accepts must go through every writer, and the
 * rules.json written from it must read back and write the same bytes
 * again; whatever it refuses must come with exactly one error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  arena *a = arena_new();
  diag_list d = {0};
  policy_set *s = policy_read_json_text(a, "fuzz.json", (const char *)data, size, &d);
  if (!s) {
    if (d.count != 1 || d.items[0].sev != SEV_ERROR)
      abort();
  } else {
    if (d.count)
      abort();
    buf once = {0}, twice = {0}, x = {0};
    if (!policy_write_json(s, &once))
      abort();
    diag_list d2 = {0};
    policy_set *again = policy_read_json_text(a, "again.json", once.data, once.len, &d2);
    if (!again || !policy_write_json(again, &twice) || once.len != twice.len ||
        memcmp(once.data, twice.data, once.len))
      abort();
    const char *bad;
    if (!policy_export_csv(s, &x, &bad) || !policy_export_casbin_policy(s, &x, &bad) ||
        !policy_export_cedar_policies(s, &x, &bad) || !policy_export_cedar_schema(s, &x, &bad))
      abort();
    /* Decisions on what the set names. */
    for (size_t i = 0; i < s->nrules && i < 8; i++) {
      const policy_rule *r;
      const char *role = s->nroles ? s->roles[i % s->nroles].id : "x";
      policy_eval(s, role, s->rules[i].id, &r);
      policy_eval(s, role, s->rules[i].action, &r);
      if (s->rules[i].audit)
        policy_eval(s, role, s->rules[i].audit, &r);
      /* A rule id that exists is answered by that rule, never with a hint. */
      if (s->nroles && s->rules[i].kind != RULE_AUDIENCE) {
        policy_answer ans = policy_ask(s, a, &role, 1, s->rules[i].id);
        if (ans.error || !ans.rule || strcmp(ans.rule->id, s->rules[i].id))
          abort();
      }
    }
    diag_list_free(&d2);
    buf_free(&once);
    buf_free(&twice);
    buf_free(&x);
  }
  diag_list_free(&d);
  arena_free(a);
  return 0;
}
