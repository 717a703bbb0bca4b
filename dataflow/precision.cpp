// SPDX-License-Identifier: Apache-2.0
#include "dataflow/precision.hpp"

namespace loom::dataflow {

int fused_operand_bits(int bits, int fusion_bits) {
  int occupied = fusion_bits;
  while (occupied < bits) occupied *= 2;
  return occupied;
}

int macs_per_pe_cycle(const arch::PeSpec& pe, const ResolvedPrecision& p) {
  if (!pe.precision_scalable) return 1;
  // The native widths are fusion_bits * 2^n (checked when the accelerator is read) and the
  // layer's widths never exceed them (resolve_precision), so both splits are whole.
  const int w = pe.weight_bits / fused_operand_bits(p.weight_bits, pe.fusion_bits);
  const int a = pe.activation_bits / fused_operand_bits(p.activation_bits, pe.fusion_bits);
  return w * a;
}

}  // namespace loom::dataflow
