#!/usr/bin/env python3
"""The registry of diagnostic codes (report/codes.c) is complete and the
README agrees with it.

1. Every code the sources report (a string literal right after a severity,
   or either side of a ternary there) is in `folio codes`.
2. The README's generated table (between <!-- codes:begin --> and
   <!-- codes:end -->) is exactly `folio codes --format markdown`.
3. Every other README table row "| `code` | severity | ..." names a known
   code with the severity the registry gives.

usage: check_codes.py FOLIO SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys

SEV = re.compile(r'SEV_(?:ERROR|WARNING|INFO),\s*(?:[^;"]*?\?\s*)?"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"'
                 r'(?:\s*:\s*"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)")?', re.S)


def main():
    folio, src = sys.argv[1], sys.argv[2]
    problems = []
    known = {c["code"]: c for c in json.loads(subprocess.run(
        [folio, "codes", "--format", "json"], check=True, capture_output=True, text=True).stdout)}
    used = {}
    for dirpath, _, names in os.walk(os.path.join(src, "generator")):
        for name in sorted(names):
            if not name.endswith(".c"):
                continue
            path = os.path.join(dirpath, name)
            text = open(path, encoding="utf-8").read()
            for m in SEV.finditer(text):
                for code in filter(None, m.groups()):
                    used.setdefault(code, f"{os.path.relpath(path, src)}:{text[:m.start()].count(chr(10)) + 1}")
    for code, where in sorted(used.items()):
        if code not in known:
            problems.append(f"{where}: code '{code}' is not in report/codes.c")
    readme = open(os.path.join(src, "README.md"), encoding="utf-8").read()
    table = subprocess.run([folio, "codes", "--format", "markdown"], check=True,
                           capture_output=True, text=True).stdout
    m = re.search(r"<!-- codes:begin -->\n(.*?)<!-- codes:end -->", readme, re.S)
    if not m:
        problems.append("README.md: no <!-- codes:begin --> ... <!-- codes:end --> table")
    elif m.group(1).strip() != table.strip():
        problems.append("README.md: the codes table differs from `folio codes --format markdown` "
                        "(paste its output between the markers)")
    in_table = False
    for n, line in enumerate(readme.splitlines(), 1):
        if line.startswith("| code | severity"):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
        r = re.match(r"\| `([a-z][a-z0-9-]+)` \| ([^|]+?) \|", line)
        if not in_table or not r:
            continue
        code, sev = r.group(1), r.group(2)
        if code not in known:
            problems.append(f"README.md:{n}: '{code}' is not a diagnostic code")
        elif not sev.startswith(known[code]["severity"].split(" ")[0]):
            problems.append(f"README.md:{n}: '{code}' is a {known[code]['severity']}, not '{sev}'")
    for p in problems:
        print(p)
    print(f"{len(used)} codes used in the sources, {len(known)} in the registry: "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
