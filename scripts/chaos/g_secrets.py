"""Group 7: secrets. A flow marks CHAOS_SECRET secret (`requires` + `secrets`), types it into a page,
posts it in a form, and sends it in a URL with only `"` percent-encoded, fully percent-encoded, in a
form body, in JSON, as base64 and base64url of the secret and of `user:secret`; names a screenshot
after it; ends on a failing step whose text holds it. A second run uses
--base-url http://chaosuser:CHAOSurlpass9@127.0.0.1:PORT. Then `generate` and `diff` on the runs.
Every file written (and every file name), stderr and stdout are searched for every encoding of the
secret (all partial percent-encodings, JSON, HTML, base64/base64url at any alignment, raw prefix)
and of the URL password. Each encoding is a case: it survives with 0 hits."""

import base64
import itertools
import json
import os
import re

import lib

SECRET = 'CHAOSs3cr3t"4711+k=v!'
CORE = "CHAOSs3cr3t"                       # the secret's literal prefix: any hit is some leak
URL_USER = "chaosuser"
URL_PASS = "CHAOSurlpass9"
SPECIALS = '"+=!'


def percent_variants(s):
    out = {}
    chars = [c for c in SPECIALS if c in s]
    for n in range(1, len(chars) + 1):
        for subset in itertools.combinations(chars, n):
            for hexcase in ("upper", "lower"):
                t = s
                for c in subset:
                    enc = "%%%02X" % ord(c)
                    t = t.replace(c, enc if hexcase == "upper" else enc.lower())
                label = "percent-encoded (%s)" % (" ".join(subset) if len(subset) < len(chars) else "all")
                out[t] = label
    return out


def b64_cores(raw, url=False):
    """Substrings every base64 (or base64url) encoding of a text containing raw must hold, whatever
    the byte offset of raw inside it."""
    cores = set()
    data = raw.encode()
    for k in range(3):
        e = base64.b64encode(b"\0" * k + data).decode()
        skip = {0: 0, 1: 2, 2: 3}[k]
        core = e[skip:len(e) - 4]
        if url:
            core = core.replace("+", "-").replace("/", "_")
        if len(core) >= 12:
            cores.add(core)
    return cores


def json_escaped(text):
    return json.dumps(text)[1:-1]


def needles():
    """[(needle, family)] searched as bytes."""
    n = []
    for base, prefix in ((SECRET, ""), (SECRET.replace("+", " "), "form-decoded (+ read as space), ")):
        n += [(base, prefix + "raw" if prefix else "raw"),
              (json_escaped(base), prefix + "JSON-escaped"),
              (json_escaped(json_escaped(base)), prefix + "JSON-escaped twice"),
              (base.replace('"', "&quot;"), prefix + "HTML-escaped"),
              (base.replace('"', "&#34;"), prefix + "HTML-escaped"),
              (base.replace('"', "\\u0022"), prefix + "JSON \\u-escaped")]
    for text, label in percent_variants(SECRET).items():
        n.append((text, label))
    for core in b64_cores(SECRET):
        n.append((core, "base64(secret)"))
    for core in b64_cores(SECRET, url=True):
        n.append((core, "base64url(secret)"))
    for core in b64_cores(URL_USER + ":" + SECRET):
        n.append((core, "base64(user:secret)"))
    for core in b64_cores(URL_USER + ":" + SECRET, url=True):
        n.append((core, "base64url(user:secret)"))
    n.append((URL_PASS, "--base-url password"))
    for core in b64_cores(URL_USER + ":" + URL_PASS):
        n.append((core, "base64(user:url password)"))
    # de-duplicate, longest first so a position is attributed to its most specific encoding
    seen = {}
    for text, label in n:
        seen.setdefault(text, label)
    return sorted(seen.items(), key=lambda kv: -len(kv[0]))


FAMILIES_ORDER = ["raw", "JSON-escaped", "JSON \\u-escaped", "JSON-escaped twice", "HTML-escaped"]


