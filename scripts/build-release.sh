#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Shared by test.sh and run-example.sh: installs missing packages, then configures and builds
# Loom (Release, Ninja, tests on) in build/ with all cores. Arguments are extra CMake options
# (e.g. -DLOOM_WERROR=ON, -DLOOM_WITH_MPI=OFF).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh

# A build/ first configured with another generator (e.g. a bare `cmake -S . -B build`, which
# picks Makefiles) makes `-G Ninja` fail outright; its cache cannot be reused, so drop it.
if [[ -f build/CMakeCache.txt ]] &&
   ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' build/CMakeCache.txt; then
  echo "build-release: build/ was configured with another generator; reconfiguring" >&2
  rm -rf build/CMakeCache.txt build/CMakeFiles
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOOM_BUILD_TESTS=ON "$@"
cmake --build build --parallel "$(nproc)"
