#!/usr/bin/env python3
"""Write `folio codes --format markdown` into README.md between the
<!-- codes:begin --> and <!-- codes:end --> markers.
usage: update_readme.py FOLIO [README]"""
import re
import subprocess
import sys

folio = sys.argv[1]
path = sys.argv[2] if len(sys.argv) > 2 else "README.md"
table = subprocess.run([folio, "codes", "--format", "markdown"], check=True,
                       capture_output=True, text=True).stdout
text = open(path, encoding="utf-8").read()
new = re.sub(r"(<!-- codes:begin -->\n).*?(<!-- codes:end -->)",
             lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
open(path, "w", encoding="utf-8").write(new)
