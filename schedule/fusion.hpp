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
//    computes the overlap again in every tile (and re-reads the group input's overlap rows from
//    DRAM); `cache` keeps the overlap rows in a separate line buffer between tiles (extra
//    storage, nothing recomputed);
//  - buffers (bits, in the residency level): every intermediate tile (the largest row range its
//    consumer reads), the cached halos, the group input's tile twice (double buffered) unless
//    the input is resident, and where the level holds them the group's weights (all, if they
//    stay for the group; else twice the largest) and twice the largest output tile at partial-sum
//    width. A group whose buffers do not fit the level on their own is illegal;
//  - weights stay for the whole group when they fit together in the level holding filters;
//    otherwise each layer's DRAM weight reads repeat every tile;
//  - an intermediate tensor that a layer outside the group reads is still written whole to
//    DRAM (tile by tile) and read from there.
// The group's price is its tile-by-tile execution (fusion_tiles.hpp, fusion_price.hpp): every
// layer runs on every tile's shape, mapped for that shape (EvalTile), steps back to back.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "arch/accelerator.hpp"
#include "core/enum_table.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "schedule/dram_cut.hpp"
#include "schedule/liveness.hpp"
#include "schedule/residency.hpp"
#include "schedule/residency_search.hpp"
#include "workloads/network.hpp"

namespace loom::schedule {

enum class HaloPolicy { recompute, cache };
inline constexpr std::array<core::EnumName<HaloPolicy>, 2> kHaloPolicies{
    {{HaloPolicy::recompute, "recompute"}, {HaloPolicy::cache, "cache"}}};

// Rows [begin, end) of a tensor.
struct Rows {
  std::int64_t begin = 0, end = 0;
  [[nodiscard]] std::int64_t size() const { return std::max<std::int64_t>(0, end - begin); }
};

// The input rows a sliding window reads to produce output rows `out` (padding rows excluded).
[[nodiscard]] Rows input_rows(const workloads::LayerShape& s, Rows out);

struct GroupPlan {
  std::size_t first = 0, last = 0;  // network layer indices, inclusive
  std::int64_t tile_rows = 0;       // output rows of the last layer per tile
  std::int64_t tiles = 0;
  HaloPolicy halo = HaloPolicy::recompute;
  bool weights_resident = true;
  std::int64_t buffer_bits = 0;      // in the residency level, the group input read in place
  std::int64_t input_tile_bits = 0;  // added when the group input comes from DRAM
  // Of buffer_bits, the running layer's own working tiles (its output tile at partial-sum width,
  // its weights when they do not stay): what a tile's mapping places itself; the rest is held
  // for the group (tile_reserved_bits).
  std::int64_t working_bits = 0;
  // By position: the tensor is also read outside the group, so it is written to DRAM.
  std::vector<bool> output_to_dram;
  [[nodiscard]] std::size_t size() const { return last - first + 1; }
};

// One layer cut to a tile, as the caller's model evaluates it: its mapping (what the systolic
// pipeline needs to time the step; none for a family priced from its counts alone) and its
// counts at final fidelity with every operand through DRAM.
struct TileEval {
  std::optional<dataflow::Mapping> mapping;
  dataflow::LayerCounts counts;
  // Its steps' counts by on-chip weights and output (fusion_price.cpp fills them), shared by
  // the copies an EvalTile's memo hands out: every option and group with this tile shape.
  using StepMemo = std::array<std::optional<dataflow::LayerCounts>, 4>;
  std::shared_ptr<StepMemo> steps = std::make_shared<StepMemo>();
};
// `reserved_bits`: bits of the residency level the group holds beside the layer's own tiles,
// which its mapping must leave free. nullopt: no legal mapping (the option is illegal).
using EvalTile =
    std::function<std::optional<TileEval>(const workloads::Layer& tile, std::int64_t reserved)>;

// What the fusion rules read about a network on an accelerator.
struct FusionContext {
  const workloads::Network& net;
  const arch::Accelerator& acc;
  const Liveness& live;
  const std::vector<const dataflow::LayerCounts*>& counts;  // nullptr: no MACs
  int level = -1;                                           // residency_level(acc)
  // How layers cut to tiles are mapped and counted; empty: default_tile_eval(acc).
  EvalTile eval_tile = {};
};

// Whether layer i+1 may be fused after layer i (the link rule above).
[[nodiscard]] bool fusable_link(const FusionContext& ctx, std::size_t i);

// The group [first, last] executed with the given tile height, halo policy and weight policy,
// or nullopt if it breaks a rule (not a chain of links, fewer than two MAC layers, buffers that
// do not fit the level alone, weights kept that do not fit).
[[nodiscard]] std::optional<GroupPlan> plan_group(const FusionContext& ctx, std::size_t first,
                                                  std::size_t last, std::int64_t tile_rows,
                                                  HaloPolicy halo, bool weights_resident);

// Bits of the residency level the group holds beside a running layer's own tiles.
[[nodiscard]] inline std::int64_t tile_reserved_bits(const GroupPlan& g) {
  return g.buffer_bits + g.input_tile_bits - g.working_bits;
}

// Energy and cycles of one layer's counts (the caller's energy tables).
using PriceLayer = std::function<LayerCost(const dataflow::LayerCounts&)>;

}  // namespace loom::schedule
