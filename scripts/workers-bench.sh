#!/usr/bin/env bash
# How much `run --workers N` gains on this machine: RUNS AI Toolkit replicas (default 4), the AI Toolkit
# flows against each (`--until started`), as one batch with 1, 2, 4 (and 8 when RUNS is 8) workers in
# one shared browser, a context each, and with 2 and 4 workers each in its own browser. Prints wall and
# CPU seconds per batch and the speed-up against 1 worker measured in the same run.
# Usage: [RUNS=8] scripts/workers-bench.sh [rounds] (default 1; DISCOVER_BIN picks the binary, default
# .build/debug/discover).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DISCOVER_BIN:-.build/debug/discover}
[ -x "$bin" ] || { echo "error: no $bin: run swift build first" >&2; exit 3; }
rounds=${1:-1}
work=$(mktemp -d /tmp/discover-workers-bench.XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export AI_TOOLKIT_PASSWORD=bench-$$
targets=()
runs=${RUNS:-4}
for i in $(seq "$runs"); do
  port=$((18700 + i + ($$ % 100) * 5))
  "$bin" replica --port "$port" --password "$AI_TOOLKIT_PASSWORD" --quiet > "$work/replica-$i.log" 2>&1 &
  pids+=($!)
  targets+=("flows/ai-toolkit@http://127.0.0.1:$port")
done
sleep 2

declare -A wall
run_batch() { # label, args...
  local label=$1; shift
  local start end cpu
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/time" "$bin" run "${targets[@]}" --until started --quiet --output "$work/out-$label" "$@" \
    || { echo "error: batch $label failed (exit $?)" >&2; exit 1; }
  end=$(date +%s.%N)
  cpu=$(awk '{print $1 + $2}' "$work/time")
  wall[$label]=$(echo "$end - $start" | bc)
  printf "%-22s wall %6.1f s   discover CPU %5.1f s   load %s\n" "$label" "${wall[$label]}" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}

for round in $(seq "$rounds"); do
  echo "round $round: $runs runs of flows/ai-toolkit --until started, $(nproc) cores"
  labels=(2-workers 4-workers)
  run_batch "1-worker" --workers 1
  run_batch "2-workers" --workers 2
  run_batch "4-workers" --workers 4
  if [ "$runs" -ge 8 ]; then run_batch "8-workers" --workers 8; labels+=(8-workers); fi
  run_batch "2-workers-browsers" --workers 2 --isolate browser
  run_batch "4-workers-browsers" --workers 4 --isolate browser
  labels+=(2-workers-browsers 4-workers-browsers)
  for label in "${labels[@]}"; do
    printf "  speed-up %-20s %.2fx\n" "$label" "$(echo "${wall[1-worker]} / ${wall[$label]}" | bc -l)"
  done
done
