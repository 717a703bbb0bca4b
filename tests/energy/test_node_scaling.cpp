// SPDX-License-Identifier: Apache-2.0
// Technology nodes against Stillmaker & Baas (Integration 2017), evaluated here by hand: the
// coefficients are written out again from the paper's Table 4 (energy, HP rows at 45 nm and
// below) and Table 6 (area factors from 45 nm), and the polynomials evaluated independently of
// energy/node_scaling.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "energy/area_table.hpp"
#include "energy/energy_table.hpp"
#include "energy/node_scaling.hpp"
#include "energy/technology.hpp"

using namespace loom;
using namespace loom::energy;

namespace {

// E(V) = a V^2 + b V + c at the node's Vdd.
double paper_energy(double a, double b, double c, double v) { return a * v * v + b * v + c; }

// The anchor: 45 nm HP at Horowitz's 0.9 V.
const double kE45 = paper_energy(1.018, -0.3107, 0.1539, 0.9);

// Energy and area factors from 45 nm, by hand. 28 nm: the 32 and 20 nm factors interpolated
// geometrically in the node (docs/energy.md).
std::pair<double, double> by_hand(int nm) {
  const double e32 = paper_energy(0.8367, -0.4341, 0.1701, 0.9) / kE45;
  const double e20 = paper_energy(0.373, -0.1582, 0.04104, 0.9) / kE45;
  switch (nm) {
    case 28: {
      const double t = std::log(32.0 / 28.0) / std::log(32.0 / 20.0);
      return {e32 * std::pow(e20 / e32, t), 0.46 * std::pow(0.21 / 0.46, t)};
    }
    case 16:
      return {paper_energy(0.2958, -0.1241, 0.03024, 0.85) / kE45, 0.19};
    case 7:
      return {paper_energy(0.1776, -0.09097, 0.02447, 0.7) / kE45, 0.059};
  }
  FAIL("no hand value for " << nm);
  return {};
}

arch::Accelerator with_buffer(int nm) {
  arch::Accelerator a;
  a.source = "node.yaml";
  a.technology_nm = nm;
  a.array.rows = a.array.cols = 1;
  arch::MemoryLevel dram{.name = "dram", .kind = arch::LevelKind::dram};
  arch::MemoryLevel buf{.name = "buf", .kind = arch::LevelKind::sram, .size_bytes = 64 * 1024};
  a.levels = {dram, buf};
  return a;
}

struct Figures {
  double mac_pj, sram_pj_per_bit, pe_um2, sram_mm2;
};
Figures figures(int nm) {
  const auto a = with_buffer(nm);
  const auto t = make_energy_table(a);
  return {t.mac_energy_pj(8, 8), t.levels[1].read_pj_per_bit, pe_area_um2(arch::PeSpec{}, nm),
          estimate_area(a).level_mm2[1]};
}

}  // namespace

