#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds Loom (Release, Ninja, tests on) in build/ and runs the whole CTest suite; exits with
# ctest's status. This is what CI runs (.ci/run), with -DLOOM_WERROR=ON.
#   scripts/test.sh [-DNAME=VALUE ...]   extra CMake options for the build
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build-release.sh "$@"  # runs install-deps.sh first
# -j2: the test programs are small; more jobs mostly contend for the same cores.
exec ctest --test-dir build --output-on-failure -j2
