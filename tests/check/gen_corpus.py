#!/usr/bin/env python3
"""Generate a folio project with planted link problems, and the exact set of
diagnostics folio must report for it.

Every article gets links of every kind, good and broken, placed at random
(from --seed) in paragraphs, list items, nested lists, tables, blockquotes,
alerts and include files. The generator knows the file, line and column of
each link as it writes it, so expected.json lists exactly what must be
reported: (file, line, column, severity, code) plus a piece of the message
where the message carries information (did-you-mean, the right case, the
including line).

usage: gen_corpus.py OUT_DIR --repo REPO [--seed N] [--articles N] [--clean]
  --clean   plant no problems at all (for the independent checker)
"""
import argparse
import json
import os
import random
import shutil

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
         "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa"]
SRC, TR = "en-us", "de-de"


def levenshtein(a, b):
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        corner, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            up = row[j]
            row[j] = min(up + 1, row[j - 1] + 1, corner + (a[i - 1] != b[j - 1]))
            corner = up
    return row[len(b)]


def nearest(anchors, id_):
    """folio's hint: the first anchor at the smallest distance, if close."""
    best, bestd = None, None
    for a in anchors:
        d = levenshtein(a, id_)
        if bestd is None or d < bestd:
            best, bestd = a, d
    return best if best is not None and bestd <= len(id_) // 2 + 1 else None


def relpath(from_rel, to_rel):
    """Relative link from the folder of from_rel to to_rel (both in a locale)."""
    r = os.path.relpath(to_rel, os.path.dirname(from_rel) or ".")
    return r


class Article:
    def __init__(self, locale, rel, title):
        self.locale, self.rel, self.title = locale, rel, title
        self.anchors = []      # ids, in page order
        self.lines = []        # body lines
        self.front = []        # extra front matter lines
        self.ignore = set()    # codes its front matter silences
        self.path = f"content/{locale}/{rel}"

    def body_start(self):
        # ---, title, description, extra, ---  -> first body line number
        return 4 + len(self.front) + 1

    def next_line(self):
        return self.body_start() + len(self.lines)


