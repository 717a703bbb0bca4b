// SPDX-License-Identifier: Apache-2.0
#pragma once
// Layer fusion (depth-first): a group of consecutive layers in execution order, each reading the
// previous one's tensor, runs tile by tile — a tile is `tile_rows` output rows of the group's
// last layer (an H-tile, full width, whole batch), and each earlier layer computes the rows the
// next one's window needs — so the intermediate tensors live on chip only as tiles, in the
// residency level (residency.hpp). Rules (docs/schedule.md, "Layer fusion"):
//  - links: layer i+1 reads only layer i's tensor, both are row-tileable (conv, depthwise,
//    pointwise; or a pooling, activation or batch norm between them) with more than one output
//    row; a group starts and ends with a MAC layer and holds at least two;
//  - halo: consecutive tiles of a layer with a window taller than its stride overlap. `recompute`
//    computes the overlap again in every tile (extra MACs, on-chip accesses and compute cycles,
//    and the group input's overlap rows read again from DRAM); `cache` keeps the overlap rows in
//    a separate line buffer between tiles (extra storage, nothing recomputed);
//  - buffers (bits, in the residency level): every intermediate tile (the largest row range its
//    consumer reads), the cached halos, the group input's tile twice (double buffered) unless
//    the input is resident, and where the level holds them the group's weights (all, if they
//    stay for the group; else twice the largest) and twice the largest output tile at partial-sum
//    width. A group whose buffers do not fit the level on their own is illegal;
//  - weights stay for the whole group when they fit together in the level holding filters;
//    otherwise each layer's DRAM weight reads repeat every tile;
//  - an intermediate tensor that a layer outside the group reads is still written whole to
//    DRAM (tile by tile) and read from there.
// Each layer keeps its layerwise mapping; its counts are scaled, not re-mapped (fused_counts).
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "arch/accelerator.hpp"
#include "core/enum_table.hpp"
#include "dataflow/layer_counts.hpp"
#include "schedule/dram_cut.hpp"
#include "schedule/liveness.hpp"
#include "schedule/residency.hpp"
#include "schedule/residency_search.hpp"
#include "workloads/network.hpp"

namespace loom::schedule {

enum class HaloPolicy { recompute, cache };
inline constexpr std::array<core::EnumName<HaloPolicy>, 2> kHaloPolicies{
    {{HaloPolicy::recompute, "recompute"}, {HaloPolicy::cache, "cache"}}};

struct GroupPlan {
  std::size_t first = 0, last = 0;  // network layer indices, inclusive
  std::int64_t tile_rows = 0;       // output rows of the last layer per tile
  std::int64_t tiles = 0;
  HaloPolicy halo = HaloPolicy::recompute;
  bool weights_resident = true;
  std::int64_t buffer_bits = 0;      // in the residency level, the group input read in place
  std::int64_t input_tile_bits = 0;  // added when the group input comes from DRAM
  // By position in the group: rows computed over all tiles / the layer's output rows (>= 1).
  std::vector<double> compute_factor;
  // The first layer's DRAM input reads over the layerwise ones (recompute re-reads halos).
  double input_read_factor = 1;
  // By position: the tensor is also read outside the group, so it is written to DRAM.
  std::vector<bool> output_to_dram;
  [[nodiscard]] std::size_t size() const { return last - first + 1; }
};

// What the fusion rules read about a network on an accelerator.
struct FusionContext {
  const workloads::Network& net;
  const arch::Accelerator& acc;
  const Liveness& live;
  const std::vector<const dataflow::LayerCounts*>& counts;  // nullptr: no MACs
  int level = -1;                                           // residency_level(acc)
};

// Whether layer i+1 may be fused after layer i (the link rule above).
[[nodiscard]] bool fusable_link(const FusionContext& ctx, std::size_t i);

// The group [first, last] executed with the given tile height, halo policy and weight policy,
// or nullopt if it breaks a rule (not a chain of links, fewer than two MAC layers, buffers that
// do not fit the level alone, weights kept that do not fit).
[[nodiscard]] std::optional<GroupPlan> plan_group(const FusionContext& ctx, std::size_t first,
                                                  std::size_t last, std::int64_t tile_rows,
                                                  HaloPolicy halo, bool weights_resident);

// The counts of the group's layer at `pos` (its layerwise counts `c`), with the group input on
// chip or not and the group output kept on chip or not (`cut`: the residency's, for the first
// layer's input and the last layer's output; inside the group tensors are on chip). Applies the
// DRAM cut (apply_cut), then scales the layer's MACs, on-chip accesses and compute cycles by its
// compute factor, its DRAM weight reads by the tile count (weights not resident) and the first
// layer's DRAM input reads by the input read factor; cycles are re-timed (and may grow).
[[nodiscard]] dataflow::LayerCounts fused_counts(const dataflow::LayerCounts& c, const GroupPlan& g,
                                                 std::size_t pos, const DramCut& cut,
                                                 const arch::Accelerator& acc);

// Energy and cycles of one layer's counts (the caller's energy tables).
using PriceLayer = std::function<LayerCost(const dataflow::LayerCounts&)>;

// The group's options — tile rows (powers of two below the last layer's rows, and all of them),
// both halo policies, both weight policies — priced alone with the group input and output in
// DRAM; the best legal one under `score` (ties: fewer buffer bits, then the earlier option), or
// nullopt if none is legal.
[[nodiscard]] std::optional<GroupPlan> choose_group(const FusionContext& ctx, std::size_t first,
                                                    std::size_t last, const PriceLayer& price,
                                                    const ScheduleScore& score);

// The group's MAC layers priced under each cut of its input and output: costs[k] for network
// layer first + k (nullopt for non-MAC layers), the input cut applying to the first layer and
// the output cut to the last.
[[nodiscard]] std::vector<std::optional<CutCosts>> group_costs(const FusionContext& ctx,
                                                               const GroupPlan& g,
                                                               const PriceLayer& price);

}  // namespace loom::schedule
