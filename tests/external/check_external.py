#!/usr/bin/env python3
"""`folio check --external` end to end, against a local HTTP server.

usage: check_external.py FOLIO REPO

Starts an HTTP server on 127.0.0.1 (a free port) and keeps a second port
bound but not listening (connections to it are refused); writes a small
project whose articles and include link to the server's routes; then runs
folio and asserts:
- the exact diagnostics (file:line:col code) of `check --external --format
  json`, one per place a URL is used, and each URL requested once;
- a second run answers from the cache: the only request is the one URL whose
  result is not kept (a timeout is a passing trouble, asked again);
- without --external (check and build) the server gets no request at all;
- --external-max-age 0 asks again; --ignore and front matter folio.ignore
  silence the codes; `build --external` fails and writes nothing;
- the JSON report is valid against schemas/diagnostics.schema.json and the
  SARIF one against SARIF 2.1.0, with a rule text for each external code;
  junit, github and markdown reports carry the codes too; a cache that
  cannot be written is a warning, not a failure of the check.
The server stops in a finally block; every folio run has a time limit.
Nothing leaves the machine.
"""
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import jsonschema

folio, repo = sys.argv[1:3]
STOP = threading.Event()
LOCK = threading.Lock()
REQUESTS = []  # (method, path) in arrival order
failed = False


def check(cond, msg):
    global failed
    if not cond:
        failed = True
        print("FAIL:", msg)
    return cond


PAGE = b'<!DOCTYPE html><html><body><h2 id="setup">Setup</h2><p>text</p></body></html>'


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.route()

    def do_GET(self):
        self.route()

    def route(self):
        path = self.path
        with LOCK:
            REQUESTS.append((self.command, path))
            busy_before = sum(1 for _, p in REQUESTS if p == "/busy") - 1
        if path in ("/ok", "/target/moved"):
            return self.reply(200, b"<p>ok</p>")
        if path == "/moved":
            return self.reply(301, b"", [("Location", "/target/moved")])
        if path == "/busy":  # 429 with Retry-After: 1 the first time, then 200
            if busy_before == 0:
                return self.reply(429, b"", [("Retry-After", "1")])
            return self.reply(200, b"<p>ok</p>")
        if path == "/slow":  # well past external.timeout
            STOP.wait(4)
            return self.reply(200)
        if path == "/page":
            return self.reply(200, PAGE)
        return self.reply(404, b"<p>not here</p>")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the checker hangs up on /slow on purpose


def requests_since(mark):
    with LOCK:
        got = {}
        for r in REQUESTS[mark:]:
            got[r] = got.get(r, 0) + 1
        return got


def mark():
    with LOCK:
        return len(REQUESTS)


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_project(root, port, closed):
    shutil.copytree(os.path.join(repo, "tests", "bad", "_base"), root)
    u = "http://127.0.0.1:%d" % port
    write(root, "folio.yml",
          "title: External links\n"
          "locales: [en-us]\n"
          "external:\n"
          "  exclude: ['^http://127\\.0\\.0\\.1:[0-9]+/excluded/']\n"
          "  timeout: 1\n"
          "  retries: 1\n"
          "  check_fragments: true\n"
          "  per_host: 8\n"
          "  max_age: 1d\n")
    # Line numbers matter: the expected diagnostics below name them.
    write(root, "content/en-us/links.md",
          "---\n"                                                   # 1
          "title: Links\n"                                          # 2
          "description: External links of every kind.\n"            # 3
          "---\n"                                                   # 4
          "# Links\n"                                               # 5
          "\n"                                                      # 6
          f"- [fine]({u}/ok) and ![a picture]({u}/ok)\n"            # 7
          f"- [moved]({u}/moved)\n"                                 # 8
          f"- [missing]({u}/missing), again [here]({u}/missing)\n"  # 9
          f"- [busy]({u}/busy)\n"                                   # 10
          f"- [slow]({u}/slow)\n"                                   # 11
          f"- [refused](http://127.0.0.1:{closed}/)\n"              # 12
          f"- [excluded]({u}/excluded/page)\n"                      # 13
          f"- [anchor]({u}/page#setup), [no anchor]({u}/page#nope)\n"  # 14
          f"- [not absolute](//127.0.0.1:{port}/network) and [mail](mailto:a@example.com)\n"  # 15
          f'- <a href="{u}/missing">raw HTML</a>\n'                 # 16
          "\n"                                                      # 17
          "[!INCLUDE [shared](includes/shared.md)]\n")              # 18
    write(root, "content/en-us/includes/shared.md",
          "Shared text.\n"
          f"See [the missing page]({u}/missing).\n")
    write(root, "content/en-us/quiet.md",
          "---\n"
          "title: Quiet\n"
          "description: Silences broken external links for itself.\n"
          "folio.ignore: [external-link-broken]\n"
          "---\n"
          "# Quiet\n"
          "\n"
          f"[missing]({u}/missing) and [moved]({u}/moved)\n")


