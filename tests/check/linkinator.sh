#!/bin/sh
# An independent checker on the built site: folio builds PROJECT into a
# temporary folder, and linkinator (from npm, installed by .ci/bootstrap
# into tests/check/node_modules) checks every internal link, image,
# stylesheet and script of every page. Offline: links that leave the site
# are skipped.
# usage: linkinator.sh FOLIO PROJECT_DIR
set -eu
folio=$1 project=$2
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/node_modules/.bin/linkinator"
if [ ! -x "$bin" ]; then
  echo "linkinator is not installed: run .ci/bootstrap (npm ci in tests/check)"; exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$folio" build -q -C "$project" -o "$out/site" 2>"$out/stderr" || { cat "$out/stderr"; exit 1; }
pages=$(find "$out/site" -name '*.html' | wc -l)
# Every page is an entry point (a page no link reaches is checked too);
# addresses other than the local server linkinator starts are external.
# The site folder is the server's root, as on the web (404.html uses /assets/).
cd "$out/site"
"$bin" "**/*.html" --skip '^https?://(?!localhost)' \
  --format csv > "$out/report.csv" 2>"$out/err" || true
checked=$(grep -c ',200,OK,' "$out/report.csv" || true)
broken=$(grep -c ',BROKEN,' "$out/report.csv" || true)
if [ "$broken" != 0 ] || [ "$checked" = 0 ]; then
  grep ',BROKEN,' "$out/report.csv" || cat "$out/err"
  echo "linkinator: $broken broken links in $pages pages"; exit 1
fi
echo "linkinator: $pages pages built, $checked links checked, 0 broken"
