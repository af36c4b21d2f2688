"""Group 6: hostile HTTP and WebSocket input against the replica (`discover replica`). After each
case: is the replica still up and answering GET / within 5 s, and its RSS (peak during the case and
after). A case survives when the replica is up and answering afterwards, its peak RSS stayed under
the bound (CHAOS_REPLICA_RSS_MB, 512 MB), and the case's own check holds (no file outside the data
root touched, no file outside it served, a foreign Host refused, a normal client served while
slow clients hold connections, uploads without a token refused before their body is read)."""

import base64
import json
import os
import select
import socket
import struct
import threading
import time

import lib
from context import env_int

PASSWORD = "chaos-replica-pw"


class Replica:
    def __init__(self, ctx, name, password=None, data=None):
        self.ctx = ctx
        self.name = name
        self.password = password
        self.folder = ctx.run_folder("http", name)
        self.data = data
        self.child = None
        self.port = None
        self.starts = 0
        self.deaths = []
        self._peak = 0
        self._stop = False
        self.monitor = None

    def start(self):
        self.port = lib.free_port()
        args = ["replica", "--port", str(self.port), "--training-seconds", "2"]
        if self.password:
            args += ["--password", self.password]
        if self.data:
            args += ["--data", self.data]
        tag = self.ctx.tag("http", "%s%d" % (self.name, self.starts))
        self.child = self.ctx.spawn(self.folder, args, tag)
        lib.HELPERS.add(self.child.pid)
        self.starts += 1
        if not lib.wait_port(self.port, 20):
            raise RuntimeError("the replica did not start: %s" % self.child.stderr_tail(500))
        self._stop = False
        self.monitor = threading.Thread(target=self._watch, daemon=True)
        self.monitor.start()

    def _watch(self):
        child = self.child
        while not self._stop and child.status is None:
            rss = lib.proc_status_kb(child.pid, "VmRSS") or 0
            self._peak = max(self._peak, rss)
            time.sleep(0.02)

    def reset_peak(self):
        self._peak = lib.proc_status_kb(self.child.pid, "VmRSS") or 0

    @property
    def peak(self):
        return self._peak

    def rss(self):
        return lib.proc_status_kb(self.child.pid, "VmRSS")

    def threads(self):
        return lib.proc_status_kb(self.child.pid, "Threads")

    def alive(self):
        return self.child.status is None and not self.child.poll()

    def stop(self):
        self._stop = True
        if self.child and self.child.status is None:
            self.child.send(2)
            self.child.wait(cap=10)
            if self.child.status is None:
                self.child.kill_session()
                self.child.wait(cap=5)
        if self.child:
            lib.HELPERS.discard(self.child.pid)
            lib.leftover_processes([self.child.tag], settle=0.2)

    def restart_if_dead(self):
        if self.alive():
            return None
        self._stop = True
        self.child.wait(cap=2)
        death = lib.describe_exit(self.child)
        tail = self.child.stderr_tail(600)
        self.deaths.append(death)
        lib.HELPERS.discard(self.child.pid)
        self.start()
        return death, tail


