#!/usr/bin/env python3
"""Generate a bilingual folio project that looks like a documentation set and
uses every construct folio parses, for benchmarks and the thread stress test.

N articles in en-us and their N translations in de-de (all translated, so a
build writes exactly 2N article pages), in nested folders, each 2 to 10 KiB
of Markdown: headings (slugs and <a name> ids), emphasis, strikethrough,
inline code, links to other articles and their anchors, GFM autolinks
(www., https://, <...>), tables, task lists, footnotes, fenced code, lists,
alerts, :::image (content, icon, complex), :::zone, :::row/:::column,
Markdown images, raw HTML from the allowlist, includes, role headers. Every
link resolves and every image exists: the project builds without a warning.
One image per MEDIA_EVERY articles, per locale (localized screenshots).

The same seed gives the same bytes.

usage: gen_corpus.py OUT_DIR [--articles N] [--seed S] [--repo REPO]
  --repo   where templates/ and locales/ are copied from (default: this repo)
"""
import argparse
import os
import random
import shutil

LOCALES = ("en-us", "de-de")
MEDIA_EVERY = 5
FOLDERS = ["", "get-started/", "billing/", "billing/invoices/", "customers/",
           "customers/subscriptions/", "security/", "security/roles/", "reference/",
           "reference/api/", "howto/", "howto/advanced/"]
EN = ("account customer partner subscription invoice billing report portal role admin "
      "agent license tenant resource plan offer order payment policy access permission "
      "setting review workspace dashboard export import region catalog service support "
      "request ticket device user group domain audit event reservation quota").split()
DE = ("Konto Kunde Partner Abonnement Rechnung Abrechnung Bericht Portal Rolle Verwaltung "
      "Agent Lizenz Mandant Ressource Plan Angebot Bestellung Zahlung Richtlinie Zugriff "
      "Berechtigung Einstellung Überprüfung Arbeitsbereich Übersicht Export Import Region "
      "Katalog Dienst Unterstützung Anfrage Gerät Benutzer Gruppe Domäne Prüfung Ereignis "
      "Reservierung Kontingent größer schließen öffnen").split()
VERBS_EN = "create update review assign remove check export configure manage find".split()
VERBS_DE = "erstellen aktualisieren prüfen zuweisen entfernen exportieren verwalten finden".split()
ROLES = {"en-us": ("Appropriate roles", ["Admin agent", "Sales agent", "Helpdesk agent",
                                         "Billing admin", "Global admin", "Owner"]),
         "de-de": ("Geeignete Rollen", ["Administrator-Agent", "Vertriebsbeauftragter",
                                        "Helpdesk-Agent", "Abrechnungsadministrator",
                                        "Globaler Administrator", "Besitzer"])}
INCLUDES = 24


def slug(words):
    return "-".join(w.lower() for w in words)


class Article:
    def __init__(self, i, rng):
        self.i = i
        self.rel = f"{rng.choice(FOLDERS)}{rng.choice(EN)}-{rng.choice(VERBS_EN)}-{i}.md"
        self.title_words = [rng.choice(VERBS_EN).capitalize(), rng.choice(EN), rng.choice(EN)]
        # Section headings: (words, explicit id or None); the English slug
        # is the id in every locale (translations carry it as <a name>).
        self.sections = []
        for k in range(rng.randint(3, 7)):
            words = [rng.choice(EN).capitalize(), rng.choice(EN), str(k)]
            self.sections.append((words, f"{rng.choice(EN)}-id-{k}" if rng.random() < 0.3 else None))
        self.media = f"media/{self.rel[:-3].replace('/', '-')}.png" if i % MEDIA_EVERY == 0 else None

    def anchors(self):
        return [eid or slug(w) for w, eid in self.sections]


