#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks that the C++ lines changed since BASE (default HEAD~1, the previous commit; a branch
# checks against its merge base, e.g. `scripts/check-format.sh $(git merge-base main HEAD)`)
# are formatted as clang-format-14 and .clang-format want. Prints the fix as a diff and exits 1
# otherwise. Only changed lines are checked: most of the tree predates this check, and
# formatting it wholesale would touch about 1,700 lines of 114 files. For the same reason the
# order of #includes is not checked: clang-format re-sorts a whole include block when one line
# of it changes, and many blocks predate the check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

base=${1:-HEAD~1}
if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
  echo "check-format: no commit $base to compare with (a single-commit clone); nothing checked"
  exit 0
fi
# .clang-format's style, flattened to one line, with include sorting off.
style="{$(grep -Ev '^\s*(#|$)' .clang-format | paste -sd, -), SortIncludes: Never}"
fix=$(git diff -U0 --no-color "$base" -- '*.cpp' '*.hpp' | clang-format-diff-14 -p1 -style "$style")
if [[ -n $fix ]]; then
  echo "$fix"
  echo "check-format: the lines above, changed since $base, are not clang-formatted" >&2
  exit 1
fi
echo "check-format: C++ lines changed since $(git rev-parse --short "$base") are clang-formatted"
