// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "energy/static_power.hpp"

using namespace loom;
using namespace loom::energy;

namespace {

// Eyeriss as the preset describes it: 12 x 14 16-bit PEs, 105.47 KiB GLB, 0.5078 KiB of
// scratchpads per PE, 65 nm, 200 MHz.
arch::Accelerator eyeriss_like() {
  arch::Accelerator a;
  a.source = "e.yaml";
  a.technology_nm = 65;
  a.clock_hz = 200e6;
  a.array.rows = 12;
  a.array.cols = 14;
  a.array.pe = {.weight_bits = 16, .activation_bits = 16, .accumulator_bits = 32};
  arch::MemoryLevel dram{.name = "dram", .kind = arch::LevelKind::dram};
  arch::MemoryLevel glb{.name = "glb", .kind = arch::LevelKind::sram, .size_bytes = 108000};
  arch::MemoryLevel noc{.name = "noc", .kind = arch::LevelKind::noc};
  arch::MemoryLevel rf{.name = "rf", .kind = arch::LevelKind::sram, .size_bytes = 520};
  rf.per_pe = true;
  a.levels = {dram, glb, noc, rf};
  return a;
}

// Stillmaker & Baas power fit, 65 nm at 1.0 V over 45 nm HP at 0.9 V, by hand.
const double kLeak65 = (12890.0 - 10510.0 + 4362.0) / (5462.0 * 0.81 - 1760.0 * 0.9 + 522.4);

}  // namespace

TEST_CASE("an int8 PE at 45 nm leaks Aladdin's multiplier, adder and registers, by width") {
  // 77.9 uW x 64/1024 + 2.25 uW + 48 bits x 0.074 uW (Aladdin, ISCA 2014, 40 nm).
  CHECK(pe_leakage_uw(arch::PeSpec{}, 45) == Approx(77.9 / 16 + 2.25 + 48 * 0.074));
  CHECK(pe_leakage_uw(arch::PeSpec{}, 45) == Approx(10.67).epsilon(1e-3));
}

TEST_CASE("Eyeriss's static power from the cited per-unit figures, by hand") {
  const auto a = eyeriss_like();
  const auto s = static_power(a);
  const double pe_uw = (77.9 / 4 + 2.25 + 64 * 0.074) * kLeak65;
  CHECK(s.pe_leakage_uw == Approx(pe_uw));
  const double kib_um2 = 8192.0 / (0.826 * 1048576.0) * 1e6;  // OpenRAM 0.826 Mb/mm^2
  CHECK(s.sram_leakage_uw_per_kib == Approx(0.074 / 5.98 * kib_um2 * kLeak65));
  CHECK(s.sram_kib == Approx(108000.0 / 1024 + 168 * 520.0 / 1024));
  CHECK(s.clock_pj_per_pe_cycle == Approx(64 * 0.00794 * (65.0 / 45.0) / 0.81));
  CHECK(s.leakage_w == Approx((168 * pe_uw + s.sram_kib * s.sram_leakage_uw_per_kib) * 1e-6));
  CHECK(s.clock_w == Approx(168 * s.clock_pj_per_pe_cycle * 1e-12 * 200e6));
  // docs/energy.md: 8.9 + 44.8 + 30.4 mW for the preset (108,000 B GLB here, as the chip).
  CHECK(s.clock_w * 1e3 == Approx(30.4).epsilon(0.01));
  // One second of cycles costs the power in joules.
  CHECK(s.energy_pj(200'000'000, 200e6) == Approx((s.leakage_w + s.clock_w) * 1e12));
}

TEST_CASE("static_power values in the accelerator replace the defaults") {
  auto a = eyeriss_like();
  a.static_power.pe_leakage_uw = 10.0;
  a.static_power.sram_leakage_uw_per_kib = 0.0;
  a.static_power.clock_pj_per_pe_cycle = 1.0;
  const auto s = static_power(a);
  CHECK(s.leakage_w == Approx(168 * 10.0 * 1e-6));
  CHECK(s.clock_w == Approx(168 * 1.0 * 1e-12 * 200e6));
}

TEST_CASE("static power falls with the node for the same design") {
  auto a = eyeriss_like();
  double last = 1e9;
  for (int nm : arch::kTechnologyNodesNm) {
    a.technology_nm = nm;
    const auto s = static_power(a);
    INFO(nm << " nm");
    CHECK(s.leakage_w + s.clock_w < last);
    last = s.leakage_w + s.clock_w;
  }
  a.technology_nm = 50;
  CHECK_THROWS_AS(static_power(a), Error);
}