class Writer:
    def __init__(self, corpus, art, locale, rng):
        self.c, self.a, self.loc, self.rng = corpus, art, locale, rng
        self.de = locale == "de-de"
        self.out = []
        self.footnotes = 0
        self.include = False  # an include: no #anchors of its own, no footnotes

    def word(self):
        return self.rng.choice(DE if self.de else EN)

    def words(self, lo, hi):
        return " ".join(self.word() for _ in range(self.rng.randint(lo, hi)))

    def rel_to(self, target_rel):
        return os.path.relpath(target_rel, os.path.dirname(self.a.rel) or ".")

    def link(self):
        t = self.rng.choice(self.c.articles)
        r = self.rng.random()
        path = self.rel_to(t.rel)
        if r < 0.5:
            return f"[{self.words(1, 3)}]({path}#{self.rng.choice(t.anchors())})"
        if r < 0.7:
            return f"[{self.words(1, 3)}]({path})"
        if r < 0.8 and not self.include:
            return f"[{self.words(1, 2)}](#{self.rng.choice(self.a.anchors())})"
        if r < 0.9:
            return f"[{self.words(1, 2)}](/{self.loc}/{t.rel[:-3]})"
        return f"[{self.words(1, 2)}](/azure/{self.word().lower()}/overview)"

    def inline(self):
        r = self.rng.random()
        if r < 0.25:
            return self.link()
        if r < 0.35:
            return f"**{self.words(1, 3)}**"
        if r < 0.45:
            return f"*{self.words(1, 2)}*"
        if r < 0.55:
            return f"`{self.word().lower()}-{self.rng.randint(1, 99)}`"
        if r < 0.62:
            return f"~~{self.words(1, 2)}~~"
        if r < 0.67:
            return f"www.{self.word().lower()}.example.com"
        if r < 0.72:
            return f"https://docs.example.com/{self.word().lower()}/{self.rng.randint(1, 999)}"
        if r < 0.75:
            return f"<https://status.example.com/{self.rng.randint(1, 99)}>"
        if r < 0.79 and not self.include:
            self.footnotes += 1
            return f"{self.word()}[^n{self.footnotes}]"
        if r < 0.82:
            return f"<kbd>Ctrl</kbd>+<kbd>{self.rng.choice('ACVXZ')}</kbd>"
        if r < 0.84:
            return f"H<sub>2</sub>O x<sup>{self.rng.randint(2, 9)}</sup>"
        return self.words(1, 4)

    def paragraph(self):
        parts = [self.words(3, 8).capitalize()]
        for _ in range(self.rng.randint(2, 7)):
            parts.append(self.inline())
            parts.append(self.words(2, 6))
        text = " ".join(parts) + "."
        # Wrapped at about 100 columns, as authors do (soft breaks).
        lines, line = [], ""
        for w in text.split(" "):
            if len(line) + len(w) > 100 and line:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        lines.append(line)
        self.out += lines + [""]

    def block(self):
        r = self.rng.random()
        rng = self.rng
        if r < 0.30:
            self.paragraph()
        elif r < 0.40:
            for _ in range(rng.randint(2, 5)):
                self.out.append(f"- {self.words(2, 5)} {self.inline()}")
                if rng.random() < 0.3:
                    self.out.append(f"  - {self.words(2, 4)}")
            self.out.append("")
        elif r < 0.48:
            for k in range(rng.randint(2, 6)):
                self.out.append(f"1. {self.words(2, 6).capitalize()} {self.inline()}.")
            self.out.append("")
        elif r < 0.55:
            for _ in range(rng.randint(2, 5)):
                self.out.append(f"- [{rng.choice(' x')}] {self.words(2, 5)}")
            self.out.append("")
        elif r < 0.63:
            cols = rng.randint(2, 5)
            self.out.append("| " + " | ".join(self.word() for _ in range(cols)) + " |")
            self.out.append("|" + "|".join(rng.choice(["---", ":--", ":-:", "--:"]) for _ in range(cols)) + "|")
            for _ in range(rng.randint(2, 8)):
                self.out.append("| " + " | ".join(self.inline() if rng.random() < 0.3 else self.words(1, 3)
                                                  for _ in range(cols)) + " |")
            self.out.append("")
        elif r < 0.69:
            lang = rng.choice(["powershell", "json", "bash", "csharp"])
            self.out.append(f"```{lang}")
            for _ in range(rng.randint(2, 8)):
                self.out.append(f"{self.word().lower()}.{rng.choice(VERBS_EN)}(\"{self.word()}\", {rng.randint(0, 99)});")
            self.out += ["```", ""]
        elif r < 0.76:
            kind = rng.choice(["NOTE", "TIP", "IMPORTANT", "CAUTION", "WARNING"])
            self.out += [f"> [!{kind}]", f"> {self.words(4, 10).capitalize()} {self.inline()}.", ""]
        elif r < 0.80:
            if self.a.media:
                alt = self.words(2, 4)
                t = rng.random()
                if t < 0.5:
                    self.out += [f':::image type="content" source="{self.rel_to(self.a.media)}" alt-text="{alt}" border="true":::', ""]
                elif t < 0.7:
                    self.out += [f':::image type="icon" source="{self.rel_to(self.a.media)}" border="false":::', ""]
                elif t < 0.85:
                    self.out += [f':::image type="complex" source="{self.rel_to(self.a.media)}" alt-text="{alt}":::',
                                 f"{self.words(5, 12).capitalize()}.", ":::image-end:::", ""]
                else:
                    self.out += [f"![{alt}]({self.rel_to(self.a.media)})", ""]
            else:
                self.paragraph()
        elif r < 0.84:
            self.out += [f':::zone pivot="{rng.choice(["portal", "powershell", "api"])}"', ""]
            self.paragraph()
            self.out += [":::zone-end", ""]
        elif r < 0.86:
            self.out += [":::row:::", ":::column:::", self.words(3, 8), ":::column-end:::",
                         ':::column span="2":::', self.words(3, 8), ":::column-end:::", ":::row-end:::", ""]
        elif r < 0.90:
            name = f"includes/snippet-{rng.randrange(INCLUDES)}.md"
            self.out += [f"[!INCLUDE [{self.word()}]({self.rel_to(name)})]", ""]
        else:
            self.paragraph()

    def write(self):
        rng, a = self.rng, self.a
        title = " ".join(self.word() if self.de and k else w for k, w in enumerate(a.title_words))
        self.out += ["---", f"title: {title}", f"description: {self.words(6, 12)}",
                     f"ms.date: {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/202{rng.randint(0, 4)}",
                     f"ms.topic: {rng.choice(['conceptual', 'how-to', 'reference'])}", "---",
                     f"# {title}", ""]
        self.paragraph()
        if a.i % 4 == 0:
            label, names = ROLES[self.loc]
            who = sorted({names[(a.i + k) % len(names)] for k in range(1 + a.i % 3)})
            self.out += [f"**{label}**: {' | '.join(who)}", ""]
        for words, eid in a.sections:
            text = " ".join(self.word().capitalize() if self.de else w for w in words[:2]) + f" {words[2]}"
            if self.de:  # translations keep the English id
                self.out += [f'## <a name="{eid or slug(words)}"></a>{text}', ""]
            elif eid:
                self.out += [f'## <a name="{eid}"></a>{text}', ""]
            else:
                self.out += [f"## {text}", ""]
            for _ in range(rng.randint(2, 6)):
                self.block()
            if rng.random() < 0.3:
                self.out += [f"### {self.words(2, 4).capitalize()}", ""]
                self.block()
        for k in range(1, self.footnotes + 1):
            self.out.append(f"[^n{k}]: {self.words(3, 8)}.")
        return "\n".join(self.out) + "\n"


