#!/bin/sh
# The staging folder of an incremental build (publish.h): a build with the
# cache keeps the site it replaced beside the output folder
# (.out.folio-prev) and builds the next site in it, leaving alone the files
# that are already the ones it keeps. Whatever that folder holds (junk, a
# stale or wrong file, a link out of it, a file shared with the site in
# place and edited there), the site must be byte for byte the one a build
# without the cache writes, and nothing outside the two folders may change.
# usage: reuse.sh FOLIO SOURCE_DIR
set -eu
folio=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tests/learn"
cp -R "$src/locales" "$src/templates" "$tmp/"
cp -R "$src/tests/learn/project" "$tmp/tests/learn/project"
p=$tmp/tests/learn/project
en=$p/content/en-us
rm -rf "$p/.folio" "$p/_site"
out=$tmp/out prev=$tmp/.out.folio-prev
failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}
# build [options]: into $out, diagnostics kept apart.
build() {
  "$folio" build -q -j 2 -C "$p" -o "$out" "$@" 2>"$tmp/err" || true
}
# same NAME: $out is what a build without the cache writes.
same() {
  rm -rf "$tmp/ref"
  "$folio" build -q -j 2 -C "$p" -o "$tmp/ref" --no-cache 2>/dev/null || true
  if ! diff -r "$out" "$tmp/ref" >"$tmp/diff"; then
    fail "$1: the site differs from a build without the cache"
    head -20 "$tmp/diff"
  fi
}
ino() { ls -di "$1" | cut -d' ' -f1; }
# staging: the kept folder's inode, held open across the build so that a
# folder made after it was removed cannot get the same number.
hold() {
  staging=$(ino "$prev")
  exec 3<"$prev"
}
release() { exec 3<&-; }
page=en-us/billing/invoices.html
[ -f "$en/billing/invoices.md" ] || { echo "FAIL: the project has no billing/invoices.md"; exit 1; }

build
[ -e "$prev" ] && fail "a first build kept a folder beside the output (nothing was replaced)"
build
[ -d "$prev" ] || fail "the site replaced by the second build was not kept"
same "second build"

# The kept folder becomes the next site: the same folder (inode), every
# unchanged page the same file as in the site it replaces.
before=$(ino "$out/$page")
hold
printf '\nOne more sentence.\n' >>"$en/billing/payment-methods.md"
build
release
[ "$(ino "$out")" = "$staging" ] || fail "the kept folder was not built in"
[ "$(ino "$out/$page")" = "$before" ] || fail "an unchanged page is not the file it was"
same "one article edited"

# Junk, a wrong page (its own file), a stale folder: removed or replaced.
echo junk >"$prev/junk.html"
mkdir -p "$prev/en-us/gone/deeper"
echo stale >"$prev/en-us/gone/deeper/old.html"
rm -f "$prev/$page"
echo wrong >"$prev/$page"
hold
build
release
[ "$(ino "$out")" = "$staging" ] || fail "a kept folder with junk was not built in"
same "junk in the kept folder"
[ -e "$out/junk.html" ] && fail "junk.html was carried into the site"

# A link in the kept folder (as a pull request could plant it): the folder
# is not built in, and nothing is written through the link.
mkdir -p "$tmp/outside"
echo mine >"$tmp/outside/keep.txt"
rm -rf "$prev/en-us/billing"
ln -s "$tmp/outside" "$prev/en-us/billing"
hold
build
release
[ "$(ino "$out")" = "$staging" ] && fail "a kept folder holding a link was built in"
[ "$(ls -A "$tmp/outside")" = keep.txt ] || fail "a file was written through the link: $(ls -A "$tmp/outside")"
[ "$(cat "$tmp/outside/keep.txt")" = mine ] || fail "a file outside was changed"
same "a link in the kept folder"

# A page of the site in place edited in place (a minifier): the kept folder
# shares its file, so both changed; the page is written anew, and the site
# as the build before left it is not what the new one shows.
build
printf '<!-- minified -->' >>"$out/$page"
build
same "a page edited in place in the site"
grep -q 'minified' "$out/$page" && fail "the page edited in place was carried"

# A site removed by hand: its kept folder is of no use and goes too.
rm -rf "$out"
build
[ -e "$prev" ] && fail "the kept folder outlived the site it was kept for"
same "the site removed by hand"

# --no-cache builds from an empty folder and keeps nothing new.
build
build --no-cache
same "a build without the cache"
ls -A "$tmp" | grep -E 'folio-(tmp|old)' && fail "a temporary folder was left"

[ $failed = 0 ] && echo "reuse: every build matches a build without the cache"
exit $failed
