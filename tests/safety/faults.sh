#!/bin/sh
# I/O faults: reads and writes that fail (a full disk, a permission denied, a
# file vanishing or turning into a link mid-build), made by the LD_PRELOAD
# shim inject_errors.so. Each must give the exact diagnostic naming the path
# (the output as given, never the temporary folder), the exit code, and
# leave the previous site as it was with no temporary folder behind.
# usage: faults.sh FOLIO INJECT_SO BAD_BASE_DIR
set -eu
folio=$1 shim=$2 base=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The shim comes before the sanitizer runtime when folio is built with it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
p=$work/p out=$work/out
cp -R "$base/." "$p/"
mkdir -p "$p/content/en-us/media"
printf -- '---\ntitle: A\ndescription: A page.\n---\n# A\n\n![A picture](media/x.png)\n' > "$p/content/en-us/a.md"
echo picture > "$p/content/en-us/media/x.png"
# A link inside the project is published (its target's bytes).
ln -s x.png "$p/content/en-us/media/inside.png"
cd "$work"

sum() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 cksum) | cksum; }
"$folio" build -q -C p -o out
[ "$(cat out/en-us/media/inside.png)" = picture ] || { echo "FAIL: the inside link was not published"; exit 1; }
site=$(sum out)
failed=0

# expect CODE WANT [VAR=value...]: folio build under the shim with the given
# variables; the diagnostics (paths under $work as WORK) must be WANT.
expect() {
  want_code=$1 want=$2
  shift 2
  set +e
  # --no-cache: every file is written (an unchanged page would be kept),
  # unless with_cache=1.
  nc=--no-cache
  [ "${with_cache:-0}" = 1 ] && nc=
  with_cache= # a prefix assignment to a function may outlive the call (dash)
  env "$@" LD_PRELOAD="$shim" "$folio" build -q $nc -C p -o out 2>"$work/stderr"
  code=$?
  set -e
  got=$(sed "s|$work|WORK|g" "$work/stderr")
  if [ "$code" != "$want_code" ] || [ "$got" != "$want" ]; then
    echo "FAIL: $*"
    echo "  exit $code (want $want_code)"
    echo "  got:  $got"
    echo "  want: $want"
    failed=1
  fi
  if [ "$(sum out)" != "$site" ]; then
    echo "FAIL: $*: the previous site was changed"; failed=1
  fi
  # The site a build with the cache replaced is kept beside the output
  # (.out.folio-prev: the next build's staging folder); nothing else is.
  if ls -A "$work" | grep -Eq 'folio-(tmp|old)'; then
    echo "FAIL: $*: a temporary folder was left: $(ls -A "$work" | grep folio-)"; failed=1
  fi
}

# The output disk is full: at the first file written (the marker), at one
# page, at a copied media file.
expect 2 "out/.folio-site: error: cannot write: No space left on device [output-unwritable]" \
  FOLIO_INJECT_WRITE=.out.folio-tmp.
expect 2 "out/en-us/a.html: error: cannot write: No space left on device [output-unwritable]" \
  FOLIO_INJECT_WRITE=/en-us/a.html
expect 2 "out/en-us/media/x.png: error: cannot write: No space left on device [output-unwritable]" \
  FOLIO_INJECT_WRITE=/en-us/media/x.png
# A search page file (written on the pool's threads): its error alone.
expect 2 "out/en-us/search/p0.js: error: cannot write: No space left on device [output-unwritable]" \
  FOLIO_INJECT_WRITE=/en-us/search/p0.js
# Unreadable sources (EACCES: as root, only the shim can refuse).
expect 2 "p/content/en-us/a.md: error: cannot read: Permission denied [file-unreadable]" \
  FOLIO_INJECT_OPEN=content/en-us/a.md FOLIO_INJECT_ERRNO=EACCES
expect 2 "p/content/en-us/media/x.png: error: cannot read: Permission denied [file-unreadable]" \
  FOLIO_INJECT_OPEN=content/en-us/media/x.png FOLIO_INJECT_ERRNO=EACCES
expect 2 "p/templates/page.html: error: cannot read: Input/output error [template-unreadable]" \
  FOLIO_INJECT_OPEN=templates/page.html FOLIO_INJECT_ERRNO=EIO
# A media file and an article vanish between discovery and their reading.
expect 2 "p/content/en-us/media/x.png: error: cannot read: No such file or directory [file-unreadable]" \
  FOLIO_INJECT_VANISH=content/en-us/media/x.png
echo picture > p/content/en-us/media/x.png
expect 2 "p/content/en-us/a.md: error: cannot read: No such file or directory [file-unreadable]" \
  FOLIO_INJECT_VANISH=content/en-us/a.md
printf -- '---\ntitle: A\ndescription: A page.\n---\n# A\n\n![A picture](media/x.png)\n' > p/content/en-us/a.md
# A media file turned into a link to outside after discovery: the copy
# checks where the opened file is, and copies nothing.
expect 1 "p/content/en-us/media/x.png: error: leads outside the project (/etc/passwd) when copied; it is skipped [symlink-outside-project]" \
  FOLIO_INJECT_SWAP=content/en-us/media/x.png=/etc/passwd
rm p/content/en-us/media/x.png && echo picture > p/content/en-us/media/x.png

# The build cache: a pack read fails (a failing disk, a pack cut short by
# another tool) between the article stage, which wrote the entry, and the
# page, which reads its body back from it: the build stops with an error
# rather than publish a page without its body. (a.md's page is carried
# over unrendered and needs no body; the home page, index.md's, is always
# rendered.) A pack deleted under a build is no fault: it is held open.
with_cache=1 expect 1 "p/content/en-us/index.md: error: the build cache entry of this article could not be read back during the build (a read error, or its pack in .folio/cache/build cut short); build again [cache-changed]" \
  FOLIO_INJECT_READ=.folio/cache/build/packs/

# With --keep-going the site is published all the same. A search index
# written while bodies could not be read back (an article edited, so its
# locale's index is written again) is not recorded as whole: the next build
# writes it again rather than carry pages without their text.
printf 'More text.\n' >>p/content/en-us/a.md
set +e
env LD_PRELOAD="$shim" FOLIO_INJECT_READ=.folio/cache/build/packs/ \
  "$folio" build -q --keep-going -C p -o out 2>/dev/null
set -e
FOLIO_CACHE_STATS=1 "$folio" build -q -C p -o out 2>"$work/stats" || true
grep -q ', 0 of 1 search indexes$' "$work/stats" ||
  { echo "FAIL: an index written with bodies lost was carried over: $(cat "$work/stats")"; failed=1; }
printf -- '---\ntitle: A\ndescription: A page.\n---\n# A\n\n![A picture](media/x.png)\n' > p/content/en-us/a.md

# The cache's disk is full: no entry can be written, the bodies stay in
# memory, and the build is whole (the cache is only a cache).
rm -rf p/.folio
LD_PRELOAD="$shim" FOLIO_INJECT_WRITE=.folio/cache/build/ "$folio" build -q -C p -o out ||
  { echo "FAIL: a full cache disk failed the build"; failed=1; }
[ "$(sum out)" = "$site" ] || { echo "FAIL: the site built with a full cache disk differs"; failed=1; }

# And with nothing injected the site builds again.
LD_PRELOAD="$shim" "$folio" build -q -C p -o out || { echo "FAIL: the shim alone breaks the build"; failed=1; }
[ "$(sum out)" = "$site" ] || { echo "FAIL: the rebuilt site differs"; failed=1; }
[ $failed = 0 ] && echo "I/O faults: every case gave its diagnostic and exit code, the previous site kept"
exit $failed
