// SPDX-License-Identifier: Apache-2.0
#include "mapper/invalid_reasons.hpp"

#include <algorithm>

namespace loom::mapper {

std::vector<ReasonCount> ReasonTally::sorted() const {
  std::vector<ReasonCount> out;
  for (const auto& [name, n] : counts_) out.push_back({std::string(name), n});
  std::sort(out.begin(), out.end(), [](const ReasonCount& a, const ReasonCount& b) {
    return a.count != b.count ? a.count > b.count : a.reason < b.reason;
  });
  return out;
}

std::string explain_empty(std::uint64_t evaluated, const std::vector<ReasonCount>& reasons,
                          bool whole_space, bool stopped_by_wall_clock) {
  if (evaluated == 0)
    return stopped_by_wall_clock
               ? "the wall-clock limit ended the search before any point was evaluated"
               : "no point was evaluated";
  std::string out = "no valid point: all " + std::to_string(evaluated) + " points evaluated" +
                    (whole_space ? " (the whole space)" : "") + " are invalid";
  for (std::size_t i = 0; i < reasons.size() && i < 3; ++i)
    out += (i == 0 ? ", most often because of '" : "; then '") + reasons[i].reason + "' (" +
           std::to_string(reasons[i].count) + ")";
  return out;
}

}  // namespace loom::mapper
