// SPDX-License-Identifier: Apache-2.0
#pragma once
// How many MACs a PE completes per cycle at a layer's operand widths. A fixed-width PE does one
// MAC per cycle whatever the widths (narrow operands only save energy and storage). A
// precision-scalable PE (pe.precision_scalable) follows Bit Fusion (Sharma et al., "Bit Fusion:
// Bit-Level Dynamically Composable Architecture for Accelerating Deep Neural Networks", ISCA
// 2018, Sec. III): its multiplier is a grid of fusion_bits x fusion_bits BitBricks; an operand
// of b bits occupies the smallest fusion_bits * 2^i >= b bits, so along that operand the grid
// splits into native_bits / occupied_bits independent multipliers, and the MACs per cycle are
// the product of the two operands' split factors (16 at 2x2 bits on an 8x8 PE, 4 at 4x4,
// 4 at 8-bit weights x 2-bit activations).
#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"

namespace loom::dataflow {

// Bits one operand of `bits` occupies on a BitBrick grid of `fusion_bits` bricks: the smallest
// fusion_bits * 2^i >= bits.
[[nodiscard]] int fused_operand_bits(int bits, int fusion_bits);

// MACs per PE per cycle for operands of precision `p` on `pe`: 1 unless pe.precision_scalable.
[[nodiscard]] int macs_per_pe_cycle(const arch::PeSpec& pe, const ResolvedPrecision& p);

// Cycles of `steps` MAC steps of one PE that does `k` MACs per cycle: ceil(steps / k).
[[nodiscard]] constexpr std::int64_t fused_cycles(std::int64_t steps, int k) {
  return (steps + k - 1) / k;
}

}  // namespace loom::dataflow
