// SPDX-License-Identifier: Apache-2.0
#include "sweep/space.hpp"

#include "sweep/arch_patch.hpp"

namespace loom::sweep {

std::string point_dataflow(const SweepSpec& spec, const std::vector<std::size_t>& choice) {
  for (std::size_t a = 0; a < spec.axes.size(); ++a)
    for (const auto& t : spec.axes[a].targets)
      if (t.path.size() == 1 && t.path[0] == "dataflow") return spec.axes[a].label(choice[a]);
  return {};
}

const BaseArch& base_for_dataflow(const SweepSpec& spec, const std::string& dataflow) {
  const auto it = spec.dataflow_bases.find(dataflow);
  return it == spec.dataflow_bases.end() ? spec.base : it->second;
}

std::string point_arch_text(const SweepSpec& spec, const std::vector<std::size_t>& choice) {
  std::vector<ArchEdit> edits;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const Axis& axis = spec.axes[a];
    if (axis.kind != AxisKind::arch) continue;
    for (const auto& t : axis.targets) edits.emplace_back(&t, axis.values[choice[a]]);
  }
  return patch_accelerator(base_for_dataflow(spec, point_dataflow(spec, choice)).text, edits);
}

arch::Accelerator point_accelerator(const SweepSpec& spec, const std::vector<std::size_t>& choice) {
  const BaseArch& base = base_for_dataflow(spec, point_dataflow(spec, choice));
  // Lines in messages refer to the edited text, so name it as such.
  return arch::parse_accelerator_yaml(point_arch_text(spec, choice), base.file + " (edited)");
}

}  // namespace loom::sweep
