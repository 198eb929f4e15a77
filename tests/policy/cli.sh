#!/bin/sh
# folio policy eval, diff and audit: exit codes and output, on the rules of
# projects/forms (exported fresh) and a changed copy of them.
# usage: cli.sh FOLIO
set -u
folio=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/lib.sh"

# expect CODE PATTERN -- command...: exit code and a line of stdout+stderr
expect() {
  want=$1 pattern=$2
  shift 3
  "$@" >"$t/out" 2>&1
  code=$?
  if [ "$code" != "$want" ]; then
    fail "$* exited $code, expected $want"; cat "$t/out"
  elif ! grep -qF -- "$pattern" "$t/out"; then
    fail "$* did not print '$pattern'"; cat "$t/out"
  else
    ok "$* -> $code"
  fi
}

"$folio" policy export -C "$here/projects/forms" -o "$t/old.json" || { echo "export failed"; exit 1; }
R="$t/old.json"
S=customer-permission.services

expect 0 "allow: admin-agent may $S:enable" -- "$folio" policy eval --rules "$R" --role admin-agent --action "$S:enable"
expect 0 "source: grant-permission.md#permission-rules, line 22 (en-us); stated in de-de, en-us" -- "$folio" policy eval --rules "$R" --role admin-agent --action "$S:enable"
expect 1 "deny: sales-agent may not $S:enable" -- "$folio" policy eval --rules "$R" --role sales-agent --action "$S:enable"
expect 1 "allowed roles: admin-agent" -- "$folio" policy eval --rules "$R" --role helpdesk-agent --action "Delete Customer Permissions"
expect 0 "read-only roles: helpdesk-agent, sales-agent" -- "$folio" policy eval --rules "$R" --role Vertriebsbeauftragter --action "$S:read"
expect 0 "allow: admin-agent may $S:enable" -- "$folio" policy eval --rules "$R" --role "Admin agent" --action "Create Customer Permissions"
expect 0 "rule: article/grant-permission:perform" -- "$folio" policy eval --rules "$R" --role sales-agent --action article/grant-permission:perform
expect 2 "unknown role 'sales-agnt'; did you mean 'sales-agent'?" -- "$folio" policy eval --rules "$R" --role sales-agnt --action "$S:enable"
expect 2 "did you mean '$S:enable'?" -- "$folio" policy eval --rules "$R" --role sales-agent --action "$S:enabel"
expect 2 "the action 'perform' is ambiguous" -- "$folio" policy eval --rules "$R" --role sales-agent --action perform
expect 2 "eval needs --rules, --role and --action" -- "$folio" policy eval --rules "$R" --role sales-agent
expect 2 "cannot read the rules file" -- "$folio" policy eval --rules "$t/none.json" --role a --action b

# NEW: a changed copy, written minified (rules.json read back by libyaml).
"$py" - "$R" "$t/new.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rules = {r["id"]: r for r in d["rules"]}
s = "customer-permission.services"
rules[s + ":enable"]["allow"].append("sales-agent")
rules[s + ":disable"]["allow"] = []
rules[s + ":disable"]["audit"] = "Remove Customer Permissions"
rules[s + ":read"]["default"] = "on"
rules[s + ":read"]["requires"] = ["plan-subscription"]
del rules["article/colon-outside:perform"]
rules["article/new:perform"] = {"id": "article/new:perform", "kind": "task", "resource": "article/new",
    "action": "perform", "allow": ["owner"], "source": {"article": "new.md", "anchor": "", "locale": "en-us", "line": 7, "locales": ["en-us"]}}
d["rules"] = sorted(rules.values(), key=lambda r: r["id"])
open(sys.argv[2], "w").write(json.dumps(d, separators=(",", ":")))
PY
"$folio" policy diff "$R" "$t/new.json" >"$t/diff.txt" 2>&1; code=$?
cat >"$t/want.txt" <<WANT
removed   article/colon-outside:perform  was: admin-agent, sales-agent
added     article/new:perform  allow: owner
narrowed  $S:disable  -role admin-agent
changed   $S:disable  audit event 'Delete Customer Permissions' -> 'Remove Customer Permissions'
widened   $S:enable  +role sales-agent
widened   $S:read  -requirement customer-owner-role
widened   $S:read  default off -> on
1 added, 1 removed, 3 widened, 1 narrowed, 1 changed
WANT
if [ "$code" = 0 ] && diff -u "$t/want.txt" "$t/diff.txt"; then ok "diff lists the changes, exit 0"; else fail "diff (exit $code)"; fi
expect 1 "grant more than the old" -- "$folio" policy diff --fail-on-widen "$R" "$t/new.json"
expect 0 "0 added, 0 removed, 0 widened, 0 narrowed, 0 changed" -- "$folio" policy diff --fail-on-widen "$R" "$R"
"$folio" policy diff --format json "$R" "$t/new.json" >"$t/diff.json"
if "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert [c['change'] for c in d].count('widened') == 3, d" "$t/diff.json"; then ok "diff --format json"; else fail "diff --format json"; fi

# audit: JSON Lines with role(s) and action or event.
cat >"$t/log.jsonl" <<'LOG'
{"time":"2025-03-01T10:00:00Z","role":"admin-agent","event":"Create Customer Permissions"}
{"time":"2025-03-01T10:05:00Z","role":"sales-agent","action":"customer-permission.services:enable"}

{"time":"2025-03-01T11:00:00Z","roles":["billing-admin","helpdesk-agent"],"action":"customer-permission.services:read"}
{"time":"2025-03-02T09:00:00Z","role":"owner","event":"Create Reservation Order"}
LOG
"$folio" policy audit --rules "$R" "$t/log.jsonl" >"$t/audit.txt" 2>"$t/audit.err"; code=$?
cat >"$t/want.txt" <<WANT
$t/log.jsonl:2: denied: sales-agent may not customer-permission.services:enable (rule customer-permission.services:enable allows admin-agent; grant-permission.md#permission-rules, line 22)
$t/log.jsonl:5: no rule names the action 'Create Reservation Order'
WANT
# An action no rule names is exit 2, as in eval.
if [ "$code" = 2 ] && diff -u "$t/want.txt" "$t/audit.txt" && grep -qF "4 entries: 2 allowed, 1 not allowed, 1 unknown, 0 invalid" "$t/audit.err"; then
  ok "audit lists what the rules do not allow, exit 2 for the action no rule names"
else
  fail "audit (exit $code)"; cat "$t/audit.err"
fi
head -2 "$t/log.jsonl" >"$t/denied.jsonl"
expect 1 "2 entries: 1 allowed, 1 not allowed, 0 unknown, 0 invalid" -- "$folio" policy audit --rules "$R" "$t/denied.jsonl"
head -1 "$t/log.jsonl" >"$t/good.jsonl"
expect 0 "1 entry: 1 allowed" -- "$folio" policy audit --rules "$R" "$t/good.jsonl"
printf '{"role":"admin-agent"}\nnot json\n' >"$t/bad.jsonl"
expect 2 "bad.jsonl:2:1: invalid: '[' or '{' expected near 'not'" -- "$folio" policy audit --rules "$R" "$t/bad.jsonl"

done_checks "policy cli: all checks passed"