def scan(paths, results, files_hit):
    table = [(t.encode(), label) for t, label in needles()]
    core = CORE.encode()
    for path, shown in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        covered = []
        for needle, label in table:
            start = 0
            while True:
                i = data.find(needle, start)
                if i < 0:
                    break
                start = i + 1
                if any(a <= i < b for a, b in covered):
                    continue
                covered.append((i, i + len(needle)))
                results[label] = results.get(label, 0) + 1
                files_hit.setdefault(label, {}).setdefault(shown, 0)
                files_hit[label][shown] += 1
        for m in re.finditer(re.escape(core), data):
            i = m.start()
            if any(a <= i < b for a, b in covered):
                continue
            label = "other form (prefix %s)" % CORE
            results[label] = results.get(label, 0) + 1
            files_hit.setdefault(label, {}).setdefault(shown, 0)
            files_hit[label][shown] += 1


def scan_names(root, results, files_hit):
    table = [(t, label) for t, label in needles() if "base64" not in label]
    for dirpath, dirnames, files in os.walk(root):
        for name in files + dirnames:
            for needle, label in table + [(CORE, "prefix")]:
                if needle in name:
                    key = "file name"
                    results[key] = results.get(key, 0) + 1
                    files_hit.setdefault(key, {})[os.path.relpath(os.path.join(dirpath, name), root)] = 1
                    break


def write_flow(ctx, folder):
    js = ("(async () => { const s = '${env.CHAOS_SECRET}';"
          " const b64 = btoa(s); const b64u = b64.replace(/\\+/g, '-').replace(/\\//g, '_');"
          " const ub = btoa('%s:' + s); const ubu = ub.replace(/\\+/g, '-').replace(/\\//g, '_');"
          " await fetch('/echo/path/' + s);"
          " await fetch('/echo/query?x=' + s);"
          " await fetch('/echo/full?x=' + encodeURIComponent(s));"
          " await fetch('/echo/form', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
          " body: 'note=' + encodeURIComponent(s)});"
          " await fetch('/echo/json', {method: 'POST', headers: {'Content-Type': 'application/json'},"
          " body: JSON.stringify({note: s})});"
          " await fetch('/echo/b64', {method: 'POST', headers: {'Content-Type': 'text/plain', 'X-Blob': b64}, body: b64});"
          " await fetch('/echo/b64url?blob=' + b64u, {method: 'POST', body: b64u});"
          " await fetch('/echo/basic', {headers: {'X-Auth-Copy': 'Basic ' + ub}});"
          " await fetch('/echo/basicurl?c=' + ubu);"
          " return 1; })()") % URL_USER
    flow = {
        "name": "secrets",
        "requires": ["CHAOS_SECRET"],
        "secrets": ["CHAOS_SECRET"],
        "steps": [
            {"goto": "/secret.html"},
            {"fill": {"label": "Note"}, "value": "${env.CHAOS_SECRET}"},
            {"type": {"label": "Typed"}, "value": "${env.CHAOS_SECRET}"},
            {"evaluate": js},
            {"click": {"css": "#send"}},
            {"waitFor": {"text": "form-done"}},
            {"screenshot": "shot-${env.CHAOS_SECRET}.png"},
            {"goto": "/echo/nav?x=${env.CHAOS_SECRET}"},
            {"waitFor": {"url": "**/never-${env.CHAOS_SECRET}"}, "timeout": 1000,
             "name": "a step that fails with the secret in it"},
        ],
    }
    path = os.path.join(folder, "flows", "01-secrets.flow.json")
    ctx.write_json(path, flow)
    # the userinfo run: a page whose URL holds credentials may not fetch relative URLs, so this flow
    # only loads pages and clicks (the app's own fetch), and ends on a failing step too
    simple = {
        "name": "userinfo",
        "steps": [
            {"goto": "/index.html"},
            {"fill": {"placeholder": "Query"}, "value": "hello"},
            {"click": {"css": "#go"}},
            {"waitFor": {"text": "items:2"}, "timeout": 3000},
            {"goto": "/echo/nav?x=1"},
            {"waitFor": {"text": "never shows"}, "timeout": 1000, "name": "a step that fails"},
        ],
    }
    path2 = os.path.join(folder, "flows-userinfo", "01-userinfo.flow.json")
    ctx.write_json(path2, simple)
    return path, path2


