#!/bin/sh
# Time `folio build` (the whole site: every page, fallback pages, search,
# sitemaps, rules.json, and the link check) on a generated corpus, side by
# side in one run with Hugo (where installed: apt-get install hugo) building
# the same Markdown files with a minimal layout, and with the cmark-gfm CLI
# parsing and rendering them. Hugo and cmark-gfm do less than folio (no
# Learn extensions, no link check, no per-locale navigation): the ratios say
# what folio's extra work costs, not which tool is faster at the same job.
# Every run is a clean build (the output folder removed first, untimed):
# creating ~10,000 files is a large part of both folio's and Hugo's time.
# usage: bench/build_bench.sh [FOLIO] [N] [JOBS]
set -eu
cd "$(dirname "$0")/.."
folio=${1:-build/folio} n=${2:-5000} jobs=${3:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/check/gen_corpus.py "$work/p" --repo . --clean --seed 42 --articles "$n" >/dev/null
articles=$(find "$work/p/content" -name '*.md' -not -path '*/includes/*' | wc -l)
bytes=$(find "$work/p/content" -name '*.md' -not -path '*/includes/*' -exec cat {} + | wc -c)

best() { # best of 3 wall-clock runs of a clean build: OUT is removed first
  out=$1; shift
  b=""
  for i in 1 2 3; do
    rm -rf "$out"; sync
    s=$(date +%s.%N); "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ] && b=$t
  done
  echo "$b"
}

t_folio=$(best "$work/site" "$folio" build -q -C "$work/p" -j "$jobs" -o "$work/site")
pages=$(find "$work/site" -name '*.html' | wc -l)
echo "corpus: $articles articles in 2 locales, $((bytes / 1024)) KiB of Markdown; $jobs threads"
echo "folio build: $t_folio s, $pages HTML files (best of 3)"

if command -v hugo >/dev/null; then
  h="$work/hugo"
  mkdir -p "$h/layouts/_default" "$h/content"
  cp -R "$work/p/content/." "$h/content/"
  find "$h/content" -type d -name includes -prune -exec rm -rf {} +
  find "$h/content" ! -name '*.md' -type f -delete
  # A folder with index.md is a leaf bundle to Hugo (its other pages would
  # become resources and never be rendered); _index.md makes it a section.
  find "$h/content" -name index.md | while read -r f; do mv "$f" "${f%index.md}_index.md"; done
  printf 'baseURL = "https://bench.example/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n[markup.goldmark.renderer]\nunsafe = true\n' > "$h/config.toml"
  echo '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>' > "$h/layouts/_default/single.html"
  echo '<!DOCTYPE html><html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>' > "$h/layouts/_default/list.html"
  t_hugo=$(best "$work/hugo-out" env GOMAXPROCS="$jobs" hugo --quiet -s "$h" -d "$work/hugo-out")
  echo "hugo $(hugo version | cut -d' ' -f2), same files, minimal layout: $t_hugo s, $(find "$work/hugo-out" -name '*.html' | wc -l) HTML files (best of 3)"
  echo "ratio folio build / hugo: $(echo "scale=2; $t_folio / $t_hugo" | bc)"
else
  echo "hugo not installed (apt-get install hugo): no Hugo ratio"
fi
if command -v cmark-gfm >/dev/null; then
  t_cmark=$(best "$work/none" sh -c "find '$work/p/content' -name '*.md' -not -path '*/includes/*' -print0 | xargs -0 -P '$jobs' -n 500 cmark-gfm -e table -e strikethrough -e autolink -e tasklist")
  echo "cmark-gfm CLI, same files, $jobs processes: $t_cmark s (best of 3)"
  echo "ratio folio build / cmark-gfm: $(echo "scale=2; $t_folio / $t_cmark" | bc)"
fi
