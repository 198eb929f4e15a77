#!/bin/sh
# Thread stress: build a generated corpus that uses every construct folio
# parses (bench/gen_corpus.py: strikethrough, autolinks, tables, task lists,
# footnotes, alerts, directives, includes, ...) once at -j 1, then RUNS
# times at -j JOBS (more threads than cores, so that threads are preempted
# in the middle of parsing), and require every output byte to be the same
# each time. A race in inline parsing (cmark-gfm's special-character table,
# see generator/markdown/inline_chars.c) shows as missing <del> or autolinks.
# usage: tests/stress/run.sh FOLIO REPO [RUNS] [ARTICLES] [JOBS]
#   ctest runs 10 builds of 2 x 750 articles; by hand, 20 or more:
#   sh tests/stress/run.sh build/folio . 20
set -eu
folio=$1 repo=$2 runs=${3:-10} n=${4:-750} jobs=${5:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$repo/bench/gen_corpus.py" "$work/p" --articles "$n" --seed 7 >/dev/null
"$folio" build -q --strict -C "$work/p" -j 1 -o "$work/ref"

# The reference must contain every construct, or the comparison proves little.
for pattern in '<del>' '<a href="http://www\.' '<a href="https://docs\.example\.com/' '<table>' \
               'type="checkbox"' 'class="footnotes"' 'class="alert ' '<figure class="image' \
               'class="zone"' 'class="row"' '<kbd>'; do
  grep -rqE "$pattern" "$work/ref/en-us" || { echo "reference lacks $pattern"; exit 1; }
done

i=1
while [ "$i" -le "$runs" ]; do
  rm -rf "$work/out"
  "$folio" build -q --strict -C "$work/p" -j "$jobs" -o "$work/out"
  if ! diff -r "$work/ref" "$work/out" >"$work/diff"; then
    echo "run $i of $runs at -j $jobs differs from -j 1:"
    head -n 40 "$work/diff"
    exit 1
  fi
  i=$((i + 1))
done
echo "$runs builds at -j $jobs of $(find "$work/ref" -name '*.html' | wc -l) pages: identical to -j 1"
