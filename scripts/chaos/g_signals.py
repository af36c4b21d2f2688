"""Group 1: signals at random moments. Runs the small flow (and some `discover demo` runs) and sends
SIGINT, SIGTERM or SIGHUP at a random moment of the run; some runs get SIGKILL (counted apart: no
cleanup can run, but nothing may be orphaned, outputs must still parse, and the next start should
sweep the stale folders). After each: leftover processes and folders, outputs, exit code, time from
signal to exit."""

import os
import signal
import statistics
import time

import lib

EXPECTED = {
    signal.SIGINT: {130},
    signal.SIGTERM: {130, 143},   # --help says 130, the README 143: both accepted
    signal.SIGHUP: None,          # not documented: reported, judged only on cleanup
}


def plan_kind(ctx, rng):
    return "demo" if rng.random() < ctx.demo_share else "small"


def start_run(ctx, kind, folder, tag, out_name="out"):
    out = os.path.join(folder, out_name)
    if kind == "demo":
        args = ["demo", "--until", "started", "--training-seconds", "2", "--output", out]
        return ctx.spawn(folder, args, tag, cwd=ctx.repo)
    args = ["run", ctx.small_flow_folder(), "--base-url", ctx.base_url, "--output", out]
    return ctx.spawn(folder, args, tag)


def calibrate(ctx, group):
    durations = {}
    for kind, runs in (("small", 2), ("demo", 1)):
        values = []
        for i in range(runs):
            folder = ctx.run_folder("signals", "calibrate-%s-%d" % (kind, i))
            tag = ctx.tag("signals", "cal%s%d" % (kind, i))
            child = start_run(ctx, kind, folder, tag).wait(cap=120)
            leftovers = lib.leftover_processes(ctx.markers(folder, tag), settle=ctx.settle)
            folders = lib.temp_leftovers(os.path.join(folder, "tmp"))
            values.append(child.duration)
            lib.log("  calibration %-5s run %d: %s in %.1f s; leftover processes %d, folders %d"
                    % (kind, i, lib.describe_exit(child), child.duration, len(leftovers),
                       len(folders["profiles"]) + len(folders["replica"])))
            if child.returncode != 0:
                lib.log("    (an unsignaled run failed: %s)" % child.stderr_tail(300).strip().replace("\n", " | "))
        durations[kind] = statistics.median(values)
    return durations


