#!/usr/bin/env python3
"""Writes corpus/jupyter/ground-truth.json from the installed packages' own API description.

Run it with the corpus venv's python (it needs the installed jupyter_server and PyYAML):

    ~/.cache/discover-corpus/jupyter/venv/bin/python corpus/jupyter/make_ground_truth.py

1. jupyter_server/services/api/api.yaml (Swagger 2.0, shipped in the installed jupyter_server) is
   converted: every path and method, path-parameter types (`format: uuid` -> uuid; the contents
   `path` parameter, matched by base/handlers.py path_regex `(?:/[^/]+)+`, -> path), the query
   parameters the document lists (global `parameters` resolved).
2. The routes the document lacks are added from the route tables of the installed packages
   (SUPPLEMENT below: each entry names the file that registers it; methods are the handler class's
   own get/post/put/patch/delete, regexes are quoted in the notes).
3. Every route but /login and /logout also accepts `token` (IdentityProvider.get_token in
   jupyter_server/auth/identity.py reads `?token=` on any request); the APIHandler routes also accept
   `no_track_activity` (APIHandler.update_api_activity in jupyter_server/base/handlers.py).

Routes are ordered most specific first (the scorer takes the first route that matches a request):
/api/contents/{path}/checkpoints... before /api/contents/{path}.
Left out as static assets or HTML pages: /static/..., /lab/extensions/..., /kernelspecs/{name}/{file}
(kernel logos), /lab, /doc, /lab/tree/..., /lab/workspaces/..., /view/{path}, /, /robots.txt,
/favicon.ico, and the catch-all TrailingSlashHandler (`.*/`, a redirect) and Template404.
"""
import json
import os
import sys

import jupyter_server
import jupyterlab
import jupyterlab_server
import yaml
from importlib.metadata import version

HERE = os.path.dirname(os.path.abspath(__file__))
API_YAML = os.path.join(os.path.dirname(jupyter_server.__file__), "services", "api", "api.yaml")

JS = f"jupyter_server {jupyter_server.__version__}"
JLS = f"jupyterlab_server {jupyterlab_server.__version__}"
JL = f"jupyterlab {jupyterlab.__version__}"
JST = f"jupyter_server_terminals {version('jupyter_server_terminals')}"
LSP = f"jupyter_lsp {version('jupyter_lsp')}"

