#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end example: builds Loom (Release) in build/ and simulates ResNet-18, writing its
# reports to out/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build-release.sh  # runs install-deps.sh first
exec ./build/cli/loom run --workload resnet18 -o out/
