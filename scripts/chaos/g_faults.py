"""Group 2: hangs and faults. Runs one-flow cases against the chaos app's hostile routes (never
answers, resets, 500, stalls mid-body, runaway script, deep JSON), crashes or kills the renderer and
the browser, and feeds pathological flows (a `within` 5,000 deep, exponential vars, a 10 MB step).

A case SURVIVES when discover did not crash, exited by itself within step timeout + grace
(CHAOS_GRACE_SECS, 5 s) + launch allowance (CHAOS_LAUNCH_SECS, 5 s), its outputs parse, and no
process is left. Cases run at most CHAOS_OVERRUN_SECS past that deadline before the suite kills
them ("killed at N s" then means "still running"). Each case also has CHECKS (the documented exit
code, failure screenshot and HTML, stderr under 1 MB, RSS under 1 GB, a message naming the cause);
a case that survives with a failed check is listed as PART."""

import glob
import json
import re
import os
import signal
import time

import lib

STDERR_BOUND = 1 << 20
RSS_BOUND_KB = 1 << 20


def nested_within(depth):
    loc = {"css": "button"}
    text = json.dumps(loc)
    for _ in range(depth):
        text = '{"css":"body","within":%s}' % text
    return text


def flow_text(steps_text, extra=""):
    return '{"name":"fault"%s,"steps":[%s]}' % (extra, steps_text)


def find_proc(markers, want):
    for pid, cmd in lib.suspects(markers):
        if want(cmd):
            return pid, cmd
    return None, None


def is_renderer(cmd):
    return "--type=renderer" in cmd


def is_browser(cmd):
    return "chrom" in cmd.split(" ")[0] and "--type=" not in cmd


def kill_after(seconds, want, what):
    def action(ctx, child, markers):
        deadline = child.started + seconds
        while lib.now() < deadline and not child.poll():
            time.sleep(0.01)
        end = lib.now() + 10
        while lib.now() < end and not child.poll():
            pid, cmd = find_proc(markers, want)
            if pid:
                os.kill(pid, signal.SIGKILL)
                return {"fault": "SIGKILL to the %s (pid %d)" % (what, pid), "fault_at": lib.now()}
            time.sleep(0.05)
        return {"fault": "no %s process found to kill" % what, "fault_at": None}
    return action


def cases(ctx):
    exp = {"a0": "xy"}
    for i in range(1, 41):
        exp["a%d" % i] = "${vars.a%d}${vars.a%d}" % (i - 1, i - 1)
    closed = lib.free_port()
    return [
        dict(name="app accepts, never answers", flow='{"goto":"/hang"}', timeout=3000, expect={1, 3},
             artifacts=True),
        dict(name="app resets the connection", flow='{"goto":"/reset"}', timeout=3000, expect={1, 3},
             artifacts=True, mentions=["reset", "err_connection", "err_empty"]),
        dict(name="500 on the first page", flow='{"goto":"/first-page"},{"click":{"css":"#missing"},"timeout":2000}',
             timeout=3000, expect={1}, artifacts=True, mentions=[r"\b500\b"]),
        dict(name="stalls mid-body", flow='{"goto":"/stall"}', timeout=3000, expect={1, 3}, artifacts=True),
        dict(name="while(true){} in evaluate", flow='{"goto":"/spin.html"},{"evaluate":"while(true){}","timeout":3000}',
             timeout=3000, expect={1}, artifacts=True),
        dict(name="renderer crash (chrome://crash)", flow='{"goto":"/spin.html"},{"goto":"chrome://crash"}',
             timeout=5000, expect={1, 3}, mentions=["crash"]),
        dict(name="renderer killed during a wait",
             flow='{"goto":"/spin.html"},{"waitFor":{"text":"never shows"},"timeout":8000}', timeout=8000,
             expect={1, 3}, mentions=["crash"], action=kill_after(1.5, is_renderer, "renderer")),
        dict(name="browser killed mid-run",
             flow='{"goto":"/spin.html"},{"waitFor":{"text":"never shows"},"timeout":8000}', timeout=8000,
             expect={3}, action=kill_after(1.5, is_browser, "browser")),
        dict(name="within nested 5,000 deep",
             flow='{"goto":"/spin.html"},{"click":%s,"timeout":2000}' % nested_within(5000), timeout=2000,
             expect={1, 4}),
        dict(name="vars expanding 2^40", flow='{"goto":"/spin.html"},{"fill":{"css":"#b"},"value":"${vars.a40}"}',
             extra=',"vars":%s' % json.dumps(exp), timeout=3000, expect={1, 4}),
        dict(name="10 MB step in the error", flow='{"goto":"/spin.html"},{"click":{"css":"%s"},"timeout":1000}'
             % ("d" * (10 << 20)), timeout=1000, expect={1, 4}),
        dict(name="40 KB JSON nested 20,000 deep", flow='{"goto":"/deep.html"},{"waitFor":{"text":"deep-loaded"}}',
             timeout=5000, expect={0}, generate=True),
        dict(name="app unreachable (closed port)", flow='{"goto":"/"}', timeout=3000, expect={3},
             base="http://127.0.0.1:%d" % closed),
        dict(name="--connect to a web app", flow='{"goto":"/"}', timeout=3000, expect={3},
             args=["--connect", "http://127.0.0.1:%d" % ctx.app_port], mentions=["/json/version"]),
        dict(name="browser exits at launch", flow='{"goto":"/"}', timeout=3000, expect={3},
             args=["--browser", "/bin/false"]),
        dict(name="screenshot named capture.jsonl", flow='{"goto":"/index.html"},{"screenshot":"capture.jsonl"}',
             timeout=3000, expect={0, 1, 4}, capture_intact=True),
        dict(name="screenshot named ../../x.png", flow='{"goto":"/index.html"},{"screenshot":"../../escaped-x.png"}',
             timeout=3000, expect={0, 1, 4}, escape="escaped-x.png"),
    ]


