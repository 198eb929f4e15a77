#!/bin/sh
# Issue 9 (a lagging machine translation decided the rules): unknown role
# names are kept under their slugs and marked unknown in the catalogue, eval
# answers for them by name and id; a rule only a translation states (the
# source lacks it, failed, or does not exist) is no rule in rules.json.
# usage: issue9.sh FOLIO SOURCE_DIR
set -eu
folio=$1 src=$2 here=$(dirname "$0")
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$folio" policy export -C "$here/diag/unknown-role" -o "$d/unknown.json" 2>/dev/null
/usr/bin/python3 "$here/check_rules.py" unknown "$d/unknown.json" "$src/schemas/rules.schema.json"
"$folio" policy eval --rules "$d/unknown.json" --role Auditor --action article/a:perform >/dev/null
"$folio" policy eval --rules "$d/unknown.json" --role sales-agnt --action article/a:perform >/dev/null
if "$folio" policy eval --rules "$d/unknown.json" --role auditor --action a.thing:enable >/dev/null; then
  echo "auditor may not enable a.thing"; exit 1
fi
# The translation-only case without its failing source article (export
# refuses a project with errors): the other two cases give no rule either.
cp -r "$here/diag/translation-only" "$d/p"
rm "$d/p/content/en-us/broken.md" "$d/p/content/de-de/broken.md"
sed -i "s|\.\./\.\./projects|$(cd "$here/projects" && pwd)|" "$d/p/folio.yml"
"$folio" policy export -C "$d/p" -o "$d/only.json" 2>"$d/err"
grep -c policy-translation-only "$d/err" | grep -qx 3 || { cat "$d/err"; exit 1; }
/usr/bin/python3 "$here/check_rules.py" translation-only "$d/only.json" "$src/schemas/rules.schema.json"
# One rule per section's roles header, with the section's anchor; every
# export carries the '#' of a section id.
"$folio" policy export -C "$here/diag/sections" -o "$d/sections.json" 2>/dev/null
/usr/bin/python3 "$here/check_rules.py" sections "$d/sections.json" "$src/schemas/rules.schema.json"
for f in csv casbin cedar; do
  "$folio" policy export --rules "$d/sections.json" --format $f -o "$d/out-$f"
  grep -rq 'article/orders#refunds' "$d/out-$f"
done
# folio policy glossary: names aligned position by position, with counts,
# conflicts and skipped headers; the output is YAML.
folio_abs=$(cd "$(dirname "$folio")" && pwd)/$(basename "$folio")
(cd "$here/glossary/project" && "$folio_abs" policy glossary --locale de-de) >"$d/g.yml"
diff -u "$here/glossary/project.yml" "$d/g.yml"
/usr/bin/python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); assert d["roles"]["sales-agent"] == ["Vertriebsmitarbeiter"], d' "$d/g.yml"
(cd "$here/diag/sections" && "$folio_abs" policy glossary) >"$d/s.yml"
diff -u "$here/glossary/sections.yml" "$d/s.yml"
if "$folio" policy glossary -C "$here/glossary/project" --locale fr-fr 2>/dev/null; then
  echo "glossary accepted a locale the project does not have"; exit 1
fi
echo "issue 9: unknown roles kept, translation-only rules refused, sections, glossary"