def png(rng, size):
    """A PNG signature and IHDR, then filler: a file to copy, not to show."""
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
            + rng.randbytes(size))


def toc(articles):
    by_folder = {}
    for a in articles:
        by_folder.setdefault(os.path.dirname(a.rel), []).append(a)
    lines = ["- name: Home", "  href: index.md"]
    for folder in sorted(by_folder):
        lines += [f"- name: {folder or 'Overview'}", "  items:"]
        for a in sorted(by_folder[folder], key=lambda a: a.rel):
            lines += [f"    - name: {' '.join(a.title_words)}", f"      href: {a.rel}"]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--repo", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    corpus = argparse.Namespace(articles=[Article(i, rng) for i in range(a.articles)])
    out = a.out
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(a.repo, "templates"), os.path.join(out, "templates"))
    os.makedirs(os.path.join(out, "locales"))
    for loc in LOCALES:
        shutil.copy(os.path.join(a.repo, "locales", loc + ".yml"), os.path.join(out, "locales"))
    with open(os.path.join(out, "folio.yml"), "w") as f:
        f.write("title: Bench docs\nbase_url: https://docs.example.test/\n"
                f"locales: [{', '.join(LOCALES)}]\n"
                "external_links:\n  /azure/: https://learn.microsoft.com/{locale}/azure/\n")
    total = 0
    for loc in LOCALES:
        root = os.path.join(out, "content", loc)
        files = {"index.md": f"---\ntitle: Home\ndescription: The {loc} home.\n---\n# Home\n\n"
                             f"Start with [{corpus.articles[0].rel}]({corpus.articles[0].rel}).\n"}
        for k in range(INCLUDES):
            w = Writer(corpus, Article(-1, random.Random(k)), loc, random.Random(a.seed * 1000 + k))
            w.a.rel = f"includes/snippet-{k}.md"
            w.include = True
            w.paragraph()
            files[f"includes/snippet-{k}.md"] = "\n".join(w.out)
        for art in corpus.articles:
            files[art.rel] = Writer(corpus, art, loc, random.Random(f"{a.seed}/{loc}/{art.i}")).write()
        files["toc.yml"] = toc(corpus.articles)
        for rel, text in files.items():
            p = os.path.join(root, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
            total += len(text.encode())
        mrng = random.Random(f"{a.seed}/{loc}/media")
        for art in corpus.articles:
            if art.media:
                p = os.path.join(root, art.media)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "wb") as f:
                    f.write(png(mrng, mrng.randint(2048, 24576)))
    print(f"{len(LOCALES) * a.articles} articles, {total // 1024} KiB of Markdown in {out}")


if __name__ == "__main__":
    main()
