#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The analytical-only build: configures and builds Loom with LOOM_WITH_SIM, LOOM_WITH_RTL,
# LOOM_WITH_ONNX, LOOM_WITH_MPI and LOOM_WITH_PYTHON OFF in build-analytical/ (tests off: only
# `loom`), prints how long configuring and building took, checks that its `loom` links none of
# SystemC, Verilator, ONNX/protobuf or MPI and has no plugins, and that analytical runs write
# byte-identical layers.csv to the full build's (build/cli/loom, from scripts/build-release.sh).
# Exits 1 on any difference.
#
#   scripts/check-analytical-build.sh [-DNAME=VALUE ...]   extra CMake options (CI: -DLOOM_WERROR=ON)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

full=build/cli/loom
lean=build-analytical/cli/loom
if [[ ! -x $full ]]; then
  echo "check-analytical-build: no full build at $full (run scripts/build-release.sh first)" >&2
  exit 2
fi

now() { date +%s.%N; }
t0=$(now)
cmake -S . -B build-analytical -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOOM_BUILD_TESTS=OFF \
  -DLOOM_WITH_SIM=OFF -DLOOM_WITH_RTL=OFF -DLOOM_WITH_ONNX=OFF -DLOOM_WITH_MPI=OFF \
  -DLOOM_WITH_PYTHON=OFF "$@" >/dev/null
t1=$(now)
cmake --build build-analytical --target loom --parallel "$(nproc)" >/dev/null
t2=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$(nproc)" \
  'BEGIN { printf "analytical-only build: configure %.1f s, build of loom %.1f s (%d cores)\n", b - a, c - b, n }'

status=0
linked=$(ldd "$lean")
if grep -Ei 'systemc|verilat|onnx|protobuf|mpi' <<<"$linked"; then
  echo "FAIL: $lean links the libraries above" >&2
  status=1
else
  echo "ldd $lean: $(wc -l <<<"$linked") libraries, none of SystemC, Verilator, ONNX, protobuf, MPI"
fi
if compgen -G "build-analytical/cli/libloom_plugin_*.so" >/dev/null; then
  echo "FAIL: build-analytical/cli has plugins" >&2
  status=1
fi

# name | loom run arguments: a systolic closed-form run, SCALE-Sim's own files (compat: scalesim),
# and a spatial array through the mapper (the genetic search at a small budget: the default exact
# search spends its first 400,000 points on its warm-up; 2,000 points, because with every
# spatial factor reachable seed 3's first 300 hold no legal CONV1 mapping).
data=tests/data/scalesim/scale_os_alexnet
cases=(
  "systolic_no_search|--arch edge_ws_32x32 --workload resnet18 --no-search"
  "compat_scalesim|--arch $data/scale.cfg --workload $data/alexnet.csv"
  "spatial_searched|--arch eyeriss --workload alexnet --strategy genetic --budget 2000 --seed 3 --threads 1"
)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for c in "${cases[@]}"; do
  name=${c%%|*}
  read -r -a args <<<"${c#*|}"
  "$full" run "${args[@]}" -q -o "$out/full_$name" >/dev/null
  "$lean" run "${args[@]}" -q -o "$out/lean_$name" >/dev/null
  if cmp "$out/full_$name/layers.csv" "$out/lean_$name/layers.csv"; then
    echo "$name: layers.csv identical ($(wc -l <"$out/lean_$name/layers.csv") lines)"
  else
    echo "FAIL: $name: layers.csv differs between $full and $lean" >&2
    status=1
  fi
done
exit $status
