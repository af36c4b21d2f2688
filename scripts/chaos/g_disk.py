"""Group 3: disk full. The output folder sits on a 2 MB tmpfs (needs root and mount; the group is
skipped with a message otherwise) that already holds a previous good run. Three ways to fill it:
big responses (5 x 600 KB), a disk nearly full before the run starts, and room for the capture but
not for the HAR and the rest. Checks: a non-zero exit in time, the error names the file and says the
disk is full, capture.jsonl has no partial line, the previous run's files are intact, no process left."""

import os
import shutil
import subprocess

import lib

SIZE = "2m"


def mount(mnt):
    lib.mkdir(mnt)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", mnt], capture_output=True, text=True)
    return r.returncode == 0, (r.stderr or r.stdout).strip()


def umount(mnt):
    subprocess.run(["umount", "-l", mnt], capture_output=True)


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def fill(mnt, leave):
    """Writes a filler file so that about `leave` bytes stay free."""
    path = os.path.join(mnt, "filler.bin")
    size = max(0, free_bytes(mnt) - leave)
    with open(path, "wb") as f:
        f.write(b"\0" * size)
    return size


def run(ctx):
    group = lib.Group("disk", "Disk full: errors name the file, nothing half-written, previous run kept")
    ctx.ensure_app()
    root = ctx.run_folder("disk", "mnt-root")
    mnt = os.path.join(root, "mnt")
    ok, error = mount(mnt)
    if not ok:
        group.skipped = "cannot mount a tmpfs (%s); run as root to measure disk-full behaviour" % (error or "mount failed")
        lib.log("  skipped: " + group.skipped)
        return group
    umount(mnt)
    ctx.cleanups.append(lambda: umount(mnt))

    flows = ctx.small_flow_folder()
    big = os.path.join(ctx.work, "flows-big")
    ctx.write_json(os.path.join(big, "01-big.flow.json"), {
        "name": "big", "steps": [{"goto": "/big.html?n=5&kb=600"}, {"waitFor": {"text": "big-done"}, "timeout": 10000}]})
    mid = os.path.join(ctx.work, "flows-mid")
    ctx.write_json(os.path.join(mid, "01-mid.flow.json"), {
        "name": "mid", "steps": [{"goto": "/big.html?n=2&kb=300"}, {"waitFor": {"text": "big-done"}, "timeout": 10000}]})

    # the previous good run, made once on ordinary disk
    gfolder = ctx.run_folder("disk", "good")
    gtag = ctx.tag("disk", "good")
    good_out = os.path.join(gfolder, "out")
    g = ctx.spawn(gfolder, ["run", flows, "--base-url", ctx.base_url, "--output", good_out], gtag).wait(cap=120)
    lib.leftover_processes(ctx.markers(gfolder, gtag), settle=ctx.settle)
    if g.returncode != 0:
        group.skipped = "the good run failed: %s" % lib.describe_exit(g)
        return group
    # the sizes a 600 KB run writes, measured on ordinary disk
    mfolder = ctx.run_folder("disk", "mid-sizes")
    mtag = ctx.tag("disk", "mid")
    m = ctx.spawn(mfolder, ["run", mid, "--base-url", ctx.base_url, "--output", os.path.join(mfolder, "out")],
                  mtag).wait(cap=120)
    lib.leftover_processes(ctx.markers(mfolder, mtag), settle=ctx.settle)
    try:
        jsonl_size = os.path.getsize(os.path.join(mfolder, "out", "capture.jsonl"))
        har_size = os.path.getsize(os.path.join(mfolder, "out", "capture.har"))
    except OSError:
        jsonl_size, har_size = 700 * 1024, 700 * 1024
    lib.log("  a 600 KB run writes capture.jsonl %s and capture.har %s (%s)" % (
        lib.fmt_bytes(jsonl_size), lib.fmt_bytes(har_size), lib.describe_exit(m)))

    cases = [
        ("big responses fill the disk", big, None),
        ("disk nearly full before the run", mid, 48 * 1024),
        ("room for the capture, not the rest", mid, int(jsonl_size * 1.15)),
    ]
    for name, flow, leave in cases:
        key = "".join(c if c.isalnum() else "-" for c in name)[:40]
        folder = ctx.run_folder("disk", key)
        ok, error = mount(mnt)
        if not ok:
            group.case(name, False, "mount failed: %s" % error)
            continue
        try:
            out = os.path.join(mnt, "out")
            shutil.copytree(good_out, out)
            before = lib.snapshot_tree(out)
            filled = fill(mnt, leave) if leave is not None else 0
            free_before = free_bytes(mnt)
            tag = ctx.tag("disk", key)
            child = ctx.spawn(folder, ["run", flow, "--base-url", ctx.base_url, "--output", out, "--timeout", "10000"],
                              tag)
            deadline = 10 + ctx.grace + ctx.launch_allowance
            child.wait(cap=deadline + ctx.overrun)
            leftovers = lib.leftover_processes(ctx.markers(folder, tag), settle=ctx.settle)
            after = lib.snapshot_tree(out) if os.path.isdir(out) else {}
            check = lib.check_outputs(out)
            text = child.stderr_text()
            reasons, checks = [], []
            if lib.is_crash(child):
                reasons.append("crashed: %s" % lib.describe_exit(child))
            if child.killed_by:
                reasons.append("killed by the suite: %s" % child.killed_by)
            reasons.extend(lib.outputs_problems(check))
            kept, relocated, lost = lib.compare_previous(before, after)
            complete_new = child.returncode == 0 and lib.outputs_whole(check) and check["trailer"] is not None \
                and check["trailer"].get("complete") is True
            if complete_new:
                checks.append("the disk did not fill: a complete new run fits (not a disk-full case)")
            elif lost:
                reasons.append("previous run damaged: %d of %d files lost (%s)" % (
                    len(lost), len(before), ", ".join(lost[:4])))
            if relocated and not complete_new:
                checks.append("%d previous files moved to %s" % (
                    len(relocated), ", ".join(sorted({os.path.dirname(n) + "/" for _, n in relocated}))))
            if leftovers:
                reasons.append("%d leftover processes" % len(leftovers))
            if child.returncode == 0 and not child.killed_by and not complete_new:
                checks.append("exit 0 on a full disk")
            names = ["capture.jsonl", "capture.har", "discovered-endpoints.json", "openapi.json", "report.md",
                     ".ts", "failures", "bodies", mnt]
            errors = "\n".join(l for l in text.splitlines() if "error" in l.lower())
            if not complete_new and not any(n in errors for n in names):
                checks.append("the error names no file")
            low = errors.lower()
            if not complete_new and not any(w in low for w in ("no space", "disk full", "enospc", "disk is full",
                                                                 "space left", "enough space")):
                checks.append("the error does not say the disk is full")
            if "NSCocoaErrorDomain" in text or "Error Domain=" in text:
                checks.append("raw NSError text on stderr")
            detail = ("%s after %.1f s (free before the run %s); previous files: %d kept in place, %d moved, %d lost; "
                      "jsonl %s; har %s" % (lib.describe_exit(child), child.duration, lib.fmt_bytes(free_before),
                                            len(kept), len(relocated), len(lost), check["jsonl"], check["har"]))
            errline = next((l.strip() for l in text.splitlines() if l.startswith("error")), "")
            group.case(name, not reasons, detail, repro="mount -t tmpfs -o size=2m tmpfs MNT; (previous run in MNT/out); "
                       + child.repro.replace(mnt, "MNT"), checks_failed=checks,
                       data={"reasons": reasons, "error_line": errline[:300], "filled_bytes": filled})
            for r in reasons:
                lib.log("         - %s" % r)
            if errline:
                lib.log("         stderr: %s" % errline[:200])
        finally:
            umount(mnt)
    return group
