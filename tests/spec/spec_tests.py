#!/usr/bin/env python3
"""Spec-style examples for folio, run the way cmark-gfm's spec_tests.py runs
test/extensions.txt. tests/spec/README.md says the same with examples.

usage: spec_tests.py --folio FOLIO --locales DIR [-n N] [-k TEXT] [--actual] [--keep] SPEC...

A spec file is prose (Markdown) with examples; a line starting with `#` is a
section heading, shown with failures. An example:

    ```````````````````````````````` example [LOCALE] [whole-file]
    Markdown input (the article body)
    .
    expected HTML (the article body as folio writes it, compared byte for byte)
    .
    file PATH
    the lines of another file the example needs
    .
    diagnostics:
    LINE:COL: SEVERITY: CODE
    .
    rules:
    ID = ID, ID
    ````````````````````````````````

The fences are lines of 32 backticks; the parts are separated by lines holding
a single `.`. The input and the expected HTML are required (the HTML may be
empty); the other sections are optional and may repeat (`file`) in any order:

  file PATH      a file of the example's folder: an include, an image, another
                 article. PATH is relative to the example's article;
                 `LOCALE:PATH` puts it in the same folder of another locale
                 (e.g. the English source of a German example).
  diagnostics:   every diagnostic folio reports for the example, one a line:
                 `LINE:COL: SEVERITY: CODE` in the article (lines count from
                 the first input line), `PATH:LINE:COL: SEVERITY: CODE` in
                 another file. Without this section the example must produce
                 no diagnostic at all (notes included).
  rules:         the rules rules.json has from this article, one a line:
                 `ID = ID, ID` (allowed roles, or the audience of an audience
                 rule); the article's own ids are written `article:ACTION`.
                 Compared only when the section is there.

Fence options: a locale id (`de-de`) writes the article in that locale instead
of en-us (the source locale); `whole-file` takes the input as the whole file,
front matter included (otherwise the driver adds a title and description);
`yaml` takes it as a whole YAML page, page.yml (### YamlMime:FAQ, ...), whose
body folio assembles from its parts.
In the input `→` stands for a tab; in the expected HTML `{folder}` stands for
the example's folder (it shows in links to another locale's page).

How it runs: each example is content/<locale>/ex-NNNN/page.md of one temporary
project per spec file: folio.yml (en-us, plus any locale an example uses;
external_links maps /learn/ to https://learn.example.com/{locale}/), the
repository's locale files from --locales, and templates whose page.html is only
{{{page.content}}}. One `folio build --format json` builds it, and
site/<locale>/ex-NNNN/page.html is the example's body. A failed build writes
no page, so examples that expect an error go into a second project, run with
`folio check`: their expected HTML must be empty.

A failure prints the example's number, file:line and heading, the input, the
expected and actual output (with a diff) and diagnostics. The last line is
`N passed, N failed`; the exit status is 1 if anything failed. `--actual`
prints every example in spec form with folio's actual output (for writing new
examples: check each by eye before pasting it).
"""
import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = "`" * 32
DIAG_RE = re.compile(r"^(?:(?P<path>.+):)?(?P<line>\d+):(?P<col>\d+): "
                     r"(?P<sev>error|warning|info): (?P<code>[a-z0-9-]+)$")
LOCALE_RE = re.compile(r"^[a-z]{2}-[a-z]{2}$")
SOURCE_LOCALE = "en-us"
FRONT_MATTER = "---\ntitle: Example {n}\ndescription: Spec example {n}.\n---\n"
FRONT_LINES = 4
EXTERNAL_LINKS = "external_links:\n  /learn/: https://learn.example.com/{locale}/\n"


class SpecError(Exception):
    pass


