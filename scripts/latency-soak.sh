#!/bin/sh
# Runs the demo N times in a row against the replica at a pod's latency (issue 12: the flows must pass
# 20 runs in a row at 300 ms ± 150 ms). Usage: scripts/latency-soak.sh [RUNS] [LATENCY] [UI_VERSION] [UNTIL]
# Prints one line per run and the count; exits 1 if any run failed. Outputs go to a temporary folder.
set -u
runs=${1:-20}
latency=${2:-300:150}
version=${3:-2026-08}
until=${4:-started}
bin=${DISCOVER_BIN:-.build/debug/discover}
[ -x "$bin" ] || { echo "no $bin: run swift build first, or set DISCOVER_BIN" >&2; exit 2; }
out=$(mktemp -d /tmp/discover-soak.XXXXXX)
trap 'rm -rf "$out"' EXIT
passed=0
i=1
while [ "$i" -le "$runs" ]; do
    start=$(date +%s)
    if "$bin" demo --latency "$latency" --ui-version "$version" --until "$until" --output "$out/run-$i" --quiet >"$out/log-$i" 2>&1; then
        passed=$((passed + 1))
        echo "run $i: passed in $(( $(date +%s) - start )) s"
    else
        echo "run $i: FAILED in $(( $(date +%s) - start )) s"
        grep -m 3 "failed at\|error:" "$out/log-$i" | sed 's/^/    /'
    fi
    i=$((i + 1))
done
echo "$passed of $runs runs passed at --latency $latency, UI $version, --until $until"
[ "$passed" -eq "$runs" ]
