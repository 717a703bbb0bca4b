// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fused group through the cycle-level systolic array with real data: the execution that
// schedule/fusion_tiles.hpp describes and prices, step by step — each step one layer on one tile
// through the array and its double-buffered memory system (systolic_layer.hpp), its ifmap rows
// taken from the tensor the previous step left on chip (the group input for the first layer),
// its outputs written into that layer's on-chip tensor. Between layers the accumulator values
// are requantized (`between`, golden.hpp's OutputFormat) into the next layer's activations.
// Every layer's outputs, assembled from its tiles, are checked against the golden chain: the
// golden convolutions of the whole layers, requantized the same way in between. Cycles are the
// steps' and the input loads' back to back, as the analytical price counts them; DRAM bits are
// what the memory systems moved plus the input rows loaded.
#include <cstdint>
#include <vector>

#include "arch/accelerator.hpp"
#include "schedule/fusion_tiles.hpp"
#include "sim/golden.hpp"
#include "sim/systolic_array.hpp"
#include "sim/systolic_layer.hpp"
#include "sim/tensor.hpp"

namespace loom::sim {

struct FusedGroupResult {
  Tensor4 ofmap;  // the last layer's outputs (accumulator values), N x M x P x Q
  std::int64_t elements_checked = 0;  // every layer's outputs against the golden chain
  std::int64_t mismatches = 0;
  std::int64_t step_mismatches = 0;  // each step against its own golden convolution
  std::int64_t misses = 0;           // edge reads of values not in their buffer slot
  std::int64_t cycles = 0, dram_bits = 0, macs = 0;
  std::vector<std::int64_t> step_cycles;  // as FusedCost::step_cycles
  // What each step did (its ofmap left out: the layer's outputs are assembled in `ofmap` and
  // checked), in execution order, with the layer's position in the group; and each tile's load
  // of group input rows. A whole-network simulation books them per layer from these.
  std::vector<std::size_t> step_pos;
  std::vector<SystolicLayerResult> steps;
  std::vector<schedule::RowLoad> loads;
  // By position in the group: outputs checked against the golden chain, and mismatches.
  std::vector<std::int64_t> layer_checked, layer_mismatches;
};

// `input`: the first layer's ifmap; `weights`: each layer's, in order. Throws loom::Error if
// their dims do not match the layers.
[[nodiscard]] FusedGroupResult simulate_fused_group(
    const schedule::FusedExecution& e, const arch::Accelerator& acc, const Tensor4& input,
    const std::vector<Tensor4>& weights, const OutputFormat& between, ArrayRunner& array);

}  // namespace loom::sim