def run(ctx):
    group = lib.Group("faults", "Hangs and faults: every case ends within its step timeout + grace")
    ctx.ensure_app()
    lib.log("  deadline = step timeout + %.0f s grace + %.0f s launch allowance (doctor measured launch %s); "
            "cases killed %.0f s past it" % (ctx.grace, ctx.launch_allowance,
                                             lib.fmt_secs(ctx.launch_secs), ctx.overrun))
    totals = {"fully_correct": 0, "over_deadline": 0, "leftover_processes": 0, "max_rss_kb": 0, "crashes": 0}
    for case in cases(ctx):
        key = "".join(c if c.isalnum() else "-" for c in case["name"]).strip("-")[:40]
        folder = ctx.run_folder("faults", key)
        flows = lib.mkdir(os.path.join(folder, "flows"))
        path = os.path.join(flows, "01-fault.flow.json")
        with open(path, "w") as f:
            f.write(flow_text(case["flow"], case.get("extra", "")))
        out = os.path.join(folder, "out")
        escaped = None
        if case.get("escape"):
            escaped = os.path.join(os.path.dirname(os.path.dirname(out)), case["escape"])
            if os.path.exists(escaped):
                os.remove(escaped)
        tag = ctx.tag("faults", key)
        markers = ctx.markers(folder, tag)
        args = ["run", path, "--base-url", case.get("base", ctx.base_url), "--output", out,
                "--timeout", str(case["timeout"])] + case.get("args", [])
        deadline = case["timeout"] / 1000.0 + ctx.grace + ctx.launch_allowance
        child = ctx.spawn(folder, args, tag)
        fault = {}
        if case.get("action"):
            fault = case["action"](ctx, child, markers)
        child.wait(cap=deadline + ctx.overrun, rss_cap_kb=ctx.rss_cap_kb(), stderr_cap=500 << 20)
        secs = child.duration
        leftovers = lib.leftover_processes(markers, settle=ctx.settle)
        check = lib.check_outputs(out)
        failures_dir = os.path.join(out, "failures")
        shots = glob.glob(os.path.join(failures_dir, "**", "*.png"), recursive=True)
        pages = glob.glob(os.path.join(failures_dir, "**", "*.html"), recursive=True)
        stderr_size = child.stderr_size()
        rss = child.peak_rss_kb
        totals["max_rss_kb"] = max(totals["max_rss_kb"], rss)
        reasons = []
        crashed = lib.is_crash(child)
        if crashed:
            totals["crashes"] += 1
            reasons.append("crashed: %s" % lib.describe_exit(child))
        if child.killed_by:
            reasons.append("killed by the suite: %s" % child.killed_by)
        elif secs > deadline:
            reasons.append("exited after %.1f s, deadline %.1f s" % (secs, deadline))
        if child.killed_by or secs > deadline:
            totals["over_deadline"] += 1
        reasons.extend(lib.outputs_problems(check))
        if leftovers:
            totals["leftover_processes"] += len(leftovers)
            reasons.append("%d leftover processes: %s" % (len(leftovers), "; ".join(leftovers[:2])))
        checks = []
        if not child.killed_by and not child.signal_death and child.returncode not in case["expect"]:
            checks.append("exit %s, --help says %s" % (child.returncode, "/".join(map(str, sorted(case["expect"])))))
        if case.get("artifacts") and not child.killed_by and child.returncode == 1 and not (shots and pages):
            checks.append("failure artifacts missing (screenshots %d, html %d)" % (len(shots), len(pages)))
        if stderr_size > STDERR_BOUND:
            checks.append("stderr %s (bound %s)" % (lib.fmt_bytes(stderr_size), lib.fmt_bytes(STDERR_BOUND)))
        if rss > RSS_BOUND_KB:
            checks.append("peak RSS %s (bound %s)" % (lib.fmt_kb(rss), lib.fmt_kb(RSS_BOUND_KB)))
        if case.get("mentions") and not child.killed_by:
            text = child.stderr_text(2 << 20).lower()
            if not any(re.search(m.lower(), text) for m in case["mentions"]):
                checks.append("stderr names none of %s" % ", ".join(case["mentions"]))
        fault_to_exit = None
        if fault.get("fault_at"):
            fault_to_exit = (child.ended or lib.now()) - fault["fault_at"]
            if fault_to_exit > ctx.grace:
                checks.append("%.1f s from the fault to exit (grace %.0f s)" % (fault_to_exit, ctx.grace))
        if case.get("capture_intact"):
            cap = os.path.join(out, "capture.jsonl")
            if os.path.exists(cap):
                with open(cap, "rb") as f:
                    head = f.read(200)
                if not head.startswith(b"{") or b'"header"' not in head:
                    checks.append("capture.jsonl is no longer a capture (starts %r)" % head[:16])
            elif child.returncode != 4:
                checks.append("no capture.jsonl, and the flow was not refused (exit %s)" % child.returncode)
        if escaped and os.path.exists(escaped):
            checks.append("wrote %s outside the output folder" % escaped)
            os.remove(escaped)
        gen = None
        if case.get("generate") and os.path.exists(os.path.join(out, "capture.jsonl")):
            gfolder = os.path.join(folder, "generate")
            lib.mkdir(os.path.join(gfolder, "tmp"))
            gen = ctx.spawn(gfolder, ["generate", out, "--output", os.path.join(gfolder, "out")],
                            tag + "-gen").wait(cap=ctx.hang_secs)
            if lib.is_crash(gen) or gen.killed_by or gen.returncode != 0:
                checks.append("`discover generate` on its capture: %s" % lib.describe_exit(gen))
        survived = not reasons
        if survived and not checks:
            totals["fully_correct"] += 1
        detail = "timeout %.1f s -> %s after %.1f s%s; RSS %s; stderr %s; shots %d html %d" % (
            case["timeout"] / 1000.0, lib.describe_exit(child), secs,
            "" if fault_to_exit is None else " (%.1f s after the fault)" % fault_to_exit,
            lib.fmt_kb(rss), lib.fmt_bytes(stderr_size), len(shots), len(pages))
        group.case(case["name"], survived, detail, repro=child.repro, checks_failed=checks,
                   data={"reasons": reasons, "step_timeout_secs": case["timeout"] / 1000.0,
                         "deadline_secs": deadline, "secs": round(secs, 2), "exit": lib.describe_exit(child),
                         "peak_rss_kb": rss, "stderr_bytes": stderr_size, "screenshots": len(shots),
                         "html": len(pages), "fault": fault.get("fault"),
                         "fault_to_exit_secs": None if fault_to_exit is None else round(fault_to_exit, 2),
                         "flow": path, "stderr_head": child.stderr_text(600)[:600]})
        for r in reasons:
            lib.log("         - %s" % r)
    group.figures.update(totals)
    group.figures["cases"] = group.tried
    lib.log("  faults survived %d / %d; all checks passed %d; over the deadline %d; crashes %d; leftover processes %d;"
            " max RSS %s" % (group.survived, group.tried, totals["fully_correct"], totals["over_deadline"],
                             totals["crashes"], totals["leftover_processes"], lib.fmt_kb(totals["max_rss_kb"])))
    return group
