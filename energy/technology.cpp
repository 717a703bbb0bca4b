// SPDX-License-Identifier: Apache-2.0
#include "energy/technology.hpp"

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "energy/node_scaling.hpp"

namespace loom::energy {
namespace {

// The 45 nm table moved to another node by Stillmaker & Baas's factors: every logic and SRAM
// energy by the energy factor, every area by the area factor (the SRAM cell too: the 146 F^2
// rule would shrink it faster than the paper's layouts do). DRAM energy per bit stays: it is
// the DRAM device and its interface, not this chip's logic.
Node scaled_from_45(int nm, const NodeScaling& s) {
  Node n = kNode45;
  n.nm = nm;
  n.mult8_pj *= s.energy;
  n.add32_pj *= s.energy;
  n.sram_a_pj_per_64b *= s.energy;
  n.noc_pj_per_bit *= s.energy;
  n.mult8_um2 *= s.area;
  n.adder_um2_per_bit *= s.area;
  n.register_um2_per_bit *= s.area;
  n.sram_cell_um2 *= s.area;
  n.sram_um2_per_bit *= s.area;
  n.source =
      "45 nm tables (Horowitz ISSCC 2014 energies; EvoApproxLib, Aladdin, OpenRAM areas) "
      "scaled by Stillmaker & Baas, Integration 2017 (nominal Vdd; DRAM unscaled)";
  n.energy_scale = s.energy;
  n.area_scale = s.area;
  n.leakage_scale = s.power;
  n.delay_scale = s.delay;
  return n;
}

std::vector<Node> make_nodes() {
  std::vector<Node> out;
  for (int nm : arch::kTechnologyNodesNm) {
    const NodeScaling s = *stillmaker_scaling(nm);
    if (nm == 45) {
      out.push_back(kNode45);
    } else if (nm == 65) {
      // Eyeriss's own table; its energy and area factors are the C*V^2 and (65/45)^2 rules it
      // was built with, its leakage and delay the paper's.
      Node n = kNode65;
      n.energy_scale = kScale65Energy;
      n.area_scale = kScale65Area;
      n.leakage_scale = s.power;
      n.delay_scale = s.delay;
      out.push_back(n);
    } else {
      out.push_back(scaled_from_45(nm, s));
    }
  }
  return out;
}

}  // namespace

const std::vector<Node>& all_nodes() {
  static const std::vector<Node> nodes = make_nodes();
  return nodes;
}

const Node& node_for(int technology_nm, const std::string& file) {
  for (const auto& n : all_nodes())
    if (n.nm == technology_nm) return n;
  std::string have;
  for (const auto& n : all_nodes()) have += (have.empty() ? "" : ", ") + std::to_string(n.nm);
  throw Error(Diagnostic{file, "technology_nm", 0,
                         "no energy/area table for " + std::to_string(technology_nm) +
                             " nm (available: " + have + ")"});
}

}  // namespace loom::energy
