#!/usr/bin/env bash
# The public surface per library module, as a table: every line declaring something public or open
# (nested members included), the public top-level types (struct, class, enum, protocol, actor, typealias
# at column 0, attributes allowed before), the public top-level functions, and how many of those top-level
# names docs/contracts.md's `## <Module>` section does not name as a whole word (what
# ContractsDocumentTests checks). "-" there: the module has no section.
# Usage: scripts/public-surface.sh [REV]   (default: the work tree; REV: a commit, e.g. main, for a before/after)
set -euo pipefail
cd "$(dirname "$0")/.."
root=.
if [ $# -gt 0 ]; then
    root=$(mktemp -d /tmp/discover-public-surface.XXXXXX)
    trap 'rm -rf "$root"' EXIT
    git archive "$1" Package.swift Sources docs/contracts.md | tar -x -C "$root"
fi
attributes='^(@[A-Za-z]+(\([^)]*\))?[[:space:]]+)*'
# The library modules: folders of Sources/ not declared executable (`name:` may be on the next line).
executables=$(tr '\n' ' ' <"$root/Package.swift" | grep -oE '\.executableTarget\([[:space:]]*name:[[:space:]]*"[^"]+"' | sed -E 's/.*"([^"]+)"/\1/')
printf '%-12s %12s %10s %10s %12s\n' module declarations types functions undocumented
total_declarations=0 total_types=0 total_functions=0 total_missing=0
for folder in "$root"/Sources/*/; do
    m=$(basename "$folder")
    if grep -qxF "$m" <<<"$executables"; then continue; fi
    declarations=$(find "$folder" -name '*.swift' -exec cat {} + | grep -cE '^[[:space:]]*(@[A-Za-z]+(\([^)]*\))?[[:space:]]+)*(public|open)[[:space:]]' || true)
    toplevel=$(find "$folder" -name '*.swift' -exec cat {} + \
        | grep -oE "${attributes}(public|open)[[:space:]]+((final|indirect)[[:space:]]+)*(struct|class|enum|protocol|actor|typealias|func)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*" \
        | awk '{print $(NF-1), $NF}' | sort -u || true)
    types=$(grep -cvE '^func ' <<<"$toplevel" || true)
    functions=$(grep -cE '^func ' <<<"$toplevel" || true)
    [ -n "$toplevel" ] || types=0
    section=$(awk -v m="$m" '/^## /{p=($2==m)} p' "$root/docs/contracts.md")
    if [ -z "$section" ]; then
        missing=-
    else
        missing=0
        for n in $(awk '{print $2}' <<<"$toplevel" | sort -u); do
            grep -qE "(^|[^A-Za-z0-9_])$n([^A-Za-z0-9_]|\$)" <<<"$section" || missing=$((missing + 1))
        done
    fi
    printf '%-12s %12d %10d %10d %12s\n' "$m" "$declarations" "$types" "$functions" "$missing"
    total_declarations=$((total_declarations + declarations)) total_types=$((total_types + types))
    total_functions=$((total_functions + functions))
    [ "$missing" = - ] && missing=$(awk '{print $2}' <<<"$toplevel" | sort -u | grep -c . || true)
    total_missing=$((total_missing + missing))
done
printf '%-12s %12d %10d %10d %12d\n' total "$total_declarations" "$total_types" "$total_functions" "$total_missing"
