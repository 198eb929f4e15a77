#!/usr/bin/env python3
"""Generate a folio project for the search index: N articles in en-us with
a varied vocabulary, Zipf-distributed like real text (function words, a
few hundred documentation words, tens of thousands of rarer made-up words),
at the size of real articles (about 7 KB of text each, from 1 to 20 KB),
with headings, lists, tables and code.

Planted for the tests: the word "zephyrine" in one title, one heading, one
description, one text three times and one text once, and "zephyrines" in
one more text (a prefix match); expected.json lists those pages in the
order search must rank them. One article holds text in other scripts
(accents, ß, Greek capitals with a final sigma, Arabic with harakat, CJK),
"</script>", U+2028, and raw HTML with numeric references to a surrogate
and to no character at all.

usage: gen_search_corpus.py OUT_DIR --repo REPO [--articles N] [--seed N]
"""
import argparse
import json
import math
import os
import random
import shutil

FUNCTION = ("the of and to a in is for that you on with as are it this be by or can "
            "your from at an not if have more when which use all each they their will "
            "one has do only other but was so then after before also about into any "
            "must may than these those some such there what who how").split()
DOCS = ("permissions permission permitted perform performance period customer customers "
        "subscription subscriptions reservation reservations role roles admin administrator "
        "portal billing invoice invoices account accounts user users agent agents tenant "
        "partner partners owner owners scope scopes purchase purchases price prices pricing "
        "plan plans cloud service services resource resources group groups policy policies "
        "access accessed sign signed select selected settings setting page pages report "
        "reports activity log logs event events audit audited export exported import "
        "region regions quota quotas limit limits request requests support ticket tickets "
        "offer offers product products catalog license licenses seat seats renew renewal "
        "cancel canceled refund refunds exchange exchanges term terms monthly annual "
        "payment payments currency credit credits discount discounts usage meter meters "
        "deploy deployment deployments network networks storage compute virtual machine "
        "machines database databases backup backups restore key keys secret secrets "
        "certificate certificates domain domains identity identities directory directories "
        "authentication authorization token tokens session sessions consent application "
        "applications api endpoint endpoints request response error errors status state "
        "configure configuration configured enable enabled disable disabled assign "
        "assigned assignment remove removed create created delete deleted update updated "
        "review approve approved reject rejected notify notification notifications email "
        "contact contacts profile organization organizations company agreement agreements "
        "compliance security secure encryption encrypted firewall gateway monitor monitoring "
        "alert alerts dashboard dashboards filter filters column columns table tables export "
        "download downloads upload file files folder folders version versions release").split()
SYLLABLES = ("ka lo mer tin sa vor del ri an to pe la qu is or ban cel dor fi gra hel jun "
             "kir lum mon nel op pra ras sil tor ul vin wex yor zan bre cho dru fen gil hom "
             "ist jor kel lin mar nor ost pil rin sor tes ump val wil xan yel ber cor dun").split()


def pseudo_words(rng, n):
    seen, out = set(FUNCTION) | set(DOCS), []
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if w not in seen and not w.startswith("zeph"):
            seen.add(w)
            out.append(w)
    return out


class Words:
    """Zipf's law over function words, documentation words, made-up words."""

    def __init__(self, rng):
        self.rng = rng
        self.vocab = FUNCTION + DOCS + pseudo_words(rng, 40000)
        cum, total = [], 0.0
        for r in range(len(self.vocab)):
            total += 1.0 / (r + 1) ** 1.05
            cum.append(total)
        self.cum, self.total = cum, total

    def one(self):
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=1)[0]

    def many(self, n):
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=n)

    def content(self):
        """A word that is not a function word (titles, headings)."""
        while True:
            w = self.one()
            if w not in FUNCTION:
                return w

    def sentence(self, lo=8, hi=20):
        ws = self.many(self.rng.randint(lo, hi))
        if self.rng.random() < 0.1:
            ws.insert(self.rng.randrange(len(ws)), str(self.rng.choice((2, 10, 30, 100, 2024, 2025))))
        s = " ".join(ws)
        return s[0].upper() + s[1:] + "."

    def phrase(self, lo, hi):
        s = " ".join(self.content() for _ in range(self.rng.randint(lo, hi)))
        return s[0].upper() + s[1:]


