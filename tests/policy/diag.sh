#!/bin/sh
# A policy diagnostics case: `folio check` on CASE_DIR must exit with the
# expected code and print exactly the expected diagnostics (expected.txt).
# UPDATE_GOLDEN=1 rewrites expected.txt (review it by eye).
# usage: diag.sh FOLIO CASE_DIR
set -eu
folio=$1 case=$2
want=$(cat "$case/exit-code")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
"$folio" check -q -C "$case" 2>"$out"
code=$?
set -e
sed -i "s|$case/||g" "$out"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$out" "$case/expected.txt"
fi
status=0
[ "$code" = "$want" ] || { echo "exit code $code, expected $want"; status=1; }
diff -u "$case/expected.txt" "$out" || { echo "diagnostics differ from $case/expected.txt"; status=1; }
[ $status = 0 ] && echo "policy diagnostics as expected, exit $code"
exit $status
