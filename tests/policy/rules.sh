#!/bin/sh
# Crafted rules.json files (tests/policy/rules/bad/NAME.json): each must be
# refused before anything is exported, with exit 2 and exactly the error in
# NAME.err (file:line:col for JSON syntax and duplicate keys, the JSON path
# of the value otherwise). The good ones must read and write back byte for
# byte. UPDATE_GOLDEN=1 rewrites the .err files (review them by eye).
# usage: rules.sh FOLIO
set -u
folio=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/lib.sh"

cd "$here/rules/bad" || exit 1
for f in *.json; do
  name=${f%.json}
  for fmt in json csv casbin cedar; do
    "$folio" policy export --rules "$f" --format $fmt -o "$t/$name.$fmt" >"$t/out" 2>"$t/err"
    code=$?
    [ "${UPDATE_GOLDEN:-}" = 1 ] && cp "$t/err" "$name.err"
    if [ "$code" != 2 ]; then
      fail "$f ($fmt): exit $code, expected 2"; cat "$t/err"
    elif [ -e "$t/$name.$fmt" ]; then
      fail "$f ($fmt): something was exported"
    elif [ -s "$t/out" ]; then
      fail "$f ($fmt): printed on stdout"; cat "$t/out"
    elif ! diff -u "$name.err" "$t/err"; then
      fail "$f ($fmt): not the expected error"
    elif [ $fmt = cedar ]; then
      ok "$f refused: $(cat "$t/err")"
    fi
  done
done

# diff --fail-on-widen must not read a duplicate key differently from
# Python and JavaScript (which keep the last value: a widening).
"$folio" policy diff --fail-on-widen ../good/base.json duplicate-allow.json >"$t/out" 2>"$t/err"
code=$?
if [ "$code" = 2 ] && grep -qF 'duplicate key "allow"' "$t/err"; then
  ok "diff --fail-on-widen refuses a duplicate key (exit 2)"
else
  fail "diff --fail-on-widen on a duplicate key exited $code"; cat "$t/out" "$t/err"
fi
for sub in "eval --rules no-generator.json --role admin-agent --action enable" \
            "audit --rules role-csv-injection.json /dev/null"; do
  # shellcheck disable=SC2086
  "$folio" policy $sub >"$t/out" 2>"$t/err"
  code=$?
  if [ "$code" = 2 ] && grep -qF "error:" "$t/err"; then ok "policy $sub -> 2"; else fail "policy $sub exited $code"; cat "$t/err"; fi
done

cd "$here/rules/good" || exit 1
for f in *.json; do
  if "$folio" policy export --rules "$f" -o "$t/again.json" 2>"$t/err" && cmp -s "$f" "$t/again.json"; then
    ok "$f reads and writes back byte for byte"
  else
    fail "$f did not read back"; cat "$t/err"; diff -u "$f" "$t/again.json"
  fi
  for fmt in csv casbin cedar; do
    "$folio" policy export --rules "$f" --format $fmt -o "$t/$f.$fmt" 2>"$t/err" || { fail "$f: export $fmt"; cat "$t/err"; }
  done
done

done_checks "policy rules: all checks passed"
