// SPDX-License-Identifier: Apache-2.0
#pragma once
// A uniformly drawn point of a systolic mapspace: one gene per domain.
#include <cstdint>
#include <random>
#include <vector>

#include "dataflow/systolic_mapspace.hpp"

namespace loom_test {

inline loom::dataflow::Mapping random_mapping(const loom::dataflow::SystolicMapSpace& space,
                                              std::mt19937_64& rng) {
  std::vector<std::uint32_t> g;
  for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
  return space.decode(g);
}

}  // namespace loom_test
