#!/bin/sh
# The build cache's pack files (generator/pipeline/buildcache.c): entries
# live in packs, one per build that writes any, found through one index.
# On a copy of the golden project, each case must give the site a build
# without the cache gives, byte for byte:
#  - round trip: a cold build writes one pack and the index, a warm one
#    takes every entry from them and writes neither;
#  - a warm build after a second pack was written takes the other entries
#    from the first;
#  - 16 cycles of edit + build (twice the packs allowed) leave at most
#    MAX_PACKS (8) packs and at most
#    3 times the bytes of the first pack;
#  - a corrupt index, a truncated pack: misses, then a clean rebuild;
#  - two builds at once into two folders, sharing .folio, 3 times;
#  - what a killed build leaves (a pack no index names, a temporary index)
#    is deleted by the next build, unless a live build holds it (flock) or
#    it is empty and new (created, not yet locked).
# usage: packs.sh FOLIO PROJECT_DIR [JOBS]
set -eu
folio=$1 src=$2 jobs=${3:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
p=$tmp/p
cp -R "$src/." "$p/"
rm -rf "$p/.folio"
en=$p/content/en-us
cache=$p/.folio/cache/build
export FOLIO_CACHE_STATS=1
failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}

# build NAME: the site in $tmp/NAME with the cache (stats in NAME.err).
build() {
  "$folio" build -q -j "$jobs" -C "$p" -o "$tmp/$1" 2>"$tmp/$1.err" ||
    { fail "$1: the build failed: $(cat "$tmp/$1.err")"; }
}
# same NAME WHAT: NAME's site is the one a build without the cache writes.
same() {
  rm -rf "$tmp/ref"
  "$folio" build -q -j "$jobs" --no-cache -C "$p" -o "$tmp/ref" 2>/dev/null ||
    fail "$2: the build without the cache failed"
  diff -r "$tmp/$1" "$tmp/ref" >"$tmp/diff" ||
    { fail "$2: the site differs from a build without the cache"; head -20 "$tmp/diff"; }
}
parsed() { sed -n 's/^folio: cache: parsed \([0-9]*\) of .*/\1/p' "$tmp/$1.err"; }
packs() { ls "$cache/packs" | wc -l; }
pack_bytes() { cat "$cache/packs"/* | wc -c; }
inode() { ls -i "$1" | cut -d' ' -f1; }
total=$(find "$en" "$p/content/de-de" -name '*.md' ! -path '*/includes/*' | wc -l)

# Round trip. The files settled first (their change time 3 s before the
# build): else a warm build more than 3 s after the cold one would stamp
# their entries again (copies into a new pack, and a new index).
sleep 4
build site
same site "cold build"
[ "$(parsed site)" = "$total" ] || fail "cold: parsed $(parsed site) of $total"
[ "$(packs)" = 1 ] || fail "cold: $(packs) packs, expected 1"
[ -f "$cache/index" ] || fail "cold: no index"
[ -e "$cache/articles" ] && fail "cold: an articles/ folder (format 5) was made"
first=$(pack_bytes) index=$(inode "$cache/index")
build site
same site "warm build"
[ "$(parsed site)" = 0 ] || fail "warm: parsed $(parsed site), expected 0"
[ "$(packs)" = 1 ] || fail "warm: $(packs) packs, expected 1"
[ "$(inode "$cache/index")" = "$index" ] || fail "warm: the index was written again"
echo "ok: round trip ($total entries, one pack of $first bytes)"

# A second pack; then the entries of both are taken.
printf '\nA new paragraph.\n' >>"$en/alerts.md"
build site
same site "edit"
[ "$(parsed site)" = 1 ] || fail "edit: parsed $(parsed site), expected 1"
[ "$(packs)" = 2 ] || fail "edit: $(packs) packs, expected 2"
build site
same site "warm after a second pack"
[ "$(parsed site)" = 0 ] || fail "warm after a second pack: parsed $(parsed site), expected 0"
echo "ok: a warm build takes entries from an old pack and a new one"

# Compaction: 16 cycles, each editing one article (another one each time,
# so that small packs pile up, and one of them over and over).
i=0
for f in "$en"/*.md "$en"/*.md "$en"/*.md "$en"/*.md "$en"/*.md; do
  [ $i -ge 16 ] && break
  i=$((i + 1))
  printf '\nCycle %s.\n' "$i" >>"$f"
  [ $((i % 3)) = 0 ] && printf '\nAgain %s.\n' "$i" >>"$en/links.md"
  build site
  n=$(packs) bytes=$(pack_bytes)
  [ "$n" -le 8 ] || fail "cycle $i: $n packs (at most 8)"
  [ "$bytes" -le $((3 * first)) ] || fail "cycle $i: $bytes bytes of packs (at most $((3 * first)))"
done
same site "after 16 cycles"
build site
[ "$(parsed site)" = 0 ] || fail "after 16 cycles: parsed $(parsed site), expected 0"
echo "ok: 16 cycles of edits: $(packs) packs, $(pack_bytes) bytes (first pack $first)"

# Damage: a miss, then the next build is whole again.
pk=$(ls -S "$cache/packs" | head -1)
size=$(wc -c <"$cache/packs/$pk")
head -c $((size - 10)) "$cache/packs/$pk" >"$tmp/short" && cp "$tmp/short" "$cache/packs/$pk"
build site
same site "truncated pack"
[ "$(parsed site)" -ge 1 ] || fail "truncated pack: nothing parsed again"
build site
[ "$(parsed site)" = 0 ] || fail "after a truncated pack: parsed $(parsed site), expected 0"
printf 'garbage' | dd of="$cache/index" bs=1 seek=50 conv=notrunc 2>/dev/null
build site
same site "corrupt index"
[ "$(parsed site)" = "$total" ] || fail "corrupt index: parsed $(parsed site) of $total"
build site
[ "$(parsed site)" = 0 ] || fail "after a corrupt index: parsed $(parsed site), expected 0"
echo "ok: a truncated pack and a corrupt index are misses, then hits again"

# Two builds at once, sharing .folio: the first time from no cache (both
# write every entry), then after an edit each time.
for round in 1 2 3; do
  [ $round = 1 ] && rm -rf "$p/.folio"
  printf '\nRound %s.\n' "$round" >>"$en/anchors.md"
  rm -rf "$tmp/a" "$tmp/b"
  "$folio" build -q -j "$jobs" -C "$p" -o "$tmp/a" 2>"$tmp/a.err" &
  pa=$!
  "$folio" build -q -j "$jobs" -C "$p" -o "$tmp/b" 2>"$tmp/b.err" &
  pb=$!
  wait $pa || fail "round $round: build a failed: $(cat "$tmp/a.err")"
  wait $pb || fail "round $round: build b failed: $(cat "$tmp/b.err")"
  same a "round $round, build a"
  diff -r "$tmp/a" "$tmp/b" >/dev/null || fail "round $round: the two builds differ"
done
build site
same site "after the concurrent builds"
echo "ok: two builds at once, 3 times"

# What a killed build leaves: a pack of its own and a temporary index.
build site
printf 'entries' >"$cache/packs/99999-1-0.pack"
printf 'index' >"$cache/index.tmp.99999.0"
printf 'other' >"$cache/other.tmp.99999" # another writer's: not the packs' business
: >"$cache/packs/99999-2-0.pack" # empty and new: maybe not locked yet
printf 'held' >"$cache/packs/99999-3-0.pack"
# The holder is one process (the lock on its descriptor 9, then sleep in
# its place) with no output: a child left holding ctest's pipe would keep
# the test running until it ended.
(
  exec 9>>"$cache/packs/99999-3-0.pack"
  flock 9
  exec sleep 30
) >/dev/null 2>&1 &
holder=$!
sleep 1
mkdir -p "$cache/articles" && printf x >"$cache/articles/0123"
build site
[ -e "$cache/packs/99999-1-0.pack" ] && fail "a killed build's pack was not deleted"
[ -e "$cache/index.tmp.99999.0" ] && fail "a killed build's temporary index was not deleted"
[ -e "$cache/other.tmp.99999" ] || fail "another writer's temporary file was deleted"
[ -e "$cache/packs/99999-2-0.pack" ] || fail "an empty new pack was deleted"
[ -e "$cache/packs/99999-3-0.pack" ] || fail "a pack held by a build was deleted"
[ -e "$cache/articles" ] && fail "the entries of format 5 were not deleted"
kill $holder 2>/dev/null || true
wait $holder 2>/dev/null || true
touch -d '2 minutes ago' "$cache/packs/99999-2-0.pack"
build site
[ -e "$cache/packs/99999-2-0.pack" ] && fail "an empty old pack was not deleted"
[ -e "$cache/packs/99999-3-0.pack" ] && fail "a pack no longer held was not deleted"
same site "after the garbage"
echo "ok: a killed build's files deleted, a held one kept"

[ $failed = 0 ] && echo "packs: every case matches a build without the cache"
exit $failed