def run(ctx):
    group = lib.Group("signals", "Signals at random moments (SIGINT/SIGTERM/SIGHUP; SIGKILL apart)")
    ctx.ensure_app()
    rng = lib.rng_for(ctx.seed, "signals")
    durations = calibrate(ctx, group)
    group.figures["calibrated_run_secs"] = {k: round(v, 2) for k, v in durations.items()}
    lib.log("  signal moments drawn uniformly over 2%%..95%% of a run (small %.1f s, demo %.1f s); seed %s"
            % (durations["small"], durations["demo"], ctx.seed))

    sigs = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    plan = [(sigs[i % 3], plan_kind(ctx, rng)) for i in range(ctx.signal_runs)]
    rng.shuffle(plan)
    plan += [(signal.SIGKILL, plan_kind(ctx, rng)) for _ in range(ctx.sigkill_runs)]

    stats = {}
    to_exit = {}
    kill_stats = {"runs": 0, "orphans": 0, "stale_after_kill": 0, "stale_after_next_start": 0,
                  "outputs_damaged": 0, "survived": 0}
    totals = {"leftover_process_runs": 0, "leftover_processes": 0, "leftover_profile_runs": 0,
              "leftover_replica_runs": 0, "har_invalid": 0, "json_invalid": 0, "jsonl_partial": 0,
              "jsonl_without_trailer": 0, "trailer_says_interrupted": 0, "trailer_present": 0,
              "completed_before_signal": 0, "exited_0_after_signal": 0}

    for index, (sig, kind) in enumerate(plan):
        name = "%03d-%s-%s" % (index, signal.Signals(sig).name, kind)
        folder = ctx.run_folder("signals", name)
        tag = ctx.tag("signals", name)
        delay = rng.uniform(0.02, 0.95) * durations[kind]
        for attempt in range(4):
            child = start_run(ctx, kind, folder, tag)
            while lib.now() - child.started < delay:
                if child.poll():
                    break
                time.sleep(0.005)
            if not child.poll():
                break
            # the run ended before its signal (a fast run): not counted; again, earlier
            totals["completed_before_signal"] += 1
            lib.log("  --   %-34s finished before its signal at %.2f s; again at an earlier moment" % (name, delay))
            lib.leftover_processes(ctx.markers(folder, tag), settle=ctx.settle)
            folder = ctx.run_folder("signals", name)
            delay = rng.uniform(0.02, 0.6) * min(delay, durations[kind])
        else:
            continue
        sent_at = lib.now()
        child.send(sig)
        child.wait(cap=delay + 90)
        since_signal = (child.ended or lib.now()) - sent_at
        leftovers = lib.leftover_processes(ctx.markers(folder, tag), settle=ctx.settle)
        temp = lib.temp_leftovers(os.path.join(folder, "tmp"))
        check = lib.check_outputs(os.path.join(folder, "out"))
        sig_name = signal.Signals(sig).name
        code = lib.describe_exit(child)
        repro = ("cd %s && (TMPDIR=%s/tmp %s & sleep %.2f; kill -%s $!; wait $!; echo exit $?)"
                 % (folder, folder, child.repro.split("&& ", 1)[-1], delay, sig_name[3:]))
        problems = lib.outputs_problems(check)
        totals["har_invalid"] += check["har"] == "invalid"
        totals["json_invalid"] += bool(check["json_invalid"])
        totals["jsonl_partial"] += check["jsonl"] == "partial-line"

        if sig == signal.SIGKILL:
            kill_stats["runs"] += 1
            stale = temp["profiles"] + temp["replica"]
            kill_stats["orphans"] += len(leftovers)
            kill_stats["stale_after_kill"] += bool(stale)
            kill_stats["outputs_damaged"] += bool(problems)
            # the next start, in the same TMPDIR, should sweep the dead run's folders
            after = None
            if stale:
                ntag = tag + "-next"
                # a separate output folder, so the killed run's outputs stay as they were
                nxt = start_run(ctx, kind, folder, ntag, out_name="out-next")
                nxt.wait(cap=120)
                lib.leftover_processes(ctx.markers(folder, ntag), settle=ctx.settle)
                left = lib.temp_leftovers(os.path.join(folder, "tmp"))
                after = [n for n in stale if n in left["profiles"] + left["replica"]]
                kill_stats["stale_after_next_start"] += bool(after)
            ok = not leftovers and not problems and not after
            kill_stats["survived"] += ok
            detail = "@%.2f s; orphans %d; stale folders %d%s; %s" % (
                delay, len(leftovers), len(stale),
                "" if after is None else " (still there after the next start: %d)" % len(after),
                ", ".join(problems) or "outputs parse")
            reasons = []
            if leftovers:
                reasons.append("orphaned processes after SIGKILL: %s" % "; ".join(leftovers[:3]))
            if problems:
                reasons.append("; ".join(problems))
            if after:
                reasons.append("stale %s not swept by the next start" % ", ".join(after))
            rec = {"case": "sigkill " + name, "survived": ok, "detail": detail, "repro": repro,
                   "reasons": reasons}
            group.cases.append(rec)
            if not ok:
                group.failures.append(rec)
            lib.log("  %s %-34s %s" % ("ok  " if ok else "FAIL", name, detail))
            continue

        s = stats.setdefault(sig_name, {"runs": 0, "survived": 0, "codes": {}})
        s["runs"] += 1
        s["codes"][code] = s["codes"].get(code, 0) + 1
        to_exit.setdefault(sig_name, []).append(since_signal)
        reasons = []
        crash = lib.is_crash(child)
        died = child.signal_death
        if child.killed_by:
            reasons.append("did not exit within %.0f s of %s" % (since_signal, sig_name))
        elif died:
            reasons.append("died of %s (not handled)" % lib.SIGNAL_NAMES.get(died, died))
        elif crash:
            reasons.append("crash report on stderr")
        expected = EXPECTED[sig]
        if child.returncode == 0 and not child.killed_by:
            totals["exited_0_after_signal"] += 1
            if check["trailer"] is None or not check["trailer"].get("complete"):
                reasons.append("exit 0 after %s but the capture is not complete" % sig_name)
        elif expected is not None and not died and not child.killed_by and child.returncode not in expected:
            reasons.append("exit %s after %s (expected %s)" % (child.returncode, sig_name,
                                                               "/".join(map(str, sorted(expected)))))
        if since_signal > ctx.grace and not child.killed_by:
            reasons.append("took %.1f s from %s to exit (grace %.0f s)" % (since_signal, sig_name, ctx.grace))
        if leftovers:
            totals["leftover_process_runs"] += 1
            totals["leftover_processes"] += len(leftovers)
            reasons.append("%d leftover processes: %s" % (len(leftovers), "; ".join(leftovers[:3])))
        if temp["profiles"]:
            totals["leftover_profile_runs"] += 1
            reasons.append("leftover profile %s" % ", ".join(temp["profiles"]))
        if temp["replica"]:
            totals["leftover_replica_runs"] += 1
            reasons.append("leftover replica folder %s" % ", ".join(temp["replica"]))
        reasons.extend(problems)
        if check["jsonl"] != "missing":
            if check["trailer"] is None:
                totals["jsonl_without_trailer"] += 1
            else:
                totals["trailer_present"] += 1
                reason_text = (check["trailer"].get("reason") or "").lower()
                if any(w in reason_text for w in ("interrupt", "signal", "sigint", "sigterm", "sighup")):
                    totals["trailer_says_interrupted"] += 1
        ok = not reasons
        s["survived"] += ok
        detail = "@%.2f s -> %s, %.2f s after the signal; procs %d, profiles %d, replica %d; har %s, jsonl %s" % (
            delay, code, since_signal, len(leftovers), len(temp["profiles"]), len(temp["replica"]),
            check["har"], check["jsonl"])
        rec = {"case": name, "survived": ok, "detail": detail, "repro": repro, "reasons": reasons,
               "signal": sig_name, "kind": kind, "delay": round(delay, 3),
               "exit": code, "signal_to_exit_secs": round(since_signal, 3),
               "trailer": check["trailer"]}
        group.tried += 1
        group.survived += ok
        group.cases.append(rec)
        if not ok:
            group.failures.append(rec)
        lib.log("  %s %-34s %s" % ("ok  " if ok else "FAIL", name, detail))
        for r in reasons[:4]:
            lib.log("         - %s" % r)

    timing = {}
    for sig_name, values in to_exit.items():
        values = sorted(values)
        timing[sig_name] = {"median": round(statistics.median(values), 2),
                            "p95": round(values[min(len(values) - 1, int(0.95 * len(values)))], 2),
                            "max": round(values[-1], 2)}
    group.figures.update({"per_signal": stats, "signal_to_exit_secs": timing, "sigkill": kill_stats})
    group.figures.update(totals)

    lib.log("")
    lib.log("  signal   runs survived  exit codes")
    for sig_name, s in sorted(stats.items()):
        codes = ", ".join("%s x%d" % (c, n) for c, n in sorted(s["codes"].items(), key=lambda kv: -kv[1]))
        t = timing.get(sig_name, {})
        lib.log("  %-8s %4d %8d  %s; signal->exit median %s s, p95 %s s, max %s s"
                % (sig_name, s["runs"], s["survived"], codes, t.get("median"), t.get("p95"), t.get("max")))
    lib.log("  leftover processes: %d in %d runs; leftover profiles: %d runs; leftover replica folders: %d runs"
            % (totals["leftover_processes"], totals["leftover_process_runs"], totals["leftover_profile_runs"],
               totals["leftover_replica_runs"]))
    lib.log("  capture.har invalid: %d; other JSON invalid: %d; capture.jsonl partial line: %d; "
            "capture without trailer: %d; trailer naming the interrupt: %d of %d"
            % (totals["har_invalid"], totals["json_invalid"], totals["jsonl_partial"],
               totals["jsonl_without_trailer"], totals["trailer_says_interrupted"], totals["trailer_present"]))
    lib.log("  SIGKILL: %d runs, %d survived; orphaned processes %d; stale folders after the kill in %d runs, "
            "still there after the next start in %d; outputs damaged in %d"
            % (kill_stats["runs"], kill_stats["survived"], kill_stats["orphans"], kill_stats["stale_after_kill"],
               kill_stats["stale_after_next_start"], kill_stats["outputs_damaged"]))
    group.figures["sigkill_tried"] = kill_stats["runs"]
    group.figures["sigkill_survived"] = kill_stats["survived"]
    return group