# (method, path, {param: type}, [query], api_handler, source)
SUPPLEMENT = [
    # jupyter_server: routes api.yaml lacks, or methods it lacks
    ("GET", "/api", {}, [], True, f"{JS} base/handlers.py default_handlers (r'api', APIVersionHandler); api.yaml calls it /api/ (TrailingSlashHandler redirects /api/ to /api)"),
    ("PATCH", "/api/me", {}, [], True, f"{JS} services/api/handlers.py IdentityHandler.patch (updates the user's name/display_name/color)"),
    ("PUT", "/api/config/{section_name}", {"section_name": "string"}, [], True, f"{JS} services/config/handlers.py ConfigHandler.put, regex (?P<section_name>\\w+)"),
    ("GET", "/api/kernelspecs/{kernel_name}", {"kernel_name": "string"}, [], True, f"{JS} services/kernelspecs/handlers.py KernelSpecHandler, regex (?P<kernel_name>[\\w\\.\\-%]+)"),
    ("GET", "/api/kernels/{kernel_id}/channels", {"kernel_id": "uuid"}, ["session_id"], False, f"{JS} services/kernels/handlers.py default_handlers KernelWebsocketHandler (WebSocket; subprotocol v1.kernel.websocket.jupyter.org), session_id read in services/kernels/websocket.py"),
    ("GET", "/api/events/subscribe", {}, [], False, f"{JS} services/events/handlers.py SubscribeWebsocket (WebSocket)"),
    ("POST", "/api/events", {}, [], True, f"{JS} services/events/handlers.py EventHandler.post"),
    ("GET", "/api/nbconvert", {}, [], True, f"{JS} services/nbconvert/handlers.py NbconvertRootHandler"),
    ("POST", "/api/security/csp-report", {}, [], True, f"{JS} services/security/handlers.py CSPReportHandler (csp_report_uri)"),
    ("POST", "/api/shutdown", {}, [], False, f"{JS} services/shutdown.py ShutdownHandler"),
    ("POST", "/api/contents/{path}/trust", {"path": "path"}, [], False, f"{JS} services/contents/handlers.py TrustNotebooksHandler"),
    ("GET", "/api/notebooks/{path}", {"path": "path"}, [], False, f"{JS} services/contents/handlers.py NotebooksRedirectHandler (redirects to /api/contents/...)"),
    ("POST", "/api/notebooks/{path}", {"path": "path"}, [], False, f"{JS} services/contents/handlers.py NotebooksRedirectHandler"),
    ("PUT", "/api/notebooks/{path}", {"path": "path"}, [], False, f"{JS} services/contents/handlers.py NotebooksRedirectHandler"),
    ("PATCH", "/api/notebooks/{path}", {"path": "path"}, [], False, f"{JS} services/contents/handlers.py NotebooksRedirectHandler"),
    ("DELETE", "/api/notebooks/{path}", {"path": "path"}, [], False, f"{JS} services/contents/handlers.py NotebooksRedirectHandler"),
    ("GET", "/files/{path}", {"path": "path"}, ["download"], False, f"{JS} services/contents/manager.py get_extra_handlers (r'/files/(.*)', AuthenticatedFileHandler); `download` read in base/handlers.py and files/handlers.py"),
    ("POST", "/nbconvert/{format}", {"format": "string"}, [], False, f"{JS} nbconvert/handlers.py NbconvertPostHandler, regex (?P<format>\\w+)"),
    ("GET", "/nbconvert/{format}/{path}", {"format": "string", "path": "path"}, ["download"], False, f"{JS} nbconvert/handlers.py NbconvertFileHandler; `download` read there"),
    ("GET", "/metrics", {}, [], False, f"{JS} base/handlers.py PrometheusMetricsHandler"),
    ("GET", "/login", {}, ["next"], False, f"{JS} auth/identity.py IdentityProvider.get_handlers (r'/login', LoginFormHandler), auth/login.py LoginFormHandler.get reads next"),
    ("POST", "/login", {}, ["next"], False, f"{JS} auth/login.py LoginFormHandler.post (form fields _xsrf, password, new_password; query next)"),
    ("GET", "/logout", {}, [], False, f"{JS} auth/identity.py get_handlers (r'/logout', LogoutHandler), auth/logout.py"),
    # jupyter_server_terminals (terminals service)
    ("GET", "/terminals/websocket/{terminal_id}", {"terminal_id": "string"}, [], False, f"{JST} handlers.py TermSocket (WebSocket), registered in app.py, regex (\\w+)"),
    ("GET", "/api/terminals", {}, [], True, f"{JST} api_handlers.py TerminalRootHandler (also in api.yaml)"),
    # jupyterlab_server (handlers.py add_handlers)
    ("GET", "/lab/api/settings", {}, ["ids_only"], True, f"{JLS} handlers.py add_handlers settings_path (/lab/api/settings/?), settings_handler.py SettingsHandler.get reads ids_only"),
    ("GET", "/lab/api/settings/{schema_name}", {"schema_name": "path"}, [], True, f"{JLS} settings_handler.py SettingsHandler.get, regex (?P<schema_name>.+) (names like @jupyterlab/notebook-extension:panel)"),
    ("PUT", "/lab/api/settings/{schema_name}", {"schema_name": "path"}, [], True, f"{JLS} settings_handler.py SettingsHandler.put"),
    ("GET", "/lab/api/workspaces", {}, [], True, f"{JLS} workspaces_handler.py WorkspacesHandler.get (/lab/api/workspaces/?, lists workspaces)"),
    ("GET", "/lab/api/workspaces/{space_name}", {"space_name": "string"}, [], True, f"{JLS} workspaces_handler.py WorkspacesHandler.get, regex (?P<space_name>.+); workspace names are [a-zA-Z0-9-_]+ (LabHandler's /lab/workspaces/ regex)"),
    ("PUT", "/lab/api/workspaces/{space_name}", {"space_name": "string"}, [], True, f"{JLS} workspaces_handler.py WorkspacesHandler.put"),
    ("DELETE", "/lab/api/workspaces/{space_name}", {"space_name": "string"}, [], True, f"{JLS} workspaces_handler.py WorkspacesHandler.delete"),
    ("GET", "/lab/api/translations", {}, [], True, f"{JLS} translations_handler.py TranslationsHandler.get (/lab/api/translations/?, lists language packs)"),
    ("GET", "/lab/api/translations/{locale}", {"locale": "string"}, [], True, f"{JLS} translations_handler.py TranslationsHandler.get, regex (?P<locale>.*)"),
    ("GET", "/lab/api/listings/{path}", {"path": "path"}, [], True, f"{JLS} listings_handler.py ListingsHandler (/lab/api/listings/(.*))"),
    ("GET", "/lab/api/themes/{path}", {"path": "path"}, [], False, f"{JLS} themes_handler.py ThemesHandler (/lab/api/themes/(.*): theme CSS and its images)"),
    ("GET", "/lab/api/licenses", {}, ["full_text", "format", "bundles", "download"], True, f"{JLS} licenses_handler.py LicensesHandler.get (/lab/api/licenses/(.*))"),
    # jupyterlab (labapp.py LabApp.initialize_handlers)
    ("GET", "/lab/api/build", {}, [], True, f"{JL} handlers/build_handler.py BuildHandler"),
    ("POST", "/lab/api/build", {}, [], True, f"{JL} handlers/build_handler.py BuildHandler"),
    ("DELETE", "/lab/api/build", {}, [], True, f"{JL} handlers/build_handler.py BuildHandler"),
    ("GET", "/lab/api/extensions", {}, ["query", "page", "per_page", "refresh"], True, f"{JL} handlers/extension_manager_handler.py ExtensionHandler.get"),
    ("POST", "/lab/api/extensions", {}, [], True, f"{JL} handlers/extension_manager_handler.py ExtensionHandler.post"),
    ("GET", "/lab/api/plugins", {}, [], True, f"{JL} handlers/plugin_manager_handler.py PluginHandler"),
    ("POST", "/lab/api/plugins", {}, [], True, f"{JL} handlers/plugin_manager_handler.py PluginHandler"),
    ("GET", "/lab/api/update", {}, [], True, f"{JL} handlers/announcements.py CheckForUpdateHandler"),
    ("GET", "/lab/api/news", {}, [], True, f"{JL} handlers/announcements.py NewsHandler"),
    # jupyter_lsp (handlers.py add_handlers)
    ("GET", "/lsp/status", {}, [], True, f"{LSP} handlers.py LanguageServersHandler"),
    ("GET", "/lsp/ws/{language_server}", {"language_server": "string"}, [], False, f"{LSP} handlers.py LanguageServerWebSocketHandler (WebSocket)"),
]

