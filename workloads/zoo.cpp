// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"
#include "workloads/network.hpp"

namespace loom::workloads {

// Generated from workloads/zoo/*.yaml by cmake/LoomEmbedScript.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& zoo_files();

namespace {

const std::string_view* find(std::string_view name) {
  for (const auto& [stem, text] : zoo_files())
    if (stem == name) return &text;
  return nullptr;
}

}  // namespace

std::vector<ZooEntry> zoo_list() {
  std::vector<ZooEntry> out;
  for (const auto& [stem, text] : zoo_files()) {
    const auto root = core::ConfigNode::parse(text, "zoo/" + std::string(stem) + ".yaml");
    out.push_back({std::string(stem), root.get_string("description", "")});
  }
  return out;
}

bool zoo_has(std::string_view name) { return find(name) != nullptr; }

Network zoo_load(std::string_view name) {
  const std::string_view* text = find(name);
  if (text == nullptr) throw Error("no zoo network named '" + std::string(name) + "'");
  return parse_workload_yaml(*text, "zoo/" + std::string(name) + ".yaml");
}

}  // namespace loom::workloads
