// SPDX-License-Identifier: Apache-2.0
#pragma once
// A search strategy, as an ask/tell pair: ask() proposes points, tell() reports their scores.
// A strategy never sees the cost model, the objective or the clock, and it is driven by one
// thread, so it needs no locking; the mapper evaluates what it asked for in parallel.
//
// Determinism: a strategy's proposals must depend only on its construction arguments (space,
// seed, options) and on what it was told — never on how many points the mapper asks for at
// once. Asking for 10 then 10 must propose the same 20 points as asking for 20 once; that
// keeps the result independent of batch size and thread count.
//
// Scores: lower is better; +infinity marks an invalid point. Every asked point is told exactly
// once, in the order asked (duplicates included, with the score of their first evaluation),
// though possibly a prefix only when the search ends.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "mapper/batch.hpp"

namespace loom::mapper {

// What a strategy that proves optimality (exact.hpp) knows when the search ends: no point of
// the space scores below lower_bound; `pruned` counts subtrees it skipped without evaluating.
struct Certificate {
  std::uint64_t pruned = 0;
  double lower_bound = 0;
};

class Search {
 public:
  virtual ~Search() = default;
  // Appends at most max_points (> 0) points of the space to `out` (which the caller cleared).
  // Appending none means the strategy has nothing more to propose.
  virtual void ask(std::size_t max_points, Batch& out) = 0;
  // Scores of the points of the last ask(), in order: scores.size() <= points.size().
  virtual void tell(const Batch& points, std::span<const double> scores) = 0;
  // True once the strategy will propose nothing new (e.g. the enumeration is complete).
  [[nodiscard]] virtual bool done() const = 0;
  // None for a strategy that proves nothing (random, genetic, exhaustive).
  [[nodiscard]] virtual std::optional<Certificate> certificate() const { return std::nullopt; }
};

}  // namespace loom::mapper
