// SPDX-License-Identifier: Apache-2.0
#pragma once
// The golden convolution: what a correct accelerator must produce, element for element, for a
// layer's integer ifmap and weights. Computed as im2col plus one Eigen matrix product per image
// and group, exactly (sums are kept modulo 2^64, which every accumulator width up to 64 bits
// divides, so wrapping afterwards equals wrapping at every add). Stride, zero padding,
// dilation, groups (depthwise too), 1×1 and FC shapes are all the same code path.
#include <cstdint>

#include "sim/tensor.hpp"
#include "workloads/layer.hpp"

namespace loom::sim {

// How a PE turns its running sum into the stored output value.
//  0. Each product is shifted right arithmetically by `product_shift` before it is added (a
//     fixed-point PE whose partial sums are stored no wider than its operands keeps a window
//     of each double-width product: Eyeriss's 16 x 16 -> 32-bit multiply feeding 16-bit
//     partial sums). The sum is then exact modulo 2^accumulator_bits in any order.
//  1. The sum wraps to `accumulator_bits` two's complement (a hardware adder of that width).
//  2. If output_bits > 0: arithmetic shift right by `shift` (rounds toward −∞), then saturate
//     to [−2^(output_bits−1), 2^(output_bits−1) − 1] or wrap to output_bits bits.
//     Eyeriss keeps a 16-bit window of its sum: shift plus wrap to 16. output_bits = 0 keeps
//     the accumulator value, as int8 accelerators with 32-bit outputs do.
// Outputs are stored in int32, so the final width (output_bits, else accumulator_bits) is at
// most 32.
struct OutputFormat {
  int accumulator_bits = 32;  // 1..64
  int product_shift = 0;      // 0..62
  int shift = 0;              // 0..63; only with output_bits > 0
  int output_bits = 0;        // 0 (keep the accumulator) or 1..32
  bool saturate = false;      // only with output_bits > 0
  friend bool operator==(const OutputFormat&, const OutputFormat&) = default;
};

// Throws loom::Error listing every out-of-range field.
void check_output_format(const OutputFormat& f);

// Step 1 and 2 above for one exact sum given modulo 2^64 (an int64 that may have wrapped).
// `f` must pass check_output_format.
[[nodiscard]] std::int32_t format_output(std::int64_t sum, const OutputFormat& f);

// N × M × P × Q outputs of the layer. Throws loom::Error for a bad shape or format, or when
// d's tensors do not have the shape's dims.
[[nodiscard]] Tensor4 golden_conv(const workloads::LayerShape& s, const LayerData& d,
                                  const OutputFormat& f = {});

}  // namespace loom::sim
