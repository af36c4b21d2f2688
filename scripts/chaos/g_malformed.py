"""Group 5: malformed inputs to every file-reading command (validate, run, convert, generate, diff).
A fixed set of special inputs (deep nesting, include targets like /dev/zero and a FIFO, bad regexes,
variable cycles and exponential expansion, huge strings, ...) plus random mutations of the real flows,
Recorder exports, captures and endpoint files, up to CHAOS_MALFORMED inputs. Counts crashes (death by
a signal or a runtime crash report), hangs (> CHAOS_HANG_SECS), memory blow-ups (> CHAOS_RSS_CAP_MB)
and exit codes that contradict `discover --help`; for flows it also asks `run` (with a browser that
does not exist, so nothing starts) and counts the inputs `validate` passes but `run` refuses.
Input i is generated from CHAOS_SEED and i alone; every finding's input is kept in CHAOS_OUT/crashers/
(crashes) or CHAOS_OUT/findings/ (the rest) with the command that reproduces it."""

import glob
import json
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import lib
import mutate

DEAD_URL = "http://127.0.0.1:9"


class Seeds:
    def __init__(self, ctx):
        repo = ctx.repo
        self.flow_files = sorted(glob.glob(os.path.join(repo, "flows", "*", "*.flow.json")))
        self.recordings = [p for p in glob.glob(os.path.join(repo, "Tests", "FlowsTests", "Fixtures", "*.json"))
                           if not p.endswith(".flow.json")]
        self.recordings.append(self._synthetic_recording(ctx))
        self.captures = sorted(glob.glob(os.path.join(repo, "corpus", "*", "run-1.capture.jsonl")))
        demo_capture = os.path.join(repo, "output", "ai-toolkit", "capture.jsonl")
        if os.path.exists(demo_capture):
            self.captures.append(demo_capture)
        if ctx.seed_demo:
            self.captures.append(os.path.join(ctx.seed_demo, "capture.jsonl"))
        self.endpoints = []
        if ctx.seed_demo:
            self.endpoints.append(os.path.join(ctx.seed_demo, "discovered-endpoints.json"))
        self.sample_exchange = None
        for cap in self.captures:
            with open(cap, "rb") as f:
                for line in f:
                    try:
                        obj = json.loads(line)
                    except ValueError:
                        continue
                    if obj.get("record") == "exchange" and obj["exchange"].get("kind") == "http" and \
                            "json" in str(obj["exchange"].get("response", {}).get("mimeType", "")):
                        self.sample_exchange = obj
                        break
            if self.sample_exchange:
                break
        self._cache = {}

    def _synthetic_recording(self, ctx):
        path = os.path.join(ctx.work, "malformed-seeds", "recording-all-steps.json")
        ctx.write_json(path, {
            "title": "every step type",
            "timeout": 5000,
            "steps": [
                {"type": "setViewport", "width": 1280, "height": 800, "deviceScaleFactor": 1, "isMobile": False,
                 "hasTouch": False, "isLandscape": False},
                {"type": "navigate", "url": "http://127.0.0.1:8675/",
                 "assertedEvents": [{"type": "navigation", "url": "http://127.0.0.1:8675/", "title": "x"}]},
                {"type": "click", "selectors": [["aria/Go[role=\"button\"]"], ["#go"], ["xpath///button"],
                                                ["pierce/#go"], ["text/Go"]], "offsetX": 3, "offsetY": 4},
                {"type": "doubleClick", "selectors": [["#go"]], "offsetX": 1, "offsetY": 1},
                {"type": "change", "value": "hello", "selectors": [["aria/Query"], ["#q"]]},
                {"type": "keyDown", "key": "Control"}, {"type": "keyDown", "key": "a"},
                {"type": "keyUp", "key": "a"}, {"type": "keyUp", "key": "Control"},
                {"type": "hover", "selectors": [["#out"]]},
                {"type": "scroll", "x": 0, "y": 200},
                {"type": "scroll", "selectors": [["#out"]], "x": 0, "y": 10},
                {"type": "waitForElement", "selectors": [["#out"]], "count": 1, "operator": ">="},
                {"type": "waitForElement", "selectors": [["host", "#inner"]], "visible": False},
                {"type": "waitForExpression", "expression": "document.title.length > 0"},
                {"type": "click", "selectors": [["#in-frame"]], "frame": [0], "offsetX": 1, "offsetY": 1},
                {"type": "close"},
            ],
        })
        return path

    def read(self, path):
        if path not in self._cache:
            with open(path, "rb") as f:
                self._cache[path] = f.read()
        return self._cache[path]

    def ensure_endpoints(self, ctx):
        """Endpoint files from the corpus captures (by `generate`), as seeds and diff partners."""
        for cap in self.captures[:6]:
            name = os.path.basename(os.path.dirname(cap))
            folder = ctx.run_folder("malformed-seeds", "endpoints-" + name)
            child = ctx.spawn(folder, ["generate", cap, "--output", os.path.join(folder, "out")],
                              ctx.tag("malformed", "seed" + name)).wait(cap=120)
            path = os.path.join(folder, "out", "discovered-endpoints.json")
            if child.returncode == 0 and os.path.exists(path):
                self.endpoints.append(path)


# ------------------------------------------------------------------ input builders
# Each builder writes files into `folder` and returns a list of invocations:
# [(command label, argv relative to folder, allowed exit codes, note)].

