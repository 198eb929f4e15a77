#!/bin/sh
# Incremental builds: after each edit of a copy of the Learn-shaped project,
# a build that uses the cache (.folio/cache/build) must write the same site,
# byte for byte, and report the same diagnostics and exit status as a build
# of the same tree with --no-cache into another folder. Each step also says
# how much the cache must have saved (FOLIO_CACHE_STATS=1 prints "parsed N
# of M articles (R files read), kept K of P pages, S of L search
# indexes"), so a cache
# that never hits fails, and
# a page that did not change keeps its file (same inode) across a build.
# usage: run.sh FOLIO SOURCE_DIR [JOBS]
set -eu
folio=$1 src=$2 jobs=${3:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The project names ../../../locales and ../../../templates: copy those too.
mkdir -p "$tmp/tests/learn"
cp -R "$src/locales" "$src/templates" "$tmp/"
cp -R "$src/tests/learn/project" "$tmp/tests/learn/project"
p=$tmp/tests/learn/project
en=$p/content/en-us
rm -rf "$p/.folio" "$p/_site"
# More articles than the project has, so that pages can be kept.
for n in 1 2 3 4 5 6; do
  cat >"$en/billing/note-$n.md" <<EOF
---
title: Billing note $n
description: A short note about billing, number $n.
---
# Billing note $n

Some text for note $n, with a [link to the invoices](invoices.md) and
**bold** words.

## Details of note $n

A list:

- one
- two
EOF
done
cat >"$en/anchor-target.md" <<'EOF'
---
title: Anchor target
description: An article whose section others link to.
---
# Anchor target

## Section that moves

Text.
EOF
cat >"$en/anchor-source.md" <<'EOF'
---
title: Anchor source
description: An article that links to a section of another.
---
# Anchor source

See [the section](anchor-target.md#section-that-moves).
EOF

export FOLIO_CACHE_STATS=1
failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}

# build NAME [options]: the site in $tmp/NAME, diagnostics in NAME.diag.
build() {
  out=$1
  shift
  set +e
  "$folio" build -q -v -j "$jobs" -C "$p" -o "$tmp/$out" ${extra:-} "$@" 2>"$tmp/$out.err"
  echo $? >"$tmp/$out.rc"
  set -e
  grep -v '^folio: cache:' "$tmp/$out.err" >"$tmp/$out.diag" || true
}

# The numbers of the last warm build's stats line.
stat_of() {
  sed -n "s/^folio: cache: parsed \([0-9]*\) of \([0-9]*\) articles ([0-9]* files read), kept \([0-9]*\) of \([0-9]*\) pages, \([0-9]*\) of \([0-9]*\) search indexes$/$1/p" "$tmp/site.err"
}

# step NAME MIN_PARSED MAX_PARSED MIN_KEPT: a warm build after an edit
# against a cold one; parsed articles and kept pages within the bounds
# (MAX_PARSED "all" for every article).
step() {
  name=$1 minp=$2 maxp=$3 mink=$4
  build site
  build ref --no-cache
  if ! diff -r "$tmp/site" "$tmp/ref" >"$tmp/diff"; then
    fail "$name: the site differs from a build without the cache"
    head -40 "$tmp/diff"
  fi
  if ! diff "$tmp/site.diag" "$tmp/ref.diag"; then
    fail "$name: the diagnostics differ from a build without the cache"
  fi
  cmp -s "$tmp/site.rc" "$tmp/ref.rc" || fail "$name: exit status $(cat "$tmp/site.rc") vs $(cat "$tmp/ref.rc")"
  grep -q '^folio: cache: parsed' "$tmp/site.err" || { fail "$name: no cache stats line"; return; }
  parsed=$(stat_of '\1') total=$(stat_of '\2') kept=$(stat_of '\3') pages=$(stat_of '\4')
  [ "$maxp" = all ] && maxp=$total
  if [ "$parsed" -lt "$minp" ] || [ "$parsed" -gt "$maxp" ]; then
    fail "$name: parsed $parsed of $total articles, expected $minp to $maxp"
  fi
  [ "$kept" -ge "$mink" ] || fail "$name: kept $kept of $pages pages, expected at least $mink"
  skept=$(stat_of '\5') searches=$(stat_of '\6')
  # search=N: exactly N search indexes carried over ("all" for every one).
  want=${search:-}
  search= # a prefix assignment to a function may outlive the call (dash)
  [ "$want" = all ] && want=$searches
  if [ -n "$want" ] && [ "$skept" != "$want" ]; then
    fail "$name: kept $skept of $searches search indexes, expected $want"
  fi
  echo "ok: $name (parsed $parsed of $total, kept $kept of $pages pages, $skept of $searches search indexes)"
}

inode() { ls -i "$1" | cut -d' ' -f1; }

# An article whose file's stamp is the one its entry recorded is not even
# read, but only a stamp that settled (its change time SETTLE_S = 3 s
# before the build that recorded it): wait, so that the files of the
# project are, and the steps below run both ways, read (the files they
# edit) and known by stamp (the others).
sleep 4
# The first build fills the cache; the next one changes nothing.
build site
[ "$(cat "$tmp/site.rc")" = 0 ] || { cat "$tmp/site.err"; fail "the project does not build"; }
search=all step "nothing changed" 0 0 10
# Read still: the YAML pages (not cached).
files_read() { sed -n 's/.*articles (\([0-9]*\) files read).*/\1/p' "$tmp/site.err"; }
read0=$(files_read)
yml=$(find "$p/content" -name '*.yml' ! -name 'toc.yml' ! -name 'zone-pivot-groups.yml' | wc -l)
[ "$read0" = "$yml" ] || fail "nothing changed, yet $read0 files were read (their stamps were not trusted)"

# A file touched (its stamp changes, not its bytes): read and hashed once,
# its entry stamped again, and not read after that.
touch "$en/billing/note-1.md"
sleep 4
search=all step "touch an article" 0 0 10
[ "$(files_read)" = $((read0 + 1)) ] || fail "touch: $(files_read) files read, expected $((read0 + 1))"
search=all step "after the touch" 0 0 10
[ "$(files_read)" = "$read0" ] || fail "the touched article was read again: its entry was not stamped again"
n1=$(inode "$tmp/site/en-us/billing/note-1.html")

# One article's text: only it is parsed again and only its page rendered.
printf '\nA new paragraph.\n' >>"$en/billing/note-2.md"
# The notes are not translated: de-de shows them as fallback pages, so
# both locales' search indexes are written again.
search=0 step "edit an article" 1 1 9
grep -q 'A new paragraph' "$tmp/site/en-us/billing/note-2.html" || fail "the edited page is not new"
[ "$(files_read)" = $((read0 + 1)) ] || fail "edit an article: $(files_read) files read, expected $((read0 + 1))"
s1=$(inode "$tmp/site/en-us/search-index.js")
# The indexes were written again from the digests of the pages that did
# not change (searchdigest.h): only the edited article's two pages (en-us,
# and de-de's fallback) and the YAML pages (which have none; each en-us one
# is in de-de's index too, translated or not) were read.
digests() { sed -n "s/^folio: cache: indexed \([0-9]*\) search pages, \([0-9]*\) from their digests$/$1/p" "$tmp/site.err"; }
yml_en=$(find "$en" -name '*.yml' ! -name 'toc.yml' ! -name 'zone-pivot-groups.yml' | wc -l)
[ "$(($(digests '\1') - $(digests '\2')))" = $((2 * yml_en + 2)) ] ||
  fail "edit an article: indexed $(digests '\1') search pages, $(digests '\2') from digests, expected all but $((2 * yml_en + 2))"
# A digest file cut short is not used (and the site is still the same).
dg=$p/.folio/cache/build/search-en-us
[ -f "$dg" ] || fail "no search digests were kept for en-us"
head -c $(($(wc -c <"$dg") / 2)) "$dg" >"$tmp/short" && cp "$tmp/short" "$dg"
printf '\nAnother paragraph.\n' >>"$en/billing/note-2.md"
search=0 step "edit an article, its locale's digests cut short" 1 1 9
[ "$(($(digests '\1') - $(digests '\2')))" -gt $((2 * yml_en + 2)) ] ||
  fail "digests cut short: $(digests '\2') of $(digests '\1') search pages from digests"
s1=$(inode "$tmp/site/en-us/search-index.js")

# A translation: its locale's search index is written again, the source
# locale's carried over.
locales=$(ls -d "$tmp"/site/*/search-index.js | wc -l)
printf '\nEin neuer Absatz.\n' >>"$p/content/de-de/get-started.md"
search=$((locales - 1)) step "edit a translation" 1 1 9
[ "$(inode "$tmp/site/en-us/search-index.js")" = "$s1" ] ||
  fail "an unchanged search index was written again (its inode changed)"
[ "$(inode "$tmp/site/en-us/billing/note-1.html")" = "$n1" ] ||
  fail "an unchanged page was written again (its inode changed)"

# A page edited in the site in place (a minifier run on the output) is
# rendered again, not carried over as it is now.
printf '<!-- minified -->\n' >>"$tmp/site/en-us/billing/note-3.html"
step "a page edited in the output" 0 0 9
grep -q 'minified' "$tmp/site/en-us/billing/note-3.html" && fail "the page edited in the output was carried over"

# A search file edited in the site in place: that locale's index is
# written again (the edit is not carried over), the others are carried.
shard=$(ls "$tmp/site/de-de/search/" | head -1)
printf '/* minified */\n' >>"$tmp/site/de-de/search/$shard"
search=$((locales - 1)) step "a search file edited in the output" 0 0 9
grep -q 'minified' "$tmp/site/de-de/search/$shard" && fail "the search file edited in the output was carried over"
search=all step "nothing changed after the search file" 0 0 9

# Its title: other pages show it (navigation), they are rendered again.
sed -i 's/^title: Billing note 3$/title: Third billing note/' "$en/billing/note-3.md"
step "edit an article's title" 1 1 0

# A heading another article links to goes away: the link is checked again
# although the linking article is unchanged.
sed -i 's/^## Section that moves$/## Section that moved/' "$en/anchor-target.md"
step "remove an anchor that an unchanged article links to" 1 1 0
grep -q 'bookmark-not-found' "$tmp/site.diag" || fail "the broken anchor is not reported"
sed -i 's/^## Section that moved$/## Section that moves/' "$en/anchor-target.md"
step "put the anchor back" 1 1 0
grep -q 'bookmark-not-found' "$tmp/site.diag" && fail "the anchor is reported after it came back"

# Add, rename, delete articles (the set of files decides how links resolve).
cp "$en/billing/note-1.md" "$en/billing/note-7.md"
step "add an article" 0 all 0
mv "$en/billing/note-7.md" "$en/billing/note-8.md"
step "rename an article" 0 all 0
printf '\nSee [note 8](note-8.md).\n' >>"$en/billing/note-4.md"
step "link to it" 1 all 0
rm "$en/billing/note-8.md"
step "delete the article linked to" 0 all 0
grep -q 'note-8' "$tmp/site.diag" || fail "the link to the deleted article is not reported"
[ "$(cat "$tmp/site.rc")" = 1 ] || fail "a broken link did not fail the build"
step "nothing changed after a failed build" 0 0 0
# Published with the error (--keep-going): the same site and report too.
extra=--keep-going step "publish with the broken link (--keep-going)" 0 0 0
extra=--keep-going step "again (--keep-going)" 0 0 10
sed -i '/note-8/d' "$en/billing/note-4.md"
step "remove the broken link" 1 1 0
step "nothing changed after the deletion" 0 0 10

# An include: the articles that expand it are parsed again.
printf '\nOne more prerequisite.\n' >>"$en/includes/prerequisites.md"
step "edit an include" 1 1 0
grep -q 'One more prerequisite' "$tmp/site/en-us/get-started.html" || fail "the include edit is not in the page"

# Navigation, templates, locale strings, the project file.
sed -i 's/^- name: Set up your partner account$/- name: Set up your account/' "$en/toc.yml"
search=all step "edit a toc entry title" 0 0 0
printf '<!-- edited -->\n' >>"$tmp/templates/page.html"
step "edit a template" 0 0 0
sed -i 's/^  previous: Previous$/  previous: Back/' "$tmp/locales/en-us.yml"
step "edit a locale string" 0 all 0
sed -i 's/^title: Contoso Partner Center$/title: Contoso Partner Centre/' "$p/folio.yml"
step "edit folio.yml" 0 all 0
step "nothing changed after folio.yml" 0 0 10

# A damaged cache is a miss, never a crash nor a wrong page.
cache=$p/.folio/cache/build
pk=$(ls -S "$cache/packs" | head -1)
printf 'garbage' | dd of="$cache/packs/$pk" bs=1 seek=40 conv=notrunc 2>/dev/null
step "corrupt an entry" 0 1 0
# A pack cut short is not the one the index names: its entries are misses.
pk=$(ls -S "$cache/packs" | head -1)
size=$(wc -c <"$cache/packs/$pk")
head -c $((size - 100)) "$cache/packs/$pk" >"$tmp/short" && cp "$tmp/short" "$cache/packs/$pk"
step "truncate a pack" 1 all 0
printf 'garbage' | dd of="$cache/index" bs=1 seek=60 conv=notrunc 2>/dev/null
step "corrupt the index" 1 all 0
step "nothing changed after the corrupt index" 0 0 10
head -c 50 "$cache/index" >"$tmp/short" && cp "$tmp/short" "$cache/index"
step "truncate the index" 1 all 0
for f in "$cache/packs"/*; do printf 'FOLIOBC\n\001\000\000\000' >"$f"; done
head -c 50 "$cache/pages" >"$tmp/short" && cp "$tmp/short" "$cache/pages"
step "every entry from another format" 0 all 0
rm -rf "$p/.folio/cache/build"
step "delete the cache" 0 all 0
step "nothing changed after deleting the cache" 0 0 10

# A build without the cache in between: its site is not the one the cache
# describes, so nothing may be carried from it.
build site --no-cache
step "after a build with --no-cache" 0 0 0

# check uses the cache too and reports what build does.
set +e
"$folio" check -q -v -C "$p" 2>"$tmp/check.err"
"$folio" check -q -v -C "$p" --no-cache 2>"$tmp/check-nc.err"
set -e
grep -v '^folio: cache:' "$tmp/check.err" >"$tmp/check.diag" || true
grep -v '^folio: cache:' "$tmp/check-nc.err" >"$tmp/check-nc.diag" || true
diff "$tmp/check.diag" "$tmp/check-nc.diag" || fail "check reports differently with the cache"
grep -q 'parsed 0 of' "$tmp/check.err" || fail "check did not use the cache: $(grep cache: "$tmp/check.err")"

[ $failed = 0 ] && echo "incremental: every step matches a build without the cache"
exit $failed
