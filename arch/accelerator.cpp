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

std::string dataflow_mismatch(const Accelerator& a) {
  const std::string df(dataflow_info(a.dataflow).name);
  std::array<bool, kOperands> in_pe{};
  for (const auto& l : a.levels) {
    if (is_systolic(a.dataflow) && l.kind == LevelKind::noc)
      return "level '" + l.name + "' is a noc: a systolic array (dataflow " + df +
             ") passes operands between neighbouring PEs, not over a network";
    if (is_systolic(a.dataflow) && l.per_pe)
      return "level '" + l.name + "' is per PE: a systolic array (dataflow " + df +
             ") keeps only its stationary operand in each PE; use a spatial dataflow";
    if (l.per_pe)
      for (int o = 0; o < kOperands; ++o) in_pe[o] = in_pe[o] || l.holds[o];
  }
  const auto need = [&](Operand o, const char* why) -> std::string {
    if (in_pe[static_cast<int>(o)]) return {};
    return "dataflow " + df + " needs a per-PE level holding the " +
           std::string(core::enum_name(kOperandNames, o)) + " operand (" + why + ")";
  };
  switch (a.dataflow) {
    case Dataflow::rs:
      for (auto o : {Operand::filter, Operand::ifmap, Operand::ofmap})
        if (auto w = need(o, "a row-stationary PE keeps a filter row, an ifmap window and psums");
            !w.empty())
          return w;
      break;
    case Dataflow::spatial_ws:
      return need(Operand::filter, "weights stay in each PE");
    case Dataflow::spatial_os:
      return need(Operand::ofmap, "partial sums stay in each PE");
    default:
      break;
  }
  return {};
}

void check_dataflow_fits(const Accelerator& a) {
  if (auto why = dataflow_mismatch(a); !why.empty())
    throw Error(Diagnostic{a.source, "dataflow", 0, why});
}

std::vector<PresetEntry> preset_list() {
  std::vector<PresetEntry> out;
  for (const auto& [stem, text] : preset_files()) {
    const auto root = core::ConfigNode::parse(text, std::string(stem));
    out.push_back({std::string(stem), root.get_string("description", "")});
  }
  return out;
}

std::optional<std::string_view> preset_text(std::string_view name) {
  for (const auto& [stem, text] : preset_files())
    if (stem == name) return text;
  return std::nullopt;
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
