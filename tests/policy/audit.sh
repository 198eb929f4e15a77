#!/bin/sh
# folio policy audit on crafted activity logs (JSON Lines are untrusted
# input): each line is read as strictly as rules.json, with its line number
# (and column) in the error; a line too long or nested too deep is an error,
# not a crash; text from the log is escaped before it reaches a terminal.
# usage: audit.sh FOLIO
set -u
folio=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/lib.sh"
rules="$here/rules/good/base.json"

cd "$here/audit" || exit 1
"$folio" policy audit --rules "$rules" crafted.jsonl >"$t/out" 2>"$t/err"
code=$?
if [ "$code" = 2 ] && diff -u crafted.out "$t/out" &&
   grep -qxF "folio policy: 15 entries: 2 allowed, 1 not allowed, 1 unknown, 11 invalid" "$t/err"; then
  ok "crafted.jsonl: every line judged as expected, exit 2"
else
  fail "crafted.jsonl (exit $code)"; cat "$t/err"
fi

# Generated: a line longer than the limit, a line nested 30,000 deep (a
# recursive reader overflows its stack), and 100,000 ordinary lines after
# them (the log is read line by line, not whole).
"$py" - "$t/big.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"role":"admin-agent","action":"customer.services:enable","pad":"' + "x" * 70000 + '"}\n')
    f.write("[" * 30000 + "]" * 30000 + "\n")
    for i in range(100000):
        f.write('{"role":"admin-agent","event":"Create Customer Permissions","n":%d}\n' % i)
PY
"$folio" policy audit --rules "$rules" "$t/big.jsonl" >"$t/out" 2>"$t/err"
code=$?
cat >"$t/want" <<WANT
$t/big.jsonl:1: invalid: longer than 65536 bytes
$t/big.jsonl:2:65: invalid: nested deeper than 64 levels
WANT
if [ "$code" = 2 ] && diff -u "$t/want" "$t/out" &&
   grep -qxF "folio policy: 100002 entries: 100000 allowed, 0 not allowed, 0 unknown, 2 invalid" "$t/err"; then
  ok "a long line and a deep one are errors; 100,000 lines read"
else
  fail "big.jsonl (exit $code)"; cat "$t/err"
fi

# The same strictness for a log that is not there or is a folder.
"$folio" policy audit --rules "$rules" "$t/none.jsonl" >"$t/out" 2>"$t/err"
code=$?
if [ "$code" = 2 ] && grep -qF "cannot read $t/none.jsonl: No such file or directory" "$t/err"; then
  ok "a missing log: exit 2"
else
  fail "missing log (exit $code)"; cat "$t/err"
fi
"$folio" policy audit --rules "$rules" "$t" >"$t/out" 2>"$t/err"
code=$?
if [ "$code" = 2 ] && grep -qF "cannot read $t: Is a directory" "$t/err"; then
  ok "a folder as log: exit 2"
else
  fail "folder as log (exit $code)"; cat "$t/err"
fi

done_checks "policy audit: all checks passed"
