#!/bin/sh
# What a first-time user meets: `folio init` writes a neutral glossary (no
# bundled Contoso roles) and a project that builds; a second language with
# a minimal locale file builds, its missing UI strings falling back to the
# source's with one warning that lists them. usage: first_run.sh FOLIO
set -u
folio=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 total=0
check() { # check NAME CONDITION-COMMAND...
  name=$1
  total=$((total + 1))
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi
}
"$folio" init "$tmp/p" 2>"$tmp/init.txt"
check init-exit [ $? = 0 ]
check init-neutral-roles grep -q "^  admin: \[Administrator" "$tmp/p/locales/en-us.yml"
check init-no-contoso-roles sh -c "! grep -q 'admin-agent\|sales-agent\|CSP' '$tmp/p/locales/en-us.yml'"
check init-says-where-locales-are grep -q "Complete locale files for other languages" "$tmp/init.txt"
check init-ignores-cache grep -q "^/.folio/$" "$tmp/p/.gitignore"
# A German locale with only its name: builds, one warning lists the keys.
printf 'name: Deutsch\nlang: de-DE\n' >"$tmp/p/locales/de-de.yml"
sed -i 's/^locales: \[en-us\]$/locales: [en-us, de-de]/' "$tmp/p/folio.yml"
"$folio" build -C "$tmp/p" 2>"$tmp/build.txt"
check two-locales-build [ $? = 0 ]
check one-warning [ "$(grep -c 'locale-missing-string' "$tmp/build.txt")" = 1 ]
check warning-lists-keys grep -q "UI strings are missing and shown in en-us (the source locale): " "$tmp/build.txt"
check fallback-string-used grep -q 'lang="de-DE"' "$tmp/p/site/de-de/index.html"
# A second build keeps the site it replaced as the next staging folder,
# beside site/: git ignores it as it ignores site/ and .folio/.
"$folio" build -q -C "$tmp/p" 2>/dev/null
check kept-site-beside [ -d "$tmp/p/.site.folio-prev" ]
git init -q "$tmp/p" 2>/dev/null
check init-ignores-output [ "$(git -C "$tmp/p" check-ignore site .site.folio-prev .folio)" = "$(printf 'site\n.site.folio-prev\n.folio')" ]
# FOLIO_TIMINGS=1: one line per stage, in order, with its time and memory;
# unset or 0: none.
FOLIO_TIMINGS=1 "$folio" build -q -C "$tmp/p" 2>"$tmp/timings.txt"
sed -n 's/^folio: time: \(.*[^ ]\)  *[0-9][0-9]*\.[0-9][0-9][0-9] s, resident [0-9]* MiB$/\1/p' "$tmp/timings.txt" >"$tmp/stages.txt"
printf '%s\n' "config, discovery, includes" articles "tocs, links, rules" pages \
  "other pages and media" "search index" "rules, sitemap, publish" "cache record" >"$tmp/want.txt"
check timings-stages cmp -s "$tmp/stages.txt" "$tmp/want.txt"
FOLIO_TIMINGS=0 "$folio" build -q -C "$tmp/p" 2>"$tmp/timings0.txt"
check timings-off sh -c "! grep -q 'folio: time:' '$tmp/timings0.txt'"
"$folio" build -q -C "$tmp/p" 2>"$tmp/timings-unset.txt"
check timings-unset sh -c "! grep -q 'folio: time:' '$tmp/timings-unset.txt'"
echo "$(( total - fails )) passed, $fails failed"
[ "$fails" = 0 ]
