#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs every case of the regression corpus's case list with one loom binary, from the source
# root (the list's paths are relative to it), keeping each run's layers.csv and summary.json
# under OUT/<case>/ (results.h5 is dropped: its numbers are those of the two text files, and
# HDF5 files carry library metadata that is no concern of Loom's). Two runs at a time; each
# mapper run is single-threaded, and no result depends on the order.
# Usage: run_cases.sh LOOM SOURCE_ROOT CASES_FILE OUT
# A line of CASES_FILE is `<case folder> <loom run arguments...>`; `#` lines are comments.
set -eu
if [ "$1" = --one ]; then  # --one LOOM OUT DIR ARGS...: one case (what xargs calls)
  loom=$2; out=$3; dir=$4; shift 4
  mkdir -p "$out/$dir"
  status=0
  "$loom" run "$@" -q -o "$out/$dir" >/dev/null 2>"$out/$dir/stderr.txt" || status=$?
  if [ $status -ne 0 ]; then
    echo "FAIL ($status): loom run $*" >&2
    cat "$out/$dir/stderr.txt" >&2
  fi
  rm -f "$out/$dir/results.h5" "$out/$dir/stderr.txt"
  exit $((status == 0 ? 0 : 1))  # xargs stops at 255: keep going through every case
fi
loom=$1; src=$2; cases=$3; out=$4
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$src"
grep -v -e '^#' -e '^$' "$cases" | xargs -P 2 -L 1 sh "$self" --one "$loom" "$out"
