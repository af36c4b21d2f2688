#!/usr/bin/env bash
# `make corpus`: for each corpus app (corpus/<app>/serve.sh and app.env), install it, run its flows
# live twice against fresh state, re-record corpus/<app>/run-{1,2}.capture.jsonl, compile the
# generated TypeScript client with tsc --strict and make one call with node against the live app
# (CLIENT_CALL in app.env), then print the accuracy table (discover-bench corpus).
#
# usage: scripts/corpus/run.sh [app ...]     (default: every app with a serve.sh)
# Needs root or sudo for apt, and python3 with pip for the PyPI apps. Only loopback is used.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)

swift build --product discover >/dev/null
swift build --product discover-bench >/dev/null
discover="$top/.build/debug/discover"
bench="$top/.build/debug/discover-bench"

apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then
  for serve in corpus/*/serve.sh; do apps+=("$(basename "$(dirname "$serve")")"); done
fi

server_pid=""
state=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
  [ -n "$state" ] && rm -rf "$state"
  state=""
}
trap stop_server EXIT INT TERM

wait_for_port() {
  local port=$1
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "error: the app exited before listening on $port (log: $log)" >&2; return 1; }
    sleep 0.5
  done
  echo "error: nothing listens on 127.0.0.1:$port after 300 s (log: $log)" >&2
  return 1
}

start_server() {
  local app=$1 version_env=$2
  state=$(mktemp -d -t "corpus-$app.XXXXXX")
  log="$state/server.log"
  # shellcheck disable=SC2086
  env PORT="$APP_PORT" STATE_DIR="$state/app" $APP_SECRETS $version_env bash "corpus/$app/serve.sh" >"$log" 2>&1 &
  server_pid=$!
  wait_for_port "$APP_PORT"
  # Apps that come up in stages (a seed, a worker) may say when they are ready.
  if [ -n "${READY_PATH:-}" ]; then
    for _ in $(seq 1 120); do
      curl -fsS -o /dev/null "http://127.0.0.1:$APP_PORT$READY_PATH" 2>/dev/null && break
      sleep 0.5
    done
  fi
}

for app in "${apps[@]}"; do
  [ -f "corpus/$app/app.env" ] || { echo "error: corpus/$app/app.env is missing" >&2; exit 2; }
  APP_PORT="" BASE_PATH="/" FLOWS="flows/$app" DISCOVER_VARS="" APP_SECRETS="" CLIENT_CALL="" READY_PATH="" OLDER_VERSIONS=""
  # shellcheck disable=SC1090
  source "corpus/$app/app.env"
  # The current version, then each older one (OLDER_VERSIONS="GRADIO_VERSION=4.44.1:v4": the
  # variable serve.sh reads, and the tag its captures and ground truth carry).
  for variant in ":" $OLDER_VERSIONS; do
  version_env=${variant%%:*}
  tag=${variant#*:}
  prefix=${tag:+$tag-}
  echo "==> $app${tag:+ ($tag)}: installing and starting (port $APP_PORT)"
  keep=$(mktemp -d -t "corpus-$app-keep.XXXXXX")
  for run in 1 2; do
    start_server "$app" "$version_env"
    out="$state/run$run"
    # shellcheck disable=SC2086
    if ! env $APP_SECRETS "$discover" run "$FLOWS" --base-url "http://127.0.0.1:$APP_PORT$BASE_PATH" --output "$out" --quiet $DISCOVER_VARS; then
      echo "error: $app run $run failed; corpus/$app keeps its previous captures (server log: /tmp/corpus-$app-server.log)" >&2
      cp "$log" "/tmp/corpus-$app-server.log" 2>/dev/null || true
      exit 1
    fi
    # Kept aside until both runs passed: a failed second run leaves the committed pair as it was.
    python3 scripts/corpus/trim-capture.py "$out/capture.jsonl" "$keep/${prefix}run-$run.capture.jsonl"
    echo "    run $run: $(wc -c <"$keep/${prefix}run-$run.capture.jsonl") bytes of capture"
    if [ "$run" = 2 ] && [ -z "$tag" ]; then
      client=$(ls "$out"/*-client.generated.ts)
      tsc --strict --noEmit --target es2022 --lib es2022,dom "$client"
      echo "    client: $(basename "$client") passes tsc --strict"
      if [ -n "$CLIENT_CALL" ]; then
        work="$state/node"
        mkdir -p "$work"
        tsc --target es2022 --module es2022 --lib es2022,dom --outDir "$work" "$client"
        js="$work/$(basename "${client%.ts}").js"
        # CLIENT_CALL: the body of an async function with `Client` (the generated class), `base` and
        # `env` (process.env) in scope, returning what the call answered.
        cat >"$work/call.mjs" <<EOF
import * as generated from "$js";
const Client = Object.values(generated).find((value) => typeof value === "function" && value.name.endsWith("Client"));
const base = "http://127.0.0.1:$APP_PORT";
const env = process.env;
const result = await (async () => { $CLIENT_CALL })();
console.log("    node: " + Client.name + " against the live app ->", JSON.stringify(result).slice(0, 160));
EOF
        # shellcheck disable=SC2086
        env $APP_SECRETS node "$work/call.mjs"
      fi
    fi
    stop_server
  done
  mv "$keep/${prefix}run-1.capture.jsonl" "$keep/${prefix}run-2.capture.jsonl" "corpus/$app/"
  rmdir "$keep"
  done
done

"$bench" corpus
