#!/usr/bin/env python3
"""Kill test: folio build is killed with SIGKILL at random moments, 50 times,
over a previous site. After each kill the output folder must be exactly the
old site or the new one (a SHA-256 of every file's path and bytes), and the
next build that completes must leave no temporary folder of its own behind,
while folders that only look like one (no marker, or a live process) stay.

usage: kill.py FOLIO PROJECT [RUNS]
"""
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

folio, src = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 50
ARGS = ["build", "-q", "--ignore", "orphan-article", "-j", "2"]


def tree_sum(path):
    """SHA-256 over the sorted paths and contents of every file, or None."""
    if not os.path.isdir(path):
        return None
    h = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(root, name)
            h.update(os.path.relpath(p, path).encode() + b"\0")
            with open(p, "rb") as f:
                h.update(f.read())
            h.update(b"\0")
    return h.hexdigest()


def build(project, out):
    r = subprocess.run([folio, *ARGS, "-C", project, "-o", out], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"folio build failed ({r.returncode}):\n{r.stderr}")


with tempfile.TemporaryDirectory() as work:
    # Two versions of a project with 200 more articles, so that a build takes
    # long enough for the kills to land in every phase.
    a, b = os.path.join(work, "a"), os.path.join(work, "b")
    shutil.copytree(src, a)
    os.makedirs(os.path.join(a, "content/en-us/gen"))
    for i in range(200):
        with open(os.path.join(a, f"content/en-us/gen/p{i}.md"), "w") as f:
            f.write(f"---\ntitle: Generated {i}\ndescription: Page {i}.\n---\n# Generated {i}\n\n"
                    "Some text with a [link](../links.md) and *emphasis*.\n\n## Part\n\nMore.\n")
    shutil.copytree(a, b)
    with open(os.path.join(b, "content/en-us/gen/p7.md"), "a") as f:
        f.write("\nA paragraph only version B has.\n")

    t0 = time.monotonic()
    build(a, os.path.join(work, "ref-a"))
    seconds = time.monotonic() - t0
    build(b, os.path.join(work, "ref-b"))
    sums = {"a": tree_sum(os.path.join(work, "ref-a")), "b": tree_sum(os.path.join(work, "ref-b"))}
    assert sums["a"] != sums["b"], "the two versions build the same site"
    print(f"a build takes {seconds * 1000:.0f} ms")
    # Kills land between 0 and 1.3 build times; on a loaded machine the
    # delays stop growing at 0.6 s so that the test stays well under a minute.
    window = min(seconds, 0.6) * 1.3

    out = os.path.join(work, "out")
    build(a, out)
    # Look-alikes that are not ours to remove: no marker; a live process (1).
    os.makedirs(os.path.join(work, ".out.folio-tmp.999999"))
    with open(os.path.join(work, ".out.folio-tmp.999999/notes.txt"), "w") as f:
        f.write("keep\n")
    os.makedirs(os.path.join(work, ".out.folio-old.1"))
    with open(os.path.join(work, ".out.folio-old.1/.folio-site"), "w") as f:
        f.write("site\n")

    rng = random.Random(20240611)
    failures, outcomes, current = 0, {"old": 0, "new": 0, "finished": 0}, sums["a"]
    for n in range(runs):
        version = "b" if n % 2 == 0 else "a"
        delay = rng.random() * window
        p = subprocess.Popen([folio, *ARGS, "-C", a if version == "a" else b, "-o", out],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = p.poll() is not None
        if not finished:
            p.send_signal(signal.SIGKILL)
        p.wait()
        got = tree_sum(out)
        if finished:
            outcomes["finished"] += 1
        if got == current:
            outcomes["old"] += 1
        elif got in sums.values():
            outcomes["new"] += 1
            current = got
        else:
            print(f"FAIL: run {n}, killed after {delay:.3f} s: the output is neither site")
            failures += 1

    build(a, out)
    if tree_sum(out) != sums["a"]:
        print("FAIL: the build after the kills is not site A")
        failures += 1
    left = sorted(n for n in os.listdir(work) if "folio-" in n)
    # The site the last build replaced is kept as the next one's staging
    # folder (.out.folio-prev); the look-alikes stay; nothing else.
    if left != [".out.folio-old.1", ".out.folio-prev", ".out.folio-tmp.999999"]:
        print(f"FAIL: left behind or removed wrongly: {left}")
        failures += 1
    notes = os.path.join(work, ".out.folio-tmp.999999/notes.txt")
    if not os.path.exists(notes) or open(notes).read() != "keep\n":
        print("FAIL: a look-alike was changed")
        failures += 1

print(f"kill test: {runs} runs ({runs - outcomes['finished']} killed, "
      f"{outcomes['finished']} finished first); the output was the previous site "
      f"{outcomes['old']} times and the new one {outcomes['new']} times, never anything else")
sys.exit(1 if failures else 0)