TEST_CASE("an int8 MAC and a 64 KiB SRAM at 65, 45, 28, 16 and 7 nm against the paper by hand") {
  // 45 nm: the anchor, today's table (docs/energy.md, "Default values at 45 nm").
  const Figures f45 = figures(45);
  CHECK(f45.mac_pj == Approx(0.3).epsilon(1e-12));
  CHECK(f45.sram_pj_per_bit == Approx(3.8022 * std::pow(64.0, 0.47261) / 64).epsilon(1e-12));
  CHECK(f45.pe_um2 == Approx(709.6 + 32 * 141.7 / 16 + 48 * 5.98).epsilon(1e-12));
  CHECK(f45.sram_mm2 == Approx(64 * 8192 / (0.826 * 1048576.0)).epsilon(1e-12));
  // 65 nm: Eyeriss's table as before (C*V^2 and (65/45)^2 from 45 nm; the ISCA'16 SRAM law).
  const double cv2 = (65.0 / 45.0) / 0.81, a65 = (65.0 / 45.0) * (65.0 / 45.0);
  const Figures f65 = figures(65);
  CHECK(f65.mac_pj == Approx(0.3 * cv2).epsilon(1e-9));
  CHECK(f65.sram_pj_per_bit * 16 ==
        Approx(0.9 * cv2 * std::pow(128.0, std::log(6.0) / std::log(200.0))).epsilon(1e-4));
  CHECK(f65.pe_um2 == Approx(f45.pe_um2 * a65).epsilon(1e-9));
  CHECK(f65.sram_mm2 == Approx(f45.sram_mm2 * a65).epsilon(1e-9));
  // Scaled nodes: the 45 nm figures times the paper's factors. Tolerance 1e-6: the same
  // arithmetic done two ways, not a fit.
  for (int nm : {28, 16, 7}) {
    INFO(nm << " nm");
    const auto [e, area] = by_hand(nm);
    const Figures f = figures(nm);
    CHECK(f.mac_pj == Approx(0.3 * e).epsilon(1e-6));
    CHECK(f.sram_pj_per_bit == Approx(f45.sram_pj_per_bit * e).epsilon(1e-6));
    CHECK(f.pe_um2 == Approx(f45.pe_um2 * area).epsilon(1e-6));
    CHECK(f.sram_mm2 == Approx(f45.sram_mm2 * area).epsilon(1e-6));
  }
  // The values docs/energy.md tabulates.
  CHECK(figures(28).mac_pj == Approx(0.1553).epsilon(1e-3));
  CHECK(figures(16).mac_pj == Approx(0.05944).epsilon(1e-3));
  CHECK(figures(7).mac_pj == Approx(0.02052).epsilon(1e-3));
}

TEST_CASE("energy, area and leakage fall monotonically from 180 nm to 7 nm, delay nearly") {
  const auto& nodes = all_nodes();
  REQUIRE(nodes.size() == arch::kTechnologyNodesNm.size());
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    const Node& big = nodes[i - 1];
    const Node& small = nodes[i];
    INFO(big.nm << " nm -> " << small.nm << " nm");
    CHECK(small.nm < big.nm);
    const Figures fb = figures(big.nm), fs = figures(small.nm);
    CHECK(fs.mac_pj < fb.mac_pj);
    CHECK(fs.sram_pj_per_bit < fb.sram_pj_per_bit);
    CHECK(fs.pe_um2 < fb.pe_um2);
    CHECK(fs.sram_mm2 < fb.sram_mm2);
    CHECK(small.leakage_scale < big.leakage_scale);
    // Delay is not monotone in the paper between 32 and 20 nm: its 20 nm model at 0.9 V is
    // slower than its 32 nm one (PTM planar against the ITRS-based multi-gate models); 28 and
    // 22 nm lie on the way. docs/energy.md lists the factors.
    if (small.nm > 32 || small.nm < 20) CHECK(small.delay_scale < big.delay_scale);
    // DRAM is not a logic-node quantity: 1300 pJ per 64 bits everywhere but Eyeriss's table.
    if (small.nm != 65) CHECK(small.dram_pj_per_bit == Approx(1300.0 / 64));
  }
}

TEST_CASE("the 65 nm entry of the paper agrees with Eyeriss's C*V^2 rule within 7%") {
  const auto s = stillmaker_scaling(65);
  REQUIRE(s);
  CHECK(s->energy == Approx(paper_energy(3.755, -4.398, 1.975, 1.0) / kE45));
  CHECK(s->energy / ((65.0 / 45.0) / 0.81) == Approx(1.069).epsilon(0.002));
  CHECK_FALSE(stillmaker_scaling(50));
}

TEST_CASE("a node without a table is an error naming the file, the key and every node") {
  try {
    (void)make_energy_table(with_buffer(50));
    FAIL("expected loom::Error");
  } catch (const Error& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("node.yaml"));
    CHECK_THAT(what, Catch::Contains("technology_nm"));
    CHECK_THAT(what,
               Catch::Contains("50 nm (available: 180, 130, 90, 65, 45, 32, 28, 22, 20, 16, 14, "
                               "10, 7)"));
  }
}
