#!/usr/bin/env python3
"""discover's fault-injection suite (issue 15): signals, hangs and faults, disk full, previous
outputs, malformed inputs, hostile HTTP against the replica, secrets. It measures whatever binary
it is given (DISCOVER_BIN) and prints the figures; chaos-report.json in CHAOS_OUT has them all.
Entry point: scripts/chaos/run.sh (make chaos)."""

import argparse
import json
import os
import resource
import signal
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lib  # noqa: E402
from context import Context  # noqa: E402

GROUPS = ["malformed", "preserve", "signals", "faults", "http", "secrets", "disk"]
TITLES = {
    "signals": "1 signals",
    "faults": "2 hangs & faults",
    "disk": "3 disk full",
    "preserve": "4 previous outputs",
    "malformed": "5 malformed inputs",
    "http": "6 hostile HTTP",
    "secrets": "7 secrets",
}
CLEANUPS = []


def load(name):
    return __import__("g_" + name)


def prep(ctx):
    """Launch time (doctor), the chaos app, and one demo run whose outputs seed groups 4 and 5."""
    lib.log("==> prep")
    child, text = ctx.measure_launch()
    lib.log("  doctor: %s; browser launch %s (allowance used by the fault cases: %.0f s)"
            % (lib.describe_exit(child), "%.2f s" % ctx.launch_secs if ctx.launch_secs else "unknown",
               ctx.launch_allowance))
    ctx.browser_ok = child.returncode == 0
    if not ctx.browser_ok:
        lib.log("  warning: discover doctor failed; browser groups will mostly fail:\n    "
                + text.strip().replace("\n", "\n    "))
    port = ctx.start_app()
    lib.log("  chaos app on http://127.0.0.1:%d" % port)
    folder = ctx.run_folder("prep", "seed-demo")
    tag = ctx.tag("prep", "seed-demo")
    out = os.path.join(folder, "out")
    seed = ctx.spawn(folder, ["demo", "--until", "started", "--training-seconds", "2", "--output", out],
                     tag, cwd=ctx.repo).wait(cap=180)
    lib.leftover_processes(ctx.markers(folder, tag), settle=0.5)
    ctx.seed_demo = out if os.path.exists(os.path.join(out, "discovered-endpoints.json")) else None
    lib.log("  seed demo run: %s in %.1f s -> %s" % (lib.describe_exit(seed), seed.duration, ctx.seed_demo or "no outputs"))


def summary(ctx, results, started):
    lib.log("")
    lib.log("=" * 100)
    lib.log("chaos summary  binary %s  seed %s  %s  %.0f s" % (ctx.original_bin, ctx.seed, "quick" if ctx.quick else "full",
                                                              lib.now() - started))
    lib.log("%-20s %7s %9s  %s" % ("group", "tried", "survived", "figures"))
    lib.log("-" * 100)
    for g in results:
        if g.skipped:
            lib.log("%-20s %7s %9s  skipped: %s" % (TITLES[g.key], "-", "-", g.skipped))
            continue
        lib.log("%-20s %7d %9d  %s" % (TITLES[g.key], g.tried, g.survived, headline(g)))
    lib.log("-" * 100)
    failing = [g for g in results if not g.skipped and (g.failures or g.survived < g.tried)]
    lib.log("groups with failed cases or checks: %s" % (", ".join(TITLES[g.key] for g in failing) or "none"))


