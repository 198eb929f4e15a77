#!/bin/sh
# A problem costs only its own construct (issue 9): one article with one
# problem of every kind reports every one of them at its line, and with
# --keep-going still renders everything else, has its links checked and its
# rules extracted. usage: every_problem.sh FOLIO SOURCE_DIR
set -u
folio=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT; [ -n "${KEEP:-}" ] && trap - EXIT
fail=0
no() { echo "FAIL: $1"; fail=1; }
p=$work/p
mkdir -p "$p/content/en-us/media"
cp -R "$src/templates" "$src/locales" "$p/"
printf 'title: Every problem\nlocales: [en-us]\n' > "$p/folio.yml"
printf 'x' > "$p/content/en-us/media/pic.png"
cat > "$p/content/en-us/index.md" <<'MD'
---
title: Every problem
description: One problem of every kind.
ms.date: 31/31/2023
---
# Every problem

Paragraph one survives.

:::image type="content" source="media/pic.png":::

Paragraph two survives with [a working link](#every-problem).

:::image type="content" source="media/missing.png" alt-text="Gone":::

See [a missing page](nope.md) and [a bad anchor](#no-such-anchor).

:::unknown-thing attr="x":::

<script>alert(1)</script>

[A script link](javascript:alert(1)) keeps its text.

> [!BOGUS]
> An unknown alert stays a quotation.

**Appropriate roles**: Admin agent | Nobody-known role

Paragraph three survives at the end.
MD
"$folio" build --keep-going -C "$p" -o "$work/site" 2>"$work/err"
code=$?
[ "$code" = 1 ] || no "exit $code, expected 1"
for want in '4:10: warning: .*\[invalid-date\]' '10:1: error: .*\[missing-alt-text\]' \
            '14:1: error: .*\[image-not-found\]' '16:5: error: .*\[file-not-found\]' \
            '16:35: error: .*\[bookmark-not-found\]' '18:1: error: .*\[unknown-directive\]' \
            '20:1: warning: .*\[unsafe-html\]' '22:1: warning: .*\[unsafe-url\]' \
            '24:1: warning: .*\[unknown-alert\]' '27:1: warning: .*\[unknown-role\]'; do
  grep -q "content/en-us/index.md:$want" "$work/err" || no "not reported: $want"
done
page=$work/site/en-us/index.html
for text in 'Paragraph one survives.' 'Paragraph two survives' 'Paragraph three survives at the end.' \
            'keeps its text' 'An unknown alert stays a quotation.'; do
  grep -q "$text" "$page" 2>/dev/null || no "the page lost: $text"
done
grep -q 'javascript:' "$page" && no "a javascript: URL reached the page"
grep -q '<script>alert' "$page" && no "the script reached the page"
# The rules are still extracted, the unknown role kept under its own id.
grep -q '"admin-agent"' "$work/site/rules.json" 2>/dev/null || no "rules.json lost the known role"
grep -q 'nobody-known-role' "$work/site/rules.json" 2>/dev/null || no "rules.json lost the unknown role"
[ $fail = 0 ] && echo "every problem reported at its line; the rest of the article rendered and checked"
exit $fail
