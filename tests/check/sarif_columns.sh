#!/bin/sh
# SARIF columns count characters (columnKind unicodeCodePoints) while the
# text format counts bytes: on a line with umlauts the two must differ by
# exactly the extra bytes before the link.
# usage: sarif_columns.sh FOLIO SOURCE_DIR
set -eu
folio=$1 src=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/content/de-de" "$d/locales"
printf 'title: T\nlocales: [de-de]\n' > "$d/folio.yml"
cp "$src/locales/de-de.yml" "$d/locales/"
cp -R "$src/templates" "$d/"
printf -- '---\ntitle: A\ndescription: B\n---\n# A\n\nÜberprüfen Sie [kaputt](nope.md) hier.\n' > "$d/content/de-de/index.md"
cd "$d"
text=$("$folio" check -q 2>&1 || true)
sarif=$("$folio" check -q --format sarif 2>/dev/null || true)
echo "$text" | grep -q 'content/de-de/index.md:7:18: error: .*\[file-not-found\]' || { echo "text column: $text"; exit 1; }
echo "$sarif" | grep -q '"columnKind": "unicodeCodePoints"' || { echo "no columnKind"; exit 1; }
echo "$sarif" | grep -q '"startLine": 7, "startColumn": 16' || { echo "SARIF column wrong: $sarif"; exit 1; }
echo "sarif columns: byte column 18 is character column 16"
