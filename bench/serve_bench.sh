#!/bin/sh
# Time `folio serve` from saving one article to the browsers' event naming
# its page: the watcher's quiet period, the rebuild, the comparison of the
# two builds and the notice. Copies the bundled site (or, with N, a
# generated corpus of N articles per locale) to a temporary folder, starts
# the server on a free port, listens to /__folio/events and saves
# content/en-us/user-roles.md RUNS times (a new line each time). Figures go
# to stdout; nothing is asserted.
# usage: bench/serve_bench.sh [FOLIO] [RUNS] [JOBS] [N]
set -eu
cd "$(dirname "$0")/.."
folio=${1:-build/folio} runs=${2:-20} jobs=${3:-$(nproc)} n=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$n" ]; then
  python3 tests/check/gen_corpus.py "$work/p" --repo . --clean --seed 42 --articles "$n" >/dev/null
  article=$(cd "$work/p" && find content/en-us -name '*.md' -not -path '*/includes/*' | sort | head -1)
else
  mkdir -p "$work/p"
  cp -R content locales templates folio.yml "$work/p/"
  article=content/en-us/user-roles.md
fi
python3 - "$folio" "$work/p" "$article" "$runs" "$jobs" <<'PY'
import http.client, json, os, re, statistics, subprocess, sys, threading, time, queue
folio, project, article, runs, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
page = '/' + re.sub(r'\.md$', '.html', article.split('/', 1)[1])
proc = subprocess.Popen([folio, 'serve', '-q', '-C', project, '--port', '0', '-j', jobs],
                        stderr=subprocess.PIPE, text=True)
port = None
for line in proc.stderr:
    m = re.match(r'folio: serving http://127\.0\.0\.1:(\d+)/', line)
    if m:
        port = int(m.group(1))
        break
threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
events = queue.Queue()
def listen():
    c = http.client.HTTPConnection('127.0.0.1', port)
    c.request('GET', '/__folio/events')
    kind = None
    for raw in c.getresponse():
        line = raw.decode().rstrip('\r\n')
        if line.startswith('event:'):
            kind = line[6:].strip()
        elif line.startswith('data:') and kind == 'build':
            events.put((time.monotonic(), json.loads(line[5:])))
threading.Thread(target=listen, daemon=True).start()
time.sleep(0.5)  # the stream is open before the first save (untimed)
path = os.path.join(project, article)
times = []
for i in range(runs):
    with open(path, 'a', encoding='utf-8') as f:
        t0 = time.monotonic()
        f.write(f'\nEdit number {i}.\n')
    while True:
        t1, m = events.get(timeout=60)
        if page in m['changed']:
            break
    times.append((t1 - t0) * 1000)
    time.sleep(0.2)  # let the editor "pause" between saves (untimed)
proc.send_signal(2)
proc.wait(timeout=30)
arts = sum(1 for d, _, fs in os.walk(os.path.join(project, 'content')) for f in fs
           if f.endswith('.md') and '/includes' not in d)
print(f'project: {arts} articles; saved {article} {runs} times; {jobs} threads')
print(f'save -> event naming {page}: median {statistics.median(times):.0f} ms, '
      f'min {min(times):.0f} ms, max {max(times):.0f} ms '
      f'(includes the watcher\'s 75 ms quiet period)')
PY
