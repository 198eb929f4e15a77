#!/usr/bin/env python3
"""A large toc: pages must not carry the whole of it.

Builds a generated corpus whose toc lists more than 300 articles and checks
that each page's sidebar holds at most a window of entries around the page,
marks the page as current, and links to contents.html, which lists every
toc entry once; a small site (the golden project) gets no contents.html.
usage: large_toc.py FOLIO REPO
"""
import html.parser
import os
import subprocess
import sys
import tempfile

folio, repo = sys.argv[1], sys.argv[2]
failed = passed = 0


def check(cond, what):
    global failed, passed
    print(("ok - " if cond else "not ok - ") + what)
    failed += not cond
    passed += bool(cond)


class Sidebar(html.parser.HTMLParser):
    """Links inside <nav class="sidebar"> (and inside nav.contents)."""

    def __init__(self, cls):
        super().__init__()
        self.cls, self.depth, self.links, self.current = cls, 0, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav" and self.cls in (a.get("class") or "").split():
            self.depth = 1
        elif tag == "nav" and self.depth:
            self.depth += 1
        elif tag == "a" and self.depth:
            self.links.append(a.get("href"))
            if a.get("aria-current") == "page":
                self.current = a.get("href")

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def links(path, cls):
    p = Sidebar(cls)
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


with tempfile.TemporaryDirectory() as tmp:
    proj = os.path.join(tmp, "p")
    subprocess.run([sys.executable, os.path.join(repo, "tests/check/gen_corpus.py"), proj,
                    "--repo", repo, "--clean", "--articles", "400"], check=True,
                   stdout=subprocess.DEVNULL)
    site = os.path.join(tmp, "site")
    r = subprocess.run([folio, "build", "-q", "-C", proj, "-o", site], capture_output=True, text=True)
    check(r.returncode == 0, f"the corpus builds ({r.stderr.strip()[:200]})")
    with open(os.path.join(proj, "content/en-us/toc.yml"), encoding="utf-8") as f:
        entries = sum(1 for line in f if line.strip().startswith("href:"))
    check(entries > 300, f"the toc has {entries} entries")
    contents = os.path.join(site, "en-us/contents.html")
    check(os.path.exists(contents), "en-us/contents.html is written")
    allnav = links(contents, "contents")
    check(len(allnav.links) == entries, f"contents.html lists {len(allnav.links)} of {entries} entries")
    page = links(os.path.join(site, "en-us/alpha-0.html"), "sidebar")
    check(len(page.links) <= 16, f"a page's sidebar has {len(page.links)} links (window of 15 + contents)")
    check(page.current == "alpha-0.html", f"the page is marked current ({page.current})")
    check("contents.html" in page.links, "the sidebar links to contents.html")

    small = os.path.join(tmp, "small")
    r = subprocess.run([folio, "build", "-q", "-C", os.path.join(repo, "tests/golden/project"),
                        "-o", small], capture_output=True, text=True)
    check(r.returncode == 0 and not os.path.exists(os.path.join(small, "en-us/contents.html")),
          "a small site has no contents.html")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
