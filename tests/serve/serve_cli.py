#!/usr/bin/env python3
"""`folio serve` end to end: copies tests/serve/project (with the repository's
templates and locales) to a temporary folder, starts the server on a free
port, and edits the project while it runs: an article changed, a front
matter broken and fixed, a new locale, an article deleted. Each step waits,
with a deadline and no fixed sleeps, for the server's event naming the page
and for the new bytes; then Ctrl-C must stop it with status 0 and leave no
private build folder behind.

  serve_cli.py FOLIO PROJECT REPO_ROOT
"""
import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

TIME_LIMIT = 50  # seconds, for the whole test (ctest's TIMEOUT is 60)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Server:
    def __init__(self, folio, project, deadline, extra=()):
        self.deadline = deadline
        self.proc = subprocess.Popen(
            [folio, 'serve', '-C', project, '--port', '0', '-j', '2', *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=dict(os.environ, NO_COLOR='1'))
        self.lines = []
        self.line_q = queue.Queue()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.port = None
        while self.port is None:
            line = self.next_line('the "serving" line')
            m = re.match(r'folio: serving http://127\.0\.0\.1:(\d+)/', line)
            if m:
                self.port = int(m.group(1))

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip('\n'))
            self.line_q.put(line.rstrip('\n'))
        self.line_q.put(None)

    def left(self):
        t = self.deadline - time.monotonic()
        if t <= 0:
            raise Failure('out of time; folio said:\n' + '\n'.join(self.lines))
        return t

    def next_line(self, what):
        try:
            line = self.line_q.get(timeout=self.left())
        except queue.Empty:
            line = None
        check(line is not None, f'folio ended before {what}:\n' + '\n'.join(self.lines))
        return line

    def get(self, path):
        """(status, body) of GET path, sent as it is (no normalization)."""
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=self.left())
        c.putrequest('GET', path, skip_accept_encoding=True)
        c.endheaders()
        r = c.getresponse()
        body = r.read().decode('utf-8', 'replace')
        c.close()
        return r.status, body

    def wait_for(self, what, cond):
        """Poll cond() (a request, cheap) until it holds or time runs out."""
        while True:
            v = cond()
            if v:
                return v
            self.left()
            time.sleep(0.02)


class Events:
    """The server's event stream, read on a thread into a queue."""

    def __init__(self, server):
        self.server = server
        self.q = queue.Queue()
        self.conn = http.client.HTTPConnection('127.0.0.1', server.port, timeout=TIME_LIMIT)
        self.conn.request('GET', '/__folio/events')
        r = self.conn.getresponse()
        check(r.status == 200, f'/__folio/events: status {r.status}')
        check(r.getheader('Content-Type', '').startswith('text/event-stream'),
              'the event stream is not text/event-stream')
        threading.Thread(target=self._read, args=(r,), daemon=True).start()

    def _read(self, r):
        kind, data = None, []
        try:
            for raw in r:
                line = raw.decode('utf-8').rstrip('\r\n')
                if line.startswith('event:'):
                    kind = line[6:].strip()
                elif line.startswith('data:'):
                    data.append(line[5:].lstrip(' '))
                elif line == '':
                    if kind and data:
                        self.q.put((kind, json.loads('\n'.join(data))))
                    kind, data = None, []
        except (OSError, ValueError):
            pass
        self.q.put(None)

    def wait(self, what, cond):
        """The first event for which cond(kind, payload) holds."""
        seen = []
        while True:
            try:
                ev = self.q.get(timeout=self.server.left())
            except queue.Empty:
                ev = None
            check(ev is not None, f'no event {what}; got {seen}\nfolio said:\n' +
                  '\n'.join(self.server.lines))
            seen.append(ev)
            if cond(*ev):
                return ev[1]


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


GUIDE = """---
title: Garden guide
description: How to water a small garden.
---
# Garden guide

{line}

## Tools

The [tool list](tools.md) names what you need.
"""


