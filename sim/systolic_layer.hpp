// SPDX-License-Identifier: Apache-2.0
#pragma once
// One layer through the cycle-level systolic array: the real ifmap is unfolded into the GEMM
// the array computes (im2col, per group), the folds are issued in the order of the layer's
// loop-nest mapping (the one `loom run` chooses; dataflow/systolic_mapping.hpp), and every
// output the array produces is checked against the golden convolution (sim/golden.hpp).
#include <array>
#include <cstdint>

#include "arch/accelerator.hpp"
#include "arch/access_counts.hpp"
#include "dataflow/mapping.hpp"
#include "sim/memory_system.hpp"
#include "sim/systolic_array.hpp"
#include "sim/tensor.hpp"
#include "workloads/layer.hpp"

namespace loom::sim {

struct SystolicLayerResult {
  Tensor4 ofmap;           // what the array produced (accumulator values), N x M x P x Q
  ArrayStats array;        // summed over groups
  std::int64_t folds = 0;  // folds issued (non-empty)
  std::int64_t elements_checked = 0;
  std::int64_t mismatches = 0;
  // Array-edge traffic by operand, as the analytical model names it (LayerCounts).
  std::int64_t sram_ifmap_reads = 0, sram_filter_reads = 0;
  std::int64_t sram_ofmap_writes = 0, sram_ofmap_reads = 0;
  // With the memory system: what crossed between DRAM and the buffers, and when it ended.
  bool with_memory = false;
  MemoryStats memory;
  std::int64_t compute_cycles = 0;     // the array's own schedule, never waiting for data
  std::int64_t port_stall_cycles = 0;  // of those, the bubbles narrow SRAM ports put in
  std::int64_t total_cycles = 0;       // until the last output reached DRAM (array only: = cycles)
  arch::AccessCounts access;           // every level and operand, elements and bits
};

struct SystolicLayerOptions {
  // Run the buffers, DRAM channel and controller around the array (sim/memory_system.hpp);
  // otherwise the array reads the whole GEMM directly and never waits.
  bool memory = true;
  // With the memory system: operands whose tensor is already on chip (TilePlan::on_chip; a
  // fused group's tiles, sim/fused_group.hpp). Their buffer fills and drains stay in `access`,
  // their DRAM side goes.
  std::array<bool, arch::kOperands> on_chip{};
};

// Runs `layer` with `data` on `array` (built for `acc`'s array and dataflow: the engine, or
// the engine inside its SystemC module).
SystolicLayerResult simulate_systolic_layer(const workloads::Layer& layer,
                                            const arch::Accelerator& acc,
                                            const dataflow::Mapping& m, const LayerData& data,
                                            ArrayRunner& array,
                                            const SystolicLayerOptions& options = {});

}  // namespace loom::sim
