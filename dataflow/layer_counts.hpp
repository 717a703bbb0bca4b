// SPDX-License-Identifier: Apache-2.0
#pragma once
// The analytical model's answer for one layer on one accelerator: cycles, utilization and
// accesses per level and operand. All counts are for the whole batch. Units are in the names.
#include <array>
#include <cstdint>

#include "arch/access_counts.hpp"
#include "dataflow/spatial_micro.hpp"

namespace loom::dataflow {

// Operand widths after resolving the layer's precision against the PE.
struct ResolvedPrecision {
  int weight_bits = 8;
  int activation_bits = 8;
  int output_bits = 8;
  int psum_bits = 32;  // partial sums that leave the array before they are complete
};

struct LayerCounts {
  std::int64_t macs = 0;
  // MACs skipped because their ifmap operand is zero (PE zero-gating; dataflow/sparsity.hpp).
  // They take their cycles but no MAC energy.
  std::int64_t gated_macs = 0;
  // MACs never issued because their ifmap operand is zero (PE zero-skipping): they take
  // neither cycles nor energy.
  std::int64_t skipped_macs = 0;
  // MACs one PE completes per cycle at this layer's widths (dataflow/precision.hpp); the
  // utilization columns are relative to this peak.
  int macs_per_pe_cycle = 1;
  std::int64_t total_cycles = 0;
  std::int64_t compute_cycles = 0;
  std::int64_t stall_cycles = 0;
  // Of compute_cycles, those a systolic wavefront spent waiting for narrow SRAM ports
  // (sram_ports.hpp): the bubbles between its steps, preload rows and drain rows.
  std::int64_t port_stall_cycles = 0;
  double overall_util_pct = 0;
  double mapping_efficiency_pct = 0;
  double compute_util_pct = 0;
  double active_pes = 0;  // PEs holding mapped work, averaged over total_cycles
  std::int64_t folds = 0;

  // Array-side SRAM traffic in elements: what SCALE-Sim's DETAILED_ACCESS_REPORT counts.
  std::int64_t sram_ifmap_reads = 0;
  std::int64_t sram_filter_reads = 0;
  std::int64_t sram_ofmap_writes = 0;
  std::int64_t sram_ofmap_reads = 0;  // partial sums read back for accumulation

  // Everything, including SRAM fills from DRAM and drains to it: priced by energy::price.
  arch::AccessCounts access;
  ResolvedPrecision precision;
  // Spatial arrays (nest analysis): the share of each level's transfers that waits for the
  // buffers it fills instead of overlapping compute (dataflow/layer_timing.hpp). Kept so that
  // a change of compute cycles or traffic after the dense evaluation can be re-timed.
  std::array<double, arch::kMaxLevels> fill_wait{};
  // The DRAM bits that cannot overlap compute (the first tiles' inputs, the last output tile;
  // systolic_dram.hpp ExposedTransfers, nest_analysis.hpp), or negative if unknown.
  double exposed_input_bits = -1;
  double exposed_output_bits = -1;
  // Systolic arrays: the DRAM channel's bus cycles over an ideal channel's for this layer's
  // transfers (dram_timing.hpp; 1 on an ideal channel), read by the closed-form stalls.
  double dram_bus_factor = 1.0;
  // Spatial arrays: what the array's microarchitecture adds (spatial_micro.hpp), kept for the
  // same re-timing.
  ArrayOverheads array;
};

// The MACs the datapath actually performs (reported as effective_macs): what MAC energy is
// priced on.
[[nodiscard]] inline std::int64_t performed_macs(const LayerCounts& c) {
  return c.macs - c.gated_macs - c.skipped_macs;
}

// MAC slots the PEs spend, in PE cycles: skipped MACs take none, and a PE that does k MACs
// per cycle spends 1/k per MAC.
[[nodiscard]] inline double pe_cycles_busy(const LayerCounts& c) {
  return static_cast<double>(c.macs - c.skipped_macs) / c.macs_per_pe_cycle;
}

}  // namespace loom::dataflow
