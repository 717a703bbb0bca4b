// SPDX-License-Identifier: Apache-2.0
#include "energy/node_scaling.hpp"

#include <cmath>

namespace loom::energy {
namespace {

// Stillmaker & Baas 2017, Table 4 (delay, energy and power fit coefficients; 45 nm and below
// the HP rows, which the paper gives beside LP rows) and Table 6 (area factors, the 45 nm row).
// The 180 nm fits are one order lower than the others (leading coefficient 0). Two rows were
// checked against the paper's published corrigendum, which evaluates them: 65 nm energy at 1.3 V
// = 2.604 and 32 nm HP energy at 0.9 V = 0.4571.
// Vdd: the nominal supply of each node's model (PTM for 180-32 nm, PTM-MG/ITRS for 20-7 nm),
// except 65 nm at 1.0 V: Loom's 65 nm node is Eyeriss's 1.0 V process (energy/technology.hpp).
constexpr std::array<ScalingRow, 11> kRows{{
    {180, 1.8, {0, 97.09, -356.7, 406.5}, {0, 24.64, -17.98}, {0, 101000, -79720}, 19},
    {130, 1.3, {-76.65, 334.9, -493.4, 275.8}, {7.171, -6.709, 2.904}, {27020, -15450, 5630}, 6.4},
    {90, 1.2, {-60.34, 262.5, -384.2, 210.9}, {4.762, -4.781, 2.092}, {17320, -11230, 4328}, 2.8},
    {65, 1.0, {-53.3, 230.4, -333.9, 178.6}, {3.755, -4.398, 1.975}, {12890, -10510, 4362}, 1.5},
    {45, 0.9, {-501.6, 1567, -1619, 566.1}, {1.018, -0.3107, 0.1539}, {5462, -1760, 522.4}, 1},
    {32, 0.9, {-1047, 2982, -2797, 873.5}, {0.8367, -0.4341, 0.1701}, {4001, -1733, 533.6}, 0.46},
    {20, 0.9, {0, 34.63, -66.37, 41.15}, {0.373, -0.1582, 0.04104}, {2922, -1286, 299.9}, 0.21},
    {16, 0.85, {0, 24.8, -47.52, 28.87}, {0.2958, -0.1241, 0.03024}, {2133, -882.6, 197.7}, 0.19},
    {14, 0.8, {-40.66, 109.2, -100.6, 35.92}, {0.2363, -0.09675, 0.02239}, {1675, -711, 159}, 0.17},
    {10,
     0.75,
     {-34.95, 93.65, -85.99, 30.4},
     {0.2068, -0.09311, 0.02375},
     {1456, -621.6, 143.8},
     0.1},
    {7,
     0.7,
     {-28.58, 76.6, -70.26, 24.69},
     {0.1776, -0.09097, 0.02447},
     {1179, -515.7, 123.4},
     0.059},
}};

double cubic(const std::array<double, 4>& c, double v) {
  return ((c[0] * v + c[1]) * v + c[2]) * v + c[3];
}
double quadratic(const std::array<double, 3>& c, double v) { return (c[0] * v + c[1]) * v + c[2]; }

const ScalingRow* row(int nm) {
  for (const auto& r : kRows)
    if (r.nm == nm) return &r;
  return nullptr;
}

NodeScaling tabulated(const ScalingRow& r) {
  const ScalingRow& a = *row(45);
  return {.energy = quadratic(r.energy, r.vdd) / quadratic(a.energy, a.vdd),
          .power = quadratic(r.power, r.vdd) / quadratic(a.power, a.vdd),
          .delay = cubic(r.delay, r.vdd) / cubic(a.delay, a.vdd),
          .area = r.area_vs_45};
}

// Geometric interpolation in the node: log(factor) linear in log(nm) between two rows.
double between(double f_hi, double f_lo, double t) {
  return std::exp(std::log(f_hi) + t * (std::log(f_lo) - std::log(f_hi)));
}

}  // namespace

std::optional<NodeScaling> stillmaker_scaling(int nm) {
  if (const ScalingRow* r = row(nm)) return tabulated(*r);
  if (nm != 28 && nm != 22) return std::nullopt;
  const NodeScaling hi = tabulated(*row(32)), lo = tabulated(*row(20));
  const double t = (std::log(32.0) - std::log(nm)) / (std::log(32.0) - std::log(20.0));
  return NodeScaling{.energy = between(hi.energy, lo.energy, t),
                     .power = between(hi.power, lo.power, t),
                     .delay = between(hi.delay, lo.delay, t),
                     .area = between(hi.area, lo.area, t)};
}

}  // namespace loom::energy