def run(ctx):
    group = lib.Group("secrets", "Secrets in every encoding: hits in files, file names, stderr")
    ctx.ensure_app()
    folder = ctx.run_folder("secrets", "runs")
    flow, flow_userinfo = write_flow(ctx, folder)
    env = {"CHAOS_SECRET": SECRET}
    runs = []
    for name, base, fl in (("plain", ctx.base_url, flow),
                           ("userinfo", "http://%s:%s@127.0.0.1:%d" % (URL_USER, URL_PASS, ctx.app_port),
                            flow_userinfo)):
        sub = ctx.run_folder("secrets", name)
        out = os.path.join(sub, "out")
        tag = ctx.tag("secrets", name)
        child = ctx.spawn(sub, ["run", fl, "--base-url", base, "--output", out], tag, env_extra=env).wait(
            cap=90, rss_cap_kb=ctx.rss_cap_kb())
        lib.leftover_processes(ctx.markers(sub, tag), settle=ctx.settle)
        endpoints = None
        try:
            endpoints = len(lib.json_load_file(os.path.join(out, "discovered-endpoints.json")).get("endpoints", []))
        except (OSError, ValueError, AttributeError):
            pass
        lib.log("  run %-8s %s in %.1f s (the last step fails on purpose: exit 1 expected); %s endpoints; %s"
                % (name, lib.describe_exit(child), child.duration, endpoints,
                   child.stderr_text().count("failed at") and
                   [l.strip() for l in child.stderr_text().splitlines() if "failed at" in l][:1]))
        group.figures["endpoints_" + name] = endpoints
        runs.append((name, sub, out, child))
    gen = ctx.run_folder("secrets", "generate")
    g = ctx.spawn(gen, ["generate", runs[0][2], "--output", os.path.join(gen, "out")], ctx.tag("secrets", "gen"),
                  env_extra=env).wait(cap=60)
    lib.log("  generate on the plain run: %s" % lib.describe_exit(g))
    dif = ctx.run_folder("secrets", "diff")
    d = ctx.spawn(dif, ["diff", runs[0][2], runs[1][2]], ctx.tag("secrets", "diff"), env_extra=env).wait(cap=60)
    lib.log("  diff plain vs userinfo: %s" % lib.describe_exit(d))

    paths = []
    root = os.path.join(ctx.work, "secrets")
    for sub in ("plain", "userinfo", "generate", "diff"):
        base = os.path.join(root, sub)
        for dirpath, _, files in os.walk(base):
            if os.path.relpath(dirpath, base).split(os.sep)[0] == "tmp":
                continue
            for name in files:
                full = os.path.join(dirpath, name)
                paths.append((full, os.path.relpath(full, root)))
    results, files_hit = {}, {}
    scan(paths, results, files_hit)
    scan_names(os.path.join(root, "plain"), results, files_hit)
    scan_names(os.path.join(root, "userinfo"), results, files_hit)

    families = []
    for _, label in needles():
        if not label.startswith("percent") and "base64" not in label and label not in families \
                and label != "--base-url password":
            families.append(label)
    families += sorted({label for _, label in needles() if label.startswith("percent")})
    families += ["base64(secret)", "base64url(secret)", "base64(user:secret)", "base64url(user:secret)",
                 "file name", "--base-url password", "base64(user:url password)",
                 "other form (prefix %s)" % CORE]
    total = 0
    lib.log("  %-36s %6s  files" % ("encoding", "hits"))
    for fam in families:
        hits = results.get(fam, 0)
        total += hits
        files = files_hit.get(fam, {})
        top = sorted(files.items(), key=lambda kv: -kv[1])
        detail = "%d hits in %d files%s" % (hits, len(files), (": " + ", ".join(
            "%s x%d" % (f, n) for f, n in top[:4])) if top else "")
        needle = next((t for t, l in needles() if l == fam), CORE)
        repro = "grep -rlF %s %s" % (lib.shell_quote(needle), root)
        group.case("secret " + fam, hits == 0, detail, repro=repro if hits else None,
                   data={"hits": hits, "files": dict(top[:20])})
    all_files = set()
    for fam, files in files_hit.items():
        all_files.update(files)
    group.figures.update({"hits": total, "files_with_hits": len(all_files), "files_searched": len(paths),
                          "by_encoding": {k: v for k, v in results.items() if v},
                          "secret": SECRET, "url_password": URL_PASS,
                          "run_exits": {n: lib.describe_exit(c) for n, _, _, c in runs},
                          "generate_exit": lib.describe_exit(g), "diff_exit": lib.describe_exit(d)})
    lib.log("  secret hits: %d in %d of %d files searched" % (total, len(all_files), len(paths)))
    return group