def copy_flow_folder(seeds, rng, folder):
    """Copies a real flows folder (flows, json side files, fixtures as a link); returns (copy, file)."""
    seed = rng.choice(seeds.flow_files)
    src = os.path.dirname(seed)
    dst = os.path.join(folder, "flows", os.path.basename(src))
    lib.mkdir(dst)
    for name in os.listdir(src):
        full = os.path.join(src, name)
        if os.path.isdir(full):
            os.symlink(full, os.path.join(dst, name))
        else:
            shutil.copyfile(full, os.path.join(dst, name))
    return dst, os.path.join(dst, os.path.basename(seed))


def write(path, data):
    lib.mkdir(os.path.dirname(path))
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return path


def still_json(data):
    try:
        json.loads(data)
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def flow_invocations(folder, target_file, allowed_validate, note, oracle):
    rel = os.path.relpath(target_file, folder)
    target = rel if not oracle or oracle == "file" else os.path.dirname(rel)
    inv = [("validate", ["validate", target], allowed_validate, note)]
    if oracle:
        inv.append(("run", ["run", target, "--base-url", DEAD_URL, "--browser", "/nope",
                            "--output", "run-out"], {3, 4}, note))
    return inv


def flow_mut_bytes(seeds, rng, folder, oracle):
    _, path = copy_flow_folder(seeds, rng, folder)
    with open(path, "rb") as f:
        data = mutate.byte_mutation(rng, f.read())
    write(path, data)
    return flow_invocations(folder, path, {0, 1}, "byte mutation of %s" % os.path.basename(path), oracle)


def flow_mut_tree(seeds, rng, folder, oracle):
    _, path = copy_flow_folder(seeds, rng, folder)
    with open(path, "rb") as f:
        value = mutate.tree_mutation(rng, json.loads(f.read()))
    text = mutate.dumps(value, indent=1)
    if rng.random() < 0.1:
        text = mutate.duplicate_key(text)
    write(path, text)
    return flow_invocations(folder, path, {0, 1}, "tree mutation of %s" % os.path.basename(path), oracle)


def flow_truncated(seeds, rng, folder, oracle):
    _, path = copy_flow_folder(seeds, rng, folder)
    data = mutate.truncate(rng, open(path, "rb").read())
    write(path, data)
    allowed = {0, 1} if still_json(data) else {1}
    return flow_invocations(folder, path, allowed, "%s truncated to %d bytes" % (os.path.basename(path), len(data)),
                            oracle)


def flow_random(seeds, rng, folder, oracle):
    path = os.path.join(folder, "random.flow.json")
    write(path, mutate.random_garbage(rng, rng.choice([1, 16, 300, 4096, 65536])))
    return flow_invocations(folder, path, {1}, "random bytes", oracle)


def flow_deep(seeds, rng, folder, oracle):
    _, path = copy_flow_folder(seeds, rng, folder)
    depth = rng.randint(10000, 100000)
    value = json.loads(open(path, "rb").read())
    value = mutate.inject_deep(rng, value, depth)
    write(path, mutate.dumps(value))
    return flow_invocations(folder, path, {1}, "a value nested %d deep in %s" % (depth, os.path.basename(path)),
                            oracle)


def flow_huge(seeds, rng, folder, oracle):
    _, path = copy_flow_folder(seeds, rng, folder)
    value = json.loads(open(path, "rb").read())
    value = mutate.tree_mutation(rng, value, rounds=1, huge=True)
    write(path, mutate.dumps(value))
    return flow_invocations(folder, path, {0, 1}, "huge string in %s" % os.path.basename(path), oracle)


RANDOM_FLOW = [(flow_mut_bytes, 4), (flow_mut_tree, 5), (flow_truncated, 2), (flow_random, 1),
               (flow_deep, 1), (flow_huge, 1)]


def minimal_flow(steps, **extra):
    flow = {"name": "chaos", "steps": steps}
    flow.update(extra)
    return flow


def special_flow(name, flow_text, allowed=None, setup=None):
    """A fixed flow input: validated, and checked against run."""
    def build(seeds, rng, folder, oracle):
        path = os.path.join(folder, "flows", "special.flow.json")
        lib.mkdir(os.path.dirname(path))
        text = flow_text(folder) if callable(flow_text) else flow_text
        if setup:
            setup(folder)
        write(path, text)
        return flow_invocations(folder, path, allowed or {1}, name, "file")
    build.__name__ = "special:" + name
    return build


def j(obj):
    return mutate.dumps(obj)


def exp_vars(depth=40):
    v = {"a0": "xy"}
    for i in range(1, depth + 1):
        v["a%d" % i] = "${vars.a%d}${vars.a%d}" % (i - 1, i - 1)
    return j(minimal_flow([{"fill": {"css": "#q"}, "value": "${vars.a%d}" % depth}], vars=v))


def nested_locator(key, depth):
    loc = '{"css":"div"}'
    for _ in range(depth):
        loc = '{"css":"div","%s":%s}' % (key, loc)
    return '{"name":"chaos","steps":[{"click":%s,"timeout":2000}]}' % loc


def make_fifo(folder):
    path = os.path.join(folder, "flows", "fifo.flow.json")
    lib.mkdir(os.path.dirname(path))
    os.mkfifo(path)


