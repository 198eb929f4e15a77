#!/usr/bin/env python3
"""Rendering must stay linear in input size.

For each Learn/DocFX construct (and a few inputs that are quadratic in
naive Markdown parsers), write one article with N copies of it and one with
2N, run `folio check` on each (best of several runs), and print the time
ratio. A ratio near 2 is linear; near 4 would be quadratic.

usage: bench/linearity.py [--folio build/folio] [--n 4000] [--runs 5]
       --runs 0 counts instructions with valgrind instead of timing (the
       columns are then millions of instructions, and the ratio is exact).
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import time

CONSTRUCTS = {
    "alerts": lambda i: f"> [!NOTE]\n> Note number {i} with **bold** text.\n\n",
    "alerts-nospace": lambda i: f">[!TIP]\n>Tip {i}.\n\n",
    "images": lambda i: f':::image type="content" source="media/p.svg" alt-text="Picture {i}" border="true":::\n\n',
    "complex-images": lambda i: f':::image type="complex" source="media/p.svg" alt-text="C {i}":::\nLong text {i}.\n:::image-end:::\n\n',
    "headings": lambda i: f"## <a name=\"id-{i}\"></a>Heading {i}\n\nText.\n\n",
    "slug-headings": lambda i: "## Same heading\n\n",  # -1, -2, ... suffixes
    "links": lambda i: f"See [other](other.md#target) and [here](#id-{i}).\n\n",
    "includes": lambda i: "[!INCLUDE [x](includes/snippet.md)]\n\n",
    "zones": lambda i: f':::zone pivot="p{i % 3}"\nZone {i}.\n:::zone-end\n\n',
    "tables": lambda i: "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
    "raw-html": lambda i: f"Press <kbd>Ctrl</kbd> and <span onclick=\"x()\">{i}</span>.\n\n",
    # One paragraph, one line: every directive in the same text node.
    "inline-images": lambda i: f':::image type="icon" source="media/p.svg"::: :::no-loc text="N{i}"::: ',
    "videos": lambda i: f"> [!VIDEO https://www.youtube.com/embed/v{i}]\n\n",
    "anchor-pairs": lambda i: f'<a name="old-{i}"></a>\n## <a name="new-{i}"></a>Heading {i}\n\n',
    # Inputs that are quadratic in naive Markdown parsers (and in cmark-gfm
    # versions before its 2023 fixes).
    "nested-brackets": lambda i: "[" ,
    "emphasis-runs": lambda i: "*a **b ",
    "backticks": lambda i: "`" * (i % 7 + 1) + " ",
}


def project(root, body):
    os.makedirs(f"{root}/content/en-us/media")
    os.makedirs(f"{root}/content/en-us/includes")
    os.makedirs(f"{root}/locales")
    os.makedirs(f"{root}/templates")
    with open(f"{root}/folio.yml", "w") as f:
        f.write("title: Bench\nlocales: [en-us]\n")
    with open(f"{root}/locales/en-us.yml", "w") as f:
        f.write("name: English\nstrings: {alert_note: Note, alert_tip: Tip, image_description: D}\n")
    for t in ("page", "home", "languages"):
        with open(f"{root}/templates/{t}.html", "w") as f:
            f.write("{{{page.content}}}\n" if t == "page" else "x\n")
    with open(f"{root}/content/en-us/media/p.svg", "w") as f:
        f.write("<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    with open(f"{root}/content/en-us/includes/snippet.md", "w") as f:
        f.write("Included **text**.\n")
    with open(f"{root}/content/en-us/other.md", "w") as f:
        f.write("---\ntitle: O\ndescription: O\n---\n# O\n\n## Target\n")
    with open(f"{root}/content/en-us/a.md", "w") as f:
        f.write("---\ntitle: A\ndescription: A\n---\n# A\n\n" + body + "\n")


def instructions(folio, root):
    """Instructions executed (valgrind's callgrind): repeatable even on a
    busy machine, unlike wall-clock time."""
    out = f"{root}/callgrind.out"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                    folio, "build", "-q", "-j", "1", "-C", root, "-o", f"{root}/out"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError("no callgrind summary")


def best_time(folio, root, runs):
    if runs == 0:
        return instructions(folio, root) / 1e9  # reported as "ms" of Ginstr
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([folio, "build", "-q", "-j", "1", "-C", root, "-o", f"{root}/out"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = time.perf_counter() - t0
        best = t if best is None else min(best, t)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folio", default="build/folio")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    folio = os.path.abspath(a.folio)
    print(f"{'construct':18} {'N':>7} {'bytes':>9} {'t(N) ms':>9} {'t(2N) ms':>9} {'ratio':>6}")
    base = tempfile.mkdtemp()
    try:
        # An empty article: the fixed cost of a run, subtracted from both.
        project(f"{base}/empty", "")
        t0 = best_time(folio, f"{base}/empty", a.runs)
        for name, gen in CONSTRUCTS.items():
            if a.only and name not in a.only.split(","):
                continue
            times = []
            for n in (a.n, 2 * a.n):
                body = "".join(gen(i) for i in range(n))
                root = f"{base}/{name}-{n}"
                project(root, body)
                times.append((len(body), max(best_time(folio, root, a.runs) - t0, 1e-6)))
                shutil.rmtree(root)
            (b1, t1), (_, t2) = times
            print(f"{name:18} {a.n:7} {b1:9} {t1 * 1000:9.2f} {t2 * 1000:9.2f} {t2 / t1:6.2f}")
        print(f"(fixed cost of one run, subtracted: {t0 * 1000:.2f} ms)")
    finally:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
