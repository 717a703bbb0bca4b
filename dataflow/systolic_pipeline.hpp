// SPDX-License-Identifier: Apache-2.0
#pragma once
// Total cycles of a systolic layer with its buffers and DRAM, tile by tile: the timing of the
// double-buffered controller that docs/sim.md specifies and sim/memory_system.hpp implements,
// computed from fold durations and tile sizes alone (no data, no per-cycle stepping):
//  - each operand's buffer has two slots; an input tile is fetched once its slot's previous
//    tile has been read by its last fold, in the order folds need tiles; an output tile takes a
//    slot once the tile two before it has been written back, reading back its partial sums if
//    it is revisited, and is written back once its last fold has drained;
//  - one DRAM channel serves requests in issue order, ceil(bits / 8 / bandwidth) cycles each,
//    data usable `latency` cycles after the last beat;
//  - a fold starts (its stationary preload, or its first edge read) once all its tiles are on
//    chip, and no earlier than the array's own pipelined schedule allows (stretched by narrow
//    SRAM ports, sram_ports.hpp).
// O(folds + tiles); used for a layer's final evaluation, where a closed form's assumption of
// perfect overlap misses the bubbles double buffering leaves.
#include <cstdint>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/tile_plan.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

struct PipelineTiming {
  std::int64_t array_cycles = 0;  // the array's run, waits included
  std::int64_t total_cycles = 0;  // until the last write-back completes
};

// `folds` = layer_folds(layer, acc, m); `plan` = plan_tiles(layer, acc, m, folds).
[[nodiscard]] PipelineTiming systolic_pipeline(const workloads::Layer& layer,
                                               const arch::Accelerator& acc,
                                               const std::vector<Fold>& folds,
                                               const TilePlan& plan, const ResolvedPrecision& p);

}  // namespace loom::dataflow