SPECIAL_FLOWS = [
    special_flow("UTF-8 BOM before a valid flow", "\ufeff" + j(minimal_flow([{"goto": "/"}])), {0, 1}),
    special_flow("include /etc/passwd", j(minimal_flow([{"include": "/etc/passwd"}]))),
    special_flow("include /dev/zero", j(minimal_flow([{"include": "/dev/zero"}]))),
    special_flow("include a FIFO nobody writes", j(minimal_flow([{"include": "fifo.flow.json"}])), setup=make_fifo),
    special_flow("include a directory (/)", j(minimal_flow([{"include": "/"}]))),
    special_flow("include itself", j(minimal_flow([{"include": "special.flow.json"}]))),
    special_flow("prerequisite /etc/passwd", j(minimal_flow([{"goto": "/"}], prerequisites=["/etc/passwd"]))),
    special_flow("upload /etc/passwd", j(minimal_flow([{"upload": {"css": "input"}, "files": "/etc/passwd"}]))),
    special_flow("upload ../../../../../../etc/*",
                 j(minimal_flow([{"upload": {"css": "input"}, "files": ["../../../../../../../../etc/*"]}]))),
    special_flow("bad regex in save from url", j(minimal_flow([{"save": "x", "from": {"url": {"regex": "(["}}}]))),
    special_flow("bad regex URL pattern", j(minimal_flow([{"waitFor": {"url": "/(unclosed[/"}}]))),
    special_flow("bad regex in message matches",
                 j(minimal_flow([{"waitFor": {"message": {"url": "**/ws", "matches": "a{2,1}"}}}]))),
    special_flow("variable cycle a<->b", j(minimal_flow([{"goto": "/${vars.a}"}],
                                                        vars={"a": "${vars.b}", "b": "${vars.a}"}))),
    special_flow("variable self-reference", j(minimal_flow([{"goto": "/${vars.a}"}], vars={"a": "x${vars.a}"}))),
    special_flow("vars expanding 2^40 (exponential)", exp_vars(40)),
    special_flow("within nested 5,000 deep", nested_locator("within", 5000), {0, 1}),
    special_flow("has nested 5,000 deep", nested_locator("has", 5000), {0, 1}),
    special_flow("frame nested 5,000 deep", nested_locator("frame", 5000), {0, 1}),
    special_flow("screenshot named capture.jsonl", j(minimal_flow([{"screenshot": "capture.jsonl"}])), {0, 1}),
    special_flow("screenshot named ../../x.png", j(minimal_flow([{"screenshot": "../../x.png"}])), {0, 1}),
    special_flow("a 10 MB css step", lambda f: j(minimal_flow([{"click": {"css": "d" * (10 << 20)},
                                                                 "timeout": 1000}])), {0, 1}),
    special_flow("top-level array nested 10,000 deep", mutate.deep_text(10000)),
    special_flow("object nested 100,000 deep in a step", lambda f: '{"name":"chaos","steps":[{"goto":"/","name":'
                 + mutate.deep_text(100000, "object") + '}]}'),
    special_flow("array nested 50,000 deep in vars", lambda f: '{"name":"chaos","vars":{"x":'
                 + mutate.deep_text(50000) + '},"steps":[{"goto":"/"}]}'),
    special_flow("20 MB description", lambda f: j(minimal_flow([{"goto": "/"}], description="d" * (20 << 20))),
                 {0, 1}),
    special_flow("empty file", ""),
    special_flow("50,000 steps", j(minimal_flow([{"goto": "/p%d" % i} for i in range(50000)])), {0, 1}),
    special_flow("100,000 variable references in one string",
                 j(minimal_flow([{"goto": "/" + "${vars.x}" * 100000}], vars={"x": "y"})), {0, 1}),
    special_flow("invalid UTF-8 in a string", b'{"name":"chaos\xff\xfe\xc0\x80","steps":[{"goto":"/"}]}'),
    special_flow("timeout 1e999999", '{"name":"chaos","steps":[{"goto":"/","timeout":1e999999}]}'),
    special_flow("timeout -1 and 2^64", '{"name":"chaos","steps":[{"goto":"/","timeout":-1},'
                 '{"goto":"/","timeout":18446744073709551616}]}'),
    special_flow("duplicate keys", '{"name":"a","name":"b","steps":[{"goto":"/","goto":"/x"}]}'),
    special_flow("number with 100,000 digits", '{"name":"chaos","steps":[{"goto":"/","timeout":'
                 + "9" * 100000 + '}]}'),
    special_flow("string of 1,000,000 escapes", lambda f: '{"name":"' + "\\u0041" * 1000000
                 + '","steps":[{"goto":"/"}]}', {0, 1}),
]


def nonexistent_flow(seeds, rng, folder, oracle):
    return [("validate", ["validate", "no/such/file.flow.json"], {1, 4}, "a path that does not exist"),
            ("run", ["run", "no/such/file.flow.json", "--base-url", DEAD_URL, "--browser", "/nope",
                     "--output", "run-out"], {4}, "a path that does not exist")]


nonexistent_flow.__name__ = "special:nonexistent flow path"


