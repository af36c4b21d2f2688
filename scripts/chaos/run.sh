#!/usr/bin/env bash
# `make chaos`: discover's fault-injection suite (issue 15). Long-running cases outside the Swift
# test suite: signals at random moments, hangs and faults against a hostile app, disk full,
# previous outputs kept, malformed inputs to every file-reading command, hostile HTTP against the
# replica, secrets in every encoding. It measures the binary it is given and prints the figures;
# CHAOS_OUT/chaos-report.json (default /tmp/discover-chaos) holds them all.
#
#   scripts/chaos/run.sh [--quick] [--only GROUP[,GROUP...]]
#   groups: malformed, preserve, signals, faults, http, secrets, disk
#
# Binary: DISCOVER_BIN, else .build/release/discover, else .build/debug/discover, else it builds
# the release binary. Knobs (environment): CHAOS_OUT, CHAOS_SEED, CHAOS_SIGNAL_RUNS (100),
# CHAOS_SIGKILL_RUNS (12), CHAOS_MALFORMED (500), CHAOS_HANG_SECS (30), CHAOS_JOBS (2),
# CHAOS_GRACE_SECS (5), CHAOS_LAUNCH_SECS (5), CHAOS_OVERRUN_SECS (20), CHAOS_RSS_CAP_MB (2048),
# CHAOS_SLOWLORIS (600), CHAOS_UPLOAD_MB (256), CHAOS_SIGNAL_DEMO_SHARE (0.1), CHAOS_SETTLE_SECS (1).
# Exit: 0 every case survived, 1 some failed, 2 the suite itself broke, 130 interrupted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

bin="${DISCOVER_BIN:-}"
if [ -z "$bin" ]; then
  if [ -x .build/release/discover ]; then
    bin=.build/release/discover
  elif [ -x .build/debug/discover ]; then
    bin=.build/debug/discover
  else
    echo "==> no discover binary: building it (swift build -c release --product discover)" >&2
    swift build -c release --product discover >&2
    bin=.build/release/discover
  fi
fi
if [ ! -x "$bin" ]; then
  echo "error: the binary under test '$bin' is not an executable (set DISCOVER_BIN)" >&2
  exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "error: python3 is needed" >&2; exit 2; }

exec python3 "$here/chaos.py" --bin "$bin" "$@"
