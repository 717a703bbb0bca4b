// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <fstream>

#include "arch/accelerator.hpp"
#include "core/error.hpp"

using namespace loom::arch;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    (void)parse_accelerator_yaml(yaml, "a.yaml");
  } catch (const loom::Error& e) {
    return e.what();
  }
  return "";
}

const char* kGood = R"(name: t
clock_mhz: 500
dataflow: os
pe_array: {rows: 16, cols: 8}
levels:
  - {name: dram, kind: dram, bandwidth_gb_per_s: 8}
  - {name: glb, kind: sram, holds: [ifmap, filter, ofmap], size_kib: 64}
)";

// A two-level accelerator with `pe` lines and extra keys spliced into its dram and glb levels.
std::string arch_with(const std::string& pe, const std::string& dram, const std::string& glb) {
  return "name: t\nclock_mhz: 200\ndataflow: os\npe_array: {rows: 4, cols: 4}\n" + pe +
         "levels:\n  - {name: dram, kind: dram" + dram +
         "}\n  - {name: glb, kind: sram, size_kib: 64" + glb + "}\n";
}

}  // namespace

TEST_CASE("accelerator yaml reads array, clock and levels") {
  const auto a = parse_accelerator_yaml(kGood, "a.yaml");
  CHECK(a.array.rows == 16);
  CHECK(a.array.cols == 8);
  CHECK(a.clock_hz == 500e6);
  CHECK(a.dataflow == Dataflow::os);
  CHECK(a.levels[0].bandwidth_bytes_per_cycle == Approx(16.0));  // 8 GB/s at 500 MHz
  CHECK(a.levels[1].size_bytes == 65536);
  CHECK(a.sram_level(Operand::filter) == 1);
  CHECK(a.dram_level() == 0);
}

TEST_CASE("accelerator yaml rejects zero-sized arrays, unknown dataflows and keys at once") {
  std::string bad = kGood;
  bad.replace(bad.find("rows: 16"), 8, "rows: 0");
  bad.replace(bad.find("dataflow: os"), 12, "dataflow: rs2");
  bad += "  - {name: x, kind: sram, holds: [ifmap], size_kib: 4, bankz: 2}\n";
  const std::string msg = error_of(bad);
  CHECK_THAT(msg, Catch::Contains("a.yaml:4 pe_array.rows: expected an integer > 0"));
  CHECK_THAT(msg, Catch::Contains("a.yaml:3 dataflow: unknown value 'rs2' (expected one of: os, ws, is, spatial)"));
  CHECK_THAT(msg, Catch::Contains("a.yaml:8 levels[2].bankz: unknown key"));
}

TEST_CASE("accelerator yaml needs one dram first and an sram per operand") {
  CHECK_THAT(error_of(R"(name: t
clock_mhz: 1
dataflow: ws
pe_array: {rows: 1, cols: 1}
levels:
  - {name: s, kind: sram, holds: [ifmap], size_kib: 1}
)"),
             Catch::Contains("expected exactly one level of kind dram"));
  CHECK_THAT(error_of(R"(name: t
clock_mhz: 1
dataflow: ws
pe_array: {rows: 1, cols: 1}
levels:
  - {name: d, kind: dram}
  - {name: s, kind: sram, holds: [ifmap, ofmap], size_kib: 1}
)"),
             Catch::Contains("no sram level holds the filter operand"));
}

TEST_CASE("scalesim cfg import reads array, SRAMs, dataflow and bandwidth mode") {
  const auto calc = load_scalesim_cfg(LOOM_TEST_DATA "/scalesim/scale_is_alexnet/scale.cfg");
  CHECK(calc.compat == Compat::scalesim);
  CHECK(calc.dataflow == Dataflow::is);
  CHECK(calc.array.rows == 32);
  CHECK(calc.levels[calc.sram_level(Operand::ifmap)].size_bytes == 64 * 1024);
  CHECK(calc.levels[0].bandwidth_bytes_per_cycle == 0.0);  // CALC: never stalls
  const auto user = load_scalesim_cfg(
      LOOM_TEST_DATA "/scalesim/scaleUSERbw10_ws_alexnet_part/scaleUSERbw10.cfg");
  CHECK(user.levels[0].bandwidth_bytes_per_cycle == 30.0);  // three 10-word interfaces
  const auto google = load_scalesim_cfg(LOOM_TEST_DATA "/scalesim/google_os_alexnet/google.cfg");
  CHECK(google.array.rows == 256);
  CHECK(google.levels[google.sram_level(Operand::ifmap)].size_bytes == 6144 * 1024);
}

