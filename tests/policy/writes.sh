#!/bin/sh
# Every write is checked: with standard output on /dev/full (or closed), or
# -o naming something that cannot be written, folio status and folio policy
# diff, eval, audit and export exit 2 and say what could not be written.
# usage: writes.sh FOLIO
set -u
folio=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/lib.sh"
[ -w /dev/full ] || { echo "no /dev/full: skipped"; exit 0; }

# full MESSAGE -- command...: stdout on /dev/full; exit 2 and MESSAGE on stderr.
full() {
  want=$1
  shift 2
  "$@" >/dev/full 2>"$t/err"
  code=$?
  if [ "$code" = 2 ] && grep -qF -- "$want" "$t/err"; then
    ok "$* >/dev/full -> 2"
  else
    fail "$* >/dev/full exited $code"; cat "$t/err"
  fi
}

project="$here/projects/forms"
rules="$here/rules/good/base.json"
tricky="$here/rules/good/tricky-text.json"
printf '{"role":"sales-agent","action":"customer.services:enable"}\n' >"$t/log.jsonl"
STDOUT="cannot write standard output: No space left on device"

full "folio status: $STDOUT" -- "$folio" status -C "$project"
full "folio status: $STDOUT" -- "$folio" status -C "$project" --format json
full "folio status: $STDOUT" -- "$folio" status --help
full "folio policy: $STDOUT" -- "$folio" policy diff "$rules" "$tricky"
full "folio policy: $STDOUT" -- "$folio" policy diff --format json "$rules" "$tricky"
full "folio policy: $STDOUT" -- "$folio" policy diff "$rules" "$rules"
full "folio policy: $STDOUT" -- "$folio" policy eval --rules "$rules" --role admin-agent --action customer.services:enable
full "folio policy: $STDOUT" -- "$folio" policy eval --rules "$rules" --role sales-agent --action customer.services:enable
full "folio policy: $STDOUT" -- "$folio" policy audit --rules "$rules" "$t/log.jsonl"
full "folio policy: $STDOUT" -- "$folio" policy export --rules "$rules"
full "folio policy: $STDOUT" -- "$folio" policy export --rules "$rules" --format csv
full "folio policy: $STDOUT" -- "$folio" policy export -C "$project"
full "folio policy: $STDOUT" -- "$folio" policy --help

# -o that cannot be written, and a closed standard output.
"$folio" policy export --rules "$rules" -o /dev/full 2>"$t/err"
code=$?
if [ "$code" = 2 ] && grep -qF "folio policy: cannot write /dev/full: No space left on device" "$t/err"; then
  ok "export -o /dev/full -> 2"
else
  fail "export -o /dev/full exited $code"; cat "$t/err"
fi
: >"$t/file"
"$folio" policy export --rules "$rules" --format cedar -o "$t/file/sub" 2>"$t/err"
code=$?
if [ "$code" = 2 ] && grep -qF "folio policy: cannot create $t/file/sub: Not a directory" "$t/err"; then
  ok "export --format cedar -o under a file -> 2"
else
  fail "export cedar under a file exited $code"; cat "$t/err"
fi
"$folio" policy eval --rules "$rules" --role admin-agent --action customer.services:enable >&- 2>"$t/err"
code=$?
if [ "$code" = 2 ] && grep -qF "folio policy: cannot write standard output: Bad file descriptor" "$t/err"; then
  ok "eval with standard output closed -> 2"
else
  fail "eval with stdout closed exited $code"; cat "$t/err"
fi

done_checks "policy writes: all checks passed"
