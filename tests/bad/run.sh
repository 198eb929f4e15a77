#!/bin/sh
# Bad-input test: folio must fail with the expected exit code and exactly the
# expected diagnostics, and leave the previous output folder untouched.
# A case folder holds project/ (laid over _base/, a valid minimal project),
# expected.txt (diagnostics, with paths relative to the project) and exit-code;
# optionally remove (paths to delete) and setup (a shell script run in the
# project folder, with WORK set to the test's folder, for what git does not
# keep well: symbolic links, large or non-UTF-8 files). Paths under WORK are
# shown as WORK/ in the diagnostics.
# usage: run.sh FOLIO CASE_DIR
set -eu
folio=$1 case=$2
want_code=$(cat "$case/exit-code")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/project"
cp -R "$(dirname "$case")/_base/." "$work/project/"
[ -d "$case/project" ] && cp -R "$case/project/." "$work/project/"
[ -f "$case/remove" ] && (cd "$work/project" && xargs rm -rf < "$OLDPWD/$case/remove")
[ -f "$case/setup" ] && (cd "$work/project" && WORK=$work sh "$OLDPWD/$case/setup")
# The previous site: one folio built (it holds .folio-site).
mkdir -p "$work/site" && echo previous > "$work/site/marker.txt" && echo site > "$work/site/.folio-site"
set +e
"$folio" build -q -C "$work/project" -o "$work/site" 2>"$work/stderr"
code=$?
set -e
sed -e "s|$work/project/||g" -e "s|$work/|WORK/|g" "$work/stderr" > "$work/actual.txt"
status=0
if [ "$code" != "$want_code" ]; then
  echo "exit code $code, expected $want_code"; status=1
fi
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$work/actual.txt" "$case/expected.txt"
elif ! diff -u "$case/expected.txt" "$work/actual.txt"; then
  echo "diagnostics differ from $case/expected.txt"; status=1
fi
# Diagnostics are UTF-8 whatever the input (a Latin-1 file, a file name).
if ! iconv -f UTF-8 -t UTF-8 "$work/stderr" >/dev/null 2>&1; then
  echo "the diagnostics are not valid UTF-8"; status=1
fi
if [ "$(cat "$work/site/marker.txt" 2>/dev/null)" != previous ] || [ "$(ls "$work/site")" != marker.txt ]; then
  echo "the previous site was changed"; status=1
fi
if [ "$(cat "$work/site/.folio-site" 2>/dev/null)" != site ]; then
  echo "the previous site's .folio-site was changed"; status=1
fi
if ls -a "$work" | grep -q folio-tmp; then
  echo "a temporary folder was left behind"; status=1
fi
[ $status = 0 ] && echo "bad input: exit $code, diagnostics as expected, previous site kept"
exit $status
