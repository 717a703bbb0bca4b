// SPDX-License-Identifier: Apache-2.0
#pragma once
// Per-action energies of one accelerator: one MAC, and a read or write of one bit at each
// memory level. Built once per accelerator by make_energy_table (which may throw loom::Error),
// then read by price() in the search's inner loop. Energies in pJ; levels are indexed like
// Accelerator::levels (outermost first). Defaults come from energy/technology.hpp (by node);
// values given in the accelerator (pe.mac_energy_pj, level read/write_energy_pj) replace them.
#include <array>
#include <string>

#include "arch/access_counts.hpp"
#include "arch/accelerator.hpp"

namespace loom::energy {

struct LevelEnergy {
  double read_pj_per_bit = 0;
  double write_pj_per_bit = 0;
  std::string source;  // where the numbers come from, for reports
};

struct EnergyTable {
  // One MAC (multiply + accumulate-add) with operands of the PE's native widths.
  double mac_pj_native = 0;
  // Share of mac_pj_native spent in the multiplier; the rest is the accumulator adder.
  double mult_share = 0;
  int native_weight_bits = 8;
  int native_activation_bits = 8;
  std::array<LevelEnergy, arch::kMaxLevels> levels{};
  int level_count = 0;
  int technology_nm = 45;
  std::string mac_source;

  // One MAC with operands of the given widths: the multiplier part scales with the product of
  // the operand widths, the accumulator adder (fixed hardware width) does not.
  [[nodiscard]] double mac_energy_pj(int weight_bits, int activation_bits) const {
    const double width_ratio =
        static_cast<double>(weight_bits) * activation_bits /
        (static_cast<double>(native_weight_bits) * native_activation_bits);
    return mac_pj_native * (mult_share * width_ratio + (1.0 - mult_share));
  }
};

// Default multiplier and adder energies at a node (see technology.hpp for the rules' sources).
[[nodiscard]] double mult_energy_pj(int weight_bits, int activation_bits, int technology_nm = 45);
[[nodiscard]] double add_energy_pj(int bits, int technology_nm = 45);

// Throws loom::Error for an unknown technology node, more than kMaxLevels levels, or an sram
// level without capacity and without energy overrides.
EnergyTable make_energy_table(const arch::Accelerator& accel);

}  // namespace loom::energy
