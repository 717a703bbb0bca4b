// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the owner of a space knows that lets an exact search (exact.hpp) skip points without
// evaluating them. An Evaluator may offer it (Evaluator::bounds()); the mapper itself never
// learns what a gene means.
//
// Contract for implementers (the exact search's certificate is only as sound as this):
// - order() is a permutation of the genes: the search assigns them in that order, so a
//   "prefix of depth k" is the genes order()[0..k) — the other genes of the view passed in
//   hold stale values and must not be read.
// - candidates(prefix, k) lists values of gene order()[k] in ascending order, at least one per
//   class of values that give every completion the same evaluation (identical cost and
//   validity): skipping the others loses no cost, and keeping the smallest of each class
//   keeps the lexicographically smallest optimum.
// - lower_bound(prefix, k) never exceeds, in either metric, the cost of any valid point that
//   completes the prefix (k == genes(): of that point itself). Objectives only combine the
//   two metrics monotonically, so a bound on each is a bound on every objective's score.
// - All three are const and pure (called from one thread, but keep them thread-safe anyway).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mapper/evaluator.hpp"

namespace loom::mapper {

class PrefixBounds {
 public:
  virtual ~PrefixBounds() = default;
  [[nodiscard]] virtual std::vector<std::size_t> order() const = 0;
  virtual void candidates(GenomeView genes, std::size_t depth,
                          std::vector<std::uint32_t>& out) const = 0;
  [[nodiscard]] virtual Cost lower_bound(GenomeView genes, std::size_t depth) const = 0;
};

}  // namespace loom::mapper
