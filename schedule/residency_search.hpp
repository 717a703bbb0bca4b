// SPDX-License-Identifier: Apache-2.0
#pragma once
// The optimal memory plan: of all choices of resident tensors that obey the planner's rules
// (residency.hpp: capacity at every step, network outputs in DRAM, non-MAC tensors only over
// resident inputs), the one whose layers cost least under the run's objective. Each MAC layer's
// cost depends only on its cut (dram_cut.hpp: whether it reads its inputs on chip, whether its
// output stays), so the caller prices the four cuts of every layer once and the search combines
// them.
//
// Branch and bound over the tensors in execution order (stay, then spill), starting from the
// greedy plan as the incumbent. A node's bound prices every layer with the best cut its decided
// tensors still allow (undecided tensors counted as resident where they could still stay:
// cutting DRAM transfers never costs energy or cycles, so the bound is admissible); a node is
// pruned when its bound's score is not below the incumbent's, when some step can no longer fit,
// or when an earlier node at the same depth left the same choices at no more settled energy
// and cycles (memoized dominance). Ties keep the earlier plan, so the greedy plan stays when
// nothing beats it. Deterministic; `node_limit` stops a search that has not closed, and the
// result then certifies the root bound's gap.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "schedule/residency.hpp"

namespace loom::schedule {

struct LayerCost {
  double energy_pj = 0;
  double cycles = 0;
};

// cost[input_on_chip][output_on_chip] of one MAC layer.
using CutCosts = std::array<std::array<LayerCost, 2>, 2>;

// Lower is better; must not decrease when energy or cycles grow.
using ScheduleScore = std::function<double(double energy_pj, double cycles)>;

struct ResidencySearchStats {
  std::uint64_t nodes = 0;
  std::uint64_t pruned = 0;
  bool complete = false;          // the tree was exhausted: the plan is optimal
  double greedy_score = 0;        // the greedy plan's score
  double best_score = 0;          // the returned plan's
  double optimality_gap_pct = 0;  // 0 when complete
};

// Far above what any zoo network needs (GhostNet, the most: about 5,000 nodes).
inline constexpr std::uint64_t kResidencyNodeLimit = 100'000;

// `costs[i]`: layer i's four cuts (nullopt for layers without MACs). `banned` tensors (empty:
// none) always spill (plan_residency).
Residency search_residency(const Liveness& live, const workloads::Network& net,
                           std::int64_t capacity_bits, const std::vector<Footprint>& footprints,
                           const std::vector<std::optional<CutCosts>>& costs,
                           const ScheduleScore& score, ResidencySearchStats* stats = nullptr,
                           std::uint64_t node_limit = kResidencyNodeLimit,
                           const std::vector<bool>& banned = {});

// The score of a plan's cuts.
[[nodiscard]] double plan_score(const Residency& r,
                                const std::vector<std::optional<CutCosts>>& costs,
                                const ScheduleScore& score);

}  // namespace loom::schedule