class Example:
    def __init__(self, spec, number, line, section, opts):
        self.spec, self.number, self.line, self.section = spec, number, line, section
        self.locale = SOURCE_LOCALE
        self.whole_file = False
        self.yaml = False
        for o in opts:
            if LOCALE_RE.match(o):
                self.locale = o
            elif o == "whole-file":
                self.whole_file = True
            elif o == "yaml":
                self.yaml = self.whole_file = True
            else:
                raise SpecError(f"{spec}:{line}: unknown example option '{o}'")
        self.markdown = ""
        self.html = ""
        self.files = []          # (locale, path, text)
        self.diagnostics = []    # normalized strings
        self.rules = None        # list of strings, or None when not checked

    @property
    def folder(self):
        return f"ex-{self.number:04d}"

    @property
    def page(self):
        """The example's own file: page.md, or page.yml for a YAML page."""
        return "page.yml" if self.yaml else "page.md"

    @property
    def expects_error(self):
        return any(": error: " in d for d in self.diagnostics)

    def where(self, path):
        """Locale and path of a file named in a `file` or diagnostic line."""
        loc, sep, rest = path.partition(":")
        if sep and LOCALE_RE.match(loc):
            return loc, rest
        return self.locale, path


def diag_order(line):
    """Sort diagnostics by file, then line and column as numbers."""
    m = DIAG_RE.match(line)
    if not m:
        return ("", 0, 0, line)
    return (m["path"] or "", int(m["line"]), int(m["col"]), line)


def lines_text(lines):
    return "".join(l + "\n" for l in lines)


def parse_spec(path):
    examples = []
    section = ""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(FENCE + " example"):
            opts = line[len(FENCE) + len(" example"):].split()
            start = i + 1
            ex = Example(os.path.basename(path), len(examples) + 1, start, section, opts)
            parts, cur = [], []
            i += 1
            while i < len(lines) and lines[i] != FENCE:
                if lines[i] == ".":
                    parts.append(cur)
                    cur = []
                else:
                    cur.append(lines[i])
                i += 1
            if i == len(lines):
                raise SpecError(f"{path}:{start}: example is never closed")
            parts.append(cur)
            if len(parts) < 2:
                raise SpecError(f"{path}:{start}: example has no '.' line before its output")
            ex.markdown = lines_text(parts[0]).replace("→", "\t")
            ex.html = lines_text(parts[1]).replace("{folder}", ex.folder)
            for part in parts[2:]:
                head, body = (part[0], part[1:]) if part else ("", [])
                if head.startswith("file "):
                    loc, p = ex.where(head[5:].strip())
                    ex.files.append((loc, p, lines_text(body)))
                elif head == "diagnostics:":
                    for d in body:
                        m = DIAG_RE.match(d)
                        if not m:
                            raise SpecError(f"{path}:{start}: bad diagnostic line '{d}'")
                        ex.diagnostics.append(d)
                elif head == "rules:":
                    ex.rules = list(body)
                else:
                    raise SpecError(f"{path}:{start}: unknown section '{head}' "
                                    "(file PATH, diagnostics:, rules:)")
            if ex.expects_error and ex.html:
                raise SpecError(f"{path}:{start}: an example that expects an error must have "
                                "empty output (a failed build writes no page)")
            examples.append(ex)
        elif line.startswith("#"):
            section = line.lstrip("#").strip()
        i += 1
    return examples


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def make_project(root, examples, locales_dir):
    locales = [SOURCE_LOCALE] + sorted({e.locale for e in examples} - {SOURCE_LOCALE} |
                                       {l for e in examples for l, _, _ in e.files} - {SOURCE_LOCALE})
    write(os.path.join(root, "folio.yml"),
          "title: Spec\nlocales: [%s]\n" % ", ".join(locales) + EXTERNAL_LINKS)
    os.makedirs(os.path.join(root, "locales"))
    for loc in locales:
        shutil.copy(os.path.join(locales_dir, loc + ".yml"), os.path.join(root, "locales"))
    for name in ("page.html", "faq.html", "landing.html", "hub.html"):
        write(os.path.join(root, "templates", name), "{{{page.content}}}")
    write(os.path.join(root, "templates", "home.html"), "home\n")
    write(os.path.join(root, "templates", "languages.html"), "languages\n")
    for e in examples:
        text = e.markdown if e.whole_file else FRONT_MATTER.format(n=e.number) + e.markdown
        write(os.path.join(root, "content", e.locale, e.folder, e.page), text)
        for loc, p, body in e.files:
            full = os.path.normpath(os.path.join(root, "content", loc, e.folder, p))
            if os.path.exists(full):
                raise SpecError(f"{e.spec}:{e.line}: file '{p}' is given twice")
            write(full, body)


