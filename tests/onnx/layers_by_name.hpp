// SPDX-License-Identifier: Apache-2.0
#pragma once
// An imported network's layers by name, for tests that look layers up one by one.
#include <map>
#include <string>

#include "workloads/network.hpp"

namespace loom::test {

inline std::map<std::string, workloads::Layer> by_name(const workloads::Network& net) {
  std::map<std::string, workloads::Layer> out;
  for (const auto& l : net.layers) out[l.name] = l;
  return out;
}

}  // namespace loom::test
