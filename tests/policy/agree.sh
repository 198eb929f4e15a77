#!/bin/sh
# Issue 12: folio policy eval and folio policy audit answer the same bad
# question in the same words and with the same exit status: an unknown role,
# an action no rule names (a case variant, a typo, a prefix that several
# rules share), an action name several rules have, an audience rule; an
# action id that exists is answered, never with "did you mean" itself.
# usage: agree.sh FOLIO PROJECT_DIR
set -u
folio=$1 project=$2
. "$(dirname "$0")/lib.sh"
"$folio" policy export -C "$project" -o "$t/rules.json" 2>/dev/null || { echo "export failed"; exit 1; }
R="$t/rules.json"
P=customer-purchase.reservations

# role|action|the message both must print ("" = answered, no message)
cat >"$t/cases" <<EOF2
admin-agent|$P:enable|
Admin agent|Create Customer Purchase Permissions|
admin-agent|Customer-Purchase.Reservations:Enable|no rule names the action 'Customer-Purchase.Reservations:Enable'; did you mean '$P:enable'?
admin-agent|$P|no rule names the action '$P'; did you mean one of '$P:disable', '$P:enable', '$P:read'?
admin-agent|$P:|no rule names the action '$P:'; did you mean one of '$P:disable', '$P:enable', '$P:read'?
admin-agent|$P:enabel|no rule names the action '$P:enabel'; did you mean '$P:enable'?
admin-agent|create customer purchase permissions|no rule names the action 'create customer purchase permissions'; did you mean 'Create Customer Purchase Permissions'?
admin-agent|read|the action 'read' is ambiguous: 2 rules name it; did you mean one of 'activity-log.read:read', '$P:read'?
admin-agent|article/index:audience|'article/index:audience' is an audience rule (who the article is for), not an action
admin-agent|no-such-thing|no rule names the action 'no-such-thing'
admin-agnet|$P:enable|unknown role 'admin-agnet'; did you mean 'admin-agent'?
Admin-Agent|$P:enable|unknown role 'Admin-Agent'; did you mean 'admin-agent'?
Sales agnt|$P:read|unknown role 'Sales agnt'; did you mean 'sales-agent'?
nobody|$P:enable|unknown role 'nobody'
admin-agnet|no-such-thing|unknown role 'admin-agnet'; did you mean 'admin-agent'?
EOF2

n=0
while IFS='|' read -r role action want; do
  n=$((n + 1))
  "$folio" policy eval --rules "$R" --role "$role" --action "$action" >"$t/eval.out" 2>"$t/eval.err"
  ecode=$?
  "$py" -c 'import json,sys; print(json.dumps({"role": sys.argv[1], "action": sys.argv[2]}))' "$role" "$action" >"$t/log.jsonl"
  "$folio" policy audit --rules "$R" "$t/log.jsonl" >"$t/audit.out" 2>"$t/audit.err"
  acode=$?
  emsg=$(sed -n 's/^folio policy: //p' "$t/eval.err")
  amsg=$(sed -n "s|^$t/log.jsonl:1: ||p" "$t/audit.out")
  if [ -z "$want" ]; then
    # Answered: eval allows (exit 0), audit has nothing to list (exit 0).
    if [ "$ecode" = 0 ] && [ "$acode" = 0 ] && [ -z "$emsg" ] && [ ! -s "$t/audit.out" ] &&
       ! grep -q "did you mean" "$t/eval.err" "$t/audit.out"; then
      ok "$role / $action: answered by both"
    else
      fail "$role / $action: eval $ecode '$emsg', audit $acode '$amsg'"
    fi
  elif [ "$ecode" = 2 ] && [ "$acode" = 2 ] && [ "$emsg" = "$want" ] && [ "$amsg" = "$want" ]; then
    ok "$role / $action: both exit 2 with: $want"
  else
    fail "$role / $action: eval $ecode '$emsg', audit $acode '$amsg', want 2 '$want'"
  fi
done <"$t/cases"
[ "$n" -ge 15 ] || fail "only $n cases read"

# Every rule id that exists is answered by both, never with a hint.
"$py" -c 'import json,sys; [print(r["id"]) for r in json.load(open(sys.argv[1]))["rules"] if r["kind"] != "audience"]' "$R" >"$t/ids"
bad=0
while read -r id; do
  "$folio" policy eval --rules "$R" --role global-admin --action "$id" >"$t/o" 2>&1
  c=$?
  { [ "$c" = 0 ] || [ "$c" = 1 ]; } && ! grep -q "did you mean" "$t/o" || { bad=$((bad + 1)); echo "$id: exit $c"; cat "$t/o"; }
  printf '{"role":"global-admin","action":"%s"}\n' "$id"
done <"$t/ids" >"$t/all.jsonl"
"$folio" policy audit --rules "$R" "$t/all.jsonl" >"$t/o" 2>&1
c=$?
if [ "$bad" = 0 ] && [ "$c" -le 1 ] && ! grep -q "did you mean" "$t/o"; then
  ok "every rule id ($(wc -l <"$t/ids")) answered by eval and audit without a hint"
else
  fail "rule ids: $bad eval failures, audit exit $c"; cat "$t/o"
fi

# A user in two roles: eval (--role twice) and audit ("roles") agree, and
# the union of the roles decides.
"$folio" policy eval --rules "$R" --role helpdesk-agent --role admin-agent --action "$P:enable" >"$t/o" 2>&1
c1=$?
printf '{"roles":["helpdesk-agent","admin-agent"],"action":"%s:enable"}\n' "$P" >"$t/two.jsonl"
"$folio" policy audit --rules "$R" "$t/two.jsonl" >/dev/null 2>&1
c2=$?
"$folio" policy eval --rules "$R" --role helpdesk-agent --role billing-admin --action "$P:enable" >"$t/o2" 2>&1
c3=$?
if [ "$c1" = 0 ] && [ "$c2" = 0 ] && grep -qxF "allow: admin-agent may $P:enable" "$t/o" &&
   [ "$c3" = 1 ] && grep -qxF "deny: helpdesk-agent, billing-admin may not $P:enable" "$t/o2"; then
  ok "two roles: the union decides, in eval and audit"
else
  fail "two roles: eval $c1, audit $c2, eval $c3"; cat "$t/o" "$t/o2"
fi

done_checks "policy agree: eval and audit agree on $n questions"
