// SPDX-License-Identifier: Apache-2.0
#pragma once
// Why points were invalid, and the sentence that tells a user why a search found nothing.
// Counting happens on the mapper's sequential path, once per invalid point, so it is a linear
// scan over the few distinct reasons (constraints are few) with no allocation per point.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapper/mapper.hpp"

namespace loom::mapper {

class ReasonTally {
 public:
  void add(std::string_view reason) {
    for (auto& [name, n] : counts_)
      // Most evaluators return one string literal per constraint: compare the pointer first.
      if ((name.data() == reason.data() && name.size() == reason.size()) || name == reason) {
        ++n;
        return;
      }
    counts_.emplace_back(reason, 1);
  }
  // Most frequent first; equal counts by name, so the order never depends on arrival.
  [[nodiscard]] std::vector<ReasonCount> sorted() const;

 private:
  std::vector<std::pair<std::string_view, std::uint64_t>> counts_;
};

// "no valid point: all 200 points evaluated (the whole space) are invalid, most often because
// of 'GLB capacity' (140); then 'array rows' (60)". `reasons` as from ReasonTally::sorted().
[[nodiscard]] std::string explain_empty(std::uint64_t evaluated,
                                        const std::vector<ReasonCount>& reasons, bool whole_space,
                                        bool stopped_by_wall_clock);

}  // namespace loom::mapper
