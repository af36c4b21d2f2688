#!/usr/bin/env python3
"""Makes a recorded capture.jsonl small enough to commit as a corpus fixture.

Discovery never reads the bodies of static assets (scripts, styles, images, fonts) unless asked to
describe them, and a UI bundle is megabytes of them. This keeps every record and every header, and
replaces those bodies (and any body over --max-body bytes) by a note saying they were trimmed.

usage: trim-capture.py IN OUT [--max-body BYTES]
"""
import json
import sys


def trim_body(body, reason):
    if not isinstance(body, dict) or "text" not in body:
        return body
    body = dict(body)
    del body["text"]
    body.pop("encoding", None)
    body["unavailable"] = reason
    return body


def main():
    args = sys.argv[1:]
    max_body = 262144
    if "--max-body" in args:
        i = args.index("--max-body")
        max_body = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    source, target = args
    with open(source, encoding="utf-8") as inp, open(target, "w", encoding="utf-8") as out:
        for line in inp:
            line = line.rstrip("\n")
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line of an interrupted run
            exchange = record.get("exchange") if isinstance(record.get("exchange"), dict) else record
            if isinstance(exchange, dict) and "request" in exchange:
                response = exchange.get("response")
                if isinstance(response, dict) and isinstance(response.get("body"), dict):
                    body = response["body"]
                    if exchange.get("static"):
                        response["body"] = trim_body(body, "trimmed from the corpus fixture: static asset")
                    elif len(body.get("text") or "") > max_body:
                        response["body"] = trim_body(body, "trimmed from the corpus fixture: larger than %d bytes" % max_body)
                request = exchange.get("request")
                if isinstance(request, dict) and isinstance(request.get("body"), dict):
                    if len(request["body"].get("text") or "") > max_body:
                        request["body"] = trim_body(request["body"], "trimmed from the corpus fixture: larger than %d bytes" % max_body)
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
