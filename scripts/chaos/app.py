#!/usr/bin/env python3
"""The chaos suite's web app: a tiny well-behaved app for the signal runs, plus hostile routes
(never answer, reset, 500, stall mid-body, runaway script, deeply nested JSON, big bodies) and an
echo route for the secret searches. Run: app.py PORT. Standard library only."""

import json
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>chaos app</title></head><body>
<h1>Chaos app</h1>
<input id="q" placeholder="Query" aria-label="Query">
<button id="go" onclick="go()">Go</button>
<div id="out"></div>
<script>
function go() {
  const q = document.getElementById('q').value;
  fetch('/api/items?q=' + encodeURIComponent(q)).then(r => r.json()).then(j => {
    document.getElementById('out').textContent = 'items:' + j.items.length + ':' + j.items[0].name;
  });
}
</script>
</body></html>"""

SPIN = """<!doctype html><html><head><title>spin</title></head><body><h1>Spin</h1>
<button id="b">B</button></body></html>"""

DEEP = """<!doctype html><html><head><title>deep</title></head><body><h1>Deep</h1><div id="out"></div>
<script>
fetch('/api/deep').then(r => r.text()).then(t => {
  document.getElementById('out').textContent = ['deep', 'loaded'].join('-') + ' ' + t.length;
});
</script></body></html>"""

SECRET_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>secret</title></head><body>
<form method="POST" action="/form">
  <label for="note">Note</label><input id="note" name="note">
  <label for="typed">Typed</label><input id="typed" name="typed">
  <button type="submit" id="send">Send</button>
</form>
<div id="shown"></div>
<script>
document.getElementById('typed').addEventListener('input', e => {
  document.getElementById('shown').textContent = 'you typed ' + e.target.value;
});
</script>
</body></html>"""

BIG_PAGE = """<!doctype html><html><head><title>big</title></head><body><div id="out"></div>
<script>
(async () => {
  let total = 0;
  for (let i = 0; i < %d; i++) { const t = await (await fetch('/big?kb=%d&i=' + i)).text(); total += t.length; }
  document.getElementById('out').textContent = ['big', 'done'].join('-') + ' ' + total;
})();
</script></body></html>"""

DEEP_DEPTH = 20000


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "chaos-app"

    def log_message(self, *args):
        pass

    def send_body(self, body, ctype="text/html; charset=utf-8", status=200, headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        parsed = urllib.parse.urlsplit(self.path)
        data = self.body()
        if parsed.path == "/form":
            fields = urllib.parse.parse_qs(data.decode("utf-8", "replace"))
            self.send_body("<!doctype html><html><body><p>got %d fields</p><div id='done'>form-done</div></body></html>"
                           % len(fields))
            return
        self.echo(parsed, data)

    def echo(self, parsed, data):
        out = {
            "path": urllib.parse.unquote(parsed.path),
            "query": urllib.parse.parse_qs(parsed.query),
            "body": data.decode("utf-8", "replace"),
            "headers": {k: v for k, v in self.headers.items() if k.lower().startswith("x-")},
        }
        self.send_body(json.dumps(out), "application/json")

    def do_GET(self):
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query)
        if path in ("/", "/index.html"):
            self.send_body(PAGE)
        elif path == "/api/items":
            q = (query.get("q") or [""])[0]
            self.send_body(json.dumps({"items": [{"id": 1, "name": "a", "q": q}, {"id": 2, "name": "b"}]}),
                           "application/json")
        elif path == "/api/slow":
            time.sleep(int((query.get("ms") or ["200"])[0]) / 1000.0)
            self.send_body(json.dumps({"ok": True, "at": time.time()}), "application/json")
        elif path == "/hang":
            # read the request, never answer; keep the connection open
            self.close_connection = True
            time.sleep(3600)
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
        elif path == "/first-page":
            self.send_body("<!doctype html><html><body><h1>Oops</h1></body></html>", status=500)
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<!doctype html><html><body><h1>stalling</h1>" + b" " * 2000)
            self.wfile.flush()
            self.close_connection = True
            time.sleep(3600)
        elif path == "/spin.html":
            self.send_body(SPIN)
        elif path == "/deep.html":
            self.send_body(DEEP)
        elif path in ("/deep.json", "/api/deep"):
            self.send_body("[" * DEEP_DEPTH + "]" * DEEP_DEPTH, "application/json")
        elif path == "/secret.html":
            self.send_body(SECRET_PAGE)
        elif path == "/big.html":
            count = int((query.get("n") or ["4"])[0])
            kb = int((query.get("kb") or ["600"])[0])
            self.send_body(BIG_PAGE % (count, kb))
        elif path == "/big":
            kb = int((query.get("kb") or ["600"])[0])
            filler = "x" * (kb * 1024)
            self.send_body(json.dumps({"filler": filler}), "application/json")
        elif path.startswith("/json"):
            # a web app, not DevTools: `--connect` here must say what it got at /json/version
            self.send_body("<!doctype html><html><body><h1>Welcome</h1></body></html>")
        elif path.startswith("/echo"):
            self.echo(parsed, b"")
        else:
            self.send_body("<!doctype html><html><body><h1>404</h1></body></html>", status=404)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    port = int(sys.argv[1])
    server = Server(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("listening on %d" % port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
