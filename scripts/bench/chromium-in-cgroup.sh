#!/bin/sh
# Stands in for the browser executable in browser-cpu.sh: joins the cpuacct cgroup named by
# BENCH_BROWSER_CGROUP (its renderers and helpers follow), then becomes the real browser.
echo $$ > "$BENCH_BROWSER_CGROUP/cgroup.procs"
exec "${BENCH_CHROMIUM:-/usr/lib/chromium/chromium}" "$@"
