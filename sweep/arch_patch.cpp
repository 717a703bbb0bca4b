// SPDX-License-Identifier: Apache-2.0
#include "sweep/arch_patch.hpp"

#include <yaml-cpp/yaml.h>

#include "core/config.hpp"
#include "core/error.hpp"

namespace loom::sweep {
namespace {

// The level map named `name` in the `levels` list.
YAML::Node find_level(YAML::Node levels, const std::string& name, const ArchTarget& t) {
  std::string names;
  if (levels.IsSequence())
    for (auto l : levels) {
      if (l.IsMap() && l["name"] && l["name"].IsScalar()) {
        if (l["name"].Scalar() == name) return l;
        names += (names.empty() ? "" : ", ") + l["name"].Scalar();
      }
    }
  throw Error("axis target '" + t.dotted() + "': the accelerator has no level named '" + name +
              "' (levels: " + names + ")");
}

void apply(YAML::Node root, const ArchTarget& t, const std::string& value) {
  // yaml-cpp nodes are references: `a = b` would overwrite a's content, reset() rebinds.
  YAML::Node node = root;
  std::size_t i = 0;
  if (t.path.size() >= 3 && t.path[0] == "levels") {
    node.reset(find_level(root["levels"], t.path[1], t));
    i = 2;
  }
  for (; i + 1 < t.path.size(); ++i) {
    if (node[t.path[i]] && !node[t.path[i]].IsMap())
      throw Error("axis target '" + t.dotted() + "': '" + t.path[i] + "' is not a map of keys");
    YAML::Node inner = node[t.path[i]];
    node.reset(inner);
  }
  node[t.path.back()] = value;
}

}  // namespace

std::string patch_accelerator(const std::string& base_text, const std::vector<ArchEdit>& edits) {
  YAML::Node root = YAML::Load(base_text);
  for (const auto& [target, value] : edits) apply(root, *target, value);
  YAML::Emitter out;
  out << root;
  return out.c_str();
}

BaseArch read_base_arch(const std::string& name_or_path) {
  if (auto text = arch::preset_text(name_or_path))
    return {std::string(*text), "configs/arch/" + name_or_path + ".yaml"};
  return {core::read_text_file(name_or_path), name_or_path};
}

}  // namespace loom::sweep