def prereq_cycle(seeds, rng, folder, oracle):
    a = os.path.join(folder, "flows", "a.flow.json")
    b = os.path.join(folder, "flows", "b.flow.json")
    write(a, j(minimal_flow([{"goto": "/"}], prerequisites=["b.flow.json"])))
    write(b, j({"name": "b", "prerequisites": ["a.flow.json"], "steps": [{"goto": "/"}]}))
    return flow_invocations(folder, a, {1}, "prerequisites cycle a -> b -> a", "file")


prereq_cycle.__name__ = "special:prerequisites cycle"

# ---- convert


def recording_invocation(path, folder, allowed, note):
    return [("convert", ["convert", os.path.relpath(path, folder)], allowed, note)]


def rec_mut_bytes(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.recordings)
    path = write(os.path.join(folder, "recording.json"), mutate.byte_mutation(rng, seeds.read(seed)))
    return recording_invocation(path, folder, {0, 4}, "byte mutation of %s" % os.path.basename(seed))


def rec_mut_tree(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.recordings)
    value = mutate.tree_mutation(rng, json.loads(seeds.read(seed)))
    path = write(os.path.join(folder, "recording.json"), mutate.dumps(value, indent=1))
    return recording_invocation(path, folder, {0, 4}, "tree mutation of %s" % os.path.basename(seed))


def rec_truncated(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.recordings)
    data = mutate.truncate(rng, seeds.read(seed))
    path = write(os.path.join(folder, "recording.json"), data)
    return recording_invocation(path, folder, {0, 4} if still_json(data) else {4},
                                "%s truncated to %d bytes" % (os.path.basename(seed), len(data)))


def rec_random(seeds, rng, folder, oracle):
    path = write(os.path.join(folder, "recording.json"), mutate.random_garbage(rng, rng.choice([1, 64, 4096])))
    return recording_invocation(path, folder, {4}, "random bytes")


def rec_deep(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.recordings)
    depth = rng.randint(10000, 100000)
    value = mutate.inject_deep(rng, json.loads(seeds.read(seed)), depth)
    path = write(os.path.join(folder, "recording.json"), mutate.dumps(value))
    return recording_invocation(path, folder, {4}, "a value nested %d deep in %s" % (depth, os.path.basename(seed)))


RANDOM_CONVERT = [(rec_mut_bytes, 3), (rec_mut_tree, 4), (rec_truncated, 1), (rec_random, 1), (rec_deep, 1)]


def special_recording(name, text, allowed):
    def build(seeds, rng, folder, oracle):
        data = text(seeds) if callable(text) else text
        path = write(os.path.join(folder, "recording.json"), data)
        return recording_invocation(path, folder, allowed, name)
    build.__name__ = "special:" + name
    return build


def rec_with(seeds, steps):
    value = json.loads(seeds.read(seeds.recordings[-1]))
    value["steps"] = steps
    return j(value)


SPECIAL_RECORDINGS = [
    special_recording("recording nested 20,000 deep", '{"title":"x","steps":[' + mutate.deep_text(20000) + "]}", {4}),
    special_recording("customStep", lambda s: rec_with(s, [{"type": "customStep", "name": "x", "parameters": {}}]),
                      {4}),
    special_recording("frame index 999999999", lambda s: rec_with(s, [{"type": "click", "selectors": [["#a"]],
                                                                       "frame": [999999999, -1]}]), {0, 4}),
    special_recording("shadow path of 5,000 selectors", lambda s: rec_with(s, [{"type": "click", "selectors": [
        ["div"] * 5000]}]), {0, 4}),
    special_recording("10 MB selector", lambda s: rec_with(s, [{"type": "click", "selectors": [["#" + "a" * (10 << 20)]]}]),
                      {0, 4}),
    special_recording("100,000 steps", lambda s: rec_with(s, [{"type": "hover", "selectors": [["#a%d" % i]]}
                                                              for i in range(100000)]), {0, 4}),
    special_recording("empty recording file", "", {4}),
    special_recording("top-level array", "[]", {4}),
    special_recording("keyDown without keyUp x10,000", lambda s: rec_with(s, [{"type": "keyDown", "key": "Shift"}] * 10000),
                      {0, 4}),
    special_recording("offsetX as a string and NaN-like numbers", lambda s: rec_with(
        s, [{"type": "click", "selectors": [["#a"]], "offsetX": "x", "offsetY": 1e308}]), {0, 4}),
]

# ---- generate


def capture_lines(seeds, rng):
    seed = rng.choice(seeds.captures)
    return seed, seeds.read(seed).split(b"\n")


def gen_invocation(folder, input_rel, allowed, note):
    return [("generate", ["generate", input_rel, "--output", "gen-out"], allowed, note)]


def cap_lines(seeds, rng, folder, oracle):
    seed, lines = capture_lines(seeds, rng)
    lines = [l for l in lines if l]
    ops = []
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(6)
        i = rng.randrange(len(lines))
        if op == 0:
            del lines[i]
            ops.append("drop")
        elif op == 1:
            lines.insert(i, lines[rng.randrange(len(lines))])
            ops.append("duplicate")
        elif op == 2:
            rng.shuffle(lines)
            ops.append("shuffle")
        elif op == 3:
            lines.insert(i, mutate.random_bytes(rng, rng.randint(1, 200)).replace(b"\n", b" "))
            ops.append("garbage line")
        elif op == 4:
            lines[i] = mutate.byte_mutation(rng, lines[i]).replace(b"\n", b" ")
            ops.append("byte-mutated line")
        else:
            try:
                obj = json.loads(lines[i])
                lines[i] = mutate.dumps(mutate.tree_mutation(rng, obj)).encode("utf-8", "surrogatepass")
                ops.append("tree-mutated line")
            except ValueError:
                pass
    path = write(os.path.join(folder, "capture.jsonl"), b"\n".join(lines) + b"\n")
    return gen_invocation(folder, "capture.jsonl", {0, 4}, "%s: %s" % (os.path.basename(os.path.dirname(seed)),
                                                                       ", ".join(ops)))


