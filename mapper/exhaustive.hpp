// SPDX-License-Identifier: Apache-2.0
#pragma once
// Exhaustive enumeration in mixed-radix (lexicographic) order: point 0, 1, 2, ... of the space.
// With a budget below the space size it evaluates the first `budget` points, which is rarely
// what a user wants; strategy `auto` only chooses it when the whole space fits the budget.
// Proposing a point is an odometer step, not a division per gene.
#include <cstdint>

#include "mapper/search.hpp"

namespace loom::mapper {

class ExhaustiveSearch final : public Search {
 public:
  // Throws loom::Error when the space has more than 2^64 points.
  explicit ExhaustiveSearch(const SearchSpace& space);

  void ask(std::size_t max_points, Batch& out) override;
  void tell(const Batch&, std::span<const double>) override {}
  [[nodiscard]] bool done() const override { return next_ == size_; }

 private:
  std::vector<std::uint32_t> domains_;
  std::uint64_t size_ = 0;
  std::uint64_t next_ = 0;
  Genome current_;  // the genome of index next_
};

}  // namespace loom::mapper
