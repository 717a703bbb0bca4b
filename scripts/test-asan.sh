#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# AddressSanitizer + UndefinedBehaviorSanitizer (the `asan` preset: -O1 -g1 with asserts, in
# build/asan) on the analytical-only build: LOOM_WITH_SIM, _RTL, _ONNX, _MPI and _PYTHON off (the
# Python extension would need ASan preloaded into python3), so neither SystemC's, Verilator's nor
# protobuf's code is instrumented and the build stays affordable. Runs
# the fast tests: all but SLOW below: the default-seed check (nine exact searches, 35 s in
# Release), the README's validation table (all of `loom validate all`: 364 s under ASan), the
# Eyeriss validation (test_validate, and `loom validate
# eyeriss`, which alone takes 190 s of the analytical suite's 238 s in Release) and the two
# next-slowest cases (24 s and 19 s in Release), and the graph schedule's two measured tables
# (docs/schedule.md with mapping search, 84 s under ASan; the buffer-size sweep, 41 s), each
# several times slower under the sanitizers; the other suites run the same evaluation code. UBSan halts on the first finding
# (the preset's UBSAN_OPTIONS), so undefined behaviour fails its test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SLOW='^test_validate:|^test_cli:loom validate|^test_cli:loom run is deterministic|'\
'^test_dataflow:nest analysis DRAM traffic equals|^test_cli:at default settings the seed|'\
'^test_cli:the README.s validation table|^test_schedule:docs/schedule.md.s measured DRAM bytes|'\
'^test_sweep:the buffer-size answer changes'

cmake --preset asan -DLOOM_WITH_SIM=OFF -DLOOM_WITH_RTL=OFF -DLOOM_WITH_ONNX=OFF \
  -DLOOM_WITH_MPI=OFF -DLOOM_WITH_PYTHON=OFF -DLOOM_BUILD_BENCH=OFF >/dev/null
cmake --build --preset asan --parallel "$(nproc)"
exec ctest --preset asan -E "$SLOW"
