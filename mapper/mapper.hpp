// SPDX-License-Identifier: Apache-2.0
#pragma once
// The search loop: a strategy proposes batches (ask), the evaluator scores them in parallel,
// the strategy is told the scores (tell), until the budget, the strategy, the space or the
// optional wall-clock cap runs out.
//
// What callers may rely on:
// - The result depends only on (space, evaluator, budget, seed, objective, strategy and its
//   options) — not on thread count, batch size, timing or machine. Batches are formed by the
//   strategy alone, evaluated in parallel into a vector by index, then told in order, and
//   ties are broken by the objective's secondary metric and then genome order. The wall-clock
//   cap is the one exception: when it stops a search the result says so.
// - `evaluated` counts distinct points handed to the evaluator and never exceeds the budget. A
//   point proposed again is answered from memory and costs no budget; a search stops when every
//   point of the space has been seen, or after kMaxDuplicateRun proposals in a row that were
//   all seen before (a converged strategy), so it always terminates.
// - If no valid point was found, `best` is empty and `empty_reason` names the constraint that
//   rejected most points (or the gene whose domain is empty).
// - on_progress runs on the calling thread after every batch (up to thousands of times a second):
//   keep it cheap and throttle printing yourself. Its best_score never increases.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mapper/evaluator.hpp"
#include "mapper/objective.hpp"
#include "mapper/strategy.hpp"

namespace loom::mapper {

// Budget 50k: at the 1 M evaluations/s per thread this is ~25 ms on two cores, inside
// the "converges in <= 50 ms per layer" target, and tests/mapper/test_quality.cpp shows the
// genetic search within 2% of the optimum after a few thousand points on mapping-like spaces.
inline constexpr std::uint64_t kDefaultBudget = 50'000;
inline constexpr std::uint64_t kMaxDuplicateRun = 1u << 16;

struct Progress {
  std::uint64_t evaluated = 0;
  std::uint64_t valid = 0;
  std::uint64_t budget = 0;
  std::optional<double> best_score;  // objective value of the best valid point so far
  std::optional<Cost> best_cost;
  double elapsed_s = 0;
};

struct MapperOptions {
  std::uint64_t budget = kDefaultBudget;  // distinct points evaluated, >= 1
  std::uint64_t seed = 1;
  int threads = 0;  // 0 = std::thread::hardware_concurrency()
  Objective objective{};
  Strategy strategy = Strategy::automatic;
  GeneticOptions genetic{};
  // The exact strategy's warm-up (exact.hpp), in points; 0: kExactWarmupPoints. Families give
  // their own (dataflow/family.hpp), which explore passes on.
  std::uint64_t exact_warmup = 0;
  // Points asked per round. Does not change the result (see the contract above); larger
  // batches amortise the thread hand-off, smaller ones report progress more often.
  std::size_t batch_size = 1024;
  std::optional<double> wall_clock_limit_s;  // > 0; checked between batches
  std::function<void(const Progress&)> on_progress;
};

enum class StopReason { budget, space_exhausted, strategy_done, no_new_points, wall_clock };
inline constexpr std::array<core::EnumName<StopReason>, 5> kStopReasons{
    {{StopReason::budget, "budget"},
     {StopReason::space_exhausted, "space_exhausted"},
     {StopReason::strategy_done, "strategy_done"},
     {StopReason::no_new_points, "no_new_points"},
     {StopReason::wall_clock, "wall_clock"}}};

struct ReasonCount {
  std::string reason;
  std::uint64_t count = 0;
};

struct MapperResult {
  std::optional<Genome> best;
  Evaluation best_eval{};  // invalid_reason is empty for a valid best
  double best_score = 0;   // objective value of best; meaningless without best
  std::uint64_t evaluated = 0;
  std::uint64_t valid = 0;
  std::uint64_t proposed = 0;  // points the strategy proposed, repeats included
  // Why points were invalid, most frequent first (ties by name).
  std::vector<ReasonCount> invalid_reasons;
  std::string empty_reason;                 // set exactly when best is empty
  Strategy strategy = Strategy::automatic;  // the concrete strategy that ran
  StopReason stop = StopReason::budget;
  bool stopped_by_wall_clock = false;  // == (stop == StopReason::wall_clock)
  // From a strategy that proves optimality (exact), else empty: subtrees it pruned, the
  // proven lower bound on the objective (== best_score once the search completed) and the
  // gap 100 * (best_score - lower_bound) / best_score (0 when complete).
  std::uint64_t pruned = 0;
  std::optional<double> lower_bound;
  std::optional<double> optimality_gap_pct;
};

// Throws loom::Error for invalid options (budget 0, threads < 0, bad weights or GA options,
// exhaustive on a space beyond 2^64 points); rethrows what the evaluator or callback throws.
[[nodiscard]] MapperResult search(const SearchSpace& space, const Evaluator& evaluator,
                                  const MapperOptions& options);
// The same loop driving a caller's own strategy (options.strategy, seed and genetic are then
// unused). The determinism contract holds if `strategy` keeps the one in search.hpp.
[[nodiscard]] MapperResult search(const SearchSpace& space, const Evaluator& evaluator,
                                  Search& strategy, const MapperOptions& options);

}  // namespace loom::mapper
