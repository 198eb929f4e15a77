#!/bin/sh
# The exports parsed back: Casbin (node-casbin) and Cedar (cedar-wasm) decide
# every rule x role request as rules.json says; the CSV reads back (python csv)
# to the same rules. The engines come from npm (.ci/bootstrap installs them
# into tests/policy/js/node_modules).
# usage: engines.sh FOLIO PROJECT_DIR
set -eu
folio=$1 project=$2
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
[ -d "$here/js/node_modules/casbin" ] && [ -d "$here/js/node_modules/@cedar-policy/cedar-wasm" ] || {
  echo "tests/policy/js/node_modules is missing: run sh .ci/bootstrap (npm ci there)"; exit 1; }
"$folio" policy export -C "$project" -o "$t/rules.json" 2>/dev/null
"$folio" policy export --rules "$t/rules.json" --format casbin -o "$t/casbin"
"$folio" policy export --rules "$t/rules.json" --format cedar -o "$t/cedar"
"$folio" policy export --rules "$t/rules.json" --format csv -o "$t/rules.csv"
"$folio" policy export --rules "$t/rules.json" --format json -o "$t/again.json"
cmp "$t/rules.json" "$t/again.json" && echo "json: rules.json read back and written again byte for byte"
(cd "$here/js" && node casbin_check.js "$t/casbin" "$t/rules.json" && node cedar_check.mjs "$t/cedar" "$t/rules.json")
"$py" - "$t/rules.csv" "$t/rules.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(rows) == len(doc["rules"]), (len(rows), len(doc["rules"]))
for row, r in zip(rows, doc["rules"]):
    assert row["id"] == r["id"] and row["kind"] == r["kind"], (row, r)
    assert row["allow"].split() == r.get("allow", r.get("audience")), (row, r)
    assert row["audit"] == r.get("audit", ""), (row, r)
    assert int(row["line"]) == r["source"]["line"] and row["article"] == r["source"]["article"]
    assert row["locales"].split() == r["source"]["locales"]
print(f"csv: {len(rows)} rows read back to the rules of rules.json")
PY

# Text that every format must quote or escape (rules/good/tricky-text.json),
# read back by the engines and by Python's csv module.
tricky="$here/rules/good/tricky-text.json"
"$folio" policy export --rules "$tricky" --format casbin -o "$t/tricky-casbin"
"$folio" policy export --rules "$tricky" --format cedar -o "$t/tricky-cedar"
"$folio" policy export --rules "$tricky" --format csv -o "$t/tricky.csv"
(cd "$here/js" && node escapes_check.mjs "$t/tricky-casbin" "$t/tricky-cedar" "$tricky")
"$py" - "$t/tricky.csv" "$tricky" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
for row, r in zip(rows, doc["rules"]):
    audit = r.get("audit", "")
    # A leading = + - @ gets a quote so that a spreadsheet keeps it text.
    assert row["audit"] == ("'" + audit if audit[:1] in "=+-@" and audit else audit), (row["audit"], audit)
    for k in ("article", "anchor"):
        assert row[k] == r["source"][k], (k, row[k], r["source"][k])
    assert row["requires"].split() == r.get("requires", [])
print(f"csv: {len(rows)} rows with quotes, commas and line separators read back")
PY
