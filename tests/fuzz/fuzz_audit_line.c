/* libFuzzer target: one line of an activity log (policy audit), read as
 * strict JSON and judged against a small rule set. An entry has an action
 * and at least one role; a line that is no entry says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rules[] =
    "{\"schemaVersion\": 1, \"generator\": \"folio fuzz\", \"sourceLocale\": \"en-us\",\n"
    " \"locales\": [\"en-us\", \"de-de\"],\n"
    " \"roles\": [{\"id\": \"admin-agent\", \"kind\": \"role\", \"names\": {\"en-us\": \"Admin "
    "agent\", \"de-de\": \"Pr\xc3\xbc" "fer\"}}],\n"
    " \"rules\": [{\"id\": \"c.s:enable\", \"kind\": \"action\", \"resource\": \"c.s\", "
    "\"action\": \"enable\", \"allow\": [\"admin-agent\"], \"audit\": \"Create\",\n"
    "  \"source\": {\"article\": \"a.md\", \"anchor\": \"\", \"locale\": \"en-us\", \"line\": 1, "
    "\"locales\": [\"en-us\"]}}]}\n";

static arena *set_mem; /* kept for the whole run */
static policy_set *set;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!set) {
    diag_list d = {0};
    set_mem = arena_new();
    set = policy_read_json_text(set_mem, "rules.json", rules, sizeof rules - 1, &d);
    if (!set)
      abort();
  }
  arena *a = arena_new();
  policy_audit_entry e;
  const char *why = NULL;
  int col = -1;
  int got = policy_audit_line(a, (const char *)data, size, &e, &why, &col);
  if (got == 1) {
    if (!e.action || !e.roles.count || why)
      abort();
    for (size_t i = 0; i < e.roles.count; i++) {
      const policy_rule *r;
      policy_eval(set, e.roles.items[i], e.action, &r);
      text_for_display(a, e.roles.items[i], 120);
    }
    /* The question audit asks: an answer or an error, never both. */
    policy_answer ans = policy_ask(set, a, e.roles.items, e.roles.count, e.action);
    if (!ans.error == !ans.rule)
      abort();
    text_for_display(a, e.action, 120);
  } else if (got < 0) {
    if (!why || col < 0)
      abort();
  } else if (got != 0) {
    abort();
  }
  arena_free(a);
  return 0;
}
