#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Layers above dataflow/ reach a dataflow family only through dataflow/family.hpp: no branch on
# which family an accelerator has (docs/architecture.md). Fails listing every offending line.
# Usage: check_family_branches.sh <source dir>
cd "$1" || exit 2
hits=$(grep -rEn 'is_systolic|is_spatial|DataflowFamily|\.family ==|dynamic_cast<' \
  --include='*.cpp' --include='*.hpp' explore simulate cli sweep reports validate)
if [ -n "$hits" ]; then
  echo "family branches outside dataflow/ and arch/:"
  echo "$hits"
  exit 1
fi
echo "no family branches outside dataflow/ and arch/"
