#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Synthesis cell counts of the PEs with yosys (Debian 12: yosys 0.23, generic gate library,
# `synth -flatten`): the 8-bit MAC PE (mac_pe.sv, OP_BITS=8, ACC_BITS=32) and the Bit Fusion PE
# (bf_pe.sv, ACC_BITS=32). energy/technology.hpp records these counts (kYosysCellsMac8Pe,
# kYosysCellsBitFusionPe); their ratio scales the area model's 8-bit PE to a Bit Fusion PE.
# Usage: rtl/synth.sh [--check]   (--check: exit 1 if the counts differ from the recorded ones by
# more than 5%, as another yosys version may map slightly differently; exit 77 without yosys.)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v yosys >/dev/null 2>&1; then
  echo "yosys not installed (apt-get install yosys): skipped"
  exit 77
fi
cells() {  # top, parameters (chparam arguments or empty), sources...
  top=$1; params=$2; shift 2
  chparam=""
  [ -n "$params" ] && chparam="chparam $params $top;"
  (cd "$here" && yosys -q -p "read_verilog -sv $*; $chparam synth -flatten -top $top; tee -o /dev/stdout stat" 2>/dev/null) |
    awk '/Number of cells:/ { n = $4 } END { print n }'
}
mac=$(cells mac_pe "-set OP_BITS 8 -set ACC_BITS 32" mac_pe.sv)
bf=$(cells bf_pe "" bitbrick.sv bf_fusion_unit.sv bf_pe.sv)
echo "yosys $(yosys -V | awk '{print $2}') synth -flatten, generic cells:"
echo "  mac_pe (8-bit operands, 32-bit accumulator): $mac cells"
echo "  bf_pe  (Bit Fusion 8/4/2-bit, 32-bit accumulator): $bf cells"
awk -v a="$bf" -v b="$mac" 'BEGIN { printf "  ratio bf_pe / mac_pe: %.3f\n", a / b }'
if [ "${1:-}" = "--check" ]; then
  hdr="$here/../energy/technology.hpp"
  want_mac=$(sed -n 's/.*kYosysCellsMac8Pe = \([0-9]*\);.*/\1/p' "$hdr")
  want_bf=$(sed -n 's/.*kYosysCellsBitFusionPe = \([0-9]*\);.*/\1/p' "$hdr")
  echo "recorded in energy/technology.hpp: mac_pe $want_mac, bf_pe $want_bf"
  awk -v m="$mac" -v wm="$want_mac" -v f="$bf" -v wf="$want_bf" 'BEGIN {
    d1 = (m - wm) / wm; d2 = (f - wf) / wf; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2;
    if (wm == "" || wf == "" || d1 > 0.05 || d2 > 0.05) { print "MISMATCH (> 5%)"; exit 1 }
    print "within 5%" }'
fi
