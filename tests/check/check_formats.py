#!/usr/bin/env python3
"""Each report format read by a real consumer: JSON and SARIF 2.1.0 against
their schemas (python3-jsonschema), JUnit parsed back with libxml2
(junit_read), GitHub annotations and the Markdown summary line by line.
Also the exit codes: 0, 1, 2, --strict and --max-warnings.

usage: check_formats.py FOLIO JUNIT_READ REPO
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

here = os.path.dirname(os.path.abspath(__file__))
folio, junit_read, repo = sys.argv[1:4]
failed = False


def check(cond, msg):
    global failed
    if not cond:
        failed = True
        print("FAIL:", msg)


def run(*args, env=None):
    return subprocess.run([folio, *args], capture_output=True, text=True, env=env)


def gen(dest, *extra):
    subprocess.run([sys.executable, os.path.join(here, "gen_corpus.py"), dest, "--repo", repo,
                    "--articles", "6", *extra], check=True)


with tempfile.TemporaryDirectory() as tmp:
    proj = os.path.join(tmp, "p")
    gen(proj, "--seed", "7")
    j = run("check", "-C", proj, "--format", "json")
    doc = json.loads(j.stdout)
    diags = doc["diagnostics"]
    with open(os.path.join(repo, "schemas", "diagnostics.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    errs = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    check(not errs, f"JSON report invalid: {errs[:1]}")
    check(len(diags) > 100 and j.returncode == 1, "JSON report: expected many diagnostics, exit 1")
    print(f"json: {len(diags)} diagnostics valid against schemas/diagnostics.schema.json")

    # SARIF 2.1.0 against the OASIS schema (vendored: sarif-2.1.0-rtm.5.json).
    # From the folder above, as CI runs it from the repository root: the
    # URIs are then relative to it.
    s = subprocess.run([os.path.abspath(folio), "check", "-C", "p", "--format", "sarif"],
                       capture_output=True, text=True, cwd=tmp)
    sarif = json.loads(s.stdout)
    with open(os.path.join(here, "sarif-2.1.0-rtm.5.json")) as f:
        sschema = json.load(f)
    errs = list(jsonschema.Draft4Validator(sschema).iter_errors(sarif))
    check(not errs, f"SARIF invalid: {[e.message for e in errs[:3]]}")
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    check(len(results) == len(diags), "SARIF: one result per diagnostic")
    level = {"error": "error", "warning": "warning", "info": "note"}
    for r, d in zip(results, diags):
        loc = r["locations"][0]["physicalLocation"]
        check(r["ruleId"] == d["code"] and rules[r["ruleIndex"]]["id"] == d["code"]
              and r["level"] == level[d["severity"]] and r["message"]["text"] == d["message"].replace(proj + "/", "p/")
              and loc["region"]["startLine"] == max(d["line"], 1)
              and loc["artifactLocation"]["uri"] == "p/" + d["file"][len(proj) + 1:].replace(" ", "%20"),
              f"SARIF result differs: {r} vs {d}")
        if failed:
            break
    check(s.returncode == 1, "SARIF: exit 1")
    print(f"sarif: {len(results)} results, {len(rules)} rules, valid against SARIF 2.1.0")

    # JUnit, read back with libxml2.
    for strict in (False, True):
        args = ["check", "-C", proj, "--format", "junit"] + (["--strict"] if strict else [])
        x = run(*args)
        path = os.path.join(tmp, "junit.xml")
        with open(path, "w") as f:
            f.write(x.stdout)
        r = subprocess.run([junit_read, path], capture_output=True, text=True)
        check(r.returncode == 0, f"junit_read: {r.stderr}")
        got = dict(kv.split("=") for kv in r.stdout.split())
        files = {d["file"] for d in diags}
        clean = doc["summary"]["articles"] - len([f for f in files if f.endswith(".md") and "/includes/" not in f])
        fails = sum(1 for d in diags if d["severity"] == "error" or (strict and d["severity"] == "warning"))
        check(int(got["testcases"]) == len(diags) + clean,
              f"JUnit: {got['testcases']} testcases, expected {len(diags)} + {clean} clean files")
        check(int(got["failures"]) == fails, f"JUnit: {got['failures']} failures, expected {fails}")
        print(f"junit{' --strict' if strict else ''}: {r.stdout.strip()}")

    # GitHub annotations: one per diagnostic with -v; without it, notes
    # (infos) stay out of the annotations and the terminal.
    g = run("check", "-C", proj, "--format", "github", "-v").stdout.splitlines()
    kinds = {"error": "::error ", "warning": "::warning ", "info": "::notice "}
    check(len(g) == len(diags) and all(l.startswith(kinds[d["severity"]]) for l, d in zip(g, diags)),
          "github: one annotation per diagnostic")
    shown = [d for d in diags if d["severity"] != "info"]
    notes = len(diags) - len(shown)
    check(notes > 0, "the corpus plants notes (untranslated links)")
    g = run("check", "-C", proj, "--format", "github").stdout.splitlines()
    check(len(g) == len(shown) and not any(l.startswith("::notice ") for l in g),
          "github without -v: no notices")
    # Markdown: a table row per diagnostic, every row exactly 4 cells.
    m = run("check", "-C", proj, "--format", "markdown").stdout.splitlines()
    rows = [l for l in m if l.startswith("| ") and not l.startswith("| Severity")]
    check(len(rows) == len(diags), f"markdown: {len(rows)} rows for {len(diags)} diagnostics")
    check(all(l.count("|") == 5 for l in rows), "markdown: a cell was not escaped")
    check("## folio check: failed" in m[0], "markdown: headline")
    # Text: no colour when stderr is not a terminal.
    t = run("check", "-C", proj, "-v")
    lines = t.stderr.splitlines()
    check(len(lines) == len(diags) + 1 and "\033" not in t.stderr, "text: a line each, no colour")
    check(lines[-1].startswith(f"folio: checked {doc['summary']['articles']} articles and "
                               f"{doc['summary']['links']} links: {doc['summary']['errors']} errors, "
                               f"{doc['summary']['warnings']} warnings, "), f"summary line: {lines[-1]}")
    t = run("check", "-C", proj)
    lines = t.stderr.splitlines()
    check(len(lines) == len(shown) + 1 and ": info: " not in t.stderr, "text without -v: no notes")
    check(f"{doc['summary']['warnings']} warnings, {notes} notes (-v shows them), " in lines[-1],
          f"summary line counts the hidden notes: {lines[-1]}")

    # Exit codes on a clean corpus with one warning planted.
    clean_proj = os.path.join(tmp, "clean")
    gen(clean_proj, "--seed", "3", "--clean")
    check(run("check", "-C", clean_proj, "--strict").returncode == 0, "clean corpus: exit 0 with --strict")
    with open(os.path.join(clean_proj, "content", "en-us", "guide.md"), "a") as f:
        f.write("\nSee [the old site](http://example.com/old).\n")
    codes = {
        (): 0, ("--strict",): 1, ("--max-warnings", "1"): 0, ("--max-warnings", "0"): 1,
        ("--strict", "--ignore", "insecure-link"): 0, ("--format", "yaml"): 2,
        ("--max-warnings", "x"): 2,
    }
    for extra, want in codes.items():
        rc = run("check", "-C", clean_proj, *extra).returncode
        check(rc == want, f"check {' '.join(extra)}: exit {rc}, expected {want}")
    rc = run("check", "-C", os.path.join(tmp, "nowhere")).returncode
    check(rc == 2, f"missing project: exit {rc}, expected 2")
    site = os.path.join(tmp, "site")
    b = run("build", "-C", clean_proj, "-o", site, "--max-warnings", "0")
    check(b.returncode == 1 and not os.path.exists(site), "build --max-warnings 0 fails and writes nothing")
    b = run("build", "-C", clean_proj, "-o", site)
    check(b.returncode == 0 and os.path.exists(os.path.join(site, "en-us", "guide.html")),
          "build with one warning succeeds")
    print("exit codes: as documented")

sys.exit(1 if failed else 0)
