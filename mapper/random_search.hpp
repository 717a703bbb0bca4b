// SPDX-License-Identifier: Apache-2.0
#pragma once
// Uniform random sampling: each gene drawn independently and uniformly from its domain with a
// seeded, portable generator (see rng.hpp). It ignores what it is told; the mapper skips
// points already evaluated, and stops it once the whole space has been seen.
#include "mapper/rng.hpp"
#include "mapper/search.hpp"

namespace loom::mapper {

class RandomSearch final : public Search {
 public:
  RandomSearch(const SearchSpace& space, std::uint64_t seed)
      : domains_(space.domains), rng_(seed) {}

  void ask(std::size_t max_points, Batch& out) override {
    for (std::size_t k = 0; k < max_points; ++k) {
      auto g = out.add();
      for (std::size_t i = 0; i < g.size(); ++i) g[i] = rng_.below(domains_[i]);
    }
  }
  void tell(const Batch&, std::span<const double>) override {}
  [[nodiscard]] bool done() const override { return false; }

 private:
  std::vector<std::uint32_t> domains_;
  Rng rng_;
};

}  // namespace loom::mapper
