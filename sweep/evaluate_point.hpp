// SPDX-License-Identifier: Apache-2.0
#pragma once
// Evaluates design points through the pipeline of `loom run` (explore::evaluate_network with the
// mapper under a fixed evaluation budget, so results are reproducible), sharing mapped layers
// across points through one cache keyed by (edited accelerator text, layer shape, precision,
// densities). Thread-safe: many threads may evaluate points of one PointEvaluator at once, and
// a point's result never depends on which thread or rank evaluated it, or on the cache.
#include <cstdint>
#include <optional>
#include <vector>

#include "explore/evaluate.hpp"
#include "sweep/comm.hpp"
#include "sweep/point.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

class PointEvaluator {
 public:
  explicit PointEvaluator(const SweepSpec& spec) : spec_(spec) {}

  // An impossible accelerator or unmappable layer gives an infeasible point with the reason;
  // other exceptions propagate.
  [[nodiscard]] PointResult evaluate(std::uint64_t point) const;
  // The same with the accuracy of each workload (spec.networks order) told by the caller
  // instead of taken from the spec's accuracy table or sensitivities (ask/tell sweeps); an
  // untold one (nullopt) still comes from the spec.
  [[nodiscard]] PointResult evaluate_told(std::uint64_t point,
                                          const std::vector<std::optional<double>>& accuracy) const;
  // The full per-layer results of a point, one RunResult per workload (for the report).
  [[nodiscard]] std::vector<explore::RunResult> detail(std::uint64_t point) const;

  // Collective (every rank calls it with the same `points`): maps each distinct layer of
  // `points` that is not cached yet on one rank only (round robin in order of first
  // appearance, `threads` threads per rank) and gives every rank all of them, so that no layer
  // is searched on two ranks and evaluate() then finds every layer in the cache. Layers that
  // cannot be mapped are left to evaluate(), which reports them. Returns the layers searched.
  std::size_t share_mappings(const std::vector<std::uint64_t>& points, Comm& comm,
                             int threads) const;

  [[nodiscard]] std::size_t cache_hits() const { return cache_.hits(); }
  [[nodiscard]] std::size_t cache_misses() const { return cache_.misses(); }

 private:
  PointResult evaluate(std::uint64_t point, const std::vector<std::optional<double>>* told) const;

  const SweepSpec& spec_;
  mutable explore::LayerCache cache_;
};

}  // namespace loom::sweep