def cap_bytes(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.captures)
    write(os.path.join(folder, "capture.jsonl"), mutate.byte_mutation(rng, seeds.read(seed), rounds=rng.randint(1, 20)))
    return gen_invocation(folder, "capture.jsonl", {0, 4}, "byte mutation of %s" % os.path.basename(os.path.dirname(seed)))


def cap_truncated(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.captures)
    data = mutate.truncate(rng, seeds.read(seed))
    write(os.path.join(folder, "capture.jsonl"), data)
    return gen_invocation(folder, "capture.jsonl", {0, 4},
                          "%s cut at byte %d" % (os.path.basename(os.path.dirname(seed)), len(data)))


def cap_random(seeds, rng, folder, oracle):
    write(os.path.join(folder, "capture.jsonl"), mutate.random_garbage(rng, rng.choice([1, 100, 5000, 100000])))
    return gen_invocation(folder, "capture.jsonl", {4}, "random bytes")


def deep_capture(seeds, depth, structural=False):
    ex = json.loads(json.dumps(seeds.sample_exchange))
    body = ex["exchange"].setdefault("response", {}).setdefault("body", {})
    text = mutate.deep_text(depth)
    body["mimeType"] = "application/json"
    body["size"] = len(text)
    header = {"record": "header", "v": 1, "tool": "discover", "toolVersion": "0.1.0", "startedAt": 1796000000.0,
              "baseURL": ex["exchange"]["url"].split("/api")[0] + "/", "flows": ["x.flow.json"], "redacted": True}
    trailer = {"record": "trailer", "v": 1, "complete": True, "counts": {"exchanges": 1}}
    if structural:
        body["text"] = "{}"
        line = mutate.dumps(ex).replace('"text": "{}"', '"text": "{}", "extra": ' + text)
    else:
        body["text"] = text
        line = json.dumps(ex)
    return "\n".join([json.dumps(header), line, json.dumps(trailer)]) + "\n"


def cap_deep_body(seeds, rng, folder, oracle):
    depth = rng.choice([9000, 20000, 50000])
    write(os.path.join(folder, "capture.jsonl"), deep_capture(seeds, depth))
    return gen_invocation(folder, "capture.jsonl", {0},
                          "a valid capture whose JSON response body is nested %d deep" % depth)


def endpoints_mut(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.endpoints)
    data = seeds.read(seed)
    r = rng.random()
    if r < 0.4:
        data = mutate.byte_mutation(rng, data)
        note = "byte mutation"
    elif r < 0.5:
        data = mutate.truncate(rng, data)
        note = "truncated"
    elif r < 0.6:
        data = mutate.dumps(mutate.inject_deep(rng, json.loads(data), rng.randint(10000, 60000))).encode()
        note = "deep nesting"
    else:
        data = mutate.dumps(mutate.tree_mutation(rng, json.loads(data), rounds=rng.randint(1, 6))).encode(
            "utf-8", "surrogatepass")
        note = "tree mutation"
    write(os.path.join(folder, "discovered-endpoints.json"), data)
    return gen_invocation(folder, "discovered-endpoints.json", {0, 4}, "endpoints file (%s): %s" % (
        os.path.basename(os.path.dirname(os.path.dirname(seed))), note))


def runfolder_mut(seeds, rng, folder, oracle):
    seed = rng.choice(seeds.captures)
    run = lib.mkdir(os.path.join(folder, "run"))
    write(os.path.join(run, "capture.jsonl"), mutate.byte_mutation(rng, seeds.read(seed)))
    if seeds.endpoints and rng.random() < 0.5:
        write(os.path.join(run, "discovered-endpoints.json"), mutate.byte_mutation(rng, seeds.read(rng.choice(seeds.endpoints))))
    return gen_invocation(folder, "run", {0, 4}, "a run folder with mutated files")


RANDOM_GENERATE = [(cap_lines, 4), (cap_bytes, 2), (cap_truncated, 2), (cap_random, 1), (cap_deep_body, 1),
                   (endpoints_mut, 3), (runfolder_mut, 1)]


def special_generate(name, make, allowed, input_rel="capture.jsonl"):
    def build(seeds, rng, folder, oracle):
        target = make(seeds, folder)
        return gen_invocation(folder, target or input_rel, allowed, name)
    build.__name__ = "special:" + name
    return build


def g_write(rel, data):
    return lambda seeds, folder: (write(os.path.join(folder, rel), data(seeds) if callable(data) else data), rel)[1]


def g_fifo(seeds, folder):
    os.mkfifo(os.path.join(folder, "capture.jsonl"))
    return "capture.jsonl"


