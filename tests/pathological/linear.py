#!/usr/bin/env python3
"""Hostile inputs must cost time linear in their size.

Each case writes a project whose hostile part is repeated N, 2N, 4N and 8N
times, runs folio on it under valgrind (callgrind counts instructions, so
the figures do not depend on how busy the machine is) and compares the
growth: for linear work, (I(8N) - I(N)) / (I(2N) - I(N)) is 7; for
quadratic work it is 21. A case fails above 9.5.

usage: linear.py FOLIO [CASE ...]      (prints one line per case)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

LIMIT = 9.5


def base_project(root, locales=("en-us",)):
    os.makedirs(f"{root}/locales")
    os.makedirs(f"{root}/templates")
    for loc in locales:
        os.makedirs(f"{root}/content/{loc}/includes", exist_ok=True)
        with open(f"{root}/locales/{loc}.yml", "w") as f:
            f.write(f"name: {loc}\nlang: {loc}\n")
    with open(f"{root}/folio.yml", "w") as f:
        f.write("title: T\nlocales: [%s]\n" % ", ".join(locales))
    for t in ("page", "home", "languages"):
        with open(f"{root}/templates/{t}.html", "w") as f:
            f.write("{{{page.content}}}\n" if t == "page" else "x\n")


def article(path, body, title="A"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"---\ntitle: {title}\ndescription: D\n---\n{body}\n")


# Each case: (name, writer(root, n), folio arguments, n)
def hint_quadratic(root, n):
    base_project(root)
    heads = "".join(f"## Section about the billing account number {i:05d}\n\n" for i in range(n))
    links = "".join(f"[x](#section-about-the-billing-account-numbr-{i:05d}x)\n\n" for i in range(n))
    article(f"{root}/content/en-us/a.md", heads + links)


def html_tags(root, n):
    base_project(root)
    article(f"{root}/content/en-us/a.md", "<div>\n" + "<b>x</b>" * n + "\n</div>\n")


def unclosed_include(root, n):
    base_project(root)
    article(f"{root}/content/en-us/a.md", "[!INCLUDE [x" * n + "\n")


def nested_images(root, n):
    base_project(root)
    article(f"{root}/content/en-us/a.md", "![" * n + "x" + "](p.png)" * n + "\n")


def many_diagnostics(root, n):
    base_project(root)
    article(f"{root}/content/en-us/a.md", "".join(f"[x](missing-{i}.md)\n\n" for i in range(n)))


def long_toc(root, n):
    base_project(root)
    with open(f"{root}/content/en-us/toc.yml", "w") as f:
        for i in range(n):
            f.write(f"- name: Page {i}\n  href: p{i % 50}.md\n")
    for i in range(50):
        article(f"{root}/content/en-us/p{i}.md", "Text.")


def fallback_links(root, n):
    base_project(root, ("en-us", "de-de"))
    article(f"{root}/content/en-us/a.md", "".join(f"[x](b.md#s) " for i in range(n)))
    article(f"{root}/content/en-us/b.md", "## S\n")
    article(f"{root}/content/de-de/b.md", "## S\n")


def include_links(root, n):
    base_project(root)
    for i in range(n):
        with open(f"{root}/content/en-us/includes/i{i}.md", "w") as f:
            f.write("[x](../a.md)\n")
    article(f"{root}/content/en-us/a.md",
            "".join(f"[!INCLUDE [x](includes/i{i}.md)]\n\n" for i in range(n)))


def wide_table(root, n):
    base_project(root)
    article(f"{root}/content/en-us/a.md",
            "|" + "a|" * n + "\n|" + "-|" * n + "\n|" + "1|" * n + "\n")


def zone_pivots(root, n):
    # Zones side by side with a pivot each, and zones nested in zones: one
    # group each, and one selector per group.
    base_project(root)
    flat = "".join(f":::zone pivot=\"p{i}\"\nText {i}.\n:::zone-end\n\n" for i in range(n))
    nested = ":::zone pivot=\"a\"\n" * n + "Deep.\n" + ":::zone-end\n" * n
    article(f"{root}/content/en-us/a.md", flat + nested)


def code_blocks(root, n):
    # Every tokenizer on long code with unterminated strings and comments.
    base_project(root)
    line = "x = \"a<b\" + 'c' # d /* e -- f <!-- g\n"
    body = "".join(f"```{lang}\n" + line * n + "\"open /* <!-- '\n```\n\n"
                   for lang in ("json", "yaml", "xml", "bash", "powershell", "sql", "csharp",
                                "python", "javascript"))
    article(f"{root}/content/en-us/a.md", body)


CASES = {
    "anchor-hints": (hint_quadratic, ["check", "-q"], 150),
    "html-block-tags": (html_tags, ["check", "-q"], 3000),
    "unclosed-include": (unclosed_include, ["check", "-q"], 2000),
    "nested-images": (nested_images, ["check", "-q"], 300),
    "sarif-report": (many_diagnostics, ["check", "-q", "--format", "sarif"], 400),
    "toc-entries": (long_toc, ["check", "-q"], 500),
    "fallback-links": (fallback_links, ["build", "-q"], 500),
    "include-links": (include_links, ["check", "-q"], 150),
    "table-columns": (wide_table, ["check", "-q"], 300),
    "zone-pivots": (zone_pivots, ["check", "-q"], 200),
    "code-blocks": (code_blocks, ["check", "-q"], 300),
}


def instructions(folio, root, args):
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", folio, *args,
         "-C", root, "-j", "1"],
        capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if not m:
        sys.exit(f"valgrind gave no count for {root}:\n{out.stderr[-2000:]}")
    return int(m.group(1))


def main():
    folio = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or list(CASES)
    failed = 0
    for name in names:
        writer, args, n = CASES[name]
        counts = []
        for k in (1, 2, 8):
            root = tempfile.mkdtemp(prefix="folio-linear-")
            try:
                writer(root, n * k)
                counts.append(instructions(folio, root, args))
            finally:
                shutil.rmtree(root, ignore_errors=True)
        growth = (counts[2] - counts[0]) / max(1, counts[1] - counts[0])
        ok = growth <= LIMIT
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {counts[0]/1e6:.1f} / {counts[1]/1e6:.1f} / "
              f"{counts[2]/1e6:.1f} M instructions at N/2N/8N, growth {growth:.1f} (linear 7, quadratic 21)")
    print(f"{len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
