"""Group 4: a run that cannot start (or dies) must not destroy the previous good run in --output.
A good run of the small flow is copied into the output folder first; then a mistyped --browser, a
missing required variable, an invalid flow, --headed without a display, --connect to nothing, and a
SIGKILL halfway through a run. Every file of the previous run must still be there, byte for byte."""

import os
import shutil
import signal
import time

import lib


def good_run(ctx):
    folder = ctx.run_folder("preserve", "good")
    tag = ctx.tag("preserve", "good")
    out = os.path.join(folder, "out")
    child = ctx.spawn(folder, ["run", ctx.small_flow_folder(), "--base-url", ctx.base_url, "--output", out],
                      tag).wait(cap=120)
    lib.leftover_processes(ctx.markers(folder, tag), settle=ctx.settle)
    return child, out


def run(ctx):
    group = lib.Group("preserve", "A failed start or a crash keeps the previous run's outputs")
    ctx.ensure_app()
    child, good = good_run(ctx)
    if child.returncode != 0 or not os.path.exists(os.path.join(good, "capture.jsonl")):
        group.skipped = "the good run failed (%s): %s" % (lib.describe_exit(child), child.stderr_tail(300))
        lib.log("  " + group.skipped)
        return group
    good_secs = child.duration
    flows = ctx.small_flow_folder()
    requires_folder = os.path.join(ctx.work, "flows-requires")
    ctx.write_json(os.path.join(requires_folder, "01-needs.flow.json"),
                   {"name": "needs", "requires": ["CHAOS_SURELY_UNSET_VAR"], "steps": [{"goto": "/"}]})
    invalid_folder = os.path.join(ctx.work, "flows-invalid")
    ctx.write_json(os.path.join(invalid_folder, "01-bad.flow.json"), {"name": "bad", "steps": [{"clik": "x"}]})
    dead = lib.free_port()
    base = ["--base-url", ctx.base_url]
    cases = [
        ("--browser /nope", ["run", flows] + base + ["--browser", "/nope"], {}, {3}, None),
        ("missing required variable", ["run", requires_folder] + base, {}, {3}, None),
        ("invalid flow file", ["run", invalid_folder] + base, {}, {4}, None),
        ("--headed without a display", ["run", flows] + base + ["--headed"], {"DISPLAY": "", "WAYLAND_DISPLAY": ""},
         {3}, None),
        ("--connect to a closed port", ["run", flows] + base + ["--connect", "http://127.0.0.1:%d" % dead], {}, {3},
         None),
        ("--baseline that does not exist", ["run", flows] + base + ["--baseline", "/nope/baseline"], {}, {2, 4}, None),
        ("SIGKILL halfway through a run", ["run", flows] + base, {}, None, 0.5),
    ]
    for name, args, env, expected, kill_at in cases:
        key = name.replace(" ", "-").replace("/", "").strip("-")
        folder = ctx.run_folder("preserve", key)
        out = os.path.join(folder, "out")
        shutil.copytree(good, out, symlinks=True)
        before = lib.snapshot_tree(out)
        tag = ctx.tag("preserve", key)
        extra = dict(env)
        child = ctx.spawn(folder, args + ["--output", out], tag, env_extra=extra)
        if kill_at is not None:
            deadline = child.started + kill_at * good_secs
            while lib.now() < deadline and not child.poll():
                time.sleep(0.005)
            child.send(signal.SIGKILL)
        child.wait(cap=60)
        leftovers = lib.leftover_processes(ctx.markers(folder, tag), settle=ctx.settle)
        after = lib.snapshot_tree(out)
        kept, relocated, lost = lib.compare_previous(before, after)
        added = sorted(set(after) - set(before) - {new for _, new in relocated})
        problems = []
        checks = []
        check = lib.check_outputs(out)
        complete = lib.outputs_whole(check) and check["trailer"] is not None and check["trailer"].get("complete") is True
        if (lost or relocated) and complete:
            # a complete new run replaced the old one: nothing lost, but the failure came too late
            checks.append("previous outputs replaced by a complete new run although it exits %s"
                          % lib.describe_exit(child))
        elif lost:
            problems.append("%d previous files lost (%s)" % (len(lost), ", ".join(lost[:5])))
        if relocated and not complete:
            where = sorted({os.path.dirname(new) or "." for _, new in relocated})
            checks.append("%d previous files moved to %s; the top level holds %s" % (
                len(relocated), ", ".join(w + "/" for w in where),
                "an interrupted run" if check["files"] and set(check["files"]) - {n for _, n in relocated}
                else "nothing"))
        if leftovers:
            problems.append("%d leftover processes" % len(leftovers))
        if expected is not None and (child.returncode not in expected or child.signal_death):
            checks.append("%s (expected exit %s)" % (lib.describe_exit(child), "/".join(map(str, sorted(expected)))))
        repro = ("cp -a %s %s && %s; ls %s" % (good, out, child.repro, out))
        detail = "%s in %.1f s; previous files: %d kept in place, %d moved, %d lost; %d new" % (
            lib.describe_exit(child), child.duration, len(kept), len(relocated), len(lost), len(added))
        group.case(name, not problems, detail, repro=repro, checks_failed=checks,
                   data={"reasons": problems, "stderr_tail": child.stderr_tail(300).strip()})
        for p in problems:
            lib.log("         - %s" % p)
    group.figures["cases"] = group.tried
    group.figures["previous_outputs_destroyed"] = sum(1 for c in group.cases if not c["survived"])
    return group