def main():
    folio, project_src, repo = sys.argv[1:4]
    deadline = time.monotonic() + TIME_LIMIT
    tmp = tempfile.mkdtemp(prefix='folio-serve-test-')
    server = None
    try:
        p = os.path.join(tmp, 'p')
        shutil.copytree(project_src, p)
        shutil.copytree(os.path.join(repo, 'templates'), os.path.join(p, 'templates'))
        os.makedirs(os.path.join(p, 'locales'))
        for loc in ('en-us', 'de-de'):
            shutil.copy(os.path.join(repo, 'locales', loc + '.yml'), os.path.join(p, 'locales'))
        guide = os.path.join(p, 'content', 'en-us', 'guide.md')

        server = Server(folio, p, deadline)
        status, body = server.get('/en-us/guide.html')
        check(status == 200, f'/en-us/guide.html: status {status}')
        check('Water the beds early in the morning.' in body, 'guide.html lacks its text')
        check('/__folio/reload.js' in body, 'the live-reload script is not injected')
        # The private build: under .folio/serve, without the reload script.
        builds = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(p, '.folio', 'serve'))
                  for f in fs if f == 'guide.html' and d.endswith('en-us')]
        check(len(builds) == 1, f'the private build is not under .folio/serve: {builds}')
        with open(builds[0], encoding='utf-8') as f:
            check('__folio' not in f.read(), 'the reload script was written into a built file')
        check(not os.path.exists(os.path.join(p, 'site')), 'serve wrote the real output folder')
        run = os.path.dirname(os.path.dirname(os.path.dirname(builds[0])))
        first_build = os.stat(os.path.dirname(os.path.dirname(builds[0]))).st_ino

        # A port in use: a clear message and exit 2, as Hugo does.
        second = subprocess.run([folio, 'serve', '-C', p, '--port', str(server.port)],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=server.left())
        check(second.returncode == 2 and 'in use' in second.stderr and '--port 0' in second.stderr,
              f'second server on the same port: exit {second.returncode}, {second.stderr!r}')

        events = Events(server)
        state = events.wait('state', lambda k, m: k == 'state')
        check(state['ok'] is True and state['diagnostics'] == [], f'first state: {state}')

        # 1. An article edited: its page changes, an unrelated page does not.
        write(guide, GUIDE.format(line='Water the beds late in the evening.'))
        ev = events.wait('naming /en-us/guide.html',
                         lambda k, m: k == 'build' and '/en-us/guide.html' in m['changed'])
        check(ev['ok'] is True, f'edit: {ev}')
        check('*' not in ev['changed'] and '/en-us/tools.html' not in ev['changed'],
              f'edit: pages whose bytes did not change are listed: {ev["changed"]}')
        server.wait_for('the new text', lambda: 'late in the evening' in server.get('/en-us/guide.html')[1])
        # The summary line may come a moment after the event (slower under
        # the sanitizers): wait for it rather than look once.
        check(server.wait_for('the "rebuilt" line', lambda: any(
                  re.match(r'folio: rebuilt in [0-9.]+ s', l) for l in list(server.lines))),
              'no "rebuilt" line on the terminal')

        # 2. A front matter that is not YAML: a diagnostic on the page, which
        # still renders (the problem costs only the front matter).
        write(guide, GUIDE.format(line='Half written').replace('title: Garden guide', 'title: [Garden'))
        ev = events.wait('with the YAML error',
                         lambda k, m: k == 'build' and any(d['file'].endswith('content/en-us/guide.md')
                                                           for d in m['diagnostics']))
        mine = [d for d in ev['diagnostics'] if d['file'].endswith('content/en-us/guide.md')]
        check(ev['ok'] is True, f'a content error must not fail the served build: {ev}')
        check(any(d['page'] == '/en-us/guide.html' and d['severity'] == 'error' and d['code'] == 'yaml-syntax'
                  and d['line'] >= 2 for d in mine), f'the YAML error is not on guide.html: {mine}')
        check('/en-us/guide.html' in ev['changed'], f'the page was not rebuilt: {ev["changed"]}')
        server.wait_for('the page with the error', lambda: 'Half written' in server.get('/en-us/guide.html')[1])
        # The third build was made in the first's folder (the build served
        # before the one being served), its unchanged files (the style
        # sheet; a title changed, so every page did) left as they were:
        # the served build's own (same inode). Two builds are left.
        held = sorted(d for d in os.listdir(run) if not d.startswith('.'))
        check(len(held) == 2, f'builds in the run folder: {held}')
        live = max(held, key=lambda d: int(d[1:]) if d[1:].isdigit() else -1)
        before = min(held, key=lambda d: int(d[1:]) if d[1:].isdigit() else -1)
        check(os.stat(os.path.join(run, live)).st_ino == first_build,
              f'the third build is not in the first one\'s folder: {held}')
        check(os.stat(os.path.join(run, live, 'assets', 'folio.css')).st_ino ==
              os.stat(os.path.join(run, before, 'assets', 'folio.css')).st_ino,
              'an unchanged file is not the served build\'s')
        check(server.wait_for('the YAML error on the terminal', lambda: any(
                  re.search(r'content/en-us/guide\.md:\d+:\d+: error: .*\[yaml-syntax\]', l)
                  for l in list(server.lines))),
              'the terminal does not show the YAML error')

        # 3. Fixed: the page reloads with the new text, the error is gone.
        write(guide, GUIDE.format(line='Water the beds at noon.'))
        ev = events.wait('after the fix',
                         lambda k, m: k == 'build' and '/en-us/guide.html' in m['changed'])
        check(not [d for d in ev['diagnostics'] if d['severity'] == 'error'], f'errors remain: {ev}')
        server.wait_for('the fixed text', lambda: 'at noon' in server.get('/en-us/guide.html')[1])

        # 4. A new locale: its content and locale file, then folio.yml.
        shutil.copytree(os.path.join(p, 'content', 'de-de'), os.path.join(p, 'content', 'fr-fr'))
        shutil.copy(os.path.join(p, 'locales', 'de-de.yml'), os.path.join(p, 'locales', 'fr-fr.yml'))
        events.wait('for the new folders', lambda k, m: k == 'build')
        config = os.path.join(p, 'folio.yml')
        with open(config, encoding='utf-8') as f:
            text = f.read()
        write(config, text.replace('locales: [en-us, de-de]', 'locales: [en-us, de-de, fr-fr]'))
        ev = events.wait('after folio.yml changed', lambda k, m: k == 'build' and '*' in m['changed'])
        check(ev['ok'] is True, f'new locale: {ev}')
        server.wait_for('the new locale', lambda: server.get('/fr-fr/guide.html')[0] == 200)

        # 5. An article deleted: its page is a 404 (the links to it are errors now).
        os.remove(os.path.join(p, 'content', 'en-us', 'tools.md'))
        ev = events.wait('naming /en-us/tools.html',
                         lambda k, m: k == 'build' and '/en-us/tools.html' in m['changed'])
        status, _ = server.get('/en-us/tools.html')
        check(status == 404, f'deleted article: status {status}')
        check(any(d['page'] == '/en-us/guide.html' and d['code'] == 'file-not-found'
                  for d in ev['diagnostics']), 'the link to the deleted article is not reported')

        # 6. Nothing outside the site.
        for path in ('/../folio.yml', '/%2e%2e/folio.yml', '/en-us/..%2f..%2ffolio.yml', '/folio.yml'):
            status, body = server.get(path)
            check(status == 404 and 'locales:' not in body, f'{path}: status {status}')

        # 7. Ctrl-C: exit 0, private folders removed.
        server.proc.send_signal(signal.SIGINT)
        try:
            code = server.proc.wait(timeout=server.left())
        except subprocess.TimeoutExpired:
            raise Failure('folio did not stop on SIGINT')
        check(code == 0, f'exit status {code} after SIGINT')
        # (the build cache, .folio/cache/build, stays for the next run)
        check(not os.path.exists(os.path.join(p, '.folio', 'serve')),
              f'private build folders left: {list(os.walk(os.path.join(p, ".folio", "serve")))}')
        check(not os.path.exists(os.path.join(p, 'site')), 'serve wrote the real output folder')
        entries = os.path.join(p, '.folio', 'cache', 'build', 'packs')
        check(os.path.isdir(entries) and os.listdir(entries), 'serve did not use the build cache')

        # 8. --no-cache: the cache is neither read nor written.
        shutil.rmtree(os.path.join(p, '.folio'))
        server = Server(folio, p, deadline, ['--no-cache'])
        status, body = server.get('/en-us/guide.html')
        check(status == 200 and 'at noon' in body, f'--no-cache: /en-us/guide.html: status {status}')
        server.proc.send_signal(signal.SIGINT)
        server.proc.wait(timeout=server.left())
        check(not os.path.exists(os.path.join(p, '.folio', 'cache', 'build')),
              'serve --no-cache wrote the build cache')
        print('serve: edits, errors, a new locale and a deletion served live; stopped cleanly')
        return 0
    except Failure as e:
        print('FAIL:', e)
        return 1
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
