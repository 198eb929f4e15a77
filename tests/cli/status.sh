#!/bin/sh
# folio status for CI and translators, on a small bilingual project made
# here: --strict / --fail-on exit codes and summary, usage errors,
# --record (round trip, one line changed, CRLF and BOM kept, refusals) and
# includes in the source hash. usage: status.sh FOLIO BAD_BASE_DIR
set -u
folio=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") base=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
no() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }
p=$work/p
# run NAME WANT_EXIT PATTERN -- COMMAND...: exit code and a fixed string in
# stdout+stderr.
run() {
  name=$1 want=$2 pattern=$3
  shift 4
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" != "$want" ] || ! printf '%s' "$out" | grep -qF -- "$pattern"; then
    no "$name: exit $got (want $want, looking for '$pattern'), output: $out"
  else
    ok "$name"
  fi
}
state() { # state LOCALE REL: the state folio status --format json gives
  "$folio" status -C "$p" --format json | python3 -c '
import json, sys
st = json.load(sys.stdin)
for l in st["locales"]:
    if l["locale"] == sys.argv[1]:
        for a in l["articles"]:
            if a["path"] == sys.argv[2]:
                print(a["state"])' "$1" "$2"
}

mkdir -p "$p"
cp -R "$base/." "$p/"
printf 'title: T\nlocales: [en-us, de-de]\n' >"$p/folio.yml"
printf 'name: Deutsch\n' >"$p/locales/de-de.yml"
mkdir -p "$p/content/en-us/billing" "$p/content/en-us/includes" "$p/content/de-de/billing"
printf -- '---\ntitle: A\ndescription: A.\n---\n# A\n\nText of A.\n' >"$p/content/en-us/billing/a.md"
printf -- '---\ntitle: B\ndescription: B.\n---\n# B\n\n[!INCLUDE [note](../includes/note.md)]\n\nAfter.\n' \
  >"$p/content/en-us/billing/b.md"
printf 'A shared note.\n' >"$p/content/en-us/includes/note.md"
printf -- '---\ntitle: C\ndescription: C.\n---\n# C\n' >"$p/content/en-us/billing/c.md"
# index.md is translated, billing/c.md is not (missing). a.md and b.md are
# recorded below; b.md's translation is CRLF with a BOM and a comment.
cp "$p/content/en-us/index.md" "$p/content/de-de/index.md"
printf -- '---\ntitle: A (de)\n# a comment\ndescription: A.\nfolio.source-hash: sha256:0000\n---\n# A\n' \
  >"$p/content/de-de/billing/a.md"
printf '\357\273\277---\r\ntitle: B (de)\r\ndescription: "B."  # kept\r\n---\r\n# B\r\n\r\nText.\r\n' \
  >"$p/content/de-de/billing/b.md"

# --- listing and exit codes -------------------------------------------------
run plain 0 "de-de: 0 current, 1 stale, 2 untracked, 1 missing, 0 orphan" -- "$folio" status -C "$p"
run strict 1 "4 translations are not current: 1 stale, 2 untracked, 1 missing (--strict)" -- \
  "$folio" status -C "$p" --strict
run fail-on 1 "1 translation is stale, 1 missing (--fail-on stale,missing)" -- \
  "$folio" status -C "$p" --fail-on stale,missing
run fail-on-orphan 0 "no translation is orphan (--fail-on orphan)" -- "$folio" status -C "$p" --fail-on orphan
run fail-on-json 1 '"path": "billing/a.md"' -- "$folio" status -C "$p" --format json --fail-on stale
run locale-strict 1 "4 translations are not current: 1 stale, 2 untracked, 1 missing (--strict)" -- \
  "$folio" status -C "$p" --locale de-de --strict
# --- usage errors -----------------------------------------------------------
run locale-typo 2 "--locale: folio.yml has no target locale 'de-dd'; did you mean 'de-de'?" -- \
  "$folio" status -C "$p" --locale de-dd
run locale-source 2 "--locale takes a target locale; the source locale is en-us" -- \
  "$folio" status -C "$p" --locale en-us --strict
run typo-state 2 "unknown translation state 'stael'; did you mean 'stale'? (see 'folio status --help')" -- \
  "$folio" status -C "$p" --fail-on missing,stael
run unknown-state 2 "unknown translation state 'zzzzzz' (see 'folio status --help')" -- \
  "$folio" status -C "$p" --fail-on zzzzzz
run no-list 2 "--fail-on needs a list of states" -- "$folio" status -C "$p" --fail-on
run empty-list 2 "--fail-on needs a list of states" -- "$folio" status -C "$p" --fail-on ,
run strict-and-record 2 "--record" -- "$folio" status -C "$p" --strict --record content/de-de/billing/a.md
run record-nothing 2 "--record needs" -- "$folio" status -C "$p" --record
run typo-option 2 "unknown option '--stirct'; did you mean '--strict'?" -- "$folio" status --stirct
run record-no-project 2 "folio.yml" -- "$folio" status -C "$work" --record x.md

# --- --record ---------------------------------------------------------------
cp "$p/content/de-de/billing/a.md" "$work/a.before"
cp "$p/content/de-de/billing/b.md" "$work/b.before"
run record 0 "recorded content/de-de/billing/a.md" -- "$folio" status -C "$p" --record \
  content/de-de/billing/a.md content/de-de/billing/b.md
