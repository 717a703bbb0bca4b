// SPDX-License-Identifier: Apache-2.0
#pragma once
// Technology scaling factors from 180 nm to 7 nm, relative to the 45 nm anchor Loom's tables
// are built at (Horowitz's 45 nm, 0.9 V). Source: A. Stillmaker and B. Baas, "Scaling equations
// for the accurate prediction of CMOS device performance from 180 nm to 7 nm", Integration, the
// VLSI Journal 58 (2017) 74-81: polynomial fits in Vdd of delay (cubic), energy per operation and
// power (quadratic) per node, from HSpice on PTM (180-32 nm) and ITRS-based (20-7 nm) models,
// plus a table of area factors between nodes. Each node is evaluated at its nominal Vdd
// (kScalingRows); 45 nm is evaluated with its high-performance (HP) fit at 0.9 V, the anchor's
// voltage. 28 and 22 nm, which the paper does not tabulate, are interpolated between its 32 and
// 20 nm rows (log factor linear in log node) -- Loom's interpolation, not the paper's.
// Factors are pure numbers: a quantity at 45 nm times the factor is its value at the node.
#include <array>
#include <optional>

namespace loom::energy {

struct ScalingRow {
  int nm;
  double vdd;                    // nominal supply the row is evaluated at, V
  std::array<double, 4> delay;   // d3 V^3 + d2 V^2 + d1 V + d0
  std::array<double, 3> energy;  // e2 V^2 + e1 V + e0
  std::array<double, 3> power;   // p2 V^2 + p1 V + p0
  double area_vs_45;             // the paper's area factor from 45 nm to this node
};

struct NodeScaling {
  double energy = 1;  // dynamic energy per operation
  double power = 1;   // power at a fixed activity (the fits include leakage): scales leakage
  double delay = 1;   // gate delay (reported, not applied: clock_mhz is the user's)
  double area = 1;
};

// The scaling from the 45 nm anchor to `nm`, or nothing when the node is neither tabulated nor
// interpolated: it answers for every node in arch::kTechnologyNodesNm.
[[nodiscard]] std::optional<NodeScaling> stillmaker_scaling(int nm);

}  // namespace loom::energy