UNICODE_BODY = """\
## Überblick über Straße und Maße

Die Übersicht zeigt Größe, Maße und Straße: Ärger über Öl.

## ΟΔΟΣ ΚΑΙ ΛΟΓΟΣ

Ελληνικά κείμενα: ο λόγος της οδού.

## مرحبا بالعالم

مَرْحَبًا بِالْعَالَمِ، هذا نص عربي.

## 数据库管理

数据库管理系统和カタカナのテキスト、ひらがなもあります。

Never put `</script>` in a script string, nor a line\u2028separator or\u2029paragraph separator.

<p>Raw references: lone &#xD800; surrogate, &#55296; again, &#1114112; past the end, &#0; nul, fine &#233;t&#xE9;.</p>
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--repo", required=True)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    words = Words(rng)
    out, loc = a.out, "en-us"
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "content", loc))
    shutil.copytree(os.path.join(a.repo, "templates"), os.path.join(out, "templates"))
    os.makedirs(os.path.join(out, "locales"))
    shutil.copy(os.path.join(a.repo, "locales", loc + ".yml"), os.path.join(out, "locales"))
    with open(os.path.join(out, "folio.yml"), "w") as f:
        f.write("title: Search corpus\nbase_url: https://search.example.test/\n"
                f"source_locale: {loc}\nlocales: [{loc}]\n")

    # Planted pages: (index, where); "text3" is three times in the text.
    plants = {7: "title", 8: "heading", 9: "description", 10: "text3", 11: "text1", 12: "prefix"}
    titles, toc, expected = {}, [], {}
    for i in range(a.articles):
        rel = f"area-{i // 50:03d}/topic-{i:05d}.md"
        where = plants.get(i)
        title = words.phrase(3, 7)
        if where == "title":
            title += " zephyrine"
        description = words.sentence(12, 24)
        if where == "description":
            description = description[:-1] + " zephyrine."
        lines = [f"# {title}", "", words.sentence(), ""]
        target = max(1000, min(20000, int(rng.lognormvariate(math.log(6000), 0.6))))
        size, section = 0, 0
        while size < target:
            section += 1
            h = words.phrase(2, 6)
            if where == "heading" and section == 2:
                h += " zephyrine"
            level = "###" if section > 1 and rng.random() < 0.3 else "##"
            lines += [f"{level} {h}", ""]
            for _ in range(rng.randint(1, 4)):
                kind = rng.random()
                if kind < 0.15:
                    block = [f"- {words.sentence(4, 10)}" for _ in range(rng.randint(2, 5))]
                elif kind < 0.22:
                    block = ["| Name | Value |", "|---|---|"] + [
                        f"| {words.content()} | {words.sentence(3, 8)} |" for _ in range(rng.randint(2, 4))]
                elif kind < 0.27:
                    block = ["```", f"az {words.content()} --{words.content()} {rng.randint(1, 999)}", "```"]
                else:
                    block = [" ".join(words.sentence() for _ in range(rng.randint(2, 6)))]
                lines += block + [""]
                size += sum(len(b) for b in block)
        if where in ("text3", "text1", "prefix"):
            word = "zephyrines" if where == "prefix" else "zephyrine"
            for k in range(3 if where == "text3" else 1):
                p = len(lines) * (k + 1) // 4
                lines.insert(p, f"A {word} note, {words.sentence(4, 8)}")
                lines.insert(p + 1, "")
        if i == 3:
            lines += UNICODE_BODY.split("\n")
        path = os.path.join(out, "content", loc, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: {json.dumps(title)}\ndescription: {json.dumps(description)}\n"
                    f"ms.date: 03/14/2025\n---\n\n" + "\n".join(lines) + "\n")
        titles[rel] = title
        toc.append(f"- name: {json.dumps(title)}\n  href: {rel}")
        if where:
            expected.setdefault("zephyrine", []).append((rel, where))
    with open(os.path.join(out, "content", loc, "index.md"), "w") as f:
        f.write("---\ntitle: Search corpus\ndescription: Generated articles.\n---\n\n# Search corpus\n\n"
                "Generated articles for the search tests.\n")
    with open(os.path.join(out, "content", loc, "toc.yml"), "w") as f:
        f.write("- name: Home\n  href: index.md\n" + "\n".join(toc) + "\n")
    # Scores as the page script computes them: the title is also the H1
    # (text), a heading is also text; ties go to the title first in order.
    score = {"title": 21, "heading": 9, "description": 4, "text3": 3, "text1": 1, "prefix": 1}
    order = sorted(expected["zephyrine"], key=lambda e: (-score[e[1]], titles[e[0]].encode()))
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"zephyrine": [rel[:-3] + ".html" for rel, _ in order],
                   "unicode": "area-000/topic-00003.html"}, f, indent=1)


if __name__ == "__main__":
    main()
