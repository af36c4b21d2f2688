"""Shared machinery of the chaos suite: spawning the binary under watch, finding what a run left
behind, checking its outputs, and recording results. Python 3 standard library only."""

import base64
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

SUITE_ID = "chaos%d" % os.getpid()
TAG_VAR = "DISCOVER_CHAOS_TAG"
SIGNAL_NAMES = {int(s): s.name for s in signal.Signals}


def log(message=""):
    print(message, flush=True)


def now():
    return time.monotonic()


def fmt_secs(seconds):
    return "-" if seconds is None else "%.1f s" % seconds


def fmt_kb(kb):
    if kb is None:
        return "-"
    if kb >= 1024 * 1024:
        return "%.2f GB" % (kb / 1024.0 / 1024.0)
    if kb >= 1024:
        return "%.0f MB" % (kb / 1024.0)
    return "%d KB" % kb


def fmt_bytes(n):
    return fmt_kb(None if n is None else n / 1024.0) if n is None or n >= 1024 else "%d B" % n


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15.0):
    deadline = now() + timeout
    while now() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def mkdir(path):
    os.makedirs(path, exist_ok=True)
    return path


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def snapshot_tree(root):
    """{relative path: sha256} of every regular file under root."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            if os.path.isfile(full) and not os.path.islink(full):
                out[os.path.relpath(full, root)] = sha256_file(full)
    return out


def compare_previous(before, after):
    """What became of a previous run's files: kept in place, relocated (the same bytes under another
    path of the folder, e.g. a backup subfolder), or lost. Returns (kept, relocated, lost)."""
    by_hash = {}
    for path, digest in after.items():
        by_hash.setdefault(digest, []).append(path)
    kept, relocated, lost = [], [], []
    for path, digest in sorted(before.items()):
        if after.get(path) == digest:
            kept.append(path)
            continue
        same = [p for p in by_hash.get(digest, []) if os.path.basename(p) == os.path.basename(path) and p != path]
        if same:
            relocated.append((path, same[0]))
        else:
            lost.append(path)
    return kept, relocated, lost


# ---------------------------------------------------------------- /proc

def read_proc(pid, name):
    try:
        with open("/proc/%d/%s" % (pid, name), "rb") as f:
            return f.read()
    except OSError:
        return None


def proc_status_kb(pid, field):
    data = read_proc(pid, "status")
    if not data:
        return None
    for line in data.decode("latin-1").splitlines():
        if line.startswith(field + ":"):
            try:
                return int(line.split()[1])
            except (IndexError, ValueError):
                return None
    return None


def proc_state(pid):
    data = read_proc(pid, "stat")
    if not data:
        return None
    try:
        return data.decode("latin-1").rsplit(")", 1)[1].split()[0]
    except IndexError:
        return None


HELPERS = set()          # pids of the suite's own long-lived helpers (apps, replicas)


def set_subreaper():
    """Orphans of the runs (a Chromium whose discover died) are re-parented to this process
    instead of init, so that none escapes the leftover scan."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def process_table():
    """{pid: (ppid, pgid, state, cmdline)} of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        stat = read_proc(pid, "stat")
        if not stat:
            continue
        try:
            fields = stat.decode("latin-1").rsplit(")", 1)[1].split()
            state, ppid, pgid = fields[0], int(fields[1]), int(fields[2])
        except (IndexError, ValueError):
            continue
        cmd = (read_proc(pid, "cmdline") or b"").replace(b"\0", b" ").decode("utf-8", "replace").strip()
        table[pid] = (ppid, pgid, state, cmd)
    return table


def reap_orphans(table=None):
    """Reaps zombies re-parented to this process (never a helper's, never a Child still watched)."""
    table = table or process_table()
    me = os.getpid()
    for pid, (ppid, _, state, _) in table.items():
        if ppid == me and state == "Z" and pid not in HELPERS and pid not in WATCHED:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


WATCHED = set()          # pids of Child objects not reaped yet


def suspects(markers):
    """Live processes that belong to a run: those whose environment or command line holds one of
    markers (the run's tag, its folder), their process groups, and every descendant of this
    suite that is neither a helper nor a watched Child. Returns [(pid, short command line)]."""
    table = process_table()
    reap_orphans(table)
    me = os.getpid()
    enc = [m.encode() for m in markers if m]
    chosen = set()
    for pid, (ppid, pgid, state, cmd) in table.items():
        if pid == me or state == "Z":
            continue
        env = read_proc(pid, "environ") or b""
        if any(m in env or m in cmd.encode() for m in enc):
            chosen.add(pid)
    groups = {table[p][1] for p in chosen if table[p][1] > 1}
    for pid, (ppid, pgid, state, cmd) in table.items():
        if pgid in groups and state != "Z" and pid != me:
            chosen.add(pid)
    # descendants of this process, except helpers (and their trees) and watched children
    children = {}
    for pid, (ppid, _, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    stack = [p for p in children.get(me, []) if p not in HELPERS and p not in WATCHED]
    while stack:
        pid = stack.pop()
        if table.get(pid, (0, 0, "Z", ""))[2] != "Z":
            chosen.add(pid)
        stack.extend(children.get(pid, []))
    chosen -= HELPERS
    chosen -= WATCHED
    return sorted((p, table[p][3][:160]) for p in chosen if p in table)


def tagged_processes(markers):
    return suspects(markers)


def kill_pids(pids, sig=signal.SIGKILL):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def leftover_processes(markers, settle=1.0):
    """Processes of a finished run still alive `settle` seconds after it ended; they are then
    killed (they are ours: tagged, or our descendants). Returns their descriptions."""
    deadline = now() + settle
    while True:
        procs = suspects(markers)
        if not procs or now() >= deadline:
            break
        time.sleep(0.1)
    if procs:
        kill_pids([p for p, _ in procs])
        time.sleep(0.3)
        reap_orphans()
    return ["%d %s" % (p, c) for p, c in procs]


def find_tagged(markers, predicate):
    return [(p, c) for p, c in tagged_processes(markers) if predicate(c)]


# ---------------------------------------------------------------- running the binary

class Child:
    """A process in its own session, watched: peak RSS (VmHWM polled), stderr size, wall time.
    Reaped with wait4 so that a signal death is seen as such."""

    def __init__(self, argv, cwd, env_extra=None, tag=None, stdout_path=None, stderr_path=None,
                 stdin=subprocess.DEVNULL, env=None):
        self.argv = argv
        self.tag = tag
        base = dict(os.environ if env is None else env)
        if env_extra:
            base.update(env_extra)
        if tag:
            base[TAG_VAR] = tag
        self.stdout_path = stdout_path or os.devnull
        self.stderr_path = stderr_path or os.devnull
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.started = now()
        self.proc = subprocess.Popen(argv, cwd=cwd, env=base, stdin=stdin, stdout=self._out,
                                     stderr=self._err, start_new_session=True)
        self.pid = self.proc.pid
        WATCHED.add(self.pid)
        self.status = None          # raw wait status once reaped
        self.ended = None
        self.peak_rss_kb = 0
        self.killed_by = None       # why the watchdog killed it, if it did

    def poll(self):
        if self.status is not None:
            return True
        hwm = proc_status_kb(self.pid, "VmHWM")
        if hwm:
            self.peak_rss_kb = max(self.peak_rss_kb, hwm)
        try:
            pid, status, _ = os.wait4(self.pid, os.WNOHANG)
        except ChildProcessError:
            pid, status = self.pid, 0
            WATCHED.discard(self.pid)
        if pid == 0:
            return False
        self.status = status
        self.ended = now()
        WATCHED.discard(self.pid)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self._out.close()
        self._err.close()
        return True

    @property
    def alive(self):
        return not self.poll()

    def send(self, sig):
        try:
            os.kill(self.pid, sig)
            return True
        except ProcessLookupError:
            return False

    def kill_session(self):
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass

    def wait(self, cap, rss_cap_kb=None, stderr_cap=None, interval=0.02):
        """Waits until exit or until the watchdog kills it (cap seconds from start, RSS, stderr size)."""
        while not self.poll():
            elapsed = now() - self.started
            reason = None
            if cap is not None and elapsed > cap:
                reason = "still running at %.0f s" % elapsed
            elif rss_cap_kb and self.peak_rss_kb > rss_cap_kb:
                reason = "RSS over %s" % fmt_kb(rss_cap_kb)
            elif stderr_cap and self.stderr_path != os.devnull:
                try:
                    if os.path.getsize(self.stderr_path) > stderr_cap:
                        reason = "stderr over %s" % fmt_bytes(stderr_cap)
                except OSError:
                    pass
            if reason:
                self.killed_by = reason
                self.kill_session()
                for _ in range(500):
                    if self.poll():
                        break
                    time.sleep(0.01)
                break
            time.sleep(interval)
        return self

    @property
    def returncode(self):
        return self.proc.returncode

    @property
    def duration(self):
        return (self.ended or now()) - self.started

    @property
    def signal_death(self):
        """The signal number the process died of, if it did (including 128+N from a crash report)."""
        if self.status is None:
            return None
        if os.WIFSIGNALED(self.status):
            return os.WTERMSIG(self.status)
        return None

    def stderr_size(self):
        try:
            return os.path.getsize(self.stderr_path)
        except OSError:
            return 0

    def stderr_text(self, limit=200000):
        try:
            with open(self.stderr_path, "rb") as f:
                data = f.read(limit)
            return data.decode("utf-8", "replace")
        except OSError:
            return ""

    def stderr_tail(self, n=400):
        try:
            size = os.path.getsize(self.stderr_path)
            with open(self.stderr_path, "rb") as f:
                f.seek(max(0, size - n))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


def describe_exit(child):
    if child.killed_by:
        return "killed by the suite (%s)" % child.killed_by
    sig = child.signal_death
    if sig:
        return "died of %s" % SIGNAL_NAMES.get(sig, sig)
    return "exit %s" % child.returncode


CRASH_MARKERS = ("Fatal error", "Illegal instruction", "Segmentation fault", "core dumped",
                 "Stack overflow", "stack overflow", "Bus error", "Trace/breakpoint trap",
                 "Current stack trace", "💣 Program crashed")


def is_crash(child):
    """A crash: death by a signal the program did not ask for, or a runtime crash report."""
    if child.killed_by:
        return False
    sig = child.signal_death
    if sig and sig not in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL):
        return True
    text = child.stderr_tail(4000)
    return any(m in text for m in CRASH_MARKERS)


# ---------------------------------------------------------------- JSON that Python's parser may find deep

def _deep_call(fn, *args):
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as error:  # noqa: BLE001 - reported to the caller
            box["error"] = error

    old = threading.stack_size()
    threading.stack_size(512 * 1024 * 1024)
    try:
        thread = threading.Thread(target=target)
        thread.start()
    finally:
        threading.stack_size(old)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


sys.setrecursionlimit(1_000_000)


def json_valid(data):
    """True when data (bytes or str) is one JSON document. Copes with any nesting depth."""
    try:
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        _deep_call(json.loads, data)
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def json_load_file(path):
    with open(path, "rb") as f:
        return _deep_call(json.loads, f.read().decode("utf-8"))


def check_outputs(folder):
    """What a run left in its output folder, and whether it is whole:
    har: missing | ok | invalid; json_invalid: [names]; jsonl: missing | ok | partial-line | bad-line;
    trailer: None | {complete, reason}."""
    result = {"files": [], "har": "missing", "json_invalid": [], "jsonl": "missing",
              "jsonl_lines": 0, "trailer": None, "header": False, "count_mismatch": []}
    if not os.path.isdir(folder):
        return result
    for dirpath, dirnames, files in os.walk(folder):
        for name in files:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, folder)
            result["files"].append(rel)
            if name.endswith(".json") or name.endswith(".har"):
                if dirpath != folder and not name.endswith(".json"):
                    continue
                # downloaded files and spooled bodies are the app's bytes, not ours
                top = rel.split(os.sep)[0]
                if top in ("downloads", "bodies", "capture-bodies"):
                    continue
                try:
                    with open(full, "rb") as f:
                        data = f.read()
                except OSError:
                    data = b""
                ok = json_valid(data)
                if name == "capture.har":
                    result["har"] = "ok" if ok else "invalid"
                elif not ok:
                    result["json_invalid"].append(rel)
    jsonl = os.path.join(folder, "capture.jsonl")
    if os.path.exists(jsonl):
        with open(jsonl, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        status = "ok"
        if data and not data.endswith(b"\n"):
            status = "partial-line"
        body = lines[:-1] if data.endswith(b"\n") else lines
        count = 0
        ids = set()
        messages = 0
        for i, line in enumerate(body):
            if not line:
                continue
            count += 1
            try:
                obj = _deep_call(json.loads, line.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                if status == "ok":
                    status = "bad-line"
                continue
            if isinstance(obj, dict):
                kind = obj.get("record")
                if kind == "header":
                    result["header"] = True
                elif kind == "exchange" and isinstance(obj.get("exchange"), dict):
                    ids.add(obj["exchange"].get("id"))
                elif kind == "message":
                    messages += 1
                elif kind == "trailer":
                    result["trailer"] = {"complete": obj.get("complete"), "reason": obj.get("reason"),
                                         "counts": obj.get("counts")}
        result["jsonl"] = status
        result["jsonl_lines"] = count
        result["exchanges"] = len(ids)
        result["messages"] = messages
        counts = (result["trailer"] or {}).get("counts") or {}
        if isinstance(counts, dict):
            for key, have in (("exchanges", len(ids)), ("messages", messages)):
                said = counts.get(key)
                if isinstance(said, int) and said != have:
                    result["count_mismatch"].append("the trailer counts %d %s, the file holds %d" % (said, key, have))
    return result


def outputs_whole(check):
    return check["har"] != "invalid" and not check["json_invalid"] and check["jsonl"] in ("ok", "missing") \
        and not check["count_mismatch"]


def outputs_problems(check):
    problems = []
    if check["har"] == "invalid":
        problems.append("capture.har invalid JSON")
    for name in check["json_invalid"]:
        problems.append("%s invalid JSON" % name)
    if check["jsonl"] == "partial-line":
        problems.append("capture.jsonl ends in a partial line")
    if check["jsonl"] == "bad-line":
        problems.append("capture.jsonl has an unparsable line")
    for text in check["count_mismatch"]:
        problems.append("capture.jsonl: " + text)
    return problems


def temp_leftovers(tmpdir):
    """Entries a run left in its private TMPDIR: discover's profiles, replica folders, others."""
    out = {"profiles": [], "replica": [], "other": []}
    try:
        names = sorted(os.listdir(tmpdir))
    except OSError:
        return out
    for name in names:
        if name.startswith("discover-chromium-"):
            out["profiles"].append(name)
        elif name.startswith("discover-replica-"):
            out["replica"].append(name)
        else:
            out["other"].append(name)
    return out


# ---------------------------------------------------------------- results

class Group:
    """Figures of one group: cases tried and survived, and the failing cases with a reproduction."""

    def __init__(self, key, title):
        self.key = key
        self.title = title
        self.tried = 0
        self.survived = 0
        self.figures = {}
        self.failures = []
        self.cases = []
        self.skipped = None
        self.started = now()
        self.seconds = 0.0

    def case(self, name, survived, detail, repro=None, data=None, checks_failed=None):
        self.tried += 1
        if survived:
            self.survived += 1
        record = {"case": name, "survived": bool(survived), "detail": detail}
        if repro:
            record["repro"] = repro
        if checks_failed:
            record["checks_failed"] = checks_failed
        if data:
            record.update(data)
        self.cases.append(record)
        if not survived or checks_failed:
            self.failures.append(record)
        mark = "ok  " if survived and not checks_failed else ("PART" if survived else "FAIL")
        log("  %s %-34s %s" % (mark, name, detail))
        if checks_failed:
            log("       checks failed: %s" % "; ".join(checks_failed))
        return record

    def finish(self):
        self.seconds = now() - self.started

    def to_json(self):
        return {"group": self.key, "title": self.title, "tried": self.tried, "survived": self.survived,
                "figures": self.figures, "failures": self.failures, "cases": self.cases,
                "skipped": self.skipped, "seconds": round(self.seconds, 1)}


def rng_for(seed, *parts):
    return random.Random("%s/%s" % (seed, "/".join(str(p) for p in parts)))


def b64(s):
    return base64.b64encode(s.encode()).decode()


def b64url(s):
    return base64.urlsafe_b64encode(s.encode()).decode()


def shell_quote(arg):
    if arg and all(c.isalnum() or c in "@%+=:,./-_" for c in arg):
        return arg
    return "'" + arg.replace("'", "'\"'\"'") + "'"


def cmdline(argv, env=None, cwd=None):
    parts = []
    if cwd:
        parts.append("cd %s &&" % shell_quote(cwd))
    for k, v in (env or {}).items():
        parts.append("%s=%s" % (k, shell_quote(v)))
    parts.extend(shell_quote(a) for a in argv)
    return " ".join(parts)


def rm_rf(path):
    shutil.rmtree(path, ignore_errors=True)
