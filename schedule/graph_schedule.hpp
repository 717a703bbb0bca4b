// SPDX-License-Identifier: Apache-2.0
#pragma once
// The graph-level schedule of a network on one accelerator, from its layers' layerwise counts:
// tensor lifetimes (liveness.hpp), the tensors that stay on chip (residency.hpp), and per MAC
// layer the DRAM transfers that disappear (dram_cut.hpp). `layerwise` is the degenerate
// schedule: every tensor goes through DRAM, as each layer starts with cold buffers. Given a
// layer pricer, groups of layers also run fused, tile by tile (fusion.hpp, fusion_search.hpp);
// other layers run one at a time, whole. Bytes are whole-batch.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "core/enum_table.hpp"
#include "dataflow/layer_counts.hpp"
#include "schedule/dram_cut.hpp"
#include "schedule/fusion.hpp"
#include "schedule/fusion_price.hpp"
#include "schedule/fusion_search.hpp"
#include "schedule/liveness.hpp"
#include "schedule/residency.hpp"
#include "schedule/residency_search.hpp"
#include "workloads/network.hpp"

namespace loom::schedule {

enum class ScheduleKind { layerwise, graph };
inline constexpr std::array<core::EnumName<ScheduleKind>, 2> kScheduleKinds{
    {{ScheduleKind::layerwise, "layerwise"}, {ScheduleKind::graph, "graph"}}};

// The schedule a run uses: the one asked for, else the accelerator's (`schedule:` in its YAML).
[[nodiscard]] ScheduleKind schedule_kind(std::optional<ScheduleKind> requested,
                                         const arch::Accelerator& acc);

enum class TensorKind { input, activation, weights };
inline constexpr std::array<core::EnumName<TensorKind>, 3> kTensorKinds{
    {{TensorKind::input, "input"},
     {TensorKind::activation, "activation"},
     {TensorKind::weights, "weights"}}};

// One tensor's DRAM traffic under the schedule. Activations are named after their producer,
// weights "<layer>.weights", the network input "input". Reads are those of MAC layers (a layer
// reading several tensors books its reads on the first); psum bytes are partial sums the
// producer spilled and read back.
struct TensorRecord {
  std::string name;
  TensorKind kind = TensorKind::activation;
  std::int64_t bytes = 0;   // the whole tensor
  std::string resident_in;  // level it stays in; empty: it goes through DRAM
  std::string first, last;  // producer and last consumer (activations)
  int group = 0;            // 1-based fused group it is an intermediate tensor of; 0: none
  double dram_read_bytes = 0;
  double dram_write_bytes = 0;
  double dram_psum_bytes = 0;
};

struct GraphSchedule {
  std::string level;  // the residency level's name; empty if the accelerator has none
  Liveness liveness;
  Residency residency;
  ResidencySearchStats search;    // how the residency was chosen (greedy only: nodes == 0)
  std::vector<DramCut> cuts;      // by network layer: the residency's
  std::vector<GroupPlan> groups;  // fused groups, in execution order
  // By group: its layers' counts under each cut of its input and output, tile by tile, and the
  // execution they price (fusion_price.hpp; what `loom sim --group` runs).
  std::vector<PricedGroup> priced;
  std::vector<int> group_of;  // by network layer: index into groups, -1 if not fused
  FusionSearchStats fusion;
  // By group: MACs recomputed for halos, and DRAM bytes saved against its layers run whole under
  // the same residency cuts.
  std::vector<std::int64_t> group_extra_macs;
  std::vector<double> group_dram_saved_bytes;
  double layerwise_dram_bytes = 0;
  std::vector<TensorRecord> tensors;  // filled by record_tensors
};

// `counts[i]`: layer i's layerwise counts, or nullptr for a layer without MACs. With `costs`
// (layer i's four cuts priced, for the MAC layers) and `score`, the residency is the optimal
// one (residency_search.hpp); without, the greedy plan. With `price` too, fused groups are
// chosen with it (fusion_search.hpp), their layers cut to tiles and counted by `eval_tile`
// (empty: default_tile_eval).
GraphSchedule plan_graph_schedule(const workloads::Network& net, const arch::Accelerator& acc,
                                  const std::vector<const dataflow::LayerCounts*>& counts,
                                  const std::vector<std::optional<CutCosts>>* costs = nullptr,
                                  const ScheduleScore* score = nullptr,
                                  const PriceLayer* price = nullptr,
                                  const EvalTile& eval_tile = {});

// Layer i's counts under the schedule, from its layerwise counts `c`: its group's (summed over
// its tile steps under the group's cut) or its residency cut's (apply_cut).
[[nodiscard]] dataflow::LayerCounts scheduled_counts(const GraphSchedule& s, std::size_t i,
                                                     const dataflow::LayerCounts& c,
                                                     const arch::Accelerator& acc);

// Fills `s.tensors` from the counts after the cuts were applied (apply_cut). The DRAM bytes of
// all records sum to the DRAM level's bytes.
void record_tensors(GraphSchedule& s, const workloads::Network& net, const arch::Accelerator& acc,
                    const std::vector<const dataflow::LayerCounts*>& counts);

}  // namespace loom::schedule
