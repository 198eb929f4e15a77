#!/bin/sh
# limits.file_bytes: a generated reference page of 20 MB is refused from its
# size under the default limit (4 MiB), and builds once folio.yml raises it.
# usage: limits.sh FOLIO BAD_BASE_DIR
set -eu
folio=$1 base=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$base/." "$work/p/"
page=$work/p/content/en-us/reference.md
printf -- '---\ntitle: API reference\ndescription: Every member.\n---\n# API reference\n' > "$page"
# 20 MB of sections, each with a heading, a table, a link and five long
# paragraphs.
awk 'BEGIN { t = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua."
  p = t; for (j = 0; j < 16; j++) p = p " " t
  for (i = 0; i < 2000; i++)
    printf "## Member %d\n\n| name | type | default |\n|---|---|---|\n| `m%d` | int | %d |\n\nSee [home](index.md). %s\n\n%s\n\n%s\n\n%s\n\n%s\n\n", i, i, i, p, p, p, p, p }' >> "$page"
size=$(wc -c < "$page")
[ "$size" -gt 20000000 ] || { echo "FAIL: the page is only $size bytes"; exit 1; }
failed=0
set +e
"$folio" build -q -C "$work/p" -o "$work/site" 2>"$work/stderr"
code=$?
set -e
want="$work/p/content/en-us/reference.md: error: the file is $size bytes, over the limit of 4194304 for Markdown and toc files (limits.file_bytes in folio.yml); it is not read [file-too-large]"
if [ $code != 1 ] || [ "$(cat "$work/stderr")" != "$want" ]; then
  echo "FAIL: default limit: exit $code"; cat "$work/stderr"; failed=1
fi
printf 'limits:\n  file_bytes: 32 MiB\n' >> "$work/p/folio.yml"
if ! "$folio" build -q -C "$work/p" -o "$work/site" 2>"$work/stderr"; then
  echo "FAIL: the raised limit did not build"; cat "$work/stderr"; failed=1
elif [ "$(wc -c < "$work/site/en-us/reference.html")" -lt "$size" ] ||
     ! grep -q 'id="member-1999"' "$work/site/en-us/reference.html"; then
  echo "FAIL: reference.html is incomplete"; failed=1
fi
[ $failed = 0 ] && echo "limits: a $size-byte page refused by default, built with file_bytes: 32 MiB"
exit $failed
