// SPDX-License-Identifier: Apache-2.0
#include "mapper/exhaustive.hpp"

#include "core/error.hpp"

namespace loom::mapper {

ExhaustiveSearch::ExhaustiveSearch(const SearchSpace& space)
    : domains_(space.domains), current_(space.genes(), 0) {
  const auto n = space.exact_size();
  if (!n)
    throw Error("exhaustive search: the space has about " + std::to_string(space.size()) +
                " points, more than can be enumerated; use strategy 'genetic' or 'random'");
  size_ = *n;
}

void ExhaustiveSearch::ask(std::size_t max_points, Batch& out) {
  for (std::size_t k = 0; k < max_points && next_ < size_; ++k) {
    out.add(current_);
    ++next_;
    // Odometer increment: the last gene is the least significant digit.
    for (std::size_t i = current_.size(); i-- > 0;) {
      if (++current_[i] < domains_[i]) break;
      current_[i] = 0;
    }
  }
}

}  // namespace loom::mapper
