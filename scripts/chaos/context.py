"""The suite's settings (environment knobs) and the helpers every group shares: the chaos app,
per-run folders, running discover with a private TMPDIR and a tag."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import lib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        sys.exit("error: %s must be an integer, got %r" % (name, value))


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        sys.exit("error: %s must be a number, got %r" % (name, value))


class Context:
    def __init__(self, binary, out, seed, quick):
        self.bin = binary
        self.repo = REPO
        self.out = out
        self.seed = seed
        self.quick = quick
        q = quick
        # knobs (README: "make chaos")
        self.signal_runs = env_int("CHAOS_SIGNAL_RUNS", 12 if q else 100)
        self.sigkill_runs = env_int("CHAOS_SIGKILL_RUNS", 3 if q else 12)
        self.demo_share = env_float("CHAOS_SIGNAL_DEMO_SHARE", 0.1)
        self.malformed = env_int("CHAOS_MALFORMED", 120 if q else 500)
        self.hang_secs = env_float("CHAOS_HANG_SECS", 10 if q else 30)
        self.jobs = env_int("CHAOS_JOBS", 2)
        self.grace = env_float("CHAOS_GRACE_SECS", 5.0)
        self.launch_allowance = env_float("CHAOS_LAUNCH_SECS", 5.0)
        self.overrun = env_float("CHAOS_OVERRUN_SECS", 0 if q else 20)
        self.rss_cap_mb = env_int("CHAOS_RSS_CAP_MB", 2048)
        self.slowloris = env_int("CHAOS_SLOWLORIS", 600)
        self.upload_mb = env_int("CHAOS_UPLOAD_MB", 256)
        self.settle = env_float("CHAOS_SETTLE_SECS", 1.0)
        self.app_port = None
        self.app_proc = None
        self.work = lib.mkdir(os.path.join(out, "work"))
        self.baseline_secs = None
        self.launch_secs = None

    # ------------------------------------------------------------ the chaos app

    def start_app(self):
        port = lib.free_port()
        log_path = os.path.join(self.out, "app.log")
        self.app_log = open(log_path, "wb")
        self.app_proc = subprocess.Popen([sys.executable, os.path.join(HERE, "app.py"), str(port)],
                                         stdout=self.app_log, stderr=self.app_log, start_new_session=True)
        lib.HELPERS.add(self.app_proc.pid)
        if not lib.wait_port(port):
            raise SystemExit("error: the chaos app did not start (see %s)" % log_path)
        self.app_port = port
        return port

    def stop_app(self):
        if self.app_proc and self.app_proc.poll() is None:
            try:
                os.killpg(self.app_proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.app_proc.wait()

    def ensure_app(self):
        if self.app_proc is None or self.app_proc.poll() is not None:
            if self.app_proc is not None:
                lib.HELPERS.discard(self.app_proc.pid)
            self.start_app()
        return self.app_port

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.app_port

    # ------------------------------------------------------------ runs

    def run_folder(self, group, name, fresh=True):
        folder = os.path.join(self.work, group, name)
        if fresh:
            lib.rm_rf(folder)
        lib.mkdir(os.path.join(folder, "tmp"))
        return folder

    def spawn(self, folder, args, tag, env_extra=None, cwd=None, output=None):
        """Starts discover with a private TMPDIR (folder/tmp) and a tag; stdout and stderr to files."""
        env = {"TMPDIR": os.path.join(folder, "tmp"), "NO_COLOR": "1"}
        if env_extra:
            env.update(env_extra)
        argv = [self.bin] + list(args)
        child = lib.Child(argv, cwd=cwd or folder, env_extra=env, tag=tag,
                          stdout_path=os.path.join(folder, "stdout.txt"),
                          stderr_path=os.path.join(folder, "stderr.txt"))
        child.folder = folder
        child.env_shown = {k: v for k, v in (env_extra or {}).items()}
        child.repro = lib.cmdline(argv, child.env_shown, cwd or folder)
        return child

    def tag(self, group, name):
        return "%s-%s-%s" % (lib.SUITE_ID, group, name)

    def markers(self, folder, tag):
        return [tag, folder]

    def rss_cap_kb(self):
        return self.rss_cap_mb * 1024

    # ------------------------------------------------------------ flows

    def write_json(self, path, obj):
        lib.mkdir(os.path.dirname(path))
        with open(path, "w") as f:
            json.dump(obj, f, indent=1)
        return path

    def small_flow_folder(self):
        """A small flow against the chaos app, used for the signal runs and the preservation cases."""
        folder = os.path.join(self.work, "flows-small")
        if not os.path.isdir(folder):
            self.write_json(os.path.join(folder, "01-small.flow.json"), {
                "name": "small",
                "steps": [
                    {"goto": "/index.html"},
                    {"fill": {"placeholder": "Query"}, "value": "hello"},
                    {"click": {"css": "#go"}},
                    {"waitFor": {"text": "items:2:a"}},
                    {"evaluate": "fetch('/api/slow?ms=300').then(r => r.json()).then(j => j.ok)"},
                    {"goto": "/index.html?again=1"},
                    {"click": {"role": "button", "name": "Go"}},
                    {"waitFor": {"response": "**/api/items*"}},
                ],
            })
            self.write_json(os.path.join(folder, "02-more.flow.json"), {
                "name": "more",
                "steps": [
                    {"evaluate": "Promise.all([1,2,3].map(i => fetch('/api/slow?ms=150&i=' + i).then(r => r.json())))"},
                    {"goto": "/index.html?third=1"},
                    {"fill": {"css": "#q"}, "value": "world"},
                    {"press": "Enter", "target": {"css": "#q"}},
                    {"click": {"css": "#go"}},
                    {"waitFor": {"text": "items:2"}},
                ],
            })
        return folder

    def measure_launch(self):
        """Browser launch time as `discover doctor` reports it (printed; the allowance is fixed)."""
        folder = self.run_folder("prep", "doctor")
        child = self.spawn(folder, ["doctor"], self.tag("prep", "doctor")).wait(cap=60)
        text = child.stderr_text() + open(os.path.join(folder, "stdout.txt"), errors="replace").read()
        match = re.search(r"launch[^\n]*?([0-9.]+)\s*(ms|s)\b", text, re.I)
        if match:
            value = float(match.group(1))
            self.launch_secs = value / 1000.0 if match.group(2) == "ms" else value
        lib.leftover_processes(self.markers(folder, self.tag("prep", "doctor")), settle=0.5)
        return child, text
