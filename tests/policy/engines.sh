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
# The bundled content, built into a temporary folder: its rules.json.
"$folio" build -q -C "$project" -o "$t/site" 2>/dev/null
cp "$t/site/rules.json" "$t/rules.json"
"$folio" policy export --rules "$t/rules.json" --format casbin -o "$t/casbin"
"$folio" policy export --rules "$t/rules.json" --format cedar -o "$t/cedar"
"$folio" policy export --rules "$t/rules.json" --format csv -o "$t/rules.csv"
"$folio" policy export --rules "$t/rules.json" --format json -o "$t/again.json"
cmp "$t/rules.json" "$t/again.json" && echo "json: rules.json read back and written again byte for byte"
# folio's own answers for users in two roles: one audit entry per pair of
# roles and rule ("roles": [a, b]); the entries it lists are the denials.
"$py" - "$t/rules.json" "$t/pairs.jsonl" "$t/keys" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
roles = [r["id"] for r in doc["roles"] if r["kind"] == "role"]
with open(sys.argv[2], "w") as log, open(sys.argv[3], "w") as keys:
    for r in doc["rules"]:
        if r["kind"] == "audience":
            continue
        for i in range(len(roles)):
            for j in range(i + 1, len(roles)):
                log.write(json.dumps({"roles": [roles[i], roles[j]], "action": r["id"]}) + "\n")
                keys.write(f"{roles[i]}+{roles[j]}|{r['id']}\n")
PY
set +e
"$folio" policy audit --rules "$t/rules.json" "$t/pairs.jsonl" >"$t/pairs.out" 2>"$t/pairs.err"
code=$?
set -e
[ "$code" = 1 ] || { echo "folio policy audit of the two-role users exited $code"; cat "$t/pairs.err"; exit 1; }
"$py" - "$t/keys" "$t/pairs.out" "$t/pairs.jsonl" "$t/folio.json" <<'PY'
import json, re, sys
keys = open(sys.argv[1]).read().split("\n")[:-1]
denied = set()
for line in open(sys.argv[2]):
    m = re.match(re.escape(sys.argv[3]) + r":(\d+): denied: ", line)
    assert m, line
    denied.add(int(m.group(1)))
json.dump({k: "deny" if i + 1 in denied else "allow" for i, k in enumerate(keys)}, open(sys.argv[4], "w"))
print(f"folio: {len(keys)} two-role questions answered, {len(denied)} denied")
PY
(cd "$here/js" && node casbin_check.js "$t/casbin" "$t/rules.json" "$t/folio.json" &&
  node cedar_check.mjs "$t/cedar" "$t/rules.json" "$t/folio.json")
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
