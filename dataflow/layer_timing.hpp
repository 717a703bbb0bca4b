// SPDX-License-Identifier: Apache-2.0
#pragma once
// Total cycles of a layer from its compute cycles and its traffic, for both families: a
// systolic layer's DRAM stalls (systolic_dram.hpp, finish_with_dram_stalls) and a spatial
// layer's fill waits and bandwidth bounds (nest_analysis.hpp). Used after the dense evaluation
// and again after anything that changes compute cycles or traffic (zero-skipping, compressed
// transfers; dataflow/sparsity.hpp), so stalls always follow the bytes actually moved.
#include <string>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/spatial_micro.hpp"
#include "dataflow/systolic_dram.hpp"

namespace loom::dataflow {

// Cycles of a spatial layer: its compute plus the share of each level's transfer time that
// cannot overlap compute (fill_wait), plus the DRAM transfers no prefetch hides (`exposed`:
// the first input tiles, with the DRAM latency, and the last output tile; the simulator's
// channel, sim/spatial_timing.hpp, pays them the same way), or the longest transfer if that is
// longer. The array's microarchitecture (spatial_micro.hpp) adds its serial cycles to the
// compute and its busiest bus bounds the total like a level's bandwidth.
[[nodiscard]] std::int64_t nest_total_cycles(const arch::Accelerator& acc,
                                             std::int64_t compute_cycles,
                                             const arch::AccessCounts& access,
                                             const std::array<double, arch::kMaxLevels>& wait,
                                             const ExposedTransfers& exposed = {},
                                             const ArrayOverheads& array = {});

// Cycles the PE array is busy with a layer's passes, DRAM aside: its MAC steps plus what its
// microarchitecture adds (spatial_micro.hpp), or its busiest bus if that is longer. The PEs
// hold their mapped work all along, so active_pes counts these cycles as active.
[[nodiscard]] double array_busy_cycles(const LayerCounts& r);

// The message for a cycle count beyond 2^63 (an absurd bandwidth or clock); thrown as an Error.
[[nodiscard]] std::string too_many_cycles(double cycles);

// Fills total_cycles, stall_cycles, overall_util_pct and active_pes from compute_cycles,
// access, folds, mapping_efficiency_pct and (spatial arrays) fill_wait.
void finish_timing(LayerCounts& r, const arch::Accelerator& acc);

}  // namespace loom::dataflow
