#!/bin/sh
# What a first-time user meets: `folio init` writes a neutral glossary (no
# bundled Contoso roles) and a project that builds; a second language with
# a minimal locale file builds, its missing UI strings falling back to the
# source's with one warning that lists them. usage: first_run.sh FOLIO
set -u
folio=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME CONDITION-COMMAND...
  name=$1
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
echo "$(( 9 - fails )) passed, $fails failed"
[ "$fails" = 0 ]
