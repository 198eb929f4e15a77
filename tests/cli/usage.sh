#!/bin/sh
# Usage errors are one line that points to --help, exit 2, and suggest the
# nearest command, option or diagnostic code; the summary line counts in
# the right number. usage: usage.sh FOLIO PROJECT
set -u
folio=$1
project=$2
fails=0
expect() { # expect NAME EXIT PATTERN -- COMMAND...
  name=$1 want=$2 pattern=$3
  shift 4
  out=$("$@" 2>&1)
  got=$?
  lines=$(printf '%s\n' "$out" | wc -l)
  if [ "$got" != "$want" ] || ! printf '%s' "$out" | grep -qF -- "$pattern"; then
    echo "FAIL $name: exit $got (want $want), output: $out"
    fails=$((fails + 1))
  elif [ "$want" = 2 ] && [ "$lines" != 1 ]; then
    echo "FAIL $name: a usage error should be one line, got $lines: $out"
    fails=$((fails + 1))
  else
    echo "ok   $name"
  fi
}
expect typo-command 2 "unknown command 'biuld'; did you mean 'build'? (see 'folio --help')" -- "$folio" biuld
expect no-command 2 "no command given (see 'folio --help')" -- "$folio"
expect typo-option 2 "unknown option '--strikt'; did you mean '--strict'?" -- "$folio" check --strikt
expect missing-jobs 2 "-j needs a number of threads (1 to 256) (see 'folio build --help')" -- "$folio" build -j
expect bad-jobs 2 "-j takes a number of threads from 1 to 256, not x" -- "$folio" build -j x
expect ignore-typo 2 "no diagnostic code is called 'orphan-articel'; did you mean 'orphan-article'?" -- "$folio" check -C "$project" --ignore orphan-articel
expect ignore-unknown 2 "no diagnostic code is called 'no-such-code' (see 'folio codes')" -- "$folio" check -C "$project" --ignore no-such-code
expect ignore-known 0 "checked" -- "$folio" check -C "$project" --ignore orphan-article
expect keep-going-typo 2 "unknown option '--keep-goin'; did you mean '--keep-going'?" -- "$folio" build --keep-goin
expect serve-typo 2 "unknown option '--prot'; did you mean '--port'? (see 'folio serve --help')" -- "$folio" serve --prot 1
expect serve-missing 2 "this option needs a value: --port" -- "$folio" serve --port
expect serve-bad-jobs 2 "-j takes a number of threads from 1 to 256, not x" -- "$folio" serve -jx
expect codes-list 0 "bookmark-not-found" -- "$folio" codes
expect codes-format 2 "codes --format takes text, markdown or json, not xml" -- "$folio" codes --format xml
# One article in one locale: "1 article", "1 locale", not "1 articles".
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/p/content/en-us" "$tmp/p/locales" "$tmp/p/templates"
printf 'title: T\nlocales: [en-us]\n' >"$tmp/p/folio.yml"
printf 'name: English\n' >"$tmp/p/locales/en-us.yml"
printf '{{{page.content}}}\n' >"$tmp/p/templates/page.html"
printf 'x\n' >"$tmp/p/templates/home.html"
printf 'x\n' >"$tmp/p/templates/languages.html"
printf -- '---\ntitle: A\ndescription: D\n---\nText with [one link](https://example.com).\n' >"$tmp/p/content/en-us/index.md"
expect plural-check 0 "checked 1 article and 1 link: 0 errors, 0 warnings" -- "$folio" check -C "$tmp/p"
expect plural-build 0 "built 1 page in 1 locale into" -- "$folio" build -C "$tmp/p"
echo "$(( 12 - fails )) passed, $fails failed"
[ "$fails" = 0 ]
