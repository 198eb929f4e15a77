#!/usr/bin/env python3
"""Runs the external-link checker's test program against local HTTP servers.

usage: run.py TEST_PROGRAM

Starts two HTTP servers on 127.0.0.1 (free ports, so two "hosts" for the
limits), keeps a third port bound but not listening (connections to it are
refused), and runs TEST_PROGRAM PORT PORT2 CLOSED_PORT TMPDIR. The servers
live in this process: they stop when the program ends, fails, hangs (killed
after 50 s) or when this script is interrupted. Nothing leaves the machine.

Routes (see ROUTES below) answer the cases the program asserts. Two routes
are for the program itself and are not counted: /__stats (one line per
method and path: "METHOD PATH COUNT MS_FROM_FIRST_TO_LAST", then "total N"
and "maxconc N") and /__reset.
"""
import email.utils
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

STOP = threading.Event()
LOCK = threading.Lock()
STATE = {}


def reset():
    with LOCK:
        STATE.clear()
        STATE.update(counts={}, first={}, last={}, total=0, conc=0, maxconc=0)


def count(method, path):
    """Records one request; returns how many this method and path have had."""
    with LOCK:
        key = (method, path)
        now = time.monotonic()
        STATE["counts"][key] = STATE["counts"].get(key, 0) + 1
        STATE["first"].setdefault(key, now)
        STATE["last"][key] = now
        STATE["total"] += 1
        return STATE["counts"][key]


def hits(path):
    """Requests to path so far, HEAD and GET together."""
    with LOCK:
        return sum(n for (m, p), n in STATE["counts"].items() if p == path)


def pause(seconds):
    """Sleeps, but ends early when the servers stop."""
    STOP.wait(seconds)


PAGE = b"""<!DOCTYPE html>
<html><head><title>Setup</title>
<script>var s = '<div id="inscript">';</script>
<style>p[id="instyle"] { color: red }</style>
</head><body>
<!-- <p id="hidden">commented out</p> -->
<h2 id="setup">Setup</h2>
<a name="legacy"></a>
<input name="q">
<p id='single'>single quotes</p>
<p id=unquoted>no quotes</p>
<p id="caf&#233;">a character reference</p>
<p data-id="notanid" ID="UPPER">attribute names in any case</p>
</body></html>
"""

