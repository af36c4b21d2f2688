#!/usr/bin/env bash
# The CPU Chromium spends on the AI Toolkit flows (flows/ai-toolkit, --until checkpoint) against the
# replica, driven by discover and by Playwright for Python, same browser binary, runs alternated.
# Each run's browser (every Chromium process) and driver sit in cpuacct cgroups of their own; prints
# per run the browser's and the driver's CPU seconds, then the medians and the browser's ratio to
# Playwright's (each discover run against the Playwright run of its own round).
# Usage: scripts/bench/browser-cpu.sh [runs] (default 5). DISCOVER_BIN (default .build/debug/discover);
# BASELINE_BIN, a second discover binary (say main's) measured in the same rounds; BENCH_CHROMIUM
# (default /usr/lib/chromium/chromium). Installs playwright into .build/bench-venv when missing (it
# never downloads a browser). Needs a writable cgroup v1 cpuacct hierarchy (root).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
bin=${DISCOVER_BIN:-.build/debug/discover}
[ -x "$bin" ] || { echo "error: no $bin: run swift build first" >&2; exit 3; }
export BENCH_CHROMIUM=${BENCH_CHROMIUM:-/usr/lib/chromium/chromium}
venv=.build/bench-venv
if ! "$venv/bin/python" -c 'import playwright' 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet playwright
fi
cpuacct=/sys/fs/cgroup/cpuacct
[ -w "$cpuacct" ] || { echo "error: $cpuacct is not writable (cgroup v1 cpuacct, as root)" >&2; exit 3; }
group=$cpuacct/discover-browser-cpu-$$
work=$(mktemp -d /tmp/discover-browser-cpu.XXXXXX)
replica=
cleanup() {
  [ -n "$replica" ] && kill "$replica" 2>/dev/null; wait 2>/dev/null || true
  for g in "$group"/*/browser "$group"/*; do [ -d "$g" ] && rmdir "$g" 2>/dev/null; done
  rmdir "$group" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$group"
export AI_TOOLKIT_PASSWORD=bench-$$
port=$((18900 + $$ % 90))
"$bin" replica --port "$port" --password "$AI_TOOLKIT_PASSWORD" --quiet > "$work/replica.log" 2>&1 &
replica=$!
sleep 2
wrapper=$PWD/scripts/bench/chromium-in-cgroup.sh

drivers=(playwright discover)
[ -n "${BASELINE_BIN:-}" ] && drivers+=(baseline)
# run LABEL ROUND: one run in fresh cgroups; prints "browser_seconds driver_seconds wall_seconds".
run() {
  local label=$1 run_group=$group/$1-$2
  mkdir -p "$run_group/browser"
  export BENCH_BROWSER_CGROUP=$run_group/browser
  local command
  case $label in
    playwright) command=("$venv/bin/python" scripts/bench/ai-toolkit-playwright.py "http://127.0.0.1:$port" "$wrapper") ;;
    discover|baseline)
      local b=$bin; [ "$label" = baseline ] && b=$BASELINE_BIN
      command=("$b" run flows/ai-toolkit --base-url "http://127.0.0.1:$port" --browser "$wrapper" --quiet --output "$work/out-$label") ;;
  esac
  local start; start=$(date +%s.%N)
  sh -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$run_group" "${command[@]}" > "$work/$label.log" 2>&1 \
    || { echo "error: the $label run failed:" >&2; tail -20 "$work/$label.log" >&2; exit 1; }
  local all browser end; end=$(date +%s.%N)
  all=$(cat "$run_group/cpuacct.usage"); browser=$(cat "$run_group/browser/cpuacct.usage")
  rmdir "$run_group/browser" "$run_group"
  awk -v a="$all" -v b="$browser" -v w="$(echo "$end - $start" | bc)" 'BEGIN { printf "%.2f %.2f %.1f\n", b / 1e9, (a - b) / 1e9, w }'
}

declare -A browser driver
for round in $(seq "$runs"); do
  # Rotate the order each round, so neither driver always runs first after the other.
  order=("${drivers[@]:$((round % ${#drivers[@]}))}" "${drivers[@]:0:$((round % ${#drivers[@]}))}")
  line="round $round:"
  for label in "${order[@]}"; do
    read -r b d w < <(run "$label" "$round")
    browser[$label]+="$b "; driver[$label]+="$d "
    line+="  $label browser ${b}s driver ${d}s wall ${w}s;"
  done
  echo "$line  load $(cut -d' ' -f1 /proc/loadavg)"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratios() { # per round: label's browser CPU / playwright's browser CPU
  paste <(echo "${browser[$1]}" | tr ' ' '\n' | grep -v '^$') <(echo "${browser[playwright]}" | tr ' ' '\n' | grep -v '^$') \
    | awk '{ printf "%.3f ", $1 / $2 }'
}
for label in "${drivers[@]}"; do
  printf "%-10s browser CPU median %6.2f s  driver CPU median %6.2f s" "$label" \
    "$(echo "${browser[$label]}" | median)" "$(echo "${driver[$label]}" | median)"
  if [ "$label" != playwright ]; then
    r=$(ratios "$label")
    printf "  browser / Playwright's: median %.2f, range %s..%s" "$(echo "$r" | median)" \
      "$(echo "$r" | tr ' ' '\n' | grep -v '^$' | sort -g | head -1)" "$(echo "$r" | tr ' ' '\n' | grep -v '^$' | sort -g | tail -1)"
  fi
  echo
done
