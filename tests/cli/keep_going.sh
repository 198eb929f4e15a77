#!/bin/sh
# folio build --keep-going: a project with content errors (a broken link, a
# front matter that is not YAML) is still published, atomically, and the
# exit status is still 1. The article with the broken link renders the rest
# of its text; the one whose front matter failed gets no page. Without the
# option nothing is written; a broken folio.yml publishes nothing either.
# usage: keep_going.sh FOLIO BAD_BASE_DIR
set -u
folio=$1 base=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

mkdir -p "$work/p"
cp -R "$base/." "$work/p/"
cat > "$work/p/content/en-us/a.md" <<'MD'
---
title: Article A
description: Has a broken link.
---
# Article A

See [the missing page](nope.md) for more.

The paragraph after the broken link still renders.
MD
cat > "$work/p/content/en-us/b.md" <<'MD'
---
title: [Article B
description: Front matter that is not YAML.
---
# Article B
MD

# Without --keep-going: exit 1 and nothing written.
"$folio" build -q -C "$work/p" -o "$work/site" 2>"$work/err0"
code=$?
[ $code = 1 ] || no "without --keep-going: exit $code, expected 1"
[ -e "$work/site" ] && no "without --keep-going the site was written"

# With it: the previous site is replaced as a whole, exit 1.
mkdir -p "$work/site" && echo previous > "$work/site/marker.txt" && : > "$work/site/.folio-site" # an earlier site
"$folio" build --keep-going -C "$work/p" -o "$work/site" 2>"$work/err1"
code=$?
[ $code = 1 ] || no "--keep-going: exit $code, expected 1"
grep -q 'content/en-us/a.md:7:5: error: .*\[file-not-found\]' "$work/err1" ||
  no "the broken link is not reported"
grep -q 'content/en-us/b.md:[0-9:]*: error: .*\[yaml-syntax\]' "$work/err1" ||
  no "the front matter error is not reported"
grep -q '^folio: built 3 pages .* with 2 errors .*(--keep-going:' "$work/err1" ||
  no "summary line: $(tail -1 "$work/err1")"
[ -e "$work/site/marker.txt" ] && no "the previous site was not replaced"
[ -f "$work/site/en-us/index.html" ] || no "index.html not written"
grep -q 'The paragraph after the broken link still renders.' "$work/site/en-us/a.html" 2>/dev/null ||
  no "a.html does not hold the rest of the article"
grep -q 'the missing page' "$work/site/en-us/a.html" 2>/dev/null ||
  no "a.html lost the broken link's text"
# A front matter that is not YAML costs only itself: the article renders.
[ -f "$work/site/en-us/b.html" ] || no "b.html was not written (a front matter error costs only the front matter)"
ls -a "$work" | grep -Eq 'folio-(tmp|old)' && no "a temporary folder was left behind"

# A folio.yml that cannot be read publishes nothing, even with --keep-going.
echo "title: [" > "$work/p/folio.yml"
"$folio" build -q --keep-going -C "$work/p" -o "$work/site" 2>"$work/err2"
code=$?
[ $code = 1 ] || no "broken folio.yml: exit $code, expected 1"
[ -f "$work/site/en-us/a.html" ] || no "broken folio.yml: the previous site was changed"

[ $fail = 0 ] && echo "keep-going: site written with errors, exit 1"
exit $fail
