// SPDX-License-Identifier: Apache-2.0
#include "energy/technology.hpp"

#include "core/error.hpp"

namespace loom::energy {

const Node& node_for(int technology_nm, const std::string& file) {
  for (const auto& n : kNodes)
    if (n.nm == technology_nm) return n;
  std::string have;
  for (const auto& n : kNodes) have += (have.empty() ? "" : ", ") + std::to_string(n.nm);
  throw Error(Diagnostic{file, "technology_nm", 0,
                         "no energy/area table for " + std::to_string(technology_nm) +
                             " nm (available: " + have + ")"});
}

}  // namespace loom::energy
