#!/bin/sh
# One benchmark run: a generated bilingual corpus (bench/gen_corpus.py, N
# articles in en-us and N translations in de-de, one image per 5 articles
# in each locale), then ROUNDS rounds that each run, one after the other:
#   folio build   a cold build: the output folder (and .folio/, where a
#                 cache would live) removed first (untimed)
#   warm-article  a second `folio build` into the same folder after one
#                 article's text changed (an incremental build's case)
#   warm-toc      the same after one toc title changed (every page's
#                 navigation changes)
#   warm-none     the same again, nothing changed
#   folio check   the same work as the build without writing the site
#   hugo          (when installed: apt-get install hugo) the same Markdown
#                 files and the same images as static files, minimal layout
#   floor         bench/floor.c: libcmark-gfm alone parses, renders and
#                 writes the same files on JOBS threads (a lower bound)
# Alternating the tools spreads the noise of a shared machine over all of
# them. For each it prints the median wall time, CPU time (user + system)
# and peak RSS over the rounds (/usr/bin/time), the files it wrote, and the
# ratios the project's targets are stated in.
# usage: bench/bench.sh [FOLIO] [N] [JOBS] [ROUNDS]   (build/folio 5000 2 3)
set -eu
cd "$(dirname "$0")/.."
folio=${1:-build/folio} n=${2:-5000} jobs=${3:-2} rounds=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_corpus.py "$work/p" --articles "$n" >/dev/null
articles=$(find "$work/p/content" -name '*.md' -not -path '*/includes/*' | wc -l)
kib=$(($(find "$work/p/content" -name '*.md' -not -path '*/includes/*' -exec cat {} + | wc -c) / 1024))
media=$(find "$work/p/content" -name '*.png' | wc -l)

cc -O2 -o "$work/floor" bench/floor.c $(pkg-config --cflags --libs libcmark-gfm) -lpthread

have_hugo=0
if command -v hugo >/dev/null; then
  have_hugo=1
  h="$work/hugo"
  mkdir -p "$h/layouts/_default" "$h/content" "$h/static"
  cp -R "$work/p/content/." "$h/content/"
  find "$h/content" -type d -name includes -prune -exec rm -rf {} +
  # The images as static files at the same paths folio writes them to.
  (cd "$h/content" && find . -name '*.png' | while read -r f; do
    mkdir -p "../static/$(dirname "$f")" && mv "$f" "../static/$f"; done)
  find "$h/content" ! -name '*.md' -type f -delete
  # A folder with index.md is a leaf bundle to Hugo (its other pages would
  # become resources and never be rendered); _index.md makes it a section.
  find "$h/content" -name index.md | while read -r f; do mv "$f" "${f%index.md}_index.md"; done
  printf '%s\n' 'baseURL = "https://bench.example/"' 'title = "bench"' \
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]' \
    '[markup.goldmark.renderer]' 'unsafe = true' > "$h/config.toml"
  echo '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>' \
    > "$h/layouts/_default/single.html"
  echo '<!DOCTYPE html><html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>' \
    > "$h/layouts/_default/list.html"
fi

# The article and the toc the warm rounds edit (the same in every round).
edit_md=$(find "$work/p/content/en-us" -maxdepth 1 -name '*.md' ! -name index.md | sort | head -n 1)
edit_toc="$work/p/content/en-us/toc.yml"

# run NAME OUT CMD...: one timed run into $work/t.NAME (wall user sys maxrss);
# OUT is removed first unless KEEP=1
run() {
  name=$1 out=$2
  shift 2
  # (and the site an incremental build keeps beside it to build the next in)
  [ "${KEEP:-0}" = 1 ] || rm -rf "$out" "$(dirname "$out")/.$(basename "$out").folio-prev"
  # The last run's writes reach the disk first (untimed): on a small VM
  # their writeback otherwise slows whichever tool runs next.
  sync
  /usr/bin/time -f '%e %U %S %M' -o "$work/one" "$@" >/dev/null 2>"$work/err" ||
    { echo "$name failed:" >&2; cat "$work/err" >&2; exit 1; }
  cat "$work/one" >> "$work/t.$name"
  if [ -d "$out" ]; then find "$out" -type f | wc -l; else echo 0; fi > "$work/files.$name"
}

