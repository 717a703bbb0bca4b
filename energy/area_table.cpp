// SPDX-License-Identifier: Apache-2.0
// Accelerator -> AreaBreakdown. Per-unit areas and their sources: energy/technology.hpp.
#include "energy/area_table.hpp"

#include "core/error.hpp"
#include "energy/technology.hpp"

namespace loom::energy {
namespace {

double pe_um2(const Node& n, const arch::PeSpec& pe) {
  // The multiplier's partial-product array has w*a cells, so its area scales with w*a.
  const double mult = n.mult8_um2 * static_cast<double>(pe.weight_bits) * pe.activation_bits / 64.0;
  const double adder = n.adder_um2_per_bit * pe.accumulator_bits;
  const double regs =
      n.register_um2_per_bit * (pe.weight_bits + pe.activation_bits + pe.accumulator_bits);
  return mult + adder + regs;
}

}  // namespace

double pe_area_um2(const arch::PeSpec& pe, int technology_nm) {
  return pe_um2(node_for(technology_nm, ""), pe);
}

double bitfusion_pe_area_um2(int technology_nm) {
  const arch::PeSpec int8_pe{.weight_bits = 8, .activation_bits = 8, .accumulator_bits = 32};
  return pe_area_um2(int8_pe, technology_nm) * kYosysCellsBitFusionPe / kYosysCellsMac8Pe;
}

AreaBreakdown estimate_area(const arch::Accelerator& accel) {
  const Node& n = node_for(accel.technology_nm, accel.source);
  if (accel.levels.size() > static_cast<std::size_t>(arch::kMaxLevels))
    throw Error(Diagnostic{accel.source, "levels", 0,
                           "at most " + std::to_string(arch::kMaxLevels) + " levels, got " +
                               std::to_string(accel.levels.size())});
  AreaBreakdown a;
  const auto& pe = accel.array.pe;
  // A precision-scalable PE pays for its BitBricks and shift-add tree: the fixed PE of the
  // same widths scaled by the synthesized cell ratio (bitfusion_pe_area_um2).
  const double scalable =
      pe.precision_scalable ? static_cast<double>(kYosysCellsBitFusionPe) / kYosysCellsMac8Pe : 1.0;
  const double one_pe_um2 = pe.area_um2 ? *pe.area_um2 : pe_um2(n, pe) * scalable;
  a.pe_array_mm2 = one_pe_um2 * static_cast<double>(accel.array.pes()) * 1e-6;
  a.total_mm2 = a.pe_array_mm2;
  for (std::size_t i = 0; i < accel.levels.size(); ++i) {
    const auto& l = accel.levels[i];
    double mm2 = 0;
    if (l.area_mm2) mm2 = *l.area_mm2;
    else if (l.kind == arch::LevelKind::sram)
      mm2 = static_cast<double>(l.size_bytes) * 8.0 * n.sram_um2_per_bit * 1e-6;
    if (l.per_pe && !l.area_mm2) mm2 *= static_cast<double>(accel.array.pes());  // one per PE
    a.level_mm2[i] = mm2;
    a.total_mm2 += mm2;
  }
  return a;
}

}  // namespace loom::energy
