// SPDX-License-Identifier: Apache-2.0
#include "energy/price.hpp"

#include <algorithm>

namespace loom::energy {

EnergyBreakdown price(const arch::AccessCounts& counts, std::int64_t macs, int weight_bits,
                      int activation_bits, const EnergyTable& table) {
  EnergyBreakdown b;
  b.mac_pj = static_cast<double>(macs) * table.mac_energy_pj(weight_bits, activation_bits);
  b.total_pj = b.mac_pj;
  const int levels = std::clamp(counts.levels, 0, arch::kMaxLevels);
  for (int l = 0; l < levels; ++l) {
    const LevelEnergy& e = table.levels[l];
    for (int o = 0; o < arch::kOperands; ++o) {
      const arch::AccessCell& c = counts.cells[l][o];
      const double pj = static_cast<double>(c.read_bits) * e.read_pj_per_bit +
                        static_cast<double>(c.write_bits) * e.write_pj_per_bit;
      b.level_pj[l] += pj;
      b.operand_pj[o] += pj;
    }
    b.total_pj += b.level_pj[l];
  }
  return b;
}

}  // namespace loom::energy