SPECIAL_GENERATE = [
    special_generate("capture with a 40 KB response nested 20,000 deep", g_write("capture.jsonl",
                     lambda s: deep_capture(s, 20000)), {0}),
    special_generate("capture line nested 20,000 deep (structure)", g_write("capture.jsonl",
                     lambda s: deep_capture(s, 20000, structural=True)), {0, 4}),
    special_generate("empty capture", g_write("capture.jsonl", ""), {0, 4}),
    special_generate("capture with only a header", g_write("capture.jsonl", lambda s: s.read(s.captures[0]).split(b"\n")[0] + b"\n"),
                     {0, 4}),
    special_generate("capture with a 30 MB line", g_write("capture.jsonl", lambda s: deep_capture(s, 1).replace(
        '"size": 3', '"size": 3, "pad": "' + "p" * (30 << 20) + '"', 1)), {0, 4}),
    special_generate("endpoints file: random bytes", g_write("discovered-endpoints.json", b"\x8f\x00\xffrandom{["),
                     {4}, "discovered-endpoints.json"),
    special_generate("endpoints file nested 20,000 deep", g_write("discovered-endpoints.json",
                     '{"endpoints":' + mutate.deep_text(20000) + "}"), {4}, "discovered-endpoints.json"),
    special_generate("input /dev/zero", lambda s, f: "/dev/zero", {4}),
    special_generate("input a FIFO nobody writes", g_fifo, {4}),
    special_generate("input a path that does not exist", lambda s, f: "nope/capture.jsonl", {4}),
    special_generate("input an empty folder", lambda s, f: (lib.mkdir(os.path.join(f, "empty")), "empty")[1], {4}),
    special_generate("capture with CRLF line ends", g_write("capture.jsonl", lambda s: s.read(s.captures[0]).replace(
        b"\n", b"\r\n")), {0, 4}),
    special_generate("capture with a UTF-8 BOM", g_write("capture.jsonl", lambda s: b"\xef\xbb\xbf" + s.read(s.captures[0])),
                     {0, 4}),
]

# ---- diff


def diff_invocation(a, b, allowed, note):
    return [("diff", ["diff", a, b], allowed, note)]


def valid_side(seeds, rng, folder, name):
    options = seeds.endpoints + seeds.captures
    src = rng.choice(options)
    dst = os.path.join(folder, name, os.path.basename(src))
    lib.mkdir(os.path.dirname(dst))
    shutil.copyfile(src, dst)
    return os.path.relpath(dst, folder)


def mutated_side(seeds, rng, folder, name):
    src = rng.choice(seeds.endpoints + seeds.captures)
    data = seeds.read(src)
    if rng.random() < 0.5:
        data = mutate.byte_mutation(rng, data)
    else:
        try:
            if src.endswith(".jsonl"):
                lines = data.split(b"\n")
                i = rng.randrange(max(1, len(lines) - 1))
                lines[i] = mutate.dumps(mutate.tree_mutation(rng, json.loads(lines[i]))).encode("utf-8", "surrogatepass")
                data = b"\n".join(lines)
            else:
                data = mutate.dumps(mutate.tree_mutation(rng, json.loads(data), rounds=rng.randint(1, 6))).encode(
                    "utf-8", "surrogatepass")
        except ValueError:
            data = mutate.byte_mutation(rng, data)
    dst = write(os.path.join(folder, name, os.path.basename(src)), data)
    return os.path.relpath(dst, folder)


def random_side(seeds, rng, folder, name):
    dst = write(os.path.join(folder, name, rng.choice(["discovered-endpoints.json", "capture.jsonl"])),
                mutate.random_garbage(rng, rng.choice([1, 300, 20000])))
    return os.path.relpath(dst, folder)


def diff_valid_mut(seeds, rng, folder, oracle):
    a, b = valid_side(seeds, rng, folder, "old"), mutated_side(seeds, rng, folder, "new")
    if rng.random() < 0.5:
        a, b = b, a
    return diff_invocation(a, b, {0, 1, 2, 4}, "valid vs mutated")


def diff_random(seeds, rng, folder, oracle):
    a, b = valid_side(seeds, rng, folder, "old"), random_side(seeds, rng, folder, "new")
    if rng.random() < 0.5:
        a, b = b, a
    return diff_invocation(a, b, {4}, "one side random bytes")


def diff_valid_valid(seeds, rng, folder, oracle):
    a, b = valid_side(seeds, rng, folder, "old"), valid_side(seeds, rng, folder, "new")
    return diff_invocation(a, b, {0, 1, 2}, "two valid discoveries")


RANDOM_DIFF = [(diff_valid_mut, 5), (diff_random, 2), (diff_valid_valid, 1)]


def special_diff(name, make, allowed):
    def build(seeds, rng, folder, oracle):
        a, b = make(seeds, rng, folder)
        return diff_invocation(a, b, allowed, name)
    build.__name__ = "special:" + name
    return build


