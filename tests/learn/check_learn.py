#!/usr/bin/env python3
"""End-to-end test of a project shaped like a Microsoft Learn repository
(tests/learn/project): YamlMime:FAQ, Landing and Hub pages (index.yml as a
locale's home), a TOC.md in a subfolder reached by `href: billing/`, the
redirection file at the repository root, site-absolute links under the
docset's path and an external_links catch-all, includes, and a German
translation with fallback pages.

usage: check_learn.py FOLIO PROJECT_DIR

Builds the project into a temporary folder and checks what the site holds:
the pages and their templates, FAQ question anchors, every internal link and
fragment of every page, redirect pages, the search index, sitemaps,
hreflang, folio status, and that -j 1 and -j 4 write the same bytes. Prints
one "ok" or "not ok" line per check; exits 1 when any check failed.
"""
import filecmp
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FOLIO, PROJECT = (os.path.abspath(p) for p in sys.argv[1:3])
REPO = os.path.abspath(os.path.join(PROJECT, "..", "..", ".."))
BASE = "https://learn.contoso.example/partner-center/"
failures = 0


def check(name, cond, detail=""):
    global failures
    if cond:
        print(f"ok - {name}")
    else:
        failures += 1
        print(f"not ok - {name}" + (f"\n  {detail}" if detail else ""))


