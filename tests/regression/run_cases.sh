#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs every case of the regression corpus's case list with one loom binary, from the source
# root (the list's paths are relative to it), keeping each run's layers.csv and summary.json
# under OUT/<case>/ (results.h5 is dropped: its numbers are those of the two text files, and
# HDF5 files carry library metadata that is no concern of Loom's).
# Usage: run_cases.sh LOOM SOURCE_ROOT CASES_FILE OUT
# A line of CASES_FILE is `<case folder> <loom run arguments...>`; `#` lines are comments.
set -eu
loom=$1; src=$2; cases=$3; out=$4
cd "$src"
set -f  # arguments are split on blanks, never globbed
status=0
while read -r dir args; do
  case "$dir" in '' | '#'*) continue ;; esac
  mkdir -p "$out/$dir"
  # shellcheck disable=SC2086
  if ! "$loom" run $args -q -o "$out/$dir" >/dev/null 2>"$out/$dir/stderr.txt"; then
    echo "FAIL: loom run $args" >&2
    cat "$out/$dir/stderr.txt" >&2
    status=1
  fi
  rm -f "$out/$dir/results.h5" "$out/$dir/stderr.txt"
done <"$cases"
exit $status
