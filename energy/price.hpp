// SPDX-License-Identifier: Apache-2.0
#pragma once
// Prices what a layer did (AccessCounts, MAC count) with an EnergyTable. Runs in the mapping
// search's inner loop: no allocation, no strings, no virtual calls, no throwing. Precondition:
// `counts` and `table` describe the same accelerator (counts.levels == table.level_count).
// Energies in pJ.
#include <array>
#include <cstdint>

#include "arch/access_counts.hpp"
#include "energy/energy_table.hpp"

namespace loom::energy {

struct EnergyBreakdown {
  double mac_pj = 0;
  std::array<double, arch::kMaxLevels> level_pj{};  // reads + writes at each level
  std::array<double, arch::kOperands> operand_pj{};  // memory energy per operand (no MACs)
  double total_pj = 0;                               // mac_pj + all levels
};

// mac_energy_pj(weight_bits, activation_bits) * macs
//   + sum over levels and operands of read_bits * read_pj_per_bit + write_bits * write_pj_per_bit
[[nodiscard]] EnergyBreakdown price(const arch::AccessCounts& counts, std::int64_t macs,
                                    int weight_bits, int activation_bits, const EnergyTable& table);

}  // namespace loom::energy
