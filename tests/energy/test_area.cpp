// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "arch/accelerator.hpp"
#include "energy/area_table.hpp"
#include "energy/technology.hpp"

using namespace loom;
using namespace loom::energy;

namespace {

arch::Accelerator tiny() {
  arch::Accelerator a;
  a.array.rows = 2;
  a.array.cols = 2;
  arch::MemoryLevel dram;
  dram.name = "dram";
  dram.kind = arch::LevelKind::dram;
  arch::MemoryLevel buf;
  buf.name = "buf";
  buf.size_bytes = 1024;
  buf.banks = 2;
  a.levels = {dram, buf};
  return a;
}

}  // namespace

TEST_CASE("area of a 2x2 int8 array with a 1 KiB buffer, by hand from the cited unit areas") {
  // PE: 8x8 multiplier 709.6 um^2 (EvoApproxLib mul8u_1JJQ, PDK45)
  //   + 32-bit adder 32 * 141.7 / 16 um^2 (EvoApproxLib add16u_1E2, PDK45)
  //   + (8 + 8 + 32) flip-flops * 5.98 um^2 (Aladdin register)  = 1280.04 um^2
  const double pe_um2 = 709.6 + 32 * 141.7 / 16 + 48 * 5.98;
  CHECK(pe_um2 == Approx(1280.04));
  CHECK(pe_area_um2(arch::PeSpec{}) == Approx(pe_um2));
  // 1 KiB at 0.826 Mb/mm^2 (OpenRAM FreePDK45), Mb = 2^20 bits: 1 / (0.826 * 128) mm^2.
  const double buf_mm2 = 1.0 / (0.826 * 128);
  const auto area = estimate_area(tiny());
  CHECK(area.pe_array_mm2 == Approx(4 * pe_um2 * 1e-6));
  CHECK(area.level_mm2[0] == 0.0);  // DRAM is off chip
  CHECK(area.level_mm2[1] == Approx(buf_mm2));
  CHECK(area.total_mm2 == Approx(4 * pe_um2 * 1e-6 + buf_mm2));
}

TEST_CASE("sram area per bit is the 146 F^2 cell plus periphery") {
  CHECK(kNode45.sram_cell_um2 == Approx(0.29565));
  CHECK(kNode45.sram_um2_per_bit == Approx(1.1545).epsilon(1e-3));
  CHECK(kNode45.sram_um2_per_bit > kNode45.sram_cell_um2);
}

TEST_CASE("pe multiplier area scales with weight_bits x activation_bits") {
  arch::PeSpec pe;
  pe.weight_bits = 4;
  pe.activation_bits = 8;
  pe.accumulator_bits = 24;
  CHECK(pe_area_um2(pe) == Approx(709.6 / 2 + 24 * 141.7 / 16 + 36 * 5.98));
}

TEST_CASE("pe.area_um2 and a level's area_mm2 replace the defaults") {
  auto a = tiny();
  a.array.pe.area_um2 = 1000.0;
  a.levels[1].area_mm2 = 0.5;
  a.levels[0].area_mm2 = 0.25;  // an explicit area counts even for dram
  const auto area = estimate_area(a);
  CHECK(area.pe_array_mm2 == Approx(4000e-6));
  CHECK(area.level_mm2[1] == Approx(0.5));
  CHECK(area.total_mm2 == Approx(4000e-6 + 0.5 + 0.25));
}

TEST_CASE("a per-PE level's area counts one instance per PE") {
  auto a = loom::arch::parse_accelerator_yaml(R"(name: t
clock_mhz: 200
dataflow: spatial
pe_array: {rows: 2, cols: 3}
levels:
  - {name: dram, kind: dram}
  - {name: glb, kind: sram, size_kib: 1}
  - {name: rf, kind: sram, size_kib: 1, per_pe: true}
)",
                                              "a.yaml");
  const auto area = loom::energy::estimate_area(a);
  CHECK(area.level_mm2[2] == Approx(6.0 * area.level_mm2[1]));
}

TEST_CASE("Bit Fusion PE area: the int8 PE scaled by the synthesized cell counts") {
  // yosys 0.23 synth -flatten (rtl/synth.sh): bf_pe 2958 cells, mac_pe (8-bit) 1356 cells;
  // the int8 PE is 1280.04 um^2 (test above): 1280.04 * 2958 / 1356 = 2792.3 um^2.
  CHECK(bitfusion_pe_area_um2() == Approx(1280.04 * 2958.0 / 1356.0));
  CHECK(bitfusion_pe_area_um2() == Approx(2792.3).epsilon(1e-4));
}

TEST_CASE("a precision-scalable PE array is priced at the Bit Fusion PE's area") {
  auto a = loom::arch::parse_accelerator_yaml(R"(name: bf
clock_mhz: 500
dataflow: ws
pe_array: {rows: 4, cols: 4}
pe: {weight_bits: 8, activation_bits: 8, accumulator_bits: 32, precision_scalable: true}
levels:
  - {name: dram, kind: dram}
  - {name: sram, kind: sram, size_kib: 1}
)",
                                              "bf.yaml");
  // 16 PEs x 2792.3 um^2 (the test above), against 16 x 1280.04 for the fixed int8 PE.
  CHECK(loom::energy::estimate_area(a).pe_array_mm2 == Approx(16 * 2792.3e-6).epsilon(1e-4));
  a.array.pe.precision_scalable = false;
  CHECK(loom::energy::estimate_area(a).pe_array_mm2 == Approx(16 * 1280.04e-6).epsilon(1e-4));
  a.array.pe.precision_scalable = true;
  a.array.pe.area_um2 = 2000.0;  // stated: used as given
  CHECK(loom::energy::estimate_area(a).pe_array_mm2 == Approx(16 * 2000e-6));
}

TEST_CASE("tpu_v1_like's 24 MiB unified buffer is 232 mm2, near TPU v1's scaled to 45 nm") {
  // docs/energy.md's rough check: TPU v1 (28 nm) spends about 29% of a die under 331 mm^2 on
  // this buffer (Jouppi et al., ISCA 2017); (45/28)^2 scaling gives about 250 mm^2.
  const auto a = arch::load_accelerator("tpu_v1_like");
  REQUIRE(a.levels[1].name == "unified_buffer");
  const auto area = estimate_area(a);
  CHECK(area.level_mm2[1] == Approx(232).margin(0.5));
  CHECK(area.level_mm2[1] == Approx(0.29 * 331 * (45.0 / 28) * (45.0 / 28)).epsilon(0.1));
}