[ "$(state de-de billing/a.md)" = current ] || no "a.md not current after --record"
[ "$(state de-de billing/b.md)" = current ] || no "b.md not current after --record"
# a.md: only the hash line differs.
d=$(diff "$work/a.before" "$p/content/de-de/billing/a.md" | grep '^[<>]')
case $d in
"< folio.source-hash: sha256:0000
> folio.source-hash: sha256:"*) ok "a.md: only the value changed" ;;
*) no "a.md changed otherwise: $d" ;;
esac
# b.md: one line added at the end of the front matter, CRLF, BOM first.
head -c 3 "$p/content/de-de/billing/b.md" | od -An -tx1 | grep -q 'ef bb bf' || no "b.md lost its BOM"
[ "$(grep -c "$(printf '\r')\$" "$p/content/de-de/billing/b.md")" = 8 ] || no "b.md: not every line is CRLF"
d=$(diff "$work/b.before" "$p/content/de-de/billing/b.md" | grep '^[<>]')
case $d in
"> folio.source-hash: sha256+includes:"*) ok "b.md: one line added" ;;
*) no "b.md changed otherwise: $d" ;;
esac
sed -n 4p "$p/content/de-de/billing/b.md" | grep -q '^folio.source-hash: sha256+includes:[0-9a-f]\{64\}'"$(printf '\r')"'$' ||
  no "b.md: the key is not the last line of the front matter"
ls "$p/content/de-de/billing" | grep -v '^[abc]\.md$' && no "a temporary file was left behind"
run record-again 0 "already current" -- "$folio" status -C "$p" --record content/de-de/billing/a.md
# Relative to the current directory without -C.
run record-cwd 0 "already current" -- sh -c "cd '$p' && '$folio' status --record content/de-de/billing/a.md"

# --- refusals: nothing written, exit 1 ---------------------------------------
cp -R "$p" "$work/snapshot"
printf -- '---\ntitle: [broken\ndescription: x\nfolio.source-hash: sha256:1\n---\n# X\n' >"$p/content/de-de/billing/broken.md"
printf -- '---\ntitle: Broken\ndescription: x\n---\n# X\n' >"$p/content/en-us/billing/broken.md"
printf -- '---\ntitle: [broken\ndescription: x\n---\n# X\n' >"$work/snapshot/content/de-de/billing/broken.md"
cp "$p/content/de-de/billing/broken.md" "$work/broken.before"
printf -- '---\ntitle: X\ndescription: x\n---\n# X\n' >"$work/outside.md"
ln -s "$work/outside.md" "$p/content/de-de/billing/link.md"
run refuse-source 1 "content/en-us/billing/a.md: is in the source locale (en-us)" -- \
  "$folio" status -C "$p" --record content/en-us/billing/a.md
run refuse-outside 1 "is outside the project" -- "$folio" status -C "$p" --record "$work/outside.md"
run refuse-dotdot 1 "is outside the project" -- "$folio" status -C "$p" --record ../outside.md
run refuse-symlink 1 "is outside the project" -- "$folio" status -C "$p" --record content/de-de/billing/link.md
run refuse-broken 1 "content/de-de/billing/broken.md:3:12: error: invalid YAML" -- "$folio" status -C "$p" --record content/de-de/billing/broken.md
cmp -s "$work/broken.before" "$p/content/de-de/billing/broken.md" || no "broken.md was changed"
rm "$p/content/de-de/billing/broken.md" "$p/content/en-us/billing/broken.md" "$p/content/de-de/billing/link.md"
printf -- '---\ntitle: O\ndescription: o.\n---\n# O\n' >"$p/content/de-de/billing/orphan.md"
run refuse-orphan 1 "has no source article" -- "$folio" status -C "$p" --record content/de-de/billing/orphan.md
run refuse-missing 1 "content/de-de/billing/c.md: cannot read" -- "$folio" status -C "$p" --record content/de-de/billing/c.md
# One refused path: the others are not recorded either.
printf '\nMore.\n' >>"$p/content/en-us/billing/a.md"
cp "$p/content/de-de/billing/a.md" "$work/a.before"
run refuse-all-or-nothing 1 "has no source article" -- "$folio" status -C "$p" --record \
  content/de-de/billing/a.md content/de-de/billing/orphan.md
cmp -s "$work/a.before" "$p/content/de-de/billing/a.md" || no "a.md was recorded although another path was refused"
rm "$p/content/de-de/billing/orphan.md"

# --- includes: editing one makes the translations of its users stale --------
[ "$(state de-de billing/b.md)" = current ] || no "b.md should be current before the include changes"
printf 'A shared note, edited.\n' >"$p/content/en-us/includes/note.md"
[ "$(state de-de billing/b.md)" = stale ] && ok "include edit: b.md stale" || no "include edit did not make b.md stale"
grep -q 'sha256+includes:' "$p/content/de-de/billing/b.md" || no "b.md should record the includes form"
run record-all-stale 0 "recorded content/de-de/billing/a.md" -- "$folio" status -C "$p" --record --all-stale
[ "$(state de-de billing/a.md)" = current ] || no "a.md not current after --all-stale"
[ "$(state de-de billing/b.md)" = current ] || no "b.md not current after --all-stale"
run all-current 0 "no translation is stale or orphan (--fail-on stale,orphan)" -- "$folio" status -C "$p" --fail-on stale,orphan
run strict-untracked 1 "2 translations are not current: 1 untracked, 1 missing (--strict)" -- \
  "$folio" status -C "$p" --strict

[ $fails = 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