LONG_PAGE = b"<!DOCTYPE html><p>" + b"filler " * 40000 + b'</p><p id="late">late</p>'


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "folio-test/1"

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", headers=(), ctype="text/html; charset=utf-8"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, code, location):
        self.reply(code, b"", [("Location", location)])

    def do_HEAD(self):
        self.route()

    def do_GET(self):
        self.route()

    def route(self):
        path = self.path
        if path == "/__stats":
            with LOCK:
                lines = [
                    "%s %s %d %d" % (m, p, n, round((STATE["last"][(m, p)] - STATE["first"][(m, p)]) * 1000))
                    for (m, p), n in sorted(STATE["counts"].items())
                ]
                lines += ["total %d" % STATE["total"], "maxconc %d" % STATE["maxconc"]]
            return self.reply(200, ("\n".join(lines) + "\n").encode(), ctype="text/plain")
        if path == "/__reset":
            reset()
            return self.reply(200, b"reset\n", ctype="text/plain")
        n = count(self.command, path)
        head = self.command == "HEAD"
        if path in ("/ok", "/page-nofrag") or path.startswith("/target/"):
            return self.reply(200, b"<p>ok</p>")
        if path == "/nohead":
            return self.reply(405, b"", [("Allow", "GET")]) if head else self.reply(200, b"<p>ok</p>")
        if path == "/headfail":
            if head:
                self.close_connection = True  # no answer at all
                return None
            return self.reply(200, b"<p>ok</p>")
        if path == "/ua":
            ok = self.headers.get("User-Agent") == "folio/test (+link checker)"
            return self.reply(200 if ok else 400)
        if path == "/moved":
            return self.redirect(301, "/target/moved")
        if path == "/moved308":
            return self.redirect(308, "http://127.0.0.1:%d/target/moved308" % self.server.server_port)
        if path == "/found":
            return self.redirect(302, "/target/found")
        if path == "/perm-then-temp":
            return self.redirect(301, "/perm-then-temp-2")
        if path == "/perm-then-temp-2":
            return self.redirect(302, "/target/ptt")
        if path == "/temp-then-perm":
            return self.redirect(302, "/temp-then-perm-2")
        if path == "/temp-then-perm-2":
            return self.redirect(301, "/target/ttp")
        if path == "/loop":
            return self.redirect(302, "/loop-2")
        if path == "/loop-2":
            return self.redirect(302, "/loop")
        if path.startswith("/chain/"):
            left = int(path[7:])
            return self.reply(200) if left == 0 else self.redirect(302, "/chain/%d" % (left - 1))
        if path == "/ftp-redirect":
            return self.redirect(302, "ftp://ftp.example/file")
        if path == "/missing":
            return self.reply(404, b"<p>not here</p>")
        if path == "/gone":
            return self.reply(410)
        if path == "/flaky":  # 500, then 200
            return self.reply(500) if hits(path) == 1 else self.reply(200)
        if path == "/down":
            return self.reply(503)
        if path == "/busy":
            return self.reply(429, b"", [("Retry-After", "1")]) if hits(path) == 1 else self.reply(200)
        if path == "/busy-date":
            when = email.utils.formatdate(time.time() + 1, usegmt=True)
            return self.reply(429, b"", [("Retry-After", when)]) if hits(path) == 1 else self.reply(200)
        if path == "/busy-bad":
            return self.reply(429, b"", [("Retry-After", "soon, maybe")]) if hits(path) == 1 else self.reply(200)
        if path == "/busy-long":
            return self.reply(429, b"", [("Retry-After", "3600")])
        if path == "/slow":  # answers after 5 s, well past the timeout
            pause(5)
            return self.reply(200)
        if path == "/slowloris":  # one byte of a header every 100 ms
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(50):
                if STOP.is_set():
                    break
                self.wfile.write(b"a")
                self.wfile.flush()
                pause(0.1)
            self.close_connection = True
            return None
        if path == "/bigheaders":  # 100 headers of 1000 bytes
            return self.reply(200, b"", [("X-Big-%d" % i, "b" * 1000) for i in range(100)])
        if path == "/hugeheader":  # one header line of 300 KB
            return self.reply(200, b"", [("X-Huge", "h" * 300000)])
        if path == "/page":
            return self.reply(200, PAGE)
        if path == "/page-long":
            return self.reply(200, LONG_PAGE)
        if path == "/pdf":
            return self.reply(200, b"%PDF-1.4", ctype="application/pdf")
        if path.startswith("/conc/"):
            # In flight from the request until just before the answer: the
            # count drops before the client can see the response, so a new
            # request the client starts then is never counted twice.
            with LOCK:
                STATE["conc"] += 1
                STATE["maxconc"] = max(STATE["maxconc"], STATE["conc"])
            pause(0.3)
            with LOCK:
                STATE["conc"] -= 1
            return self.reply(200)
        return self.reply(404, b"no such route")

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker hung up on purpose (after the headers)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    reset()
    servers = [Server(("127.0.0.1", 0), Handler) for _ in range(2)]
    # Bound but not listening: a connection to this port is refused, and no
    # other program can take the port while the test runs.
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))
    tmp = tempfile.mkdtemp(prefix="folio-external-")
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    # The checker must not go through a proxy the environment names.
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    try:
        args = [sys.argv[1]] + [str(s.server_port) for s in servers]
        args += [str(closed.getsockname()[1]), tmp]
        try:
            return subprocess.run(args, env=env, timeout=50).returncode
        except subprocess.TimeoutExpired:
            print("run.py: the test program ran for more than 50 s", file=sys.stderr)
            return 1
    finally:
        STOP.set()
        for s in servers:
            s.shutdown()
            s.server_close()
        closed.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
