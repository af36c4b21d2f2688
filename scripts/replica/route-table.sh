#!/usr/bin/env bash
# Prints the AI Toolkit's API route table at a commit: `METHOD /api/path` for each handler a
# `route.ts`/`route.tsx` under ui/src/app/api exports (`export async function GET`, `export const POST`),
# with Next's `[x]` as `{x}` and `[...x]` as `{+x}`, sorted. Reads the git mirror, so no checkout is needed.
#   scripts/replica/route-table.sh COMMIT [MIRROR]
set -euo pipefail
commit=${1:?usage: route-table.sh COMMIT [MIRROR]}
mirror=${2:-${AI_TOOLKIT_MIRROR:-/work/.mirror/ostris+ai-toolkit/repo}}
git -C "$mirror" ls-tree -r --name-only "$commit" -- ui/src/app/api |
    grep -E '/route\.tsx?$' |
    while read -r file; do
        path=${file#ui/src/app}
        path=${path%/route.ts*}
        path=$(sed -E 's/\[\.\.\.([^]]+)\]/{+\1}/g; s/\[([^]]+)\]/{\1}/g' <<<"$path")
        git -C "$mirror" show "$commit:$file" |
            sed -nE 's/^export[[:space:]]+(async[[:space:]]+)?(function|const)[[:space:]]+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b.*/\3/p' |
            sed "s|\$| $path|"
    done | LC_ALL=C sort -u
