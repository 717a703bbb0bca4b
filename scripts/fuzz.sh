#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A time-boxed libFuzzer campaign over every fuzz target (fuzz/, docs/fuzzing.md), built by the
# `fuzz` preset: clang-14, AddressSanitizer + UndefinedBehaviorSanitizer, coverage-guided.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]      (default 20 s, every target)
# Each target starts from its committed seeds (fuzz/corpus/<target>) and the crash inputs ever
# found (fuzz/crashes/<target>); what it discovers accumulates in build/fuzz/campaign/corpus, so
# repeated local runs go deeper. Prints one line per target (executions, seconds, corpus size,
# failures) and exits 1 if any target found a failure: a crash, a sanitizer report, an exception
# other than loom::Error, a broken invariant, an input taking over 60 s or 3 GiB (60 s: a damaged
# results.h5 that makes HDF5 loop is cut off by each read's 10 s CPU cap in a child process,
# and the results_h5 target reads three times). The failing
# input is in build/fuzz/campaign/artifacts/<target>/; fix the bug, then commit the input under
# fuzz/crashes/<target>/ so CTest replays it forever.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# libFuzzer's random seed: fixed, so a run from the same corpus makes the same mutations in the
# same order (how far it gets in the time box depends on the machine). LOOM_FUZZ_SEED overrides.
seed=${LOOM_FUZZ_SEED:-1}
seconds=${1:-20}
shift || true
[[ $seconds =~ ^[0-9]+$ && $seconds -ge 1 ]] || { echo "fuzz.sh: seconds must be >= 1" >&2; exit 2; }

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --parallel "$(nproc)"

bin=build/fuzz/fuzz
campaign=build/fuzz/campaign
if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  targets=()
  for exe in "$bin"/fuzz_*; do
    [[ -x $exe && $(basename "$exe") != fuzz_onnx_seeds ]] && targets+=("$(basename "$exe" | sed 's/^fuzz_//')")
  done
fi

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

failed=0
printf '%-18s %10s %8s %8s %7s  %s\n' target executions seconds exec/s corpus failures
for t in "${targets[@]}"; do
  work=$campaign/corpus/$t
  artifacts=$campaign/artifacts/$t
  mkdir -p "$work" "$artifacts"
  seeds=(fuzz/corpus/"$t")
  [[ -d fuzz/crashes/$t ]] && seeds+=(fuzz/crashes/"$t")
  log=$campaign/$t.log
  start=$(date +%s%N)
  status=0
  "$bin/fuzz_$t" -max_total_time="$seconds" -seed="$seed" -timeout=60 -rss_limit_mb=3072 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "${seeds[@]}" >"$log" 2>&1 ||
    status=$?
  elapsed=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  execs=${execs:-0}
  corpus=$(find "$work" -type f | wc -l)
  # Failures are what the fuzzing process itself reports. Targets whose readers run third-party
  # code in a child process (results_h5, onnx_model; core/isolated.hpp) can leave crash-* and
  # oom-* files from those children, which Loom survives by design: they are not counted.
  # (libFuzzer also writes slow-unit-* files for inputs over 10 s: reported, not failures.)
  found=$(grep 'Test unit written to' "$log" | grep -vc 'slow-unit' || true)
  [[ $status -ne 0 && $found -eq 0 ]] && found=1
  rate=$(awk -v n="$execs" -v s="$elapsed" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')
  printf '%-18s %10s %8s %8s %7s  %s\n' "$t" "$execs" "$elapsed" "$rate" "$corpus" "$found"
  if [[ $status -ne 0 ]]; then
    failed=1
    echo "--- $t failed (exit $status); the end of $log:"
    grep -E 'ERROR|BUG|SUMMARY|Test unit written|deadly|timeout|out-of-memory' "$log" | tail -15
  fi
done
exit $failed
