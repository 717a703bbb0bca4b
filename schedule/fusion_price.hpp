// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one analytical price of a fused group (fusion.hpp): its tile-by-tile execution
// (fusion_tiles.hpp), each layer on each tile's shape as the caller's EvalTile maps and counts
// it, the steps back to back — what `loom sim --group` reproduces cycle for cycle. A fused
// layer's counts are the sum of its steps' (recomputed MACs included), with the group input's
// row loads (their DRAM reads and cycles) booked on the first layer; the group's on-chip
// operands follow the residency cut: the input, when resident, is read in place (no loads), the
// output, when it stays, is not written to DRAM, and an intermediate tensor is written to DRAM
// only where a layer outside the group reads it. Weights kept for the group come from DRAM in
// each layer's first step only.
#include <optional>

#include "arch/accelerator.hpp"
#include "schedule/fusion.hpp"
#include "schedule/fusion_tiles.hpp"

namespace loom::schedule {

// A group's layers' counts, each summed over its steps of the tile-by-tile execution, under
// each cut of the group input and output: counts[pos][input_on_chip][output_on_chip] (the input
// cut applies to the first layer, the output cut to the last); nullopt for non-MAC layers.
using CutCounts = std::array<std::array<dataflow::LayerCounts, 2>, 2>;
struct PricedGroup {
  GroupPlan plan;
  std::vector<std::optional<CutCounts>> counts;
  // Its steps with their tile mappings (none for layers without MACs), as priced with the
  // group input and output through DRAM (counts[k][0][0]): a resident input skips the tiles'
  // loads, an output that stays sets the last layer's on_chip[ofmap].
  FusedExecution execution;
};

// The group's options — tile rows (powers of two below the last layer's rows, and all of them),
// both halo policies, both weight policies — priced alone with the group input and output in
// DRAM; the best legal one under `score` (ties: fewer buffer bits, then the earlier option), or
// nullopt if none is legal.
[[nodiscard]] std::optional<PricedGroup> choose_group(const FusionContext& ctx, std::size_t first,
                                                      std::size_t last, const PriceLayer& price,
                                                      const ScheduleScore& score);

// The group's MAC layers priced under each cut of its input and output: costs[k] for network
// layer first + k (nullopt for non-MAC layers).
[[nodiscard]] std::vector<std::optional<CutCosts>> group_costs(const PricedGroup& g,
                                                               const PriceLayer& price);

// Every tile shape on its default mapping: the systolic family's SCALE-Sim mapping at final
// fidelity, else the family's closed form (none: no legal mapping). Memoized per tile shape of
// one network (keyed by the layer's name and its cut rows).
[[nodiscard]] EvalTile default_tile_eval(const arch::Accelerator& acc);

// The group `g` of ctx's network priced tile by tile (ctx.eval_tile, or the default); with
// `all_cuts`, under every cut of its input and output, else with both through DRAM (counts[k]
// [0][0] only). nullopt if a tile shape has no legal mapping in what the group leaves free.
[[nodiscard]] std::optional<PricedGroup> price_group(const FusionContext& ctx, const GroupPlan& g,
                                                     bool all_cuts);

}  // namespace loom::schedule