class Corpus:
    def __init__(self, seed, n, clean):
        self.rng = random.Random(seed)
        self.n, self.clean = n, clean
        self.expected = []
        self.articles = {}     # (locale, rel) -> Article
        self.includes = {}     # rel -> lines
        self.counter = 0
        self._targets = {}
        self._untranslated = None

    def uid(self):
        self.counter += 1
        return self.counter

    def expect(self, file, line, col, sev, code, contains=None):
        self.expected.append({"file": file, "line": line, "column": col, "severity": sev,
                              "code": code, "contains": contains})

    # -- the site's shape --------------------------------------------------
    def plan(self):
        rels = ["guide.md", "with space.md"]
        for i in range(self.n):
            folder = self.rng.choice(["", "", "topics/", "topics/deep/", "howto/"])
            rels.append(f"{folder}{WORDS[i % len(WORDS)]}-{i}.md")
        rels.append("howto/index.md")
        self.rels = rels
        for rel in rels + ["index.md", "orphan-page.md", "quiet-orphan.md", "en-only.md"]:
            a = Article(SRC, rel, rel)
            # Headings: slugs, explicit Learn-style ids, one repeat (slug-1).
            for k in range(self.rng.randint(2, 4)):
                w = self.rng.choice(WORDS)
                if self.rng.random() < 0.3:
                    a.anchors.append(f"{w}-id-{k}")
                else:
                    a.anchors.append(f"section-{w}-{k}")
            self.articles[(SRC, rel)] = a
        quiet = self.articles[(SRC, "quiet-orphan.md")]
        quiet.front.append("folio.ignore: [orphan-article, insecure-link]")
        quiet.ignore = {"orphan-article", "insecure-link"}
        # A translation of most articles, with the same anchors (explicit
        # <a name> ids, as Learn translations keep them) plus one of its own.
        for rel in rels + ["index.md"]:
            if rel.startswith("topics/deep/") and self.rng.random() < 0.5:
                continue  # left untranslated
            a = Article(TR, rel, rel)
            a.anchors = list(self.articles[(SRC, rel)].anchors) + ["nur-deutsch"]
            self.articles[(TR, rel)] = a

    def targets(self, locale):
        if locale not in self._targets:  # cached: corpora reach 10,000 articles
            self._targets[locale] = [a for (l, r), a in sorted(self.articles.items()) if l == locale]
        return self._targets[locale]

    def find(self, locale, rel):
        return self.articles.get((locale, rel))

    # -- writing links -----------------------------------------------------
    def place(self, art, snippet, kind):
        """Put one link snippet into art in a random context; return
        (file, line, col, via) of the link's first character."""
        ctx = self.rng.choice(["para", "list", "nested", "ordered", "table", "quote", "alert",
                               "include"] if kind != "fragment" else
                              ["para", "list", "nested", "ordered", "table", "quote", "alert"])
        L = art.lines
        if ctx == "para":
            pre = "Some words before "
            L += [pre + snippet + " and after.", ""]
            return art.path, art.next_line() - 2, len(pre) + 1, 0
        if ctx == "list":
            L += ["- " + snippet, ""]
            return art.path, art.next_line() - 2, 3, 0
        if ctx == "nested":
            L += ["- outer item", "  - " + snippet, ""]
            return art.path, art.next_line() - 2, 5, 0
        if ctx == "ordered":
            L += ["1. step one", "1. " + snippet, ""]
            return art.path, art.next_line() - 2, 4, 0
        if ctx == "table":
            L += ["| Name | Link |", "| ---- | ---- |", "| cell | " + snippet + " |", ""]
            return art.path, art.next_line() - 2, 10, 0
        if ctx == "quote":
            L += ["> Quoted " + snippet, ""]
            return art.path, art.next_line() - 2, 10, 0
        if ctx == "alert":
            L += ["> [!NOTE]", "> " + snippet, ""]
            return art.path, art.next_line() - 2, 3, 0
        # An include in the article's locale folder includes/; links in it
        # are relative to the include (one folder below the locale root).
        name = f"includes/inc-{self.uid()}.md"
        self.includes[(art.locale, name)] = ["Included text.", "", "- " + snippet]
        via = art.next_line()
        L += [f"[!INCLUDE [inc]({relpath(art.rel, name)})]", ""]
        return f"content/{art.locale}/{name}", 3, 3, via

    def write_links(self, art):
        rng = self.rng
        loc = art.locale
        pool = self.targets(loc)

        def pick():  # any article of the locale but this one
            while True:
                t = rng.choice(pool)
                if t is not art:
                    return t

        class Others:  # rng.choice(others) without building the list each time
            def __len__(self):
                return len(pool) - 1

            def __getitem__(self, i):
                return pick()
        others = Others()
        # Links inside an include are relative to includes/, so every
        # relative link is written from a base and placed where it fits:
        # the helpers below take the base the link is written from.

        def rel_from(base, target_rel):
            return relpath(base, target_rel)

        def add(make, problem=None, fragment_only=False):
            # The link's text depends on where it lands (the article or an
            # include): place a placeholder, then write the text for its base.
            snippet_art = make(art.rel)
            snippet_inc = make("includes/x.md")
            file, line, col, via = self.place(art, "\0", "fragment" if fragment_only else "any")
            text = snippet_inc if via else snippet_art
            # Put the real text where the placeholder went.
            if via:
                key = (art.locale, file.split("/", 2)[2])
                self.includes[key] = [s.replace("\0", text) for s in self.includes[key]]
            else:
                art.lines[:] = [s.replace("\0", text) for s in art.lines]
            if problem and problem[1] not in art.ignore:
                sev, code, contains = problem
                contains = [contains] if isinstance(contains, str) else list(contains or [])
                if via:
                    contains.append(f"(included from {art.path}:{via})")
                self.expect(file, line, col, sev, code, contains or None)

        # Good links: none of these may be reported.
        for _ in range(rng.randint(2, 4)):
            t = rng.choice(others)
            add(lambda b, t=t: f"[to {t.rel}]({rel_from(b, t.rel).replace(' ', '%20')})")
            a = rng.choice(t.anchors)
            add(lambda b, t=t, a=a: f"[anchor]({rel_from(b, t.rel).replace(' ', '%20')}#{a})")
        a = rng.choice(art.anchors)
        add(lambda b, a=a: f"[here](#{a})", fragment_only=True)
        t = rng.choice(others)
        add(lambda b, t=t: f"[query]({rel_from(b, t.rel).replace(' ', '%20')}?view=cli#{t.anchors[0]})")
        add(lambda b: f"[space](<{rel_from(b, 'with space.md')}>)")
        add(lambda b: f"![A picture]({rel_from(b, 'media/pic.png')})")
        add(lambda b: f"[picture file]({rel_from(b, 'media/pic.png')})")
        add(lambda b: f"[folder]({rel_from(b, 'howto/index.md')[:-len('index.md')] or './'})")
        t = rng.choice(others)
        add(lambda b, t=t: f"[site]({'/' + loc + '/' + t.rel[:-3].replace(' ', '%20')})")
        add(lambda b, t=t: f"[implied]({'/' + t.rel[:-3].replace(' ', '%20')}#{t.anchors[-1]})")
        add(lambda b: "[mapped](/azure/virtual-machines/overview)")
        add(lambda b: "[external](https://example.com/docs)")
        add(lambda b: "[mail](mailto:docs@example.com)")
        if loc == TR:
            add(lambda b: f"[de only]({rel_from(b, 'guide.md')}#nur-deutsch)")
        if self.clean:
            return
        # Loopback http:// is a local example, not an insecure link (kept out
        # of the clean corpus: nothing listens there for the link checker).
        add(lambda b: "[local](http://localhost:8080/)")

        # Broken links: each must be reported exactly where it is.
        k = self.uid()
        add(lambda b: f"[missing]({rel_from(b, f'missing-{k}.md')})",
            ("error", "file-not-found", None))
        add(lambda b: f"[missing site](/{loc}/nothing-{k})", ("error", "file-not-found", None))
        add(lambda b: f"[unmapped](/unmapped-{k}/page)", ("error", "file-not-found", "external_links"))
        t = rng.choice(others)
        add(lambda b, t=t: f"[bad anchor]({rel_from(b, t.rel).replace(' ', '%20')}#no-such-{k})",
            ("error", "bookmark-not-found", None))
        add(lambda b: f"[bad here](#nowhere-{k})", ("error", "bookmark-not-found", None),
            fragment_only=True)
        t = rng.choice(others)
        a = rng.choice(t.anchors)
        typo = a[:-1]
        hint = nearest(t.anchors, typo)
        add(lambda b, t=t, typo=typo: f"[typo]({rel_from(b, t.rel).replace(' ', '%20')}#{typo})",
            ("error", "bookmark-not-found", f"did you mean '#{hint}'?" if hint else None))
        t = pick()
        while not (t.rel[0].isalpha() and "/" not in t.rel):
            t = pick()
        wrong = t.rel[0].upper() + t.rel[1:]
        add(lambda b, wrong=wrong: f"[case]({rel_from(b, wrong).replace(' ', '%20')})",
            ("warning", "case-mismatch", f"{loc}/{t.rel}"))
        t = rng.choice(others)
        a = t.anchors[0]
        add(lambda b, t=t, a=a: f"[anchor case]({rel_from(b, t.rel).replace(' ', '%20')}#{a.upper()})",
            ("warning", "case-mismatch", f"'#{a}'"))
        add(lambda b: f"![Case]({rel_from(b, 'media/PIC.png')})", ("warning", "case-mismatch", "media/pic.png"))
        add(lambda b: f"[out]({'../' * (b.count('/') + 1)}outside.md)", ("error", "link-out-of-scope", None))
        add(lambda b: f"![Gone]({rel_from(b, f'media/gone-{k}.png')})", ("error", "image-not-found", None))
        add(lambda b: f"![]({rel_from(b, 'media/pic.png')})", ("warning", "missing-alt-text", None))
        add(lambda b: "[empty]()", ("warning", "empty-link", None))
        add(lambda b: f"[plain](http://example.com/{k})", ("warning", "insecure-link", None))
        if loc == TR:
            if self._untranslated is None:
                self._untranslated = [r for r in self.rels if (TR, r) not in self.articles]
            un = self._untranslated
            if un:
                r = rng.choice(un)
                src = self.find(SRC, r)
                add(lambda b, r=r: f"[untranslated]({rel_from(b, r)}#{src.anchors[0]})",
                    ("info", "untranslated-link", f"not translated into {TR}"))
                # Its anchor is checked against the source page.
                self.expected_bad_untranslated(art, add, r, k)
        else:
            add(lambda b: f"[de only]({rel_from(b, 'guide.md')}#nur-deutsch)",
                ("error", "bookmark-not-found", None))

    def expected_bad_untranslated(self, art, add, r, k):
        # One link, two diagnostics at the same place: info and error.
        def make(b):
            return f"[untranslated bad]({relpath(b, r)}#gone-{k})"
        start = len(self.expected)
        add(make, ("info", "untranslated-link", None))
        e = dict(self.expected[start])
        e["severity"], e["code"], e["contains"] = "error", "bookmark-not-found", [f"content/{SRC}/{r}"]
        self.expected.append(e)

    # -- output ------------------------------------------------------------
    def render(self, art):
        out = ["---", f"title: {art.title}", "description: generated", *art.front, "---"]
        assert len(out) + 1 == art.body_start()
        return "\n".join(out + art.lines) + "\n"

    def build(self, out, repo):
        self.plan()
        for key in sorted(self.articles):
            art = self.articles[key]
            art.lines += [f"# {art.title}", ""]
            for i, a in enumerate(art.anchors):
                if a.startswith("section-"):
                    _, w, k = a.split("-")
                    art.lines += [f"## Section {w} {k}", "", "Text.", ""]
                else:
                    art.lines += [f'## <a name="{a}"></a>Heading {i}', "", "Text.", ""]
            self.write_links(art)
            if not self.clean and art.rel == "guide.md":
                # Two headings with one explicit id: the second is reported.
                art.lines += ['## <a name="twice"></a>First', ""]
                line = art.next_line()
                art.lines += ['## <a name="twice"></a>Second', ""]
                self.expect(art.path, line, 1, "warning", "duplicate-anchor", "'twice'")
        # Files.
        shutil.copytree(os.path.join(repo, "templates"), os.path.join(out, "templates"))
        os.makedirs(os.path.join(out, "locales"))
        for loc in (SRC, TR):
            shutil.copy(os.path.join(repo, "locales", loc + ".yml"), os.path.join(out, "locales"))
        with open(os.path.join(out, "folio.yml"), "w") as f:
            f.write("title: Link corpus\nbase_url: https://docs.example.test/\n"
                    f"locales: [{SRC}, {TR}]\n"
                    "external_links:\n  /azure/: https://learn.microsoft.com/{locale}/azure/\n")
        for art in self.articles.values():
            p = os.path.join(out, art.path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(self.render(art))
        for (loc, rel), lines in self.includes.items():
            p = os.path.join(out, "content", loc, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write("\n".join(lines) + "\n")
        media = os.path.join(out, "content", SRC, "media")
        os.makedirs(media, exist_ok=True)
        with open(os.path.join(media, "pic.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
        # toc.yml: every article but the orphans (and en-only); one broken
        # entry in the source locale.
        for loc in (SRC, TR):
            lines = []
            for rel in ["index.md"] + self.rels + (["en-only.md"] if loc == SRC else []):
                if (loc, rel) in self.articles and rel != "en-only.md":
                    lines += [f"- name: {rel}", f"  href: {rel}"]
            if not self.clean and loc == SRC:
                lines += ["- name: Broken", "  href: not-there.md"]
                self.expect(f"content/{loc}/toc.yml", len(lines), 9, "error", "toc-entry-not-found",
                            "not-there.md")
            with open(os.path.join(out, "content", loc, "toc.yml"), "w") as f:
                f.write("\n".join(lines) + "\n")
        # Orphans: en-only.md and orphan-page.md are in no toc.yml; the
        # quiet one silences it in its front matter.
        if not self.clean:
            for rel in ("orphan-page.md", "en-only.md"):
                self.expect(f"content/{SRC}/{rel}", 1, 1, "warning", "orphan-article", None)
        else:
            with open(os.path.join(out, "content", SRC, "toc.yml"), "a") as f:
                for rel in ("orphan-page.md", "quiet-orphan.md", "en-only.md"):
                    f.write(f"- name: {rel}\n  href: {rel}\n")
        self.expected.sort(key=lambda e: (e["file"], e["line"], e["column"], e["code"]))
        with open(os.path.join(out, "expected.json"), "w") as f:
            json.dump(self.expected, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--repo", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--articles", type=int, default=12)
    ap.add_argument("--clean", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    Corpus(a.seed, a.articles, a.clean).build(a.out, a.repo)


if __name__ == "__main__":
    main()
