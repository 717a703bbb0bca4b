#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages Loom builds against (every dependency is a distro package;
# nothing is downloaded at build time). Quick and offline when all are already installed:
# apt-get runs only for what `dpkg -s` reports missing.
#
#   --browser  also install Debian's chromium, for the headless-browser test of the sweep
#              report (a large package, ~90 MB to download; without it that test is skipped
#              and the report is still checked structurally).
#   --format   also install clang-format-14, for scripts/check-format.sh (CI's format check).
#   --fuzz     also install clang-14 and libclang-rt-14-dev (which ships libFuzzer), for
#              scripts/fuzz.sh.
#   --example  also install python3-torch and python3-sklearn, for the worked example
#              examples/joint_search (PyTorch trains a CNN on scikit-learn's digits; without them
#              its CTest is skipped), and python3-pandas, for the tests that build DataFrames
#              (Run.to_pandas(), results.h5 read back; those parts are skipped without it).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libsystemc-dev verilator libeigen3-dev libyaml-cpp-dev libhdf5-dev
  catch2 libcli11-dev libfmt-dev nlohmann-json3-dev libbenchmark-dev
  libonnx-dev libprotobuf-dev
  libopenmpi-dev openmpi-bin
  pybind11-dev python3-pybind11 python3-dev python3-pytest python3-numpy python3-h5py
)
for arg in "$@"; do
  case "$arg" in
    --browser) packages+=(chromium) ;;
    --format) packages+=(clang-format-14) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    --example) packages+=(python3-torch python3-sklearn python3-pandas) ;;
    *) echo "install-deps: unknown option $arg (expected --browser, --format, --fuzz or" \
         "--example)" >&2
       exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  # dpkg -s succeeds for removed-but-configured packages too; require "install ok installed".
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if ((EUID != 0)); then
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