def run(args, timeout=60):
    try:
        return subprocess.run([folio, *args], capture_output=True, text=True, timeout=timeout,
                              env=ENV)
    except subprocess.TimeoutExpired:
        check(False, f"folio {' '.join(args)} ran for more than {timeout} s")
        return None


def places(doc, proj):
    """The report's diagnostics as (file, line, column, code), project-relative."""
    return sorted((d["file"].replace(proj + "/", ""), d["line"], d["column"], d["code"])
                  for d in doc["diagnostics"])


def main():
    server = Server(("127.0.0.1", 0), Handler)
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))  # bound, never listening: refused
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    tmp = tempfile.mkdtemp(prefix="folio-extwire-")
    try:
        return scenario(tmp, server.server_port, closed.getsockname()[1])
    finally:
        STOP.set()
        server.shutdown()
        server.server_close()
        closed.close()
        shutil.rmtree(tmp, ignore_errors=True)


EXT = ("external-link-broken", "external-link-redirected", "external-link-timeout",
       "external-fragment-not-found")


def column(root, rel, line, marker):
    """1-based byte column of marker on line of the file (ports vary in length)."""
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return f.read().split("\n")[line - 1].index(marker) + 1


def scenario(tmp, port, closed):
    proj = os.path.join(tmp, "p")
    make_project(proj, port, closed)
    links = "content/en-us/links.md"
    inc = "content/en-us/includes/shared.md"
    quiet = "content/en-us/quiet.md"
    here = column(proj, links, 9, "[here]")
    nope = column(proj, links, 14, "[no anchor]")
    quiet_moved = column(proj, quiet, 8, "[moved]")
    expected = sorted([
        (links, 8, 3, "external-link-redirected"),
        (links, 9, 3, "external-link-broken"),
        (links, 9, here, "external-link-broken"),
        (links, 11, 3, "external-link-timeout"),
        (links, 12, 3, "external-link-broken"),
        (links, 14, nope, "external-fragment-not-found"),
        (links, 16, 3, "external-link-broken"),
        (inc, 2, 5, "external-link-broken"),
        (quiet, 8, quiet_moved, "external-link-redirected"),
    ])

    # Without --external nothing touches the network, check or build.
    m = mark()
    r = run(["check", "-C", proj, "--format", "json"])
    check(r and r.returncode == 0, f"check without --external: exit 0 ({r and r.stderr})")
    r = run(["build", "-C", proj, "-o", os.path.join(tmp, "site0")])
    check(r and r.returncode == 0, f"build without --external: exit 0 ({r and r.stderr})")
    check(requests_since(m) == {}, f"no request without --external, got {requests_since(m)}")
    # (.folio/cache/build, the build cache, is made by every build)
    check(not os.path.exists(os.path.join(proj, ".folio", "cache", "external-links.tsv")),
          "no external-link cache without --external")

    # Cold: every URL requested once, the problems reported at every place.
    m = mark()
    t0 = time.monotonic()
    r = run(["check", "-C", proj, "--external", "--format", "json"])
    cold = time.monotonic() - t0
    if not check(r is not None and r.returncode == 1, f"cold check exits 1: {r and r.stderr}"):
        return 1
    doc = json.loads(r.stdout)
    got = places(doc, proj)
    check(got == expected, "cold diagnostics differ:\n  got      %s\n  expected %s"
          % ("\n           ".join(map(str, got)), "\n           ".join(map(str, expected))))
    by_place = {(d["file"].replace(proj + "/", ""), d["line"], d["column"]): d for d in doc["diagnostics"]}
    u = "http://127.0.0.1:%d" % port
    moved = by_place.get((links, 8, 3), {})
    check(moved.get("severity") == "warning" and moved.get("message") ==
          f"'{u}/moved' is permanently redirected; use {u}/target/moved",
          f"redirect message: {moved}")
    missing = by_place.get((links, 9, 3), {})
    check(missing.get("severity") == "error" and "404 Not Found" in missing.get("message", ""),
          f"404 message: {missing}")
    incd = by_place.get((inc, 2, 5), {})
    check(incd.get("message", "").endswith("(included from %s/%s:18)" % (proj, links)),
          f"include message: {incd}")
    refused = by_place.get((links, 12, 3), {})
    check(refused.get("severity") == "error" and "2 attempts" in refused.get("message", ""),
          f"refused message: {refused}")
    check(by_place.get((links, 11, 3), {}).get("severity") == "warning", "timeout is a warning")
    frag = by_place.get((links, 14, nope), {})
    check(frag.get("severity") == "error" and "#nope" in frag.get("message", ""),
          f"fragment message: {frag}")
    reqs = requests_since(m)
    want = {("HEAD", "/ok"): 1, ("HEAD", "/moved"): 1, ("HEAD", "/target/moved"): 1,
            ("HEAD", "/missing"): 1, ("HEAD", "/busy"): 2, ("HEAD", "/slow"): 1,
            ("GET", "/page"): 1}
    check(reqs == want, f"cold requests: got {reqs}, expected {want}")
    check("(8 external URLs, 0 from the cache)" in r.stderr, f"cold summary line: {r.stderr}")
    check(cold < 20, f"cold check took {cold:.1f} s")
    cache = os.path.join(proj, ".folio", "cache", "external-links.tsv")
    check(os.path.isfile(cache) and open(cache).readline().startswith("# folio external link cache"),
          "the cache file is written")

    # Warm: the same diagnostics; only the timeout is asked again.
    m = mark()
    r = run(["check", "-C", proj, "--external", "--format", "json"])
    check(r and r.returncode == 1 and places(json.loads(r.stdout), proj) == expected,
          "warm diagnostics are the cold ones")
    reqs = requests_since(m)
    check(reqs == {("HEAD", "/slow"): 1}, f"warm run: only the timed-out URL is asked again, got {reqs}")
    check(r and "(8 external URLs, 6 from the cache)" in r.stderr, f"warm summary: {r and r.stderr}")

    # --external-max-age 0: nothing in the cache is fresh.
    m = mark()
    r = run(["check", "-C", proj, "--external", "--external-max-age", "0", "-q"])
    check(r and r.returncode == 1, "max-age 0 exits 1")
    reqs = requests_since(m)
    check(reqs.get(("HEAD", "/ok")) == 1 and reqs.get(("HEAD", "/missing")) == 1,
          f"--external-max-age 0 asks again: {reqs}")

    # --ignore silences a code like any other.
    r = run(["check", "-C", proj, "--external", "--format", "json",
             "--ignore", "external-link-redirected,external-link-timeout"])
    if check(r is not None, "check --ignore ran"):
        got = places(json.loads(r.stdout), proj)
        check(got == [e for e in expected if e[3] not in ("external-link-redirected",
                                                         "external-link-timeout")],
              f"--ignore: {got}")

    # Every report format: JSON and SARIF against their schemas, the others
    # carry the codes.
    with open(os.path.join(repo, "schemas", "diagnostics.schema.json")) as f:
        schema = json.load(f)
    errs = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    check(not errs, f"JSON report invalid: {errs[:1]}")
    r = run(["check", "-C", proj, "--external", "--format", "sarif"])
    if check(r is not None and r.returncode == 1, "sarif run"):
        sarif = json.loads(r.stdout)
        with open(os.path.join(repo, "tests", "check", "sarif-2.1.0-rtm.5.json")) as f:
            sschema = json.load(f)
        errs = list(jsonschema.Draft4Validator(sschema).iter_errors(sarif))
        check(not errs, f"SARIF invalid: {[e.message for e in errs[:3]]}")
        rules = {x["id"]: x["shortDescription"]["text"] for x in sarif["runs"][0]["tool"]["driver"]["rules"]}
        for code in EXT:
            check(code in rules and rules[code] != code, f"SARIF rule text for {code}: {rules.get(code)}")
        check(len(sarif["runs"][0]["results"]) == len(expected), "SARIF: one result per diagnostic")
    for fmt in ("junit", "github", "markdown", "text"):
        r = run(["check", "-C", proj, "--external", "--format", fmt])
        out = r and (r.stderr if fmt == "text" else r.stdout)
        if fmt == "markdown":  # punctuation written as character references
            out = out and out.replace("&#45;", "-")
        check(r and r.returncode == 1 and all(code in out for code in EXT),
              f"{fmt} report carries every external code")

    # build --external fails on a broken external link and writes nothing.
    site = os.path.join(tmp, "site1")
    r = run(["build", "-C", proj, "-o", site, "--external", "-q"])
    check(r and r.returncode == 1 and "external-link-broken" in r.stderr and not os.path.exists(site),
          f"build --external fails and writes nothing: {r and r.stderr}")
    # ... and builds when the problems are silenced.
    r = run(["build", "-C", proj, "-o", site, "--external",
             "--ignore", ",".join(EXT)])
    check(r and r.returncode == 0 and os.path.isfile(os.path.join(site, "en-us", "links.html"))
          and "(8 external URLs, 6 from the cache)" in r.stderr,
          f"build --external with the codes ignored: {r and r.stderr}")

    # The usage errors of the new options.
    r = run(["check", "-C", proj, "--external-max-age", "1d"])
    check(r and r.returncode == 2, "--external-max-age without --external is a usage error")
    r = run(["check", "-C", proj, "--external", "--external-max-age", "soon"])
    check(r and r.returncode == 2, "a bad duration is a usage error")

    # A cache that cannot be written: a warning, and the check still runs.
    shutil.rmtree(os.path.join(proj, ".folio"))
    write(proj, ".folio", "a file where the cache folder should be\n")
    r = run(["check", "-C", proj, "--external", "--format", "json"])
    if check(r is not None and r.returncode == 1, "check with an unwritable cache ran"):
        got = places(json.loads(r.stdout), proj)
        check(got == sorted(expected + [(".folio/cache/external-links.tsv", 0, 0,
                                         "external-cache-unwritable")]),
              f"unwritable cache: {got}")

    # The excluded and the protocol-relative URLs were never requested.
    with LOCK:
        paths = {p for _, p in REQUESTS}
    check(not any(p.startswith(("/excluded", "/network")) for p in paths),
          f"excluded or non-absolute URLs requested: {sorted(paths)}")
    print("external: %d requests in all; cold check %.1f s" % (len(REQUESTS), cold))
    return 1 if failed else 0


# The checker must not go through a proxy the environment names.
ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}

if __name__ == "__main__":
    sys.exit(main())