def headline(g):
    f = g.figures
    if g.key == "signals":
        k = f.get("sigkill", {})
        return ("leftover procs %s (in %s runs), profiles %s runs, replica dirs %s runs, har invalid %s, "
                "jsonl partial %s; SIGKILL %s/%s survived (orphans %s, unswept %s)"
                % (f.get("leftover_processes"), f.get("leftover_process_runs"), f.get("leftover_profile_runs"),
                   f.get("leftover_replica_runs"), f.get("har_invalid"), f.get("jsonl_partial"),
                   k.get("survived"), k.get("runs"), k.get("orphans"), k.get("stale_after_next_start")))
    if g.key == "malformed":
        return ("crashes %s / %s command runs (%s inputs), hangs %s, memory %s, wrong exit %s, validate-vs-run %s"
                % (f.get("crashes"), f.get("inputs"), f.get("generated_inputs"), f.get("hangs"), f.get("memory"),
                   f.get("wrong_exit"), f.get("validate_run_disagree")))
    if g.key == "faults":
        return ("all checks passed %s; over timeout+grace %s; leftover procs %s; max RSS %s"
                % (f.get("fully_correct"), f.get("over_deadline"), f.get("leftover_processes"),
                   lib.fmt_kb(f.get("max_rss_kb"))))
    if g.key == "http":
        return ("replica down after %s cases; max RSS %s; checks failed %s"
                % (f.get("replica_down"), lib.fmt_kb(f.get("max_rss_kb")), f.get("checks_failed")))
    if g.key == "secrets":
        return ("secret hits %s (in %s files; by encoding %s)"
                % (f.get("hits"), f.get("files_with_hits"), json.dumps(f.get("by_encoding", {}))))
    if g.key in ("disk", "preserve"):
        return "; ".join("%s: %s" % (c["case"], "ok" if c["survived"] and not c.get("checks_failed") else
                                     ("PART" if c["survived"] else "FAIL")) for c in g.cases)
    return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="about 3 minutes: fewer runs and inputs")
    parser.add_argument("--only", default="", help="comma-separated groups: " + ",".join(GROUPS))
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # core_pattern may be "core": no files in cwd
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 8192)), hard))
    except (ValueError, OSError):
        pass
    lib.set_subreaper()

    out = os.path.abspath(os.environ.get("CHAOS_OUT") or "/tmp/discover-chaos")
    seed = os.environ.get("CHAOS_SEED") or str(int(time.time() * 1000) % 1000000007)
    groups = [g.strip() for g in args.only.split(",") if g.strip()] or GROUPS
    for g in groups:
        if g not in GROUPS:
            sys.exit("error: unknown group %r (known: %s)" % (g, ", ".join(GROUPS)))
    lib.rm_rf(os.path.join(out, "work"))
    lib.rm_rf(os.path.join(out, "crashers"))
    lib.rm_rf(os.path.join(out, "findings"))
    lib.mkdir(out)
    # a private copy: a rebuild of the binary during the run cannot mix two builds' figures
    import shutil
    original = os.path.abspath(args.bin)
    lib.mkdir(os.path.join(out, "bin"))
    binary = os.path.join(out, "bin", "discover")
    shutil.copy2(original, binary)
    digest = lib.sha256_file(binary)
    ctx = Context(binary, out, seed, args.quick)
    ctx.original_bin = original
    ctx.bin_sha256 = digest
    ctx.cleanups = CLEANUPS
    started = lib.now()
    lib.log("discover chaos suite: binary %s (sha256 %s..., copied to %s), output %s, seed %s "
            "(CHAOS_SEED=%s reproduces), %s mode" % (original, digest[:12], binary, out, seed, seed,
                                                     "quick" if args.quick else "full"))

    def on_signal(number, _frame):
        raise KeyboardInterrupt("signal %d" % number)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    results = []
    interrupted = False
    try:
        prep(ctx)
        for name in [g for g in GROUPS if g in groups]:
            lib.log("")
            lib.log("==> %s" % TITLES[name])
            module = load(name)
            try:
                group = module.run(ctx)
            except KeyboardInterrupt:
                raise
            except Exception as error:  # a bug of the suite, not of discover: reported as such
                import traceback
                traceback.print_exc()
                group = lib.Group(name, TITLES[name])
                group.skipped = "suite error: %s" % error
            group.finish()
            lib.log("  (%s took %.0f s)" % (TITLES[name], group.seconds))
            results.append(group)
            write_report(ctx, results, started, partial=True)
    except KeyboardInterrupt:
        interrupted = True
        lib.log("\ninterrupted; cleaning up")
    finally:
        for cleanup in reversed(CLEANUPS):
            try:
                cleanup()
            except Exception:  # noqa: BLE001
                pass
        ctx.stop_app()
        stray = lib.leftover_processes([lib.SUITE_ID], settle=0)
        if stray:
            lib.log("killed %d stray processes of the suite's runs" % len(stray))
    summary(ctx, results, started)
    path = write_report(ctx, results, started, partial=interrupted)
    lib.log("report: %s" % path)
    if interrupted:
        return 130
    bad = any(g.skipped and g.skipped.startswith("suite error") for g in results)
    failing = any(g.failures or g.survived < g.tried for g in results if not g.skipped)
    return 2 if bad else (1 if failing else 0)


def write_report(ctx, results, started, partial):
    report = {
        "binary": ctx.original_bin,
        "binary_sha256": ctx.bin_sha256,
        "binary_copy": ctx.bin,
        "seed": ctx.seed,
        "mode": "quick" if ctx.quick else "full",
        "partial": partial,
        "seconds": round(lib.now() - started, 1),
        "launch_secs": ctx.launch_secs,
        "knobs": {
            "signal_runs": ctx.signal_runs, "sigkill_runs": ctx.sigkill_runs, "malformed": ctx.malformed,
            "hang_secs": ctx.hang_secs, "grace_secs": ctx.grace, "launch_allowance_secs": ctx.launch_allowance,
            "overrun_secs": ctx.overrun, "rss_cap_mb": ctx.rss_cap_mb, "slowloris": ctx.slowloris,
            "upload_mb": ctx.upload_mb,
        },
        "groups": [g.to_json() for g in results],
    }
    path = os.path.join(ctx.out, "chaos-report.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=1, default=str)
    os.replace(tmp, path)
    return path


if __name__ == "__main__":
    sys.exit(main())
