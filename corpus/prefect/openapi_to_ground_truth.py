#!/usr/bin/env python3
"""Converts corpus/prefect/openapi.json (the OpenAPI document Prefect 3.9.1's server publishes at
/api/openapi.json, saved from the installed server) into corpus/prefect/ground-truth.json, adding the
routes the document leaves out (found in the installed package's source, each with a note).

usage: openapi_to_ground_truth.py [openapi.json] [ground-truth.json]"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = "3.9.1"
METHODS = ("get", "put", "post", "patch", "delete")


def param_type(schema):
    if "anyOf" in schema:
        kinds = {param_type(s) for s in schema["anyOf"]}
        return kinds.pop() if len(kinds) == 1 else "string"
    if schema.get("format") == "uuid":
        return "uuid"
    if schema.get("type") == "integer":
        return "integer"
    return "string"  # plain strings and enum $refs (Countable); no FastAPI {x:path} converter is used


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "openapi.json")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "ground-truth.json")
    doc = json.load(open(src))
    prefix = doc.get("servers", [{"url": ""}])[0]["url"].rstrip("/")  # "/api"
    routes = []
    for path, item in doc["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = shared + op.get("parameters", [])
            route = {"method": method.upper(), "path": prefix + path}
            path_params = {p["name"]: param_type(p.get("schema", {})) for p in params if p["in"] == "path"}
            if path_params:
                route["parameters"] = path_params
            route["query"] = sorted(p["name"] for p in params if p["in"] == "query")
            routes.append(route)
    # not in the OpenAPI document (FastAPI leaves WebSocket routes and the UI app out)
    extra = [
        {"method": "GET", "path": "/ui-settings", "query": [],
         "note": "UI app route, not under /api: ui_settings() in prefect/server/api/server.py (create_ui_app); "
                 "the V2 UI fetches it on every page load"},
        {"method": "GET", "path": "/api/events/in", "query": [],
         "note": "WebSocket: @router.websocket('/in') in prefect/server/api/events.py (clients emit events)"},
        {"method": "GET", "path": "/api/events/out", "query": [],
         "note": "WebSocket: @router.websocket('/out') in prefect/server/api/events.py (event subscription)"},
        {"method": "GET", "path": "/api/logs/out", "query": [],
         "note": "WebSocket: @router.websocket('/out') in prefect/server/api/logs.py (log subscription)"},
        {"method": "GET", "path": "/api/task_runs/subscriptions/scheduled", "query": [],
         "note": "WebSocket: @router.websocket('/subscriptions/scheduled') in prefect/server/api/task_runs.py"},
        {"method": "GET", "path": "/api/work_pools/{work_pool_name}/workers/connect",
         "parameters": {"work_pool_name": "string"}, "query": [],
         "note": "WebSocket: @router.websocket('/{work_pool_name}/workers/connect') in prefect/server/api/workers.py"},
    ]
    known = {(r["method"], r["path"]) for r in routes}
    routes += [r for r in extra if (r["method"], r["path"]) not in known]
    # literal segments before parameters, so that a first-match lookup finds /flows/count before /flows/{id}
    routes.sort(key=lambda r: [1 if s.startswith("{") else 0 for s in r["path"].strip("/").split("/")])
    gt = {
        "app": "prefect",
        "version": f"prefect {VERSION} (PyPI), server API version 0.8.4",
        "source": f"the OpenAPI document prefect {VERSION}'s server publishes at /api/openapi.json "
                  "(saved as corpus/prefect/openapi.json; its paths are relative to servers[0].url = /api), "
                  "converted by corpus/prefect/openapi_to_ground_truth.py; plus, from the installed "
                  f"prefect {VERSION} package source, the UI app's GET /ui-settings "
                  "(prefect/server/api/server.py) and the WebSocket routes FastAPI leaves out of the "
                  "document (prefect/server/api/events.py, logs.py, task_runs.py, workers.py)",
        "routes": routes,
    }
    with open(out, "w") as f:
        json.dump(gt, f, indent=1)
        f.write("\n")
    print(f"{len(routes)} routes -> {out}")


if __name__ == "__main__":
    main()
