#!/usr/bin/env bash
# Gradio corpus app: installs a pinned gradio into a venv (once), then runs corpus/gradio/app.py
# in the foreground on 127.0.0.1:$PORT with fresh state in $STATE_DIR and login admin/$GRADIO_PASSWORD.
# GRADIO_VERSION=4.44.1 (with its own venv) serves the older major version.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GRADIO_VERSION="${GRADIO_VERSION:-5.50.0}"
MAJOR="${GRADIO_VERSION%%.*}"
HOME_DIR="${CORPUS_HOME:-$HOME/.cache/discover-corpus}/gradio"
VENV="$HOME_DIR/venv-$MAJOR"
PORT="${PORT:-7861}"
STATE_DIR="${STATE_DIR:-$(mktemp -d -t gradio-state.XXXXXX)}"
PYTHON="${PYTHON:-python3}"
PIP_SPECS=("gradio==$GRADIO_VERSION")
if [ "$MAJOR" = 4 ]; then
    # gradio 4.44 predates huggingface_hub 1.0 (no HfFolder) and breaks on pydantic 2.11's schemas
    PIP_SPECS+=("huggingface_hub==0.25.2" "pydantic==2.10.6" "fastapi==0.115.6")
fi

# (a) install when missing
if ! "$VENV/bin/python" -c "import gradio, sys; sys.exit(0 if gradio.__version__ == '$GRADIO_VERSION' else 1)" 2>/dev/null; then
    mkdir -p "$HOME_DIR"
    if ! "$PYTHON" -m venv "$VENV"; then
        # Debian's python3 needs python3-venv for ensurepip
        apt-get install -y python3-venv >&2 || (apt-get update >&2 && apt-get install -y python3-venv >&2)
        "$PYTHON" -m venv --clear "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PIP_SPECS[@]}" >&2
fi

# (b) fresh state: temp/upload dir, caches and flagging under STATE_DIR; fixed credentials
mkdir -p "$STATE_DIR/tmp" "$STATE_DIR/work" "$STATE_DIR/hf"
export GRADIO_TEMP_DIR="$STATE_DIR/tmp"
export GRADIO_USER="${GRADIO_USER:-admin}"
export GRADIO_PASSWORD="${GRADIO_PASSWORD:-corpus-secret-gradio-1}"
export PORT

# bind loopback only; no analytics, version checks, share tunnels, SSR node server or hub calls
export GRADIO_SERVER_NAME=127.0.0.1
export GRADIO_SERVER_PORT="$PORT"
export GRADIO_ANALYTICS_ENABLED=False
export GRADIO_SHARE=False
export GRADIO_SSR_MODE=False
export GRADIO_MCP_SERVER=False
export GRADIO_FLAGGING_MODE=never
export HF_HOME="$STATE_DIR/hf"
export HF_HUB_OFFLINE=1
export HF_HUB_DISABLE_TELEMETRY=1
export DO_NOT_TRACK=1
export MPLCONFIGDIR="$STATE_DIR/work"
export PYTHONUNBUFFERED=1

cd "$STATE_DIR/work"     # gradio writes .gradio/ (flagging, caches) under the working directory
# (c) the app in the foreground; SIGTERM stops uvicorn
exec "$VENV/bin/python" "$HERE/app.py"
