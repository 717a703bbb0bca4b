// SPDX-License-Identifier: Apache-2.0
#include "arch/accelerator.hpp"

#include "core/config.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"

namespace loom::arch {

// Generated from configs/arch/*.yaml by cmake/LoomEmbedScript.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& preset_files();

int Accelerator::dram_level() const {
  for (std::size_t i = 0; i < levels.size(); ++i)
    if (levels[i].kind == LevelKind::dram) return static_cast<int>(i);
  return -1;
}

int Accelerator::sram_level(Operand o) const {
  for (int i = static_cast<int>(levels.size()) - 1; i >= 0; --i)
    if (levels[i].kind == LevelKind::sram && levels[i].holds_operand(o)) return i;
  return -1;
}

std::vector<PresetEntry> preset_list() {
  std::vector<PresetEntry> out;
  for (const auto& [stem, text] : preset_files()) {
    const auto root = core::ConfigNode::parse(text, std::string(stem));
    out.push_back({std::string(stem), root.get_string("description", "")});
  }
  return out;
}

Accelerator load_accelerator(const std::string& name_or_path) {
  for (const auto& [stem, text] : preset_files())
    if (stem == name_or_path)
      return parse_accelerator_yaml(text, "configs/arch/" + std::string(stem) + ".yaml");
  const std::filesystem::path p(name_or_path);
  const std::string ext = core::to_lower(p.extension().string());
  if (ext == ".yaml" || ext == ".yml")
    return parse_accelerator_yaml(core::read_text_file(p), p.string());
  if (ext == ".cfg") return load_scalesim_cfg(p);
  std::string names;
  for (const auto& e : preset_list()) names += (names.empty() ? "" : ", ") + e.name;
  throw Error(Diagnostic{name_or_path, "--arch", 0,
                         "not a preset (" + names +
                             ") nor an accelerator file (.yaml, .yml, SCALE-Sim .cfg)"});
}

}  // namespace loom::arch
