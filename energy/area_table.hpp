// SPDX-License-Identifier: Apache-2.0
#pragma once
// On-chip area of an accelerator: the PE array plus each on-chip memory level. DRAM is off
// chip and counts 0. Areas in mm^2, levels indexed like Accelerator::levels. Defaults come from
// energy/technology.hpp; pe.area_um2 and a level's area_mm2 replace them. Not modelled: the NoC,
// control, I/O and wiring between blocks (so total_mm2 is a lower bound on a die).
#include <array>

#include "arch/access_counts.hpp"
#include "arch/accelerator.hpp"

namespace loom::energy {

struct AreaBreakdown {
  double pe_array_mm2 = 0;
  std::array<double, arch::kMaxLevels> level_mm2{};
  double total_mm2 = 0;
};

// Default area of one PE at a node: multiplier x (w*a)/64 from the 8x8 multiplier, adder of
// accumulator_bits, and pipeline registers holding a weight, an activation and a partial sum
// (w + a + accumulator_bits flip-flops). Throws loom::Error for an unknown node.
[[nodiscard]] double pe_area_um2(const arch::PeSpec& pe, int technology_nm = 45);

// Area of a Bit Fusion precision-scalable PE (8x8, 4 of 4x4 or 16 of 2x2 per cycle; 32-bit
// accumulator) at a node: the default int8 PE (8x8, 32-bit accumulator) scaled by the ratio of
// the two PEs' synthesized cell counts (kYosysCellsBitFusionPe / kYosysCellsMac8Pe, rtl/synth.sh)
// — an estimate that assumes both designs' cells average the same area. estimate_area prices
// every pe.precision_scalable PE this way (its own widths' fixed PE times the same ratio)
// unless pe.area_um2 is given. Throws loom::Error for an unknown node.
[[nodiscard]] double bitfusion_pe_area_um2(int technology_nm = 45);

// Throws loom::Error for an unknown technology node or more than kMaxLevels levels.
AreaBreakdown estimate_area(const arch::Accelerator& accel);

}  // namespace loom::energy
