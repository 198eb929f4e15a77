#!/bin/sh
# The sharded search index on a large generated locale: builds a corpus of N
# articles (tests/site/gen_search_corpus.py, one locale), then reports the
# index's size on disk (manifest, term shards, page files), the build time,
# and, in headless chromium (bench/search_bench.js), the bytes a one-word
# query loads and the time to its results, for the planted word (6 pages),
# a rare word, two documentation words, the commonest word and a prefix;
# each also typed a key at a time.
# Measures, asserts nothing. Needs python3, node, chromium and
# tests/browser/node_modules (sh .ci/bootstrap).
# usage: bench/search_bench.sh [FOLIO] [N] [JOBS]   # defaults: build/folio 10000 $(nproc)
set -eu
cd "$(dirname "$0")/.."
folio=${1:-build/folio} n=${2:-10000} jobs=${3:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/site/gen_search_corpus.py "$work/p" --repo . --articles "$n" >/dev/null
s=$(date +%s.%N)
"$folio" build -q -j "$jobs" -C "$work/p" -o "$work/site"
e=$(date +%s.%N)
loc="$work/site/en-us"
bytes() { cat "$@" | wc -c; }
kb() { echo "scale=1; $1 / 1024" | bc; }
manifest=$(bytes "$loc/search-index.js")
shards=$(find "$loc/search" -name 't*.js' | wc -l)
shard_bytes=$(find "$loc/search" -name 't*.js' -exec cat {} + | wc -c)
pages=$(find "$loc/search" -name 'p*.js' | wc -l)
page_bytes=$(find "$loc/search" -name 'p*.js' -exec cat {} + | wc -c)
largest=$(find "$loc/search" -name 't*.js' -exec wc -c {} + | grep -v total | sort -n | tail -1 | awk '{print $1}')
echo "corpus: $n articles, $(($(find "$work/p/content" -name '*.md' -exec cat {} + | wc -c) / 1024)) KiB of Markdown; folio build -j $jobs: $(echo "$e - $s" | bc) s"
echo "index: $(kb $((manifest + shard_bytes + page_bytes))) KB in $((shards + pages + 1)) files"
echo "  manifest: $(kb "$manifest") KB"
echo "  term shards: $shards files, $(kb "$shard_bytes") KB (largest $(kb "$largest") KB)"
echo "  pages: $pages files, $(kb "$page_bytes") KB (average $(kb $((page_bytes / pages))) KB)"
node bench/search_bench.js "$work/site" en-us zephyrine rintoryeldun permissions configuration can perm
