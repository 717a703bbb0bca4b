// SPDX-License-Identifier: Apache-2.0
#pragma once
// How long a DRAM transfer holds the channel, from the tile it moves and the device's timing
// (arch::DramTiming): the one model read by the mapper's closed form (systolic_timing.cpp), the
// tile pipeline of the final evaluation (systolic_pipeline.cpp) and the simulator's controller
// (sim/memory_system.cpp), so the three agree on the same mapping.
//  - Layout: tensors lie in DRAM as the simulator stores them, row-major and each starting at a
//    row boundary: ifmaps N,C,H,W; weights M,C,R,S (one filter's taps contiguous); outputs and
//    spilled partial sums N,M,P,Q. A tile is then a set of contiguous runs at constant address
//    steps, two levels deep (DramRuns: e.g. the input rows of a channel, then the channels).
//  - Bursts: a run moves whole bursts (`burst_bytes`), so short runs waste bus cycles.
//  - Rows: every row (`row_bytes`) a transfer's runs touch is opened once. The bus waits
//    `row_miss_cycles` (precharge + activate) for the first; the others open in other banks
//    while data moves, one per `activate_cycles` at most (the device's activate-to-activate
//    limit), so a transfer of many short runs in many rows is activate-bound:
//    cycles = row_miss + max(data, (rows - 1) x activate).
//  - Turnaround: a transfer whose direction differs from the previous one's waits
//    `turnaround_cycles` first (DramBus, which sees the transfers in issue order).
// The useful bits moved (traffic, energy) do not change; only the time does. With all timing
// zero a transfer of b bits takes ceil(b / 8 / bandwidth) cycles, exactly as an ideal channel.
#include <array>
#include <cstdint>
#include <optional>

#include "arch/accelerator.hpp"
#include "arch/access_counts.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/tile_plan.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

struct DramRuns {                            // bytes
  std::int64_t len = 0;                      // one contiguous run
  std::int64_t inner = 1, inner_stride = 0;  // runs per group, and the step between them
  std::int64_t outer = 1, outer_stride = 0;  // groups, and the step between them
};

// The runs of an operand's tile (a GemmBox of one group) in the layout above, at `bits` per
// element. Ifmap tiles cover the raw input rows and columns their im2col entries read.
[[nodiscard]] DramRuns tile_runs(const workloads::LayerShape& s, arch::Operand o, const GemmBox& b,
                                 int bits);

// Bus cycles of one transfer of `bits` useful bits laid out as `runs` (no turnaround).
[[nodiscard]] std::int64_t transfer_cycles(const arch::MemoryLevel& dram, std::int64_t bits,
                                           const DramRuns& runs);

// A channel's transfers in issue order: each one's bus cycles, turnaround included.
class DramBus {
 public:
  // Keeps a pointer to `dram`, which must outlive the bus (a temporary would not: refused).
  explicit DramBus(const arch::MemoryLevel& dram) : dram_(&dram) {}
  explicit DramBus(const arch::MemoryLevel&&) = delete;
  std::int64_t cycles(std::int64_t bits, const DramRuns& runs, bool write) {
    std::int64_t c = transfer_cycles(*dram_, bits, runs);
    if (last_write_ && *last_write_ != write) c += dram_->dram_timing.turnaround_cycles;
    last_write_ = write;
    return c;
  }

 private:
  const arch::MemoryLevel* dram_;
  std::optional<bool> last_write_;
};

// The closed form's estimate for a layer (>= 1; exactly 1 on an ideal channel): bus cycles of
// its DRAM traffic over an ideal channel's, from one full tile per operand (`tiles`: ifmap,
// filter, ofmap boxes at their buffer levels) standing for every transfer of that operand, and
// every output tile written back reversing the bus twice. `ifmap_tile_elems`: the raw elements
// of the ifmap tile (or the search's estimate of them).
[[nodiscard]] double dram_bus_factor(const workloads::Layer& layer, const arch::Accelerator& acc,
                                     const std::array<GemmBox, arch::kOperands>& tiles,
                                     double ifmap_tile_elems, const arch::AccessCounts& access,
                                     const ResolvedPrecision& p);

}  // namespace loom::dataflow
