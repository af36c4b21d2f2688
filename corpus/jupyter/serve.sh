#!/usr/bin/env bash
# JupyterLab (PyPI `jupyterlab`, pinned, with jupyter_server 2.x and ipykernel) for the discover corpus.
# Installs into a venv when missing, prepares a fresh root directory, config, data, runtime and
# IPython dirs in $STATE_DIR, then execs `jupyter lab` on 127.0.0.1:$PORT in the foreground
# (SIGTERM stops it). Auth is a fixed token ($JUPYTER_TOKEN) typed into the /login page; XSRF
# checks stay on (the default).
set -euo pipefail

JUPYTERLAB_VERSION=4.4.10
JUPYTER_SERVER_VERSION=2.21.1
JUPYTERLAB_SERVER_VERSION=2.28.1
IPYKERNEL_VERSION=6.30.1  # 7.x writes "Task was destroyed but it is pending" into the notebook on kernel shutdown
PORT="${PORT:-8899}"
HOME_DIR="${CORPUS_HOME:-$HOME/.cache/discover-corpus}/jupyter"
VENV="$HOME_DIR/venv"
STATE_DIR="${STATE_DIR:-$(mktemp -d -t jupyter-corpus.XXXXXX)}"
export JUPYTER_TOKEN="${JUPYTER_TOKEN:-corpus-secret-jupyter-1}"

# (a) install, idempotent
installed() {
    "$VENV/bin/python" - "$JUPYTERLAB_VERSION" "$JUPYTER_SERVER_VERSION" "$JUPYTERLAB_SERVER_VERSION" "$IPYKERNEL_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
want = dict(zip(["jupyterlab", "jupyter_server", "jupyterlab_server", "ipykernel"], sys.argv[1:]))
sys.exit(0 if all(version(k) == v for k, v in want.items()) else 1)
PY
}
if [ ! -x "$VENV/bin/jupyter-lab" ] || ! installed; then
    mkdir -p "$HOME_DIR"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "jupyterlab==$JUPYTERLAB_VERSION" "jupyter_server==$JUPYTER_SERVER_VERSION" \
        "jupyterlab_server==$JUPYTERLAB_SERVER_VERSION" "ipykernel==$IPYKERNEL_VERSION" >&2
fi

# (b) fresh state: everything Jupyter writes lives under $STATE_DIR
mkdir -p "$STATE_DIR/work" "$STATE_DIR/config" "$STATE_DIR/data" "$STATE_DIR/runtime" "$STATE_DIR/ipython"
export JUPYTER_CONFIG_DIR="$STATE_DIR/config"
export JUPYTER_DATA_DIR="$STATE_DIR/data"
export JUPYTER_RUNTIME_DIR="$STATE_DIR/runtime"
export IPYTHONDIR="$STATE_DIR/ipython"
export JUPYTER_PLATFORM_DIRS=1
unset JUPYTER_PATH JUPYTER_CONFIG_PATH || true

# Server config: loopback only, no remote access, token auth, no browser, deletions really delete
# (no send2trash into ~/.local/share/Trash, outside $STATE_DIR); JupyterLab: no news
# feed, no update check, read-only extension manager (no PyPI listings).
cat > "$JUPYTER_CONFIG_DIR/jupyter_server_config.json" <<JSON
{
  "ServerApp": {
    "ip": "127.0.0.1",
    "port": $PORT,
    "port_retries": 0,
    "open_browser": false,
    "allow_remote_access": false,
    "root_dir": "$STATE_DIR/work",
    "disable_check_xsrf": false
  },
  "IdentityProvider": {"token": "$JUPYTER_TOKEN"},
  "FileContentsManager": {"delete_to_trash": false},
  "LabApp": {
    "news_url": null,
    "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
    "extension_manager": "readonly"
  }
}
JSON
# The UI's own switches: never fetch news, never check for updates (no toast asking either).
mkdir -p "$JUPYTER_CONFIG_DIR/lab/user-settings/@jupyterlab/apputils-extension"
cat > "$JUPYTER_CONFIG_DIR/lab/user-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings" <<'JSON'
{
    "checkForUpdates": false,
    "fetchNews": "false"
}
JSON

echo "jupyterlab $JUPYTERLAB_VERSION on http://127.0.0.1:$PORT/lab (state in $STATE_DIR)" >&2
# (c) foreground (the corpus machine runs as root, which Jupyter refuses without --allow-root)
ALLOW_ROOT=()
[ "$(id -u)" -ne 0 ] || ALLOW_ROOT=(--allow-root)
cd "$STATE_DIR/work"
exec "$VENV/bin/jupyter-lab" --no-browser \
    --ServerApp.ip=127.0.0.1 --ServerApp.port="$PORT" --ServerApp.root_dir="$STATE_DIR/work" \
    --ServerApp.allow_remote_access=False --IdentityProvider.token="$JUPYTER_TOKEN" \
    --LabApp.extension_manager=readonly "${ALLOW_ROOT[@]}"