class Page(html.parser.HTMLParser):
    """The ids, links and a few tags of one HTML page."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.tags = set(), [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])  # <a name> is a fragment target too (Learn keeps both)
        for key in ("href", "src"):
            if key in a and a[key] is not None and tag in ("a", "img", "link", "script"):
                self.links.append((tag, key, a[key], a))


def copy_project(dest):
    """The project in dest, its shared folders (../../../templates) made absolute."""
    shutil.copytree(PROJECT, dest, ignore=shutil.ignore_patterns("_site"))
    cfg = os.path.join(dest, "folio.yml")
    with open(cfg, encoding="utf-8") as f:
        text = f.read().replace("../../../", REPO + "/")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(text)


def run(*args, cwd=None):
    return subprocess.run([FOLIO, *args], cwd=cwd, capture_output=True, text=True)


def main():
    tmp = tempfile.mkdtemp(prefix="folio-learn-")
    try:
        project = os.path.join(tmp, "project")
        copy_project(project)
        site = os.path.join(tmp, "site")
        r = run("build", "-q", "-j", "2", "--format", "json", "-C", project, "-o", site)
        report = json.loads(r.stdout or "{}")
        diags = report.get("diagnostics", [])
        check("folio build exits 0", r.returncode == 0, r.stderr + r.stdout[:2000])
        bad = [d for d in diags if d["severity"] != "info"]
        check("no errors or warnings", not bad, json.dumps(bad, indent=1))
        codes = {d["code"] for d in diags}
        check("notes are only redirected and untranslated links",
              codes <= {"link-redirected", "untranslated-link"}, str(codes))
        redirected = sorted((os.path.relpath(d["file"], project), d["line"], d["column"])
                            for d in diags if d["code"] == "link-redirected")
        check("links to moved articles are notes at the link",
              redirected == [("content/en-us/get-started.md", 21, 1),
                             ("content/en-us/get-started.md", 27, 5)], str(redirected))
        if r.returncode != 0:
            return
        checks(site)
        check_status(project, tmp)
        check_jobs(project, site, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def search_pages(site, loc):
    """The pages of a locale's search index: one search/p<id>.js file each,
    folioSearchPage(id, {...}) around a JSON object."""
    folder = os.path.join(site, loc, "search")
    pages = []
    for name in sorted(os.listdir(folder)):
        if name.startswith("p") and name.endswith(".js"):
            text = read(site, f"{loc}/search/{name}")
            pages.append(json.loads(text[text.index(",") + 1:text.rindex(")")]))
    return pages


def read(site, rel):
    with open(os.path.join(site, rel), encoding="utf-8") as f:
        return f.read()


def html_pages(site):
    out = []
    for root, _, files in os.walk(site):
        for n in files:
            if n.endswith(".html"):
                out.append(os.path.relpath(os.path.join(root, n), site))
    return sorted(out)


def checks(site):
    exists = lambda rel: os.path.exists(os.path.join(site, rel))
    pages = ["faq.html", "index.html", "get-started.html", "billing/index.html",
             "billing/invoices.html", "billing/payment-methods.html"]
    for loc in ("en-us", "de-de"):
        missing = [p for p in pages if not exists(f"{loc}/{p}")]
        check(f"{loc}: YAML pages, articles and fallback pages are written", not missing,
              str(missing))
    check("a YAML data file without YamlMime is copied as it is, a redirect outside the "
          "docset writes nothing",
          not any("moved" in p for p in html_pages(site)))

    # Each YAML page with its own template.
    faq = read(site, "en-us/faq.html")
    check("FAQ page uses faq.html", '<article class="faq">' in faq)
    fp = Page(faq)
    check("FAQ questions get ids from their text, repeats numbered",
          {"accounts", "billing", "how-do-i-invite-a-colleague", "who-can-see-the-invoices",
           "who-can-see-the-invoices-1", "when-is-the-invoice-issued"} <= fp.ids, str(fp.ids))
    check("FAQ answers are Markdown (alert, emphasis), the summary's include is expanded",
          '<div class="alert tip"' in faq and "<strong>Account settings</strong>" in faq
          and "working days from 08:00 to 18:00" in faq)
    check("FAQ 'in this article' lists its sections",
          '<li><a href="#accounts">Accounts</a></li>' in faq)
    landing = read(site, "en-us/index.html")
    check("index.yml is the locale's home, with landing.html",
          '<article class="landing-page">' in landing and
          '<h1>Contoso Partner Center documentation</h1>' in landing)
    check("landing cards keep their link list types",
          '<p class="card-list-type">how-to-guide</p>' in landing)
    hub = read(site, "en-us/billing/index.html")
    check("Hub page uses hub.html with its brand and image",
          'class="hub-page" data-brand="contoso"' in hub and
          'src="media/export.svg"' in hub)
    de_hub = read(site, "de-de/billing/index.html")
    check("a YAML page missing in a translation gets a fallback page, its URLs rebased",
          "notice-untranslated" in de_hub and 'src="../../en-us/billing/media/export.svg"' in de_hub
          and 'lang="en-US"' in de_hub and 'content="noindex, follow"' in de_hub)

    # Links written every way resolve to the right pages.
    gs = read(site, "en-us/get-started.html")
    for href, why in [
        ("faq.html#how-do-i-invite-a-colleague", "a link to an FAQ question"),
        ("faq.html#billing", "/en-us/partner-center/faq#billing (Learn's form with the locale)"),
        ("billing/invoices.html", "/partner-center/billing/invoices (locale implied)"),
        ("billing/payment-methods.html", "/en-us/partner-center/billing/payment-methods"),
        ("https://learn.microsoft.com/en-us/azure/cost-management-billing/",
         "another docset, through the / catch-all"),
        ("https://legal.contoso.example/en-us/privacy", "the longest external_links prefix"),
        ("billing/invoices.html#read-the-totals", "a link to a moved article goes to its target"),
        ("billing/index.html#tools-for-finance-teams", "a Hub group anchor"),
        ("faq.html#accounts", "a link in an include to an FAQ section"),
    ]:
        check(f"get-started: {why}", f'href="{href}"' in gs)
    de_gs = read(site, "de-de/get-started.html")
    check("de-de get-started: /de-de/partner-center is the locale's home",
          '<a href="index.html">Startseite der Dokumentation</a>' in de_gs)
    check("de-de get-started: /de-de/partner-center/billing/invoices, not translated, is the "
          "English page", '<a href="../en-us/billing/invoices.html">' in de_gs)
    check("get-started: a link to first-steps.md (moved here) comes back to this page",
          re.search(r'<a href="get-started.html">the first steps page</a>', gs) is not None)

    # The toc: toc.yml with href: billing/ takes billing/TOC.md in.
    check("toc: TOC.md entries nest under the folder's entry",
          re.search(r'<span class="nav-group">Invoices</span>\s*<ul>\s*<li[^>]*><a href="billing/'
                    r'invoices.html">Read your monthly invoice</a>', gs) is not None)
    check("toc: a YAML page is a toc entry", '<a href="faq.html">Frequently asked questions</a>' in gs)

    # Every internal link and fragment of every page. The 404 pages link
    # site-absolutely (from base_url's path). A fallback page shows the
    # source's text, whose fragments name English ids that a translated
    # page (German question ids) need not have: those are not checked.
    broken = []
    cache = {}
    docset = "/partner-center/"
    for rel in html_pages(site):
        text = read(site, rel)
        fallback = "notice-untranslated" in text
        page = Page(text)
        for tag, key, url, attrs in page.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("//"):
                continue
            path, _, frag = url.partition("#")
            path = path.split("?")[0]
            if path.startswith(docset):
                target = path[len(docset):]
            elif path.startswith("/"):
                broken.append(f"{rel}: {url} (outside the docset)")
                continue
            else:
                target = os.path.normpath(os.path.join(os.path.dirname(rel), path)) if path else rel
            if not exists(target):
                broken.append(f"{rel}: {url}")
                continue
            if frag and target.endswith(".html") and not (fallback and target != rel):
                if target not in cache:
                    cache[target] = Page(read(site, target)).ids
                if frag not in cache[target]:
                    broken.append(f"{rel}: {url} (no #{frag})")
    check("every internal link and fragment of the site resolves", not broken,
          "\n  ".join(broken[:20]))

    # Redirect pages.
    for loc, src, href, canonical, title in [
        ("en-us", "first-steps.html", "get-started.html", BASE + "en-us/get-started.html",
         "Set up your partner account"),
        ("de-de", "first-steps.html", "get-started.html", BASE + "de-de/get-started.html",
         "Partnerkonto einrichten"),
        ("en-us", "billing/old-invoices.html", "invoices.html#read-the-totals",
         BASE + "en-us/billing/invoices.html", "Read your monthly invoice"),
        ("en-us", "account-faq.html", "faq.html", BASE + "en-us/faq.html",
         "Frequently asked questions about Partner Center"),
        ("de-de", "account-faq.html", "faq.html", BASE + "de-de/faq.html",
         "Häufig gestellte Fragen zu Partner Center"),
        ("en-us", "retired-reports.html", "https://learn.microsoft.com/power-bi/",
         "https://learn.microsoft.com/power-bi/", None),
    ]:
        rel = f"{loc}/{src}"
        if not exists(rel):
            check(f"redirect page {rel}", False, "missing")
            continue
        text = read(site, rel)
        ok = (f'<meta http-equiv="refresh" content="0; url={href}">' in text and
              f'<link rel="canonical" href="{canonical}">' in text and
              '<meta name="robots" content="noindex">' in text and
              f'<a href="{href}">' in text and
              (title is None or f">{title}</a>" in text))
        check(f"redirect page {rel} -> {href}", ok, text)
    check("redirect pages speak the locale's language",
          "Diese Seite ist umgezogen nach" in read(site, "de-de/first-steps.html"))

    # Search.
    for loc, wanted in [
        ("en-us", {"faq.html": "How do I invite a colleague?", "index.html": "Billing",
                   "billing/index.html": "Understand billing"}),
        ("de-de", {"faq.html": "Wie lade ich eine Kollegin oder einen Kollegen ein?",
                   "index.html": "Abrechnung", "billing/index.html": "Understand billing"}),
    ]:
        by_url = {p["u"]: p for p in search_pages(site, loc)}
        got = {u: h in by_url.get(u, {}).get("h", []) for u, h in wanted.items()}
        check(f"{loc}: the search index has the YAML pages with their headings",
              all(got.values()), str(got))
        check(f"{loc}: redirect pages are not searched",
              not any("first-steps" in u for u in by_url))
    faq_entry = [p for p in search_pages(site, "en-us") if p["u"] == "faq.html"][0]
    check("search text of the FAQ holds its answers", "seven days" in faq_entry["x"])

    # Role headers in sections: one rule each, scoped to the section's anchor,
    # the English article its source and the German one stating the same.
    rules = {r["id"]: r for r in json.loads(read(site, "rules.json"))["rules"]}
    for rid, roles in (("article/get-started#invite-your-team:perform", ["admin-agent", "sales-agent"]),
                       ("article/get-started#contact-the-partner-desk:perform",
                        ["admin-agent", "helpdesk-agent"])):
        r = rules.get(rid)
        check(f"rules.json has {rid} from the English article, stated in both locales",
              r is not None and r["allow"] == roles and r["source"]["locale"] == "en-us"
              and r["source"]["locales"] == ["de-de", "en-us"], str(r))

    # Sitemaps and hreflang.
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    for loc, other in (("en-us", "de-de"), ("de-de", "en-us")):
        root = ET.fromstring(read(site, f"{loc}/sitemap.xml").encode())
        urls = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
        for page in ("faq.html", "index.html"):
            u = urls.get(BASE + f"{loc}/{page}")
            alts = {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)} if u is not None else {}
            check(f"{loc}/sitemap.xml lists {page} with its translation",
                  alts.get("de-DE") == BASE + f"de-de/{page}" and
                  alts.get("en-US") == BASE + f"en-us/{page}" and
                  alts.get("x-default") == BASE + f"en-us/{page}", str(alts))
        check(f"{loc}/sitemap.xml leaves out redirect pages",
              not any("first-steps" in k or "account-faq" in k for k in urls))
    check("de-de/sitemap.xml leaves out fallback pages",
          BASE + "de-de/billing/index.html" not in read(site, "de-de/sitemap.xml"))
    for page in ("faq.html", "index.html"):
        for loc in ("en-us", "de-de"):
            text = read(site, f"{loc}/{page}")
            check(f"{loc}/{page} has the symmetric hreflang set",
                  f'<link rel="alternate" hreflang="en-US" href="{BASE}en-us/{page}">' in text and
                  f'<link rel="alternate" hreflang="de-DE" href="{BASE}de-de/{page}">' in text and
                  f'<link rel="alternate" hreflang="x-default" href="{BASE}en-us/{page}">' in text)
    check("a stale YAML translation shows the banner, a current one does not",
          "notice-stale" in read(site, "de-de/faq.html") and
          "notice-stale" not in read(site, "de-de/index.html"))


def status(project):
    r = run("status", "--format", "json", "-C", project)
    data = json.loads(r.stdout)
    loc = data["locales"][0]
    return {a["path"]: a for a in loc["articles"]}


def check_status(project, tmp):
    st = status(project)
    states = {p: a["state"] for p, a in st.items()}
    check("folio status: YAML translations are tracked like articles",
          states == {"index.yml": "current", "get-started.md": "current", "faq.yml": "stale",
                     "billing/index.yml": "missing", "billing/invoices.md": "missing",
                     "billing/payment-methods.md": "missing"}, str(states))
    before = st["faq.yml"]["source_hash"]
    faq = os.path.join(project, "content", "en-us", "faq.yml")
    with open(faq, encoding="utf-8") as f:
        text = f.read()
    with open(faq, "w", encoding="utf-8") as f:
        f.write(text.replace("ms.date: 04/02/2024", "ms.date: 05/02/2024"))
    check("the hash of a YAML page leaves its metadata out",
          status(project)["faq.yml"]["source_hash"] == before)
    with open(faq, "w", encoding="utf-8") as f:
        f.write(text.replace("seven days", "ten days"))
    check("the hash of a YAML page covers its answers",
          status(project)["faq.yml"]["source_hash"] != before)
    with open(faq, "w", encoding="utf-8") as f:
        f.write(text)


def check_jobs(project, site, tmp):
    one = os.path.join(tmp, "site-j1")
    four = os.path.join(tmp, "site-j4")
    for out, jobs in ((one, "1"), (four, "4")):
        r = run("build", "-q", "-j", jobs, "-C", project, "-o", out)
        if r.returncode:
            check(f"build at -j {jobs}", False, r.stderr)
            return
    diff = []

    def compare(d):
        diff.extend(os.path.join(d.left, n) for n in d.diff_files + d.left_only + d.right_only)
        for sub in d.subdirs.values():
            compare(sub)
    compare(filecmp.dircmp(one, four))
    check("-j 1 and -j 4 write the same site", not diff, str(diff[:5]))


if __name__ == "__main__":
    main()
    print(f"{'FAILED' if failures else 'passed'}: {failures} failed")
    sys.exit(1 if failures else 0)