SPECIAL_DIFF = [
    special_diff("diff against /dev/zero", lambda s, r, f: (valid_side(s, r, f, "old"), "/dev/zero"), {4}),
    special_diff("diff a missing file", lambda s, r, f: ("nope.json", valid_side(s, r, f, "new")), {4}),
    special_diff("diff an empty file", lambda s, r, f: (write(os.path.join(f, "empty.json"), "") and "empty.json",
                                                        valid_side(s, r, f, "new")), {4}),
    special_diff("diff endpoints nested 20,000 deep", lambda s, r, f: (
        write(os.path.join(f, "deep", "discovered-endpoints.json"), '{"endpoints":' + mutate.deep_text(20000) + "}")
        and "deep/discovered-endpoints.json", valid_side(s, r, f, "new")), {0, 1, 2, 4}),
    special_diff("diff a capture with a deep response body", lambda s, r, f: (
        write(os.path.join(f, "deep", "capture.jsonl"), deep_capture(s, 20000)) and "deep/capture.jsonl",
        valid_side(s, r, f, "new")), {0, 1, 2}),
    special_diff("diff random bytes vs random bytes", lambda s, r, f: (random_side(s, r, f, "a"),
                                                                       random_side(s, r, f, "b")), {4}),
]


# ------------------------------------------------------------------ the plan

def weighted(rng, table):
    total = sum(w for _, w in table)
    x = rng.uniform(0, total)
    for fn, w in table:
        x -= w
        if x <= 0:
            return fn
    return table[-1][0]


def plan(ctx, count):
    """[(index, builder, oracle)]: the special inputs first, then random ones by command."""
    specials = SPECIAL_FLOWS + [nonexistent_flow, prereq_cycle] + SPECIAL_RECORDINGS + SPECIAL_GENERATE + SPECIAL_DIFF
    items = [(i, b, "file") for i, b in enumerate(specials)]
    commands = [("validate", RANDOM_FLOW, 30), ("run", RANDOM_FLOW, 12), ("convert", RANDOM_CONVERT, 18),
                ("generate", RANDOM_GENERATE, 25), ("diff", RANDOM_DIFF, 15)]
    i = len(items)
    while len(items) < count:
        rng = lib.rng_for(ctx.seed, "malformed", i)
        total = sum(w for _, _, w in commands)
        x = rng.uniform(0, total)
        for name, table, w in commands:
            x -= w
            if x <= 0:
                break
        builder = weighted(rng, table)
        items.append((i, builder, (rng.choice(["file", "folder"]) if name == "run" else None)))
        i += 1
    return items


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.inputs = 0
        self.by_command = {}
        self.crashes = []
        self.hangs = []
        self.memory = []
        self.wrong_exit = []
        self.disagree = []
        self.validate_refuses_run_starts = 0
        self.max_rss_kb = 0
        self.slowest = (0, None)


