// SPDX-License-Identifier: Apache-2.0
#pragma once
// The network schedule with fusion: which groups of layers run fused (fusion.hpp) and which of
// the remaining tensors stay on chip (residency_search.hpp), scored under the run's objective.
// A grouping fixes, for each group, its best option priced alone (choose_group, tile by tile:
// fusion_price.hpp); the layers of a group are then priced by their group (group_costs), its
// intermediate tensors are banned from residency (they live as tiles) and every step of the group
// carries its buffers as the footprint, read in place when the group input is resident. The
// residency search then gives the grouping's score.
//  - Exhaustive when the network has at most kExhaustiveLinks fusable links: every grouping is
//    scored, so the result is optimal under the model (tests/schedule brute-forces it).
//  - Otherwise rounds of dynamic programming over each chain of fusable links: a layer alone or
//    a group ending at each layer, priced at the current plan's residency cuts with the
//    objective linearised at the current totals; the grouping found is scored exactly and kept
//    only if it beats the current plan (at most kFusionRounds rounds).
// Both start from no fusion and keep a grouping only if it scores strictly better, so the
// result is never worse than the unfused graph schedule.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "schedule/fusion.hpp"
#include "schedule/fusion_price.hpp"

namespace loom::schedule {

inline constexpr std::size_t kExhaustiveLinks = 8;
inline constexpr int kFusionRounds = 4;
inline constexpr std::size_t kMaxGroupLayers = 16;

struct FusionSearchStats {
  std::uint64_t groupings = 0;  // groupings scored (each one residency search)
  bool exhaustive = false;
  int rounds = 0;  // dynamic-programming rounds run
  double unfused_score = 0;
  double best_score = 0;
};

struct FusedSchedule {
  std::vector<GroupPlan> groups;    // in execution order
  std::vector<PricedGroup> priced;  // by group: its layers' counts and its execution
  Residency residency;
  ResidencySearchStats search;  // the chosen grouping's residency search
  FusionSearchStats fusion;
};

// `footprints` and `costs`: the unfused layers' (graph_schedule.cpp); `capacity_bits`: the
// residency level's. `exhaustive_links`: the most fusable links scored
// exhaustively (tests lower it to check the dynamic programming against the exhaustive search).
FusedSchedule search_fusion(const FusionContext& ctx, std::int64_t capacity_bits,
                            const std::vector<Footprint>& footprints,
                            const std::vector<std::optional<CutCosts>>& costs,
                            const PriceLayer& price, const ScheduleScore& score,
                            std::size_t exhaustive_links = kExhaustiveLinks);

}  // namespace loom::schedule