TEST_CASE("scalesim cfg import names unknown keys and bad values with their line") {
  const std::string path = "/tmp/loom_test_bad.cfg";
  std::ofstream(path) << "[architecture_presets]\nArrayHeight: -3\nArrayWidht: 8\nDataflow: xs\n";
  try {
    (void)load_scalesim_cfg(path);
    FAIL("expected an error");
  } catch (const loom::Error& e) {
    const std::string msg = e.what();
    CHECK_THAT(msg, Catch::Contains(path + ":3 ArrayWidht: unknown SCALE-Sim key"));
    CHECK_THAT(msg, Catch::Contains(path + ":4 Dataflow: unknown dataflow 'xs'"));
  }
}

TEST_CASE("presets load and the default is listed") {
  bool found = false;
  for (const auto& p : preset_list()) {
    const auto a = load_accelerator(p.name);
    CHECK(a.name == p.name);
    found = found || p.name == kDefaultPreset;
  }
  CHECK(found);
}

TEST_CASE("per-PE levels come after every shared level") {
  CHECK_THAT(error_of(R"(name: t
clock_mhz: 200
dataflow: ws
pe_array: {rows: 12, cols: 14}
levels:
  - {name: dram, kind: dram}
  - {name: rf, kind: sram, size_kib: 0.5, per_pe: true}
  - {name: glb, kind: sram, size_kib: 108}
)"),
             Catch::Contains("per-PE level 'rf' must come after every shared level"));
  const auto a = parse_accelerator_yaml(R"(name: t
clock_mhz: 200
dataflow: ws
pe_array: {rows: 12, cols: 14}
levels:
  - {name: dram, kind: dram}
  - {name: glb, kind: sram, size_kib: 108}
  - {name: rf, kind: sram, size_kib: 0.5, per_pe: true}
)",
                                        "a.yaml");
  CHECK(a.levels[2].per_pe);
  CHECK_FALSE(a.levels[1].per_pe);
}

TEST_CASE("zero-gating and DRAM compression are off unless asked for") {
  const auto a = parse_accelerator_yaml(arch_with("", "", ""), "a.yaml");
  CHECK_FALSE(a.array.pe.zero_gating);
  CHECK(a.levels[0].compression == MemoryLevel::Compression::none);
}

TEST_CASE("accelerator yaml reads pe zero_gating and dram compression rlc") {
  const auto a = parse_accelerator_yaml(
      arch_with("pe: {zero_gating: true}\n", ", compression: rlc", ""), "a.yaml");
  CHECK(a.array.pe.zero_gating);
  CHECK(a.levels[0].compression == MemoryLevel::Compression::rlc);
  const auto n = parse_accelerator_yaml(arch_with("", ", compression: none", ""), "a.yaml");
  CHECK(n.levels[0].compression == MemoryLevel::Compression::none);
}

TEST_CASE("compression on an sram level, an unknown coding and a non-bool gating are errors") {
  const std::string msg = error_of(
      arch_with("pe: {zero_gating: yes please}\n", ", compression: zip", ", compression: rlc"));
  CHECK_THAT(msg, Catch::Contains("pe.zero_gating: expected true or false"));
  CHECK_THAT(msg, Catch::Contains(
                      "levels[0].compression: unknown value 'zip' (expected one of: none, rlc)"));
  CHECK_THAT(
      msg, Catch::Contains("a.yaml:8 levels[1].compression: only a dram level can be compressed"));
}
