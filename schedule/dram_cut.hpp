// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the graph schedule removes from one MAC layer's layerwise counts: the DRAM reads of an
// input tensor that stays on chip (every fetch, refetches included: they come from the resident
// copy), the DRAM write of a finished output that stays on chip (spilled partial sums stay), and
// for a fused group's step, the DRAM reads of weights kept on chip for the group, with their
// writes into the outermost on-chip level holding filters (where they stay: hardware loads them
// once, and the group's first step of the layer, run without the cut, pays that).
// Other on-chip accesses are kept: the fills and drains of activations now copy to and from the
// resident tensor, at the cost the layerwise counts give them. The layer is then re-timed from its
// new DRAM traffic: its cycles drop by as much as dataflow::finish_timing's stall model says they
// do (the exposed head and tail transfers scaled by the share of input and output DRAM bits that
// remain), which is exact where the model's cycles come from finish_timing (closed forms, the
// nest analysis) and keeps the finer pipeline schedule of a systolic final evaluation as the
// baseline otherwise.
#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"

namespace loom::schedule {

struct DramCut {
  bool input_on_chip = false;
  bool output_on_chip = false;
  bool weights_on_chip = false;
  [[nodiscard]] bool any() const { return input_on_chip || output_on_chip || weights_on_chip; }
};

// DRAM write bits of the layer's finished outputs (at DRAM, after any compression). Every model
// writes back each spilled partial sum once per read-back (tile visits after the first read
// what the previous visit wrote; dataflow/tile_plan.hpp), both uncompressed at partial-sum
// width, so the writes beyond the DRAM ofmap reads are the finished outputs.
[[nodiscard]] std::int64_t final_output_write_bits(const dataflow::LayerCounts& c, int dram);

// Applies `cut` to `c` (a layer's counts on `acc`) and re-times it. No-op if !cut.any().
void apply_cut(dataflow::LayerCounts& c, const DramCut& cut, const arch::Accelerator& acc);

}  // namespace loom::schedule
