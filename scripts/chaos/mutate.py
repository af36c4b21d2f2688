"""Malformed-input generators: byte-level and tree-level mutations of real files, deep nesting,
huge strings, random bytes. Every function takes a random.Random so that a seed reproduces it."""

import json

SPECIAL_TOKENS = [
    b"\x00", b"\\u0000", b"\\ud800", b"\\udfff\\ud800", b"1e999999", b"-1e-999999", b"-", b'"', b"{", b"}",
    b"[", b"]", b",", b":", b"NaN", b"Infinity", b"-0", b"9" * 400, b"0." + b"1" * 400, b"\\", b"\\x",
    b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\r", b"\t\x0b\x0c", b"true1",
    b"nul", b'"\\u12"', b"/*c*/", b"//", b"\xef\xbb\xbf", b"${", b"${vars.", b"${env.}", b"}}}}",
]

WRONG_VALUES = [None, 0, -1, 1.5, 2 ** 63, -(2 ** 63) - 1, 1e308, "", " ", "\u0000", "x" * 5000, [], {}, True,
                False, [None], {"": None}, "${vars.nope}", "${env.NOPE}", "${run.nope}", "\ud7ff\ue000",
                "role=button[name=\"", "css=", "xpath=//[", ">>", "nth=-99999999", "/(/", "**/***/**"]


def deep_text(depth, kind="array", inner="1"):
    if kind == "array":
        return "[" * depth + inner + "]" * depth
    return '{"a":' * depth + inner + "}" * depth


def random_bytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def random_garbage(rng, n):
    """Random bytes that are not blank (blank input is the empty-file case, judged apart)."""
    data = random_bytes(rng, n)
    return data if data.strip() else b"x" + data[1:]


def byte_mutation(rng, data, rounds=None):
    data = bytearray(data)
    rounds = rounds or rng.randint(1, 8)
    for _ in range(rounds):
        if not data:
            data.extend(random_bytes(rng, rng.randint(1, 64)))
            continue
        op = rng.randrange(8)
        pos = rng.randrange(len(data))
        if op == 0:  # flip
            data[pos] ^= 1 << rng.randrange(8)
        elif op == 1:  # delete a span
            del data[pos:pos + rng.randint(1, 64)]
        elif op == 2:  # duplicate a span
            span = data[pos:pos + rng.randint(1, 256)]
            data[pos:pos] = span * rng.randint(1, 20)
        elif op == 3:  # random bytes
            data[pos:pos] = random_bytes(rng, rng.randint(1, 32))
        elif op == 4:  # special token
            data[pos:pos] = rng.choice(SPECIAL_TOKENS)
        elif op == 5:  # replace a span with a token
            data[pos:pos + rng.randint(1, 16)] = rng.choice(SPECIAL_TOKENS)
        elif op == 6:  # swap two spans
            other = rng.randrange(len(data))
            a, b = sorted((pos, other))
            n = min(rng.randint(1, 32), b - a)
            if n > 0:
                data[a:a + n], data[b:b + n] = data[b:b + n], data[a:a + n]
        else:  # set a byte
            data[pos] = rng.choice(b'"{}[],:\\\n\x00\xff0-e.')
    return bytes(data)


def truncate(rng, data):
    if len(data) < 2:
        return b""
    return data[:rng.randrange(1, len(data))]


def nodes(value, path=()):
    """Every (path, value) in a JSON tree."""
    out = [(path, value)]
    stack = [(path, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, dict):
            for k, child in v.items():
                out.append((p + (k,), child))
                stack.append((p + (k,), child))
        elif isinstance(v, list):
            for i, child in enumerate(v):
                out.append((p + (i,), child))
                stack.append((p + (i,), child))
    return out


def set_at(root, path, value):
    if not path:
        return value
    cur = root
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value
    return root


def tree_mutation(rng, value, rounds=None, huge=False):
    """Mutates a parsed JSON value in place (returns the new root)."""
    rounds = rounds or rng.randint(1, 4)
    for _ in range(rounds):
        all_nodes = nodes(value)
        path, node = rng.choice(all_nodes)
        op = rng.randrange(9)
        if op <= 2:
            new = rng.choice(WRONG_VALUES)
            if isinstance(new, (list, dict)):
                new = json.loads(json.dumps(new))
            value = set_at(value, path, new)
        elif op == 3 and path:  # delete a key or element
            parent = value
            for key in path[:-1]:
                parent = parent[key]
            try:
                del parent[path[-1]]
            except (KeyError, IndexError, TypeError):
                pass
        elif op == 4 and isinstance(node, dict) and node:  # rename a key (typo)
            key = rng.choice(list(node.keys()))
            if key:
                i = rng.randrange(len(key))
                typo = key[:i] + key[i + 1:] + (key[i] if rng.random() < 0.5 else "")
                node[typo or "_"] = node.pop(key)
        elif op == 5:  # wrap in an array or object
            value = set_at(value, path, [node] if rng.random() < 0.5 else {"wrapped": node})
        elif op == 6 and isinstance(node, list) and node:  # repeat an element
            node.extend([json.loads(json.dumps(rng.choice(node)))] * rng.randint(1, 200))
        elif op == 7:  # moderately deep nesting in place (the deep class goes further)
            depth = rng.randint(50, 3000)
            value = set_at(value, path, json.loads(deep_text(depth)) if depth < 900 else
                           RawJSON(deep_text(depth)))
        else:
            if huge:
                value = set_at(value, path, "h" * rng.randint(1 << 20, 8 << 20))
            elif isinstance(node, str):
                value = set_at(value, path, node * rng.randint(2, 50))
            elif isinstance(node, (int, float)) and not isinstance(node, bool):
                value = set_at(value, path, rng.choice([-1, 0, 2 ** 53 + 1, 10 ** 30, -10 ** 30, 1e-300]))
    return value


class RawJSON:
    """Pre-serialized JSON text spliced in by dumps() (deep values Python cannot nest)."""

    def __init__(self, text):
        self.text = text


def dumps(value, indent=None):
    """json.dumps that splices RawJSON in and may emit duplicate keys via DupKeys."""
    raws = []

    def default(o):
        if isinstance(o, RawJSON):
            raws.append(o.text)
            return "\u0001RAW%d\u0001" % (len(raws) - 1)
        raise TypeError(type(o))

    text = json.dumps(value, default=default, indent=indent, ensure_ascii=False)
    for i, raw in enumerate(raws):
        text = text.replace('"\\u0001RAW%d\\u0001"' % i, raw)
    return text


def inject_deep(rng, value, depth, kind=None):
    """Replaces a random node with a structure nested depth levels."""
    kind = kind or rng.choice(["array", "object"])
    all_nodes = nodes(value)
    path, _ = rng.choice(all_nodes)
    return set_at(value, path, RawJSON(deep_text(depth, kind))) if path else RawJSON(deep_text(depth, kind))


def duplicate_key(text):
    """Duplicates the first key of the top-level object (a duplicate key)."""
    i = text.find('"')
    j = text.find('":', i + 1)
    if i < 0 or j < 0:
        return text
    k = text.find(",", j)
    if k < 0:
        return text
    return text[:k + 1] + text[i:k] + "," + text[k + 1:]
