#!/usr/bin/env bash
# Regenerates README.md's validation table from the suite: the lines between the two
# "loom validate all --markdown" markers become that command's output (a test keeps them equal).
# Usage: scripts/update-readme-validation.sh [path/to/loom]   (default build/cli/loom)
set -euo pipefail
cd "$(dirname "$0")/.."
loom="${1:-build/cli/loom}"
table="$(mktemp)"
trap 'rm -f "$table"' EXIT
status=0
"$loom" validate all --markdown > "$table" || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi
python3 - "$table" <<'PY'
import sys
begin = "<!-- loom validate all --markdown: begin -->\n"
end = "<!-- loom validate all --markdown: end -->"
readme = open("README.md", encoding="utf-8").read()
b, e = readme.index(begin) + len(begin), readme.index(end)
table = open(sys.argv[1], encoding="utf-8").read()
open("README.md", "w", encoding="utf-8").write(readme[:b] + table + readme[e:])
PY
if [ "$status" -ne 0 ]; then echo "note: some check rows are outside their band" >&2; fi
exit "$status"