def run(ctx):
    group = lib.Group("malformed", "Malformed inputs to validate, run, convert, generate, diff")
    seeds = Seeds(ctx)
    seeds.ensure_endpoints(ctx)
    lib.log("  seeds: %d flows, %d recordings, %d captures, %d endpoint files; seed %s"
            % (len(seeds.flow_files), len(seeds.recordings), len(seeds.captures), len(seeds.endpoints), ctx.seed))
    items = plan(ctx, ctx.malformed)
    tally = Tally()
    crash_dir = os.path.join(ctx.out, "crashers")
    find_dir = os.path.join(ctx.out, "findings")
    root = lib.mkdir(os.path.join(ctx.work, "malformed"))
    progress = {"done": 0}

    def one(item):
        index, builder, oracle = item
        rng = lib.rng_for(ctx.seed, "malformed", index, "build")
        label = builder.__name__.replace("special:", "")
        folder = os.path.join(root, "m%04d" % index)
        lib.rm_rf(folder)
        lib.mkdir(os.path.join(folder, "tmp"))
        try:
            invocations = builder(seeds, rng, folder, oracle)
        except Exception as error:  # a generator bug: skip the input, say so
            lib.log("  (input %d: generator error %s: %s)" % (index, label, error))
            lib.rm_rf(folder)
            return
        results = []
        for command, argv, allowed, note in invocations:
            child = lib.Child([ctx.bin] + argv, cwd=folder,
                              env_extra={"TMPDIR": os.path.join(folder, "tmp"), "NO_COLOR": "1"},
                              tag="%s-malformed-%d" % (lib.SUITE_ID, index),
                              stdout_path=os.path.join(folder, "%s.stdout" % command),
                              stderr_path=os.path.join(folder, "%s.stderr" % command))
            child.wait(cap=ctx.hang_secs, rss_cap_kb=ctx.rss_cap_kb(), stderr_cap=200 << 20)
            results.append((command, argv, allowed, note, child))
        findings = []
        with tally.lock:
            vcode = rcode = None
            for command, argv, allowed, note, child in results:
                tally.inputs += 1
                c = tally.by_command.setdefault(command, {"inputs": 0, "crashes": 0, "hangs": 0, "memory": 0,
                                                          "wrong_exit": 0, "exit_codes": {}})
                c["inputs"] += 1
                code = lib.describe_exit(child)
                c["exit_codes"][code] = c["exit_codes"].get(code, 0) + 1
                tally.max_rss_kb = max(tally.max_rss_kb, child.peak_rss_kb)
                if child.duration > tally.slowest[0]:
                    tally.slowest = (child.duration, "%s %s" % (command, label))
                repro_args = " ".join(lib.shell_quote(a) for a in argv)
                entry = {"input": index, "class": label, "note": note, "command": command,
                         "observed": code, "secs": round(child.duration, 2), "peak_rss": lib.fmt_kb(child.peak_rss_kb),
                         "stderr_bytes": child.stderr_size(), "allowed": sorted(allowed),
                         "stderr_tail": child.stderr_tail(300).strip()[-300:], "argv": repro_args}
                if child.killed_by and child.killed_by.startswith("still running"):
                    c["hangs"] += 1
                    tally.hangs.append(entry)
                    findings.append(("hang", entry))
                elif child.killed_by and child.killed_by.startswith("RSS"):
                    c["memory"] += 1
                    tally.memory.append(entry)
                    findings.append(("memory", entry))
                elif lib.is_crash(child):
                    c["crashes"] += 1
                    tally.crashes.append(entry)
                    findings.append(("crash", entry))
                elif child.killed_by:
                    c["wrong_exit"] += 1
                    tally.wrong_exit.append(entry)
                    findings.append(("stderr", entry))
                elif child.returncode not in allowed:
                    c["wrong_exit"] += 1
                    tally.wrong_exit.append(entry)
                    findings.append(("exit", entry))
                if command == "validate" and not child.killed_by and not child.signal_death:
                    vcode = child.returncode
                if command == "run" and not child.killed_by and not child.signal_death:
                    rcode = child.returncode
            if vcode == 0 and rcode == 4:
                entry = {"input": index, "class": label, "note": invocations[0][3], "command": "validate+run",
                         "observed": "validate exit 0, run exit 4",
                         "run_stderr": open(os.path.join(folder, "run.stderr"), errors="replace").read()[-300:],
                         "argv": " ".join(lib.shell_quote(a) for a in invocations[0][1])}
                tally.disagree.append(entry)
                findings.append(("disagree", entry))
            elif vcode == 1 and rcode == 3:
                tally.validate_refuses_run_starts += 1
            progress["done"] += 1
            done = progress["done"]
        if findings:
            kind = "crash" if any(k == "crash" for k, _ in findings) else findings[0][0]
            dest_root = crash_dir if kind == "crash" else find_dir
            dest = os.path.join(dest_root, "m%04d-%s" % (index, kind))
            lib.mkdir(dest_root)
            lib.rm_rf(dest)
            try:
                shutil.move(folder, dest)
            except OSError:
                dest = folder
            for k, entry in findings:
                entry["saved"] = dest
                entry["repro"] = "cd %s && %s %s" % (dest, ctx.bin, entry["argv"])
                lib.log("  %-8s #%d %s [%s]: %s -> %s (%.1f s, %s)" % (
                    k.upper(), index, entry["command"], label, entry["note"][:70], entry["observed"],
                    entry.get("secs", 0), entry.get("peak_rss", "-")))
        else:
            lib.rm_rf(folder)
        if done % 50 == 0:
            lib.log("  ... %d of %d inputs" % (done, len(items)))

    with ThreadPoolExecutor(max_workers=max(1, ctx.jobs)) as pool:
        list(pool.map(one, items))

    f = group.figures
    f["inputs"] = tally.inputs
    f["generated_inputs"] = len(items)
    f["crashes"] = len(tally.crashes)
    f["hangs"] = len(tally.hangs)
    f["memory"] = len(tally.memory)
    f["wrong_exit"] = len(tally.wrong_exit)
    f["validate_run_disagree"] = len(tally.disagree)
    f["validate_refuses_run_starts"] = tally.validate_refuses_run_starts
    f["by_command"] = tally.by_command
    f["max_rss_kb"] = tally.max_rss_kb
    f["slowest"] = {"secs": round(tally.slowest[0], 1), "input": tally.slowest[1]}
    f["seed"] = ctx.seed
    group.tried = tally.inputs
    bad = tally.crashes + tally.hangs + tally.memory + tally.wrong_exit + tally.disagree
    group.survived = tally.inputs - len({(e["input"], e["command"]) for e in bad if e["command"] != "validate+run"})
    for kind, entries in (("crash", tally.crashes), ("hang", tally.hangs), ("memory", tally.memory),
                          ("wrong exit", tally.wrong_exit), ("validate ok, run refuses", tally.disagree)):
        for e in entries:
            group.failures.append(dict(e, kind=kind, case="%s #%d %s" % (kind, e["input"], e["class"])))
    group.cases = [{"case": "malformed inputs", "survived": not bad, "detail": "see failures"}]

    lib.log("")
    lib.log("  command   inputs crashes hangs memory wrong-exit  exit codes seen")
    for name, c in sorted(tally.by_command.items()):
        codes = ", ".join("%s x%d" % (k, v) for k, v in sorted(c["exit_codes"].items(), key=lambda kv: -kv[1]))
        lib.log("  %-9s %6d %7d %5d %6d %10d  %s" % (name, c["inputs"], c["crashes"], c["hangs"], c["memory"],
                                                      c["wrong_exit"], codes))
    lib.log("  total: %d command runs on %d generated inputs, %d crashes, %d hangs (> %.0f s), %d memory (> %d MB), %d exit codes contradicting "
            "--help, %d flows validate passes and run refuses (and %d the other way, not counted)"
            % (tally.inputs, len(items), len(tally.crashes), len(tally.hangs), ctx.hang_secs, len(tally.memory),
               ctx.rss_cap_mb, len(tally.wrong_exit), len(tally.disagree), tally.validate_refuses_run_starts))
    lib.log("  peak RSS of any input %s; slowest %.1f s (%s); inputs kept in %s and %s"
            % (lib.fmt_kb(tally.max_rss_kb), tally.slowest[0], tally.slowest[1], crash_dir, find_dir))
    return group
