#!/usr/bin/env python3
"""The layer rule and the module graph, read from the sources.

Every folder of generator/ is a layer. A file may include headers of its
own layer and of the layers its layer depends on (LAYERS below, which must
match the DEPS of CMakeLists.txt; the build enforces it, this test names
the file and line). Modules (name.c + name.h) must form no cycle.
Exit 0 when both hold; otherwise print each problem and exit 1.
"""
import os
import re
import sys

LAYERS = {
    "base": [],
    "source": ["base"],
    "site": ["source", "base"],
    "policy": ["site", "source", "base"],
    "markdown": ["site", "policy", "source", "base"],
    "render": ["site", "source", "base"],
    "output": ["render", "site", "source", "base"],
    "report": ["base"],
    "serve": [],
    "external": [],
    "pipeline": ["markdown", "render", "output", "policy", "site", "source", "base", "external"],
    "cli": ["pipeline", "report", "serve", "external", "markdown", "render", "output", "policy", "site", "source", "base"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../generator")
    where = {}   # header name -> layer
    files = []   # (layer, path)
    for layer in sorted(os.listdir(root)):
        d = os.path.join(root, layer)
        if not os.path.isdir(d):
            continue
        if layer not in LAYERS:
            print(f"{d}: a folder that is not a known layer (add it to LAYERS and CMakeLists.txt)")
            return 1
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                if name in where and name.endswith(".h"):
                    print(f"{layer}/{name}: the header name is also used in {where[name]}/")
                    return 1
                if name.endswith(".h"):
                    where[name] = layer
                files.append((layer, os.path.join(d, name)))
    problems = []
    graph = {}   # module -> set of modules
    for layer, path in files:
        mod = os.path.splitext(os.path.basename(path))[0]
        graph.setdefault(mod, set())
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                h = m.group(1)
                if h not in where:
                    continue  # generated or system-like
                to = where[h]
                if to != layer and to not in LAYERS[layer]:
                    problems.append(f"{os.path.relpath(path, root)}:{n}: includes {to}/{h}, "
                                    f"but {layer} may use only {', '.join(LAYERS[layer]) or 'itself'}")
                dep = os.path.splitext(h)[0]
                if dep != mod:
                    graph[mod].add(dep)
    # Cycles between modules (Tarjan's strongly connected components).
    index, low, stack, on, comps = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    for c in comps:
        problems.append("modules in a cycle: " + " <-> ".join(c))
    for p in problems:
        print(p)
    print(f"{len(files)} files in {len(LAYERS)} layers, {len(graph)} modules: "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
