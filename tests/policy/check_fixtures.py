"""What other tools make of the crafted rules.json files: each bad fixture
must be refused by Python's json module or by the JSON Schema
(python3-jsonschema) as folio refuses it, except the few that go beyond what
a schema can say (listed below with the reason; for those, Python and the
schema accept the file, which is why folio checks them itself). The good
fixtures must be valid.
usage: check_fixtures.py RULES_DIR SCHEMA.json"""
import json
import os
import sys

import jsonschema

BEYOND_SCHEMA = {
    "duplicate-allow": "Python and JavaScript keep the last value, folio would have kept the first",
    "duplicate-escaped-key": "the same key spelled with an escape: still a duplicate",
    "duplicate-source-line": "Python keeps the last line",
    "id-resource-mismatch": "id must be resource:action, a relation between two fields",
    "rule-twice": "two rules with one id (uniqueItems compares whole objects)",
    "role-twice": "two roles with one id (uniqueItems compares whole objects)",
    "source-locale-unknown": "sourceLocale must be one of locales",
    "line-exponent": "JSON Schema counts 22.0 as an integer; folio wants the integer written as one",
    "version-real": "JSON Schema counts 1.0 as the integer 1; folio wants the integer written as one",
    "lone-surrogate": "Python reads a lone surrogate escape, which is no Unicode text",
}

rules_dir, schema_path = sys.argv[1:3]
with open(schema_path, encoding="utf-8") as f:
    validator = jsonschema.Draft202012Validator(json.load(f))
failures = []


def verdict(path):
    """None when Python's json and the schema accept the file, else why not."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        return f"json: {e}"
    errors = list(validator.iter_errors(doc))
    return f"schema: {errors[0].message}" if errors else None


for name in sorted(os.listdir(os.path.join(rules_dir, "bad"))):
    if not name.endswith(".json"):
        continue
    case = name[:-5]
    why = verdict(os.path.join(rules_dir, "bad", name))
    if case in BEYOND_SCHEMA:
        if why is not None:
            failures.append(f"{name}: listed as beyond the schema, but {why}")
        else:
            print(f"{name}: accepted by Python and the schema; folio refuses it: {BEYOND_SCHEMA[case]}")
    elif why is None:
        failures.append(f"{name}: Python and the schema accept it, folio refuses it")
    else:
        print(f"{name}: refused by {why[:100]}")
for name in sorted(os.listdir(os.path.join(rules_dir, "good"))):
    why = verdict(os.path.join(rules_dir, "good", name))
    if why is not None:
        failures.append(f"good/{name}: {why}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("fixtures: every bad rules.json is refused by the schema too, or listed as beyond it")
