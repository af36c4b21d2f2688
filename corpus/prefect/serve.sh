#!/usr/bin/env bash
# Prefect server (PyPI `prefect`, pinned) for the discover corpus.
# Installs into a venv when missing, seeds fresh state (one finished flow run, one deployment),
# then execs `prefect server start` on 127.0.0.1:$PORT in the foreground (SIGTERM stops it).
# The API requires HTTP basic auth (PREFECT_SERVER_API_AUTH_STRING); the V2 UI then shows a
# login form that takes "user:password".
set -euo pipefail

PREFECT_VERSION=3.9.1
PORT="${PORT:-4210}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOME_DIR="${CORPUS_HOME:-$HOME/.cache/discover-corpus}/prefect"
VENV="$HOME_DIR/venv"
STATE_DIR="${STATE_DIR:-$(mktemp -d -t prefect-state.XXXXXX)}"
AUTH_STRING="${PREFECT_CORPUS_AUTH:-admin:corpus-secret-prefect-1}"

# (a) install, idempotent
if [ ! -x "$VENV/bin/prefect" ] || [ "$("$VENV/bin/python" -c 'import prefect; print(prefect.__version__)' 2>/dev/null)" != "$PREFECT_VERSION" ]; then
    mkdir -p "$HOME_DIR"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "prefect==$PREFECT_VERSION"
fi

# (b) fresh state
mkdir -p "$STATE_DIR"
export PREFECT_HOME="$STATE_DIR"
export PREFECT_PROFILES_PATH="$STATE_DIR/profiles.toml"
export PREFECT_API_DATABASE_CONNECTION_URL="sqlite+aiosqlite:///$STATE_DIR/prefect.db"
export PREFECT_SERVER_API_HOST=127.0.0.1
export PREFECT_SERVER_API_PORT="$PORT"
export PREFECT_UI_API_URL="http://127.0.0.1:$PORT/api"
# no phone-home: server analytics (also gates the UI's Amplitude events), promotional content,
# client-side telemetry
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT=false
export PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY=false
export PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS=false
export DO_NOT_TRACK=1
# log the cause of 503s (retryable errors, e.g. SQLite contention) instead of swallowing it
export PREFECT_API_LOG_RETRYABLE_ERRORS=true
# keep the UI bundle copy out of site-packages
export PREFECT_UI_STATIC_DIRECTORY="$STATE_DIR/ui"

# seed with the client's temporary loopback server against the same database, before the real
# server starts, so the data is there as soon as the port opens (no auth on that temporary server)
if [ ! -e "$STATE_DIR/.seeded" ]; then
    (cd "$STATE_DIR" && env -u PREFECT_API_URL PREFECT_SERVER_ALLOW_EPHEMERAL_MODE=true PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=180 \
        "$VENV/bin/python" "$HERE/seed.py") >"$STATE_DIR/seed.log" 2>&1 \
        || { cat "$STATE_DIR/seed.log" >&2; exit 1; }
    touch "$STATE_DIR/.seeded"
    # the UI's date-range queries end at the current minute, rounded down: let the seeded run
    # fall into a past minute so the dashboard and the Runs page list it from the first load
    sleep $((61 - 10#$(date +%S)))
fi

export PREFECT_SERVER_API_AUTH_STRING="$AUTH_STRING"
echo "prefect $PREFECT_VERSION on http://127.0.0.1:$PORT (state in $STATE_DIR)" >&2
# (c) foreground
exec "$VENV/bin/prefect" server start --host 127.0.0.1 --port "$PORT" --analytics-off 2>&1