def raw(port, data, timeout=5.0, read=True):
    """Sends bytes, returns (status line or error, response head bytes)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            try:
                s.sendall(data)
            except OSError as error:
                return "send failed: %s" % error.strerror, b""
            if not read:
                return "", b""
            s.settimeout(timeout)
            got = b""
            try:
                while b"\r\n\r\n" not in got and len(got) < 65536:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    got += chunk
            except socket.timeout:
                return "no answer within %.0f s" % timeout, got
            except OSError as error:
                return "connection error: %s" % error.strerror, got
            if not got:
                return "closed without an answer", b""
            return got.split(b"\r\n", 1)[0].decode("latin-1"), got
    except OSError as error:
        return "connect failed: %s" % error.strerror, b""


def request(port, method, path, body=None, headers=None, timeout=5.0, host=None):
    head = "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n" % (method, path, host or "127.0.0.1:%d" % port)
    for k, v in (headers or {}).items():
        head += "%s: %s\r\n" % (k, v)
    payload = b""
    if body is not None:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(payload)
    data = head.encode() + b"\r\n" + payload
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(data)
            s.settimeout(timeout)
            chunks = []
            while True:
                c = s.recv(1 << 16)
                if not c:
                    break
                chunks.append(c)
            resp = b"".join(chunks)
    except OSError as error:
        return None, b"", str(error)
    head, _, rest = resp.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ")[1])
    except (IndexError, ValueError):
        return None, resp, "unparsable answer"
    if b"transfer-encoding: chunked" in head.lower():
        rest = dechunk(rest)
    return status, rest, None


def dechunk(data):
    out = b""
    while data:
        line, _, data = data.partition(b"\r\n")
        try:
            n = int(line.split(b";")[0], 16)
        except ValueError:
            break
        if n == 0:
            break
        out += data[:n]
        data = data[n + 2:]
    return out


def health(port):
    started = lib.now()
    status, _, error = request(port, "GET", "/", timeout=5.0)
    return status, lib.now() - started, error


def auth(password):
    return {"Authorization": "Bearer %s" % password}


# ------------------------------------------------------------------ cases

def chunked(port, password, chunk_text):
    head = ("POST /api/settings HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" % (port, password)).encode()
    status, _ = raw(port, head + chunk_text)
    return {"answer": status}, None


def case_chunk_minus_one(ctx, rep):
    return chunked(rep.port, rep.password, b"-1\r\nabc\r\n0\r\n\r\n")


def case_chunk_line_70k(ctx, rep):
    return chunked(rep.port, rep.password, b"5;" + b"x" * 70000 + b"\r\nhello\r\n0\r\n\r\n")


def case_trailer_70k(ctx, rep):
    return chunked(rep.port, rep.password, b"2\r\n{}\r\n0\r\nX-Trailer: " + b"a" * 70000 + b"\r\n\r\n")


def case_many_chunks(ctx, rep):
    # 20,000 one-byte chunks: > 64 KiB of chunk-size lines in one body
    return chunked(rep.port, rep.password, b"1\r\n \r\n" * 20000 + b"0\r\n\r\n")


def case_chunk_overflow(ctx, rep):
    return chunked(rep.port, rep.password, b"FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n")


def case_many_trailers(ctx, rep):
    return chunked(rep.port, rep.password, b"2\r\n{}\r\n0\r\n" + b"X-T: 1\r\n" * 20000 + b"\r\n")


def content_length(value):
    def case(ctx, rep):
        head = ("POST /api/settings HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\n%s\r\n{}" % (rep.port, rep.password, value)).encode()
        status, _ = raw(rep.port, head)
        return {"answer": status}, None
    return case


def case_header_70k(ctx, rep):
    status, _ = raw(rep.port, ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: %s\r\n\r\n" % ("b" * 70000)).encode())
    return {"answer": status}, None


def case_many_headers(ctx, rep):
    status, _ = raw(rep.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-H: 1\r\n" * 10000 + b"\r\n")
    return {"answer": status}, None


def case_binary_request_line(ctx, rep):
    status, _ = raw(rep.port, b"\x00\xff\xfe GET /\xc0\x80/%00%ff HTTP/9.9\r\nHost: \x00\r\n\r\n")
    return {"answer": status}, None


def case_slowloris(ctx, rep):
    count = ctx.slowloris
    socks = []
    failed = 0
    for i in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", rep.port), timeout=2)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            socks.append(s)
        except OSError:
            failed += 1
    time.sleep(1.0)
    for s in socks:  # one more byte each: still "sending"
        try:
            s.sendall(b"a")
        except OSError:
            pass
    threads = rep.threads()
    status, secs, error = health(rep.port)
    held = 0
    for s in socks:
        try:
            s.setblocking(False)
            r, _, _ = select.select([s], [], [], 0)
            if r and not s.recv(1, socket.MSG_PEEK):
                continue
            held += 1
        except OSError:
            continue
    for s in socks:
        try:
            s.close()
        except OSError:
            pass
    ok = status is not None and 200 <= status < 400 and secs <= 5.0
    figures = {"slow_connections": len(socks), "connect_failed": failed, "still_held": held,
               "normal_request_status": status, "normal_request_secs": round(secs, 2), "replica_threads": threads}
    check = None if ok else "a normal GET / during %d slow connections: %s after %.1f s" % (
        len(socks), status or error, secs)
    return figures, check


def case_uploads(ctx, rep):
    size = ctx.upload_mb << 20
    results = [None] * 6

    def one(i):
        sent = 0
        status = None
        try:
            s = socket.create_connection(("127.0.0.1", rep.port), timeout=10)
            s.sendall(("POST /api/datasets/upload HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                       "Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: %d\r\n\r\n"
                       % (rep.port, size)).encode())
            block = b"\0" * (1 << 20)
            s.setblocking(False)
            deadline = lib.now() + 60
            answer = b""
            while sent < size and lib.now() < deadline:
                r, w, _ = select.select([s], [s], [], 1.0)
                if r:
                    try:
                        data = s.recv(4096)
                    except OSError:
                        data = b""
                    answer += data
                    break
                if w:
                    try:
                        sent += s.send(block[:min(len(block), size - sent)])
                    except BlockingIOError:
                        pass
                    except OSError:
                        break
            if not answer:
                s.setblocking(True)
                s.settimeout(20)
                try:
                    answer = s.recv(4096)
                except OSError:
                    answer = b""
            s.close()
            try:
                status = int(answer.split(b" ")[1])
            except (IndexError, ValueError):
                status = None
        except OSError:
            pass
        results[i] = (status, sent)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = [r[0] for r in results]
    sent_mb = [round(r[1] / 1048576.0, 1) for r in results]
    figures = {"claimed_mb_each": ctx.upload_mb, "statuses": statuses, "sent_mb_before_answer": sent_mb}
    problems = []
    if any(s not in (401, 403, 413) for s in statuses):
        problems.append("answers %s (expected 401 without a token)" % statuses)
    if max(sent_mb) > 8:
        problems.append("read up to %.0f MB of an unauthenticated body before answering" % max(sent_mb))
    return figures, "; ".join(problems) or None


def case_job_traversal(ctx, rep):
    # data root: <root>/a/b/c/data; trainingFolder = data/output; "../../../../x" -> <root>/a/x
    victim = os.path.normpath(os.path.join(rep.data, "output", "../../../../x"))
    lib.mkdir(victim)
    with open(os.path.join(victim, "canary.txt"), "w") as f:
        f.write("keep me")
    with open(os.path.join(victim, "log.txt"), "w") as f:
        f.write("CANARY-LOG-OUTSIDE-DATA-ROOT\n")
    before = set(os.listdir(victim))
    h = auth(rep.password)
    status, body, error = request(rep.port, "POST", "/api/jobs", {"name": "../../../../x", "gpu_ids": "0",
                                                                  "job_config": {"config": {"name": "x"}}}, h)
    figures = {"victim": victim, "create_status": status}
    problems = []
    job_id = None
    try:
        job_id = json.loads(body).get("id")
    except (ValueError, AttributeError):
        pass
    if job_id:
        s, log_body, _ = request(rep.port, "GET", "/api/jobs/%s/log" % job_id, headers=h)
        figures["log_status"] = s
        if b"CANARY-LOG" in log_body:
            problems.append("GET /api/jobs/<id>/log served %s/log.txt (outside the data root)" % victim)
        request(rep.port, "GET", "/api/jobs/%s/start" % job_id, headers=h)
        request(rep.port, "GET", "/api/queue/0/start", headers=h)
        time.sleep(2.5)
        now_files = set(os.listdir(victim)) if os.path.isdir(victim) else set()
        written = sorted(now_files - before)
        figures["trainer_wrote_outside"] = written
        if written:
            problems.append("the trainer wrote %s into %s" % (", ".join(written[:5]), victim))
        request(rep.port, "GET", "/api/jobs/%s/stop" % job_id, headers=h)
        s, _, _ = request(rep.port, "GET", "/api/jobs/%s/delete" % job_id, headers=h)
        figures["delete_status"] = s
    if not os.path.exists(os.path.join(victim, "canary.txt")):
        problems.append("deleting the job removed %s (outside the data root)" % victim)
    return figures, "; ".join(problems) or None


def case_file_traversal(ctx, rep):
    leaks = []
    answers = {}
    for path in ["/api/files/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "/api/img/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/api/files//etc/passwd", "/api/img/" + "..%2f" * 30 + "etc%2fpasswd",
                 "/api/files/%252e%252e%252fetc%252fpasswd"]:
        status, body, _ = request(rep.port, "GET", path)
        answers[path] = status
        if b"root:" in body:
            leaks.append(path)
    victim = os.path.join(os.path.dirname(rep.data), "victim-file.png")
    with open(victim, "wb") as f:
        f.write(b"keep")
    for route, key in (("/api/img/delete", "imgPath"), ("/api/files/delete", "filePath"), ("/api/files/delete", "path")):
        status, _, _ = request(rep.port, "POST", route, {key: victim})
        answers["POST %s %s" % (route, key)] = status
    problems = []
    if leaks:
        problems.append("served /etc/passwd for %s" % ", ".join(leaks))
    if not os.path.exists(victim):
        problems.append("an unauthenticated delete removed %s (outside the data root)" % victim)
    return {"answers": answers}, "; ".join(problems) or None


def case_foreign_host(ctx, rep_open):
    status, _, error = request(rep_open.port, "GET", "/api/jobs", host="evil.example")
    control, _, _ = request(rep_open.port, "GET", "/api/jobs")
    figures = {"foreign_host_status": status, "loopback_host_status": control}
    check = None
    if status is None or 200 <= status < 300:
        check = "password-less replica answered %s to Host: evil.example (DNS rebinding)" % (status or error)
    return figures, check


def ws_connect(port):
    key = base64.b64encode(os.urandom(16)).decode()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(("GET /_next/webpack-hmr HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (port, key)).encode())
    got = b""
    while b"\r\n\r\n" not in got:
        c = s.recv(4096)
        if not c:
            break
        got += c
    return s, got.split(b"\r\n", 1)[0].decode("latin-1")


def ws_case(frame_bytes, stream_mb=0):
    def case(ctx, rep):
        try:
            s, status = ws_connect(rep.port)
        except OSError as error:
            return {"handshake": str(error)}, None
        sent = 0
        try:
            s.sendall(frame_bytes)
            block = b"\0" * (1 << 20)
            s.settimeout(5)
            while sent < stream_mb << 20:
                s.sendall(block)
                sent += len(block)
        except OSError:
            pass
        time.sleep(0.3)
        s.close()
        return {"handshake": status, "streamed_mb": sent >> 20}, None
    return case


def ws_header(length, opcode=0x2, fin=True, masked=True):
    b0 = (0x80 if fin else 0) | opcode
    if length < 126:
        head = struct.pack("!BB", b0, (0x80 if masked else 0) | length)
    elif length < 65536:
        head = struct.pack("!BBH", b0, (0x80 if masked else 0) | 126, length)
    else:
        head = struct.pack("!BBQ", b0, (0x80 if masked else 0) | 127, length)
    return head + (b"\x01\x02\x03\x04" if masked else b"")


def run(ctx):
    group = lib.Group("http", "Hostile HTTP and WebSocket input to the replica")
    bound_mb = env_int("CHAOS_REPLICA_RSS_MB", 512)
    root = ctx.run_folder("http", "dataroot")
    data = lib.mkdir(os.path.join(root, "a", "b", "c", "data"))
    rep = Replica(ctx, "main", password=PASSWORD, data=data)
    rep_open = Replica(ctx, "open")
    try:
        rep.start()
        rep_open.start()
        base_rss = rep.rss()
        lib.log("  replica (password) on %d, RSS %s; password-less replica on %d; RSS bound %d MB"
                % (rep.port, lib.fmt_kb(base_rss), rep_open.port, bound_mb))
        cases = [
            ("chunk size -1", case_chunk_minus_one, rep),
            ("70 KB chunk-size line", case_chunk_line_70k, rep),
            ("70 KB trailer", case_trailer_70k, rep),
            ("20,000 trailer lines", case_many_trailers, rep),
            ("20,000 one-byte chunks", case_many_chunks, rep),
            ("chunk size 2^80", case_chunk_overflow, rep),
            ("Content-Length: -1", content_length("Content-Length: -1\r\n"), rep),
            ("Content-Length: 10^23", content_length("Content-Length: 99999999999999999999999\r\n"), rep),
            ("two Content-Lengths", content_length("Content-Length: 2\r\nContent-Length: 900\r\n"), rep),
            ("70 KB header line", case_header_70k, rep),
            ("10,000 headers", case_many_headers, rep),
            ("binary request line", case_binary_request_line, rep),
            ("%d slowloris connections" % ctx.slowloris, case_slowloris, rep),
            ("6 unauthenticated %d MB uploads" % ctx.upload_mb, case_uploads, rep),
            ("job named ../../../../x", case_job_traversal, rep),
            ("file routes: ../ and deletes", case_file_traversal, rep),
            ("foreign Host header", case_foreign_host, rep_open),
            ("WS frame length 2^63-1", ws_case(ws_header(0x7FFFFFFFFFFFFFFF)), rep_open),
            ("WS 126-byte ping, fragmented close", ws_case(ws_header(126, opcode=0x9) + b"p" * 126
                                                           + ws_header(2, opcode=0x8, fin=False) + b"\x03\xe8"), rep_open),
            ("WS unmasked 1 GB frame header", ws_case(ws_header(1 << 30, masked=False)), rep_open),
            ("WS %d MB frame streamed" % ctx.upload_mb, ws_case(ws_header((ctx.upload_mb << 20) - 1),
                                                                stream_mb=ctx.upload_mb), rep_open),
        ]
        max_rss = 0
        down = 0
        checks_failed = 0
        for name, fn, target in cases:
            target.reset_peak()
            started = lib.now()
            try:
                figures, check = fn(ctx, target)
            except Exception as error:  # noqa: BLE001 - the case's client failed: say so
                figures, check = {"client_error": repr(error)}, None
            secs = lib.now() - started
            time.sleep(0.3)
            alive = target.alive()
            status, hsecs, herr = health(target.port) if alive else (None, 0, "process gone")
            peak = target.peak
            after = target.rss() if alive else None
            max_rss = max(max_rss, peak)
            problems = []
            death = None
            if not alive:
                death = target.restart_if_dead()
                problems.append("the replica died: %s" % (death[0] if death else "?"))
                down += 1
            elif status is None or not 200 <= status < 400:
                problems.append("GET / answered %s after %.1f s" % (status or herr, hsecs))
                down += 1
            if peak > bound_mb * 1024:
                problems.append("peak RSS %s over the %d MB bound" % (lib.fmt_kb(peak), bound_mb))
            if check:
                problems.append(check)
                checks_failed += 1
            detail = "%s; replica %s, GET / %s in %.2f s; RSS peak %s, after %s" % (
                json.dumps(figures)[:160], "up" if alive else "DIED (%s)" % (death[0] if death else "?"),
                status, hsecs, lib.fmt_kb(peak), lib.fmt_kb(after))
            repro = "discover replica --port %d%s & then: %s" % (target.port, " --password " + target.password
                                                                if target.password else "", name)
            group.case(name, not problems, detail, repro=repro,
                       data={"reasons": problems, "figures": figures, "peak_rss_kb": peak, "rss_after_kb": after,
                             "replica_up": alive, "secs": round(secs, 2),
                             "death_stderr": death[1][-600:] if death else None})
            for p in problems:
                lib.log("         - %s" % p)
            if death and death[1]:
                first = [l for l in death[1].splitlines() if "Fatal error" in l or "crashed" in l][:2]
                for l in first:
                    lib.log("           %s" % l.strip()[:200])
        group.figures.update({"replica_down": down, "max_rss_kb": max_rss, "rss_bound_mb": bound_mb,
                              "checks_failed": checks_failed, "deaths": rep.deaths + rep_open.deaths,
                              "baseline_rss_kb": base_rss})
        lib.log("  replica up after %d / %d cases; died %d times; max RSS %s (bound %d MB)"
                % (group.tried - down, group.tried, len(rep.deaths) + len(rep_open.deaths), lib.fmt_kb(max_rss),
                   bound_mb))
    finally:
        rep.stop()
        rep_open.stop()
    return group
