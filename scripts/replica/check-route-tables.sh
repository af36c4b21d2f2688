#!/usr/bin/env bash
# Compares each Tests/Fixtures/ai-toolkit-routes-<commit>.txt with what route-table.sh reads from the
# mirror at that commit. Exit 1 on a difference (printed as a diff), 2 when the mirror is missing: the
# fixtures are only checked where the real source is.
set -euo pipefail
cd "$(dirname "$0")/../.."
mirror=${AI_TOOLKIT_MIRROR:-/work/.mirror/ostris+ai-toolkit/repo}
if ! git -C "$mirror" rev-parse --git-dir >/dev/null 2>&1; then
    echo "no ostris/ai-toolkit mirror at $mirror (set AI_TOOLKIT_MIRROR): route tables not checked" >&2
    exit 2
fi
status=0
for fixture in Tests/Fixtures/ai-toolkit-routes-*.txt; do
    commit=${fixture##*-routes-}
    commit=${commit%.txt}
    if diff -u "$fixture" <(scripts/replica/route-table.sh "$commit" "$mirror"); then
        echo "$fixture: $(wc -l <"$fixture") routes, the same as $commit"
    else
        status=1
    fi
done
exit $status