# api.yaml routes served by handlers that are not APIHandler subclasses
NOT_API_HANDLER = {"/api/spec.yaml"}


def main() -> None:
    with open(API_YAML) as f:
        spec = yaml.safe_load(f)
    shared = spec.get("parameters", {})

    def resolve(p):
        if "$ref" in p:
            return shared[p["$ref"].split("/")[-1]]
        return p

    routes = []
    for path, item in spec["paths"].items():
        common = [resolve(p) for p in item.get("parameters", [])]
        for method, op in item.items():
            if method == "parameters":
                continue
            params = common + [resolve(p) for p in op.get("parameters", [])]
            types = {}
            query = []
            for p in params:
                if p["in"] == "path":
                    if p["name"] == "path":
                        types[p["name"]] = "path"
                    elif p.get("format") == "uuid":
                        types[p["name"]] = "uuid"
                    elif p.get("type") == "integer":
                        types[p["name"]] = "integer"
                    else:
                        types[p["name"]] = "string"
                elif p["in"] == "query":
                    query.append(p["name"])
            if path == "/api/":
                continue  # the real route is /api (SUPPLEMENT)
            route = {"method": method.upper(), "path": path}
            if types:
                route["parameters"] = types
            route["query"] = query + ["token"] + ([] if path in NOT_API_HANDLER else ["no_track_activity"])
            route["note"] = f"api.yaml of {JS}: {op.get('summary', '').strip()}"
            routes.append(route)
            # the contents handler's path_regex also matches an empty path: the root directory
            if path == "/api/contents/{path}":
                root = {"method": method.upper(), "path": "/api/contents", "query": route["query"],
                        "note": f"{JS} services/contents/handlers.py: path_regex `(?P<path>(?:(?:/[^/]+)+|/?))` also matches the root directory (empty path)"}
                routes.append(root)

    known = {(r["method"], r["path"]) for r in routes}
    for method, path, types, query, api_handler, source in SUPPLEMENT:
        if (method, path) in known:
            continue
        route = {"method": method, "path": path}
        if types:
            route["parameters"] = types
        extra = [] if path in ("/login", "/logout") else ["token"]
        route["query"] = query + extra + (["no_track_activity"] if api_handler else [])
        route["note"] = source
        routes.append(route)

    # most specific first: more literal segments after a `path` parameter win
    def specificity(r):
        segs = r["path"].strip("/").split("/")
        has_path_param = any(r.get("parameters", {}).get(s.strip("{}")) == "path" for s in segs if s.startswith("{"))
        return (0 if not has_path_param else 1, -len(segs))

    routes.sort(key=specificity)

    out = {
        "app": "jupyter",
        "version": f"{JL} with {JS}, {JLS}, {JST}, {LSP}, ipykernel {version('ipykernel')} (PyPI, as installed by corpus/jupyter/serve.sh)",
        "source": (
            f"jupyter_server/services/api/api.yaml (Swagger 2.0) shipped in the installed {JS}, converted by "
            "corpus/jupyter/make_ground_truth.py; plus the routes it lacks from the installed packages' route tables: "
            f"the default_handlers lists of {JS} (services/*/handlers.py, services/shutdown.py, base/handlers.py, "
            "nbconvert/handlers.py, auth/identity.py get_handlers for /login and /logout, services/contents/manager.py "
            f"get_extra_handlers for /files/), {JST} (app.py, api_handlers.py), "
            f"{JLS} handlers.py add_handlers (settings, workspaces, translations, listings, themes, licenses), "
            f"{JL} labapp.py LabApp.initialize_handlers (build, extensions, plugins, update, news) and {LSP} "
            "handlers.py; each route's `note` names its file. Query parameters are the names each handler reads "
            "(get_argument/get_query_argument), plus `token` (identity.py get_token, any route but /login and /logout) "
            "and `no_track_activity` (APIHandler routes). Static assets and HTML pages (/static, /lab/extensions, "
            "/kernelspecs/{name}/{file} logos, /lab, /doc, /lab/tree, /view, /) are not routes."
        ),
        "routes": routes,
    }
    target = os.path.join(HERE, "ground-truth.json")
    with open(target, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{len(routes)} routes -> {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