def run_folio(folio, root, command):
    r = subprocess.run([folio, command, "-q", "-j", "1", "--format", "json"], cwd=root,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SpecError(f"folio {command} exited {r.returncode}:\n{r.stderr}")
    try:
        return json.loads(r.stdout)["diagnostics"]
    except (ValueError, KeyError) as exc:
        raise SpecError(f"folio {command} printed no JSON report ({exc}):\n{r.stdout}{r.stderr}")


def diag_key(ex_by_folder, d):
    """(example, normalized line) for a diagnostic, or (None, raw line)."""
    parts = d["file"].split("/")
    raw = f'{d["file"]}:{d["line"]}:{d["column"]}: {d["severity"]}: {d["code"]}'
    if len(parts) < 4 or parts[0] != "content" or parts[2] not in ex_by_folder:
        return None, raw
    ex = ex_by_folder[parts[2]]
    loc, rel = parts[1], "/".join(parts[3:])
    line = d["line"]
    if loc == ex.locale and rel == ex.page and not ex.whole_file and line > 0:
        line -= FRONT_LINES
    where = "" if (loc, rel) == (ex.locale, ex.page) else \
        (rel if loc == ex.locale else f"{loc}:{rel}") + ":"
    return ex, f'{where}{line}:{d["column"]}: {d["severity"]}: {d["code"]}'


def rule_lines(rules_json, ex):
    out = []
    page = f"{ex.folder}/{ex.page}"
    for r in rules_json.get("rules", []):
        if r["source"]["article"] != page:
            continue
        rid = r["id"].replace(f"article/{ex.folder}/page:", "article:")
        rid = rid.replace(f"article/{ex.folder}/page#", "article#")
        names = r.get("allow", []) if r.get("kind") != "audience" else r.get("audience", [])
        out.append(f'{rid} = {", ".join(names)}')
    return out


def show(label, text):
    print(f"{label}:")
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def main():
    ap = argparse.ArgumentParser(description="Run folio's spec examples.")
    ap.add_argument("--folio", required=True)
    ap.add_argument("--locales", required=True, help="folder with en-us.yml, de-de.yml, ...")
    ap.add_argument("-n", "--number", type=int, help="run only this example")
    ap.add_argument("-k", "--pattern", help="run only examples whose heading contains this")
    ap.add_argument("--actual", action="store_true",
                    help="print every example with folio's actual output, in spec form")
    ap.add_argument("--keep", action="store_true", help="keep the temporary projects")
    ap.add_argument("specs", nargs="+")
    args = ap.parse_args()
    args.folio = os.path.abspath(args.folio)
    args.locales = os.path.abspath(args.locales)

    passed = failed = 0
    for spec in args.specs:
        try:
            examples = parse_spec(spec)
        except SpecError as exc:
            print(exc)
            failed += 1
            continue
        examples = [e for e in examples
                    if (args.number is None or e.number == args.number) and
                    (args.pattern is None or args.pattern.lower() in e.section.lower())]
        if not examples:
            continue
        tmp = tempfile.mkdtemp(prefix="folio-spec-")
        try:
            p, f = run_spec(args, spec, examples, tmp)
        except SpecError as exc:
            print(f"{spec}: {exc}")
            p, f = 0, len(examples)
        finally:
            if args.keep:
                print(f"kept {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def run_spec(args, spec, examples, tmp):
    groups = {"build": [e for e in examples if not e.expects_error],
              "check": [e for e in examples if e.expects_error]}
    actual_html, actual_diags, actual_rules, stray = {}, {e.number: [] for e in examples}, {}, []
    by_folder = {e.folder: e for e in examples}
    for command, group in groups.items():
        if not group:
            continue
        root = os.path.join(tmp, command)
        make_project(root, group, args.locales)
        diags = run_folio(args.folio, root, command)
        for d in diags:
            ex, line = diag_key(by_folder, d)
            if ex is None or ex not in group:
                stray.append(line)
            else:
                actual_diags[ex.number].append(line)
        if command == "build" and any(d["severity"] == "error" for d in diags):
            print(f"{spec}: folio build failed, so no page was written (see the errors below)")
        rules = {}
        if command == "build" and os.path.exists(os.path.join(root, "site", "rules.json")):
            with open(os.path.join(root, "site", "rules.json"), encoding="utf-8") as f:
                rules = json.load(f)
        for e in group:
            page = os.path.join(root, "site", e.locale, e.folder, "page.html")
            if command == "check":
                actual_html[e.number] = ""
            elif os.path.exists(page):
                with open(page, encoding="utf-8", newline="") as f:
                    actual_html[e.number] = f.read()
            else:
                actual_html[e.number] = None
            actual_rules[e.number] = rule_lines(rules, e)

    passed = failed = 0
    for e in examples:
        html = actual_html[e.number]
        diags = sorted(actual_diags[e.number], key=diag_order)
        rules = actual_rules[e.number]
        if args.actual:
            print_actual(e, html, diags, rules)
        problems = []
        if html is None:
            problems.append("no page was written")
        elif html != e.html:
            problems.append("output differs")
        if diags != sorted(e.diagnostics, key=diag_order):
            problems.append("diagnostics differ")
        if e.rules is not None and sorted(rules) != sorted(e.rules):
            problems.append("rules differ")
        if not problems:
            passed += 1
            continue
        failed += 1
        print(f"FAIL example {e.number} ({spec}:{e.line}) {e.section}: {', '.join(problems)}")
        show("markdown", e.markdown)
        if html != e.html:
            show("expected", e.html)
            show("got", html if html is not None else "(no page)\n")
            sys.stdout.writelines(difflib.unified_diff(
                e.html.splitlines(True), (html or "").splitlines(True), "expected", "got"))
        if diags != sorted(e.diagnostics, key=diag_order):
            show("expected diagnostics", lines_text(sorted(e.diagnostics, key=diag_order)))
            show("got diagnostics", lines_text(diags))
        if e.rules is not None and sorted(rules) != sorted(e.rules):
            show("expected rules", lines_text(sorted(e.rules)))
            show("got rules", lines_text(sorted(rules)))
        print()
    if stray:
        print(f"{spec}: diagnostics that belong to no example:")
        sys.stdout.write(lines_text(stray))
        failed += 1
    return passed, failed


def print_actual(e, html, diags, rules):
    opts = ([e.locale] if e.locale != SOURCE_LOCALE else []) + \
        (["yaml"] if e.yaml else ["whole-file"] if e.whole_file else [])
    print(f"<!-- {e.number} {e.spec}:{e.line} {e.section} -->")
    print(FENCE + " example" + "".join(" " + o for o in opts))
    sys.stdout.write(e.markdown.replace("\t", "→"))
    print(".")
    if html is None and not any(": error: " in d for d in diags):
        html = "(no page)\n"
    sys.stdout.write((html or "").replace(e.folder, "{folder}"))
    for loc, p, body in e.files:
        print(".")
        print("file " + (p if loc == e.locale else f"{loc}:{p}"))
        sys.stdout.write(body)
    if diags:
        print(".\ndiagnostics:")
        sys.stdout.write(lines_text(diags))
    if e.rules is not None or rules:
        print(".\nrules:")
        sys.stdout.write(lines_text(sorted(rules)))
    print(FENCE)
    print()


if __name__ == "__main__":
    sys.exit(main())
