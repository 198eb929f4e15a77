#!/bin/sh
# Golden-file test: build the project with folio and compare every output
# file with the reviewed copy in expected/. UPDATE_GOLDEN=1 rewrites
# expected/ instead (then read the diff by eye before committing it).
# usage: run.sh FOLIO PROJECT_DIR EXPECTED_DIR [JOBS]
set -eu
folio=$1 project=$2 expected=$3 jobs=${4:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$folio" build -q -v -j "$jobs" -C "$project" -o "$out/site" 2>"$out/stderr" || {
  echo "folio build failed:"; cat "$out/stderr"; exit 1; }
# Diagnostics are part of the expected output (paths relative to PROJECT_DIR).
sed "s|^$project/||" "$out/stderr" > "$out/site/diagnostics.txt"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  rm -rf "$expected" && mkdir -p "$expected" && cp -R "$out/site/." "$expected/"
  echo "updated $expected"
  exit 0
fi
if diff -ru "$expected" "$out/site"; then
  echo "golden: $(find "$expected" -type f | wc -l) files identical"
else
  echo "golden: output differs from $expected (see diff above)"
  exit 1
fi
