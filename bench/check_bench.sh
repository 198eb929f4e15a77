#!/bin/sh
# Time `folio check` on a generated corpus of N articles in each of two
# locales (en-us, de-de; default 5000 each), with every kind of link in
# every article, and raw cmark-gfm (the CLI, Debian package cmark-gfm) on the
# same Markdown files for a ratio. Figures go to stdout.
# usage: bench/check_bench.sh [FOLIO] [N] [JOBS]
set -eu
cd "$(dirname "$0")/.."
folio=${1:-build/folio} n=${2:-5000} jobs=${3:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/check/gen_corpus.py "$work/p" --repo . --clean --seed 42 --articles "$n" >/dev/null
articles=$(find "$work/p/content" -name '*.md' -not -path '*/includes/*' | wc -l)
bytes=$(find "$work/p/content" -name '*.md' -exec cat {} + | wc -c)
t() { s=$(date +%s.%N); "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
"$folio" check -q -C "$work/p" -j "$jobs" --format json > "$work/report.json" 2>/dev/null || true
links=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['links'])" "$work/report.json")
best_check=""; best_cmark=""
for i in 1 2 3; do
  c=$(t "$folio" check -q -C "$work/p" -j "$jobs")
  [ -z "$best_check" ] || [ "$(echo "$c < $best_check" | bc)" = 1 ] && best_check=$c
done
if command -v cmark-gfm >/dev/null; then
  for i in 1 2 3; do
    c=$(t sh -c "find '$work/p/content' -name '*.md' -not -path '*/includes/*' -print0 | xargs -0 -P '$jobs' -n 500 cmark-gfm -e table -e strikethrough -e autolink -e tasklist")
    [ -z "$best_cmark" ] || [ "$(echo "$c < $best_cmark" | bc)" = 1 ] && best_cmark=$c
  done
fi
echo "corpus: $articles articles (2 locales), $links links, $((bytes / 1024)) KiB of Markdown; $jobs threads"
echo "folio check: $best_check s (best of 3)"
if [ -n "$best_cmark" ]; then
  echo "cmark-gfm CLI, same files, $jobs processes: $best_cmark s (best of 3)"
  echo "ratio folio check / cmark-gfm: $(echo "scale=2; $best_check / $best_cmark" | bc)"
else
  echo "cmark-gfm CLI not installed (apt-get install cmark-gfm) - no ratio"
fi
