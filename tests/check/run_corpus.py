#!/usr/bin/env python3
"""Generate a corpus with planted link problems (gen_corpus.py), run
`folio check` on it and require exactly the planted set: precision and
recall both 100%. Also: the same report at -j 1 and -j 4, and `folio build`
reporting the same and failing the same way without writing the site.

usage: run_corpus.py FOLIO REPO SEED [ARTICLES]
"""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
folio, repo, seed = sys.argv[1], sys.argv[2], sys.argv[3]
articles = sys.argv[4] if len(sys.argv) > 4 else "12"


def run(*args):
    p = subprocess.run([folio, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def report(proj, *extra):
    code, out, err = run("check", "-C", proj, "--format", "json", *extra)
    try:
        doc = json.loads(out)
    except ValueError:
        sys.exit(f"not JSON (exit {code}): {out[:500]}\n{err}")
    for d in doc["diagnostics"]:
        assert d["file"].startswith(proj + "/"), d["file"]
        d["file"] = d["file"][len(proj) + 1:]
        d["message"] = d["message"].replace(proj + "/", "")
    return code, doc


failed = False


def fail(msg):
    global failed
    failed = True
    print("FAIL:", msg)


with tempfile.TemporaryDirectory() as tmp:
    proj = os.path.join(tmp, "project")
    subprocess.run([sys.executable, os.path.join(here, "gen_corpus.py"), proj, "--repo", repo,
                    "--seed", seed, "--articles", articles], check=True)
    with open(os.path.join(proj, "expected.json")) as f:
        expected = json.load(f)
    code, doc = report(proj, "-j", "4")
    actual = doc["diagnostics"]

    def key(d):
        return (d["file"], d["line"], d["column"], d["severity"], d["code"])

    want = {key(e): e for e in expected}
    got = {key(d): d for d in actual}
    if len(want) != len(expected):
        fail("the generator planted two problems at one place")
    hits = set(want) & set(got)
    for k in sorted(set(got) - set(want)):
        fail(f"reported but not planted (false alarm): {k} {got[k]['message']}")
    for k in sorted(set(want) - set(got)):
        fail(f"planted but not reported (miss): {k}")
    for k in sorted(hits):
        for piece in want[k]["contains"] or []:
            if piece not in got[k]["message"]:
                fail(f"{k}: message lacks {piece!r}: {got[k]['message']}")
    precision = len(hits) / len(got) if got else 1.0
    recall = len(hits) / len(want) if want else 1.0
    codes = sorted({k[4] for k in want})
    print(f"seed {seed}: {len(want)} planted problems of {len(codes)} kinds, "
          f"{len(got)} reported, {doc['summary']['links']} links in "
          f"{doc['summary']['articles']} articles; precision {precision:.0%}, recall {recall:.0%}")
    print("kinds:", " ".join(codes))

    s = doc["summary"]
    for sev, name in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        n = sum(1 for d in actual if d["severity"] == sev)
        if s[name] != n:
            fail(f"summary says {s[name]} {name}, the list has {n}")
    if code != 1 or s["passed"]:
        fail(f"exit {code} (passed={s['passed']}) with errors; expected 1")

    # Same report at another thread count.
    code1, doc1 = report(proj, "-j", "1")
    if doc1["diagnostics"] != actual or code1 != code:
        fail("-j 1 and -j 4 differ")

    # --ignore drops a code everywhere; what is left is unchanged.
    codei, doci = report(proj, "--ignore", "bookmark-not-found,case-mismatch", "--ignore",
                         "file-not-found")
    left = [d for d in actual if d["code"] not in
            ("bookmark-not-found", "case-mismatch", "file-not-found")]
    if doci["diagnostics"] != left:
        fail("--ignore did not drop exactly the ignored codes")

    # build: the same diagnostics, exit 1, and no site written.
    site = os.path.join(tmp, "site")
    bcode, bout, berr = run("build", "-C", proj, "-o", site, "--format", "json")
    bdoc = json.loads(bout)
    for d in bdoc["diagnostics"]:
        d["file"] = d["file"][len(proj) + 1:]
        d["message"] = d["message"].replace(proj + "/", "")
    if bcode != 1 or bdoc["diagnostics"] != actual:
        fail(f"build exit {bcode} or its diagnostics differ from check's")
    if os.path.exists(site):
        fail("a failed build wrote the site")

sys.exit(1 if failed else 0)