# A project's files are older than a few seconds: the build cache trusts
# a file's stamp only when it settled 3 s before the build (buildcache.c).
sleep 4
r=1
while [ "$r" -le "$rounds" ]; do
  rm -rf "$work/p/.folio"
  run build "$work/site" "$folio" build -q -C "$work/p" -j "$jobs" -o "$work/site"
  printf '\nA sentence added in round %s.\n' "$r" >> "$edit_md"
  KEEP=1 run warm-article "$work/site" "$folio" build -q -C "$work/p" -j "$jobs" -o "$work/site"
  sed -i '0,/^- name: /s/^- name: \(.*\)$/- name: \1 '"$r"'/' "$edit_toc"
  KEEP=1 run warm-toc "$work/site" "$folio" build -q -C "$work/p" -j "$jobs" -o "$work/site"
  KEEP=1 run warm-none "$work/site" "$folio" build -q -C "$work/p" -j "$jobs" -o "$work/site"
  run check "$work/none" "$folio" check -q -C "$work/p" -j "$jobs"
  [ "$have_hugo" = 0 ] || run hugo "$work/hugo-out" env GOMAXPROCS="$jobs" hugo --quiet -s "$work/hugo" -d "$work/hugo-out"
  run floor "$work/floor-out" "$work/floor" -j "$jobs" "$work/p/content" "$work/floor-out"
  r=$((r + 1))
done

# median FILE COLUMN: the median of a column (rounds are few: sort and pick)
median() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
cpu() { awk '{print $2 + $3}' "$1" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "corpus: $articles articles (2 locales), $kib KiB of Markdown, $media images; -j $jobs; median of $rounds rounds"
printf '| %-26s | %8s | %8s | %9s | %6s |\n' "" "wall s" "CPU s" "peak RSS" "files"
printf '|%s|%s|%s|%s|%s|\n' "----------------------------" "---------:" "---------:" "----------:" "-------:"
for t in build warm-article warm-toc warm-none check hugo floor; do
  [ -f "$work/t.$t" ] || continue
  case $t in
    build) label='`folio build` (cold)' ;;
    warm-article) label='warm: one article edited' ;;
    warm-toc) label='warm: one toc title edited' ;;
    warm-none) label='warm: nothing changed' ;;
    check) label='`folio check`' ;;
    hugo) label="Hugo $(hugo version | sed 's/^hugo v\([0-9.]*\).*/\1/')" ;;
    floor) label='floor (libcmark-gfm alone)' ;;
  esac
  files=$(cat "$work/files.$t")
  [ "$t" = check ] && files=0
  printf '| %-26s | %8s | %8s | %6d MB | %6s |\n' "$label" "$(median "$work/t.$t" 1)" \
    "$(cpu "$work/t.$t")" "$(($(median "$work/t.$t" 4) / 1024))" "$files"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "every round, wall/CPU seconds:"
for t in build warm-article warm-toc warm-none check hugo floor; do
  [ -f "$work/t.$t" ] || continue
  printf '  %-12s %s\n' "$t" "$(awk '{printf "%s/%.2f  ", $1, $2 + $3}' "$work/t.$t")"
done
echo
echo "folio build CPU / floor CPU: $(ratio "$(cpu "$work/t.build")" "$(cpu "$work/t.floor")") (target: at most 2)"
echo "folio check CPU / floor CPU: $(ratio "$(cpu "$work/t.check")" "$(cpu "$work/t.floor")")"
echo "warm (one article) wall / cold wall: $(ratio "$(median "$work/t.warm-article" 1)" "$(median "$work/t.build" 1)") (target: at most 0.05)"
echo "warm (one toc title) wall / cold wall: $(ratio "$(median "$work/t.warm-toc" 1)" "$(median "$work/t.build" 1)") (target: at most 0.05)"
echo "warm (nothing changed) wall / cold wall: $(ratio "$(median "$work/t.warm-none" 1)" "$(median "$work/t.build" 1)")"
echo "folio build peak RSS: $(($(median "$work/t.build" 4) / 1024)) MB (target: at most 200)"
[ "$have_hugo" = 0 ] ||
  echo "Hugo wall / folio build wall: $(ratio "$(median "$work/t.hugo" 1)" "$(median "$work/t.build" 1)") (target: at least 5)"
[ "$have_hugo" = 1 ] || echo "Hugo not installed (apt-get install hugo): no Hugo row"
