// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <array>
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
  CHECK_THAT(msg, Catch::Contains("a.yaml:3 dataflow: unknown value 'rs2' (expected one of: os, "
                                  "ws, is, spatial, rs, spatial_ws, spatial_os, nlr)"));
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
dataflow: spatial
pe_array: {rows: 12, cols: 14}
levels:
  - {name: dram, kind: dram}
  - {name: rf, kind: sram, size_kib: 0.5, per_pe: true}
  - {name: glb, kind: sram, size_kib: 108}
)"),
             Catch::Contains("per-PE level 'rf' must come after every shared level"));
  const auto a = parse_accelerator_yaml(R"(name: t
clock_mhz: 200
dataflow: spatial
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

TEST_CASE("spatial-array levels: noc placement, sliding windows, groups and psum width") {
  const std::string base = R"(name: t
clock_mhz: 200
technology_nm: 65
dataflow: rs
pe_array: {rows: 12, cols: 14}
pe: {weight_bits: 16, activation_bits: 16, accumulator_bits: 32, psum_bits: 16}
levels:
  - {name: dram, kind: dram}
  - {name: glb, kind: sram, holds: [ifmap, ofmap], size_kib: 100}
  - {name: noc, kind: noc}
  - {name: spad, kind: sram, holds: [ifmap, filter, ofmap], size_kib: 0.5, per_pe: true, sliding_window: true, group: rf}
)";
  const auto a = parse_accelerator_yaml(base, "a.yaml");
  CHECK(a.technology_nm == 65);
  CHECK(a.dataflow == Dataflow::rs);
  CHECK(a.array.pe.psum_bits == 16);
  CHECK(a.levels[2].kind == LevelKind::noc);
  CHECK(a.levels[2].holds == std::array<bool, 3>{false, false, false});
  CHECK(a.levels[3].sliding_window);
  CHECK(a.levels[3].group == "rf");
  CHECK_FALSE(is_systolic(a.dataflow));
  CHECK(is_systolic(Dataflow::ws));
  CHECK(dataflow_info(Dataflow::nlr).name == "nlr");

  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  // A noc between the per-PE levels, one that holds data, two of them, one in a systolic array.
  CHECK_THAT(error_of(replaced("  - {name: noc, kind: noc}\n", "") +
                      "  - {name: noc, kind: noc}\n"),
             Catch::Contains("noc level 'noc' must sit between the last shared buffer and the "
                             "per-PE levels"));
  CHECK_THAT(error_of(replaced("{name: noc, kind: noc}", "{name: noc, kind: noc, size_kib: 1}")),
             Catch::Contains("a.yaml:10 levels[2].size_kib: a noc level stores nothing"));
  CHECK_THAT(error_of(replaced("{name: noc, kind: noc}",
                               "{name: noc, kind: noc}\n  - {name: noc2, kind: noc}")),
             Catch::Contains("expected at most one level of kind noc, got 2"));
  CHECK_THAT(error_of(replaced("dataflow: rs", "dataflow: ws")),
             Catch::Contains("level 'noc' is a noc: a systolic array (dataflow ws)"));
  CHECK_THAT(error_of(replaced("technology_nm: 65", "technology_nm: 5")),
             Catch::Contains("technology_nm: expected an integer >= 7 and <= 180, got 5"));
  CHECK_THAT(error_of(replaced("technology_nm: 65", "technology_nm: 50")),
             Catch::Contains("a.yaml:3 technology_nm: expected one of 180, 130, 90, 65, 45, 32, "
                             "28, 22, 20, 16, 14, 10, 7 (the nodes with energy and area tables), "
                             "got 50"));
  CHECK_THAT(error_of(replaced("group: rf", "group: Rf")),
             Catch::Contains("group: expected a lower-case identifier"));
  CHECK_THAT(error_of(replaced("psum_bits: 16", "psum_bits: 0")),
             Catch::Contains("a.yaml:6 pe.psum_bits: expected an integer > 0 and <= 64, got 0"));
}

TEST_CASE("the Eyeriss presets describe the chip and the ISCA'16 equal-area designs") {
  const auto e = load_accelerator("eyeriss");
  CHECK(e.array.pes() == 168);
  CHECK(e.clock_hz == 200e6);
  CHECK(e.technology_nm == 65);
  std::vector<std::string> names;
  for (const auto& l : e.levels) names.push_back(l.name);
  CHECK(names == std::vector<std::string>{"dram", "glb", "noc", "filter_spad", "psum_spad",
                                          "ifmap_spad"});
  // Scratchpads of 224, 24 and 12 16-bit words; 108 kB of global buffer.
  CHECK(e.levels[3].size_bytes == 224 * 2);
  CHECK(e.levels[4].size_bytes == 24 * 2);
  CHECK(e.levels[5].size_bytes == 12 * 2);
  CHECK(e.levels[1].size_bytes == 108000);
  CHECK(e.levels[0].bandwidth_bytes_per_cycle == Approx(8.0 * 90.0 / 200.0));  // 64 b at 90 MHz
  // Equal storage: 256 PEs x 512 B of RF plus a 128 KiB buffer, or all 256 KiB in the buffer.
  for (const char* p : {"isca16_rs_256", "isca16_spatial_ws_256", "isca16_spatial_os_256",
                        "isca16_nlr_256"}) {
    INFO(p);
    const auto a = load_accelerator(p);
    CHECK(a.array.pes() == 256);
    std::int64_t bytes = 0;
    for (const auto& l : a.levels) bytes += l.per_pe ? l.size_bytes * a.array.pes() : l.size_bytes;
    CHECK(bytes == 256 * 1024);
  }
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
                      "levels[0].compression: unknown value 'zip' (expected one of: none, rlc, "
                      "bitmask)"));
  CHECK_THAT(
      msg, Catch::Contains("a.yaml:8 levels[1].compression: only a dram level can be compressed"));
}

TEST_CASE("accelerator yaml reads a precision-scalable, zero-skipping pe and bitmask dram") {
  const auto a = parse_accelerator_yaml(
      arch_with("pe: {precision_scalable: true, fusion_bits: 4, zero_skipping: true, "
                "skip_lanes: 8, skip_window: 32}\n",
                ", compression: bitmask", ""),
      "a.yaml");
  CHECK(a.array.pe.precision_scalable);
  CHECK(a.array.pe.fusion_bits == 4);
  CHECK(a.array.pe.zero_skipping);
  CHECK(a.array.pe.skip_lanes == 8);
  CHECK(a.array.pe.skip_window == 32);
  CHECK(a.levels[0].compression == MemoryLevel::Compression::bitmask);
  // Defaults: Bit Fusion's 2-bit bricks, Cnvlutin's 16 lanes of 16-operand bricks.
  const auto d = parse_accelerator_yaml(
      arch_with("pe: {precision_scalable: true, zero_skipping: true}\n", "", ""), "a.yaml");
  CHECK(d.array.pe.fusion_bits == 2);
  CHECK(d.array.pe.skip_lanes == 16);
  CHECK(d.array.pe.skip_window == 16);
  const auto off = parse_accelerator_yaml(arch_with("", "", ""), "a.yaml");
  CHECK_FALSE(off.array.pe.precision_scalable);
  CHECK_FALSE(off.array.pe.zero_skipping);
}

TEST_CASE("fusion and skipping keys without their switch, and widths bricks cannot form, are errors") {
  std::string msg = error_of(arch_with("pe: {fusion_bits: 2, skip_window: 8}\n", "", ""));
  CHECK_THAT(msg, Catch::Contains("pe.fusion_bits: only meaningful with precision_scalable: true"));
  CHECK_THAT(msg, Catch::Contains("pe.skip_window: only meaningful with zero_skipping: true"));
  msg = error_of(arch_with("pe: {precision_scalable: true, weight_bits: 6}\n", "", ""));
  CHECK_THAT(msg, Catch::Contains("pe.weight_bits: a precision-scalable PE needs fusion_bits (2) "
                                  "times a power of two, got 6"));
  msg = error_of("name: t\nclock_mhz: 200\ndataflow: ws\ncompat: scalesim\n"
                 "pe_array: {rows: 4, cols: 4}\npe: {precision_scalable: true}\nlevels:\n"
                 "  - {name: dram, kind: dram}\n  - {name: glb, kind: sram, size_kib: 64}\n");
  CHECK_THAT(msg, Catch::Contains("compat: scalesim models SCALE-Sim's fixed-width PE"));
  msg = error_of("name: t\nclock_mhz: 200\ndataflow: ws\ncompat: scalesim\n"
                 "pe_array: {rows: 4, cols: 4}\npe: {zero_skipping: true}\nlevels:\n"
                 "  - {name: dram, kind: dram}\n  - {name: glb, kind: sram, size_kib: 64}\n");
  CHECK_THAT(msg, Catch::Contains("zero_skipping needs compat: none"));
}

TEST_CASE("sram ports: absent means unlimited, set gives ports x banks x word_bits") {
  auto a = parse_accelerator_yaml(arch_with("", "", ", word_bits: 64, banks: 4"), "a.yaml");
  CHECK(a.levels[1].ports == 0);
  CHECK(a.levels[1].bandwidth_bytes_per_cycle == 0);
  a = parse_accelerator_yaml(arch_with("", "", ", word_bits: 64, banks: 4, ports: 2"), "a.yaml");
  CHECK(a.levels[1].ports == 2);
  CHECK(a.levels[1].bandwidth_bytes_per_cycle == Approx(64.0));  // 2 x 4 x 64 bits
}

TEST_CASE("ports on a dram, zero ports, and a systolic sram's bandwidth are errors with reasons") {
  CHECK_THAT(error_of(arch_with("", ", ports: 1", "")),
             Catch::Contains("a.yaml") && Catch::Contains("ports") &&
                 Catch::Contains("only an sram level has ports"));
  CHECK_THAT(error_of(arch_with("", "", ", ports: 0")),
             Catch::Contains("ports") && Catch::Contains("expected an integer > 0 and <= 64, got 0"));
  CHECK_THAT(error_of(arch_with("", "", ", ports: 1, bandwidth_gb_per_s: 4")),
             Catch::Contains("give one of the two"));
  // The array is os (systolic): an SRAM bandwidth it would ignore is refused.
  CHECK_THAT(error_of(arch_with("", "", ", bandwidth_gb_per_s: 4")),
             Catch::Contains("bandwidth_gb_per_s") &&
                 Catch::Contains("limited by its ports"));
}

TEST_CASE("product_shift: read for a spatial array, refused on a systolic one or past the product") {
  const std::string rs = R"(name: t
clock_mhz: 200
dataflow: rs
pe_array: {rows: 4, cols: 4}
pe: {weight_bits: 16, activation_bits: 16, psum_bits: 16, product_shift: 8}
levels:
  - {name: dram, kind: dram}
  - {name: glb, kind: sram, size_kib: 64}
  - {name: noc, kind: noc}
  - {name: rf, kind: sram, size_kib: 0.5, per_pe: true}
)";
  CHECK(parse_accelerator_yaml(rs, "a.yaml").array.pe.product_shift == 8);
  CHECK_THAT(error_of(arch_with("pe: {product_shift: 4}\n", "", "")),
             Catch::Contains("pe") && Catch::Contains("systolic array accumulates whole products"));
  std::string too_far = rs;
  too_far.replace(too_far.find("product_shift: 8"), 16, "product_shift: 32");
  CHECK_THAT(error_of(too_far), Catch::Contains("product_shift") &&
                                    Catch::Contains("less than weight_bits + activation_bits = 32"));
}

// Issue 15: physical quantities that used to overflow cycle counts (-7.3e18 cycles) or print as
// null in summary.json are refused at load time with their documented range.
TEST_CASE("accelerator yaml: clock, bandwidth, latency and size outside their ranges are refused") {
  const auto with = [](const std::string& from, const std::string& to) {
    std::string y = kGood;
    y.replace(y.find(from), from.size(), to);
    return error_of(y);
  };
  CHECK(with("bandwidth_gb_per_s: 8", "bandwidth_gb_per_s: 1e-15") ==
        "a.yaml:6 levels[0].bandwidth_gb_per_s: expected a number from 0.001 to 1000000, got "
        "'1e-15'");
  CHECK_THAT(with("bandwidth_gb_per_s: 8", "bandwidth_gb_per_s: 8, latency_ns: 1e18"),
             Catch::Contains("levels[0].latency_ns: expected a number from 0 to 1000000"));
  for (const char* clock : {"1e308", "5e-324", "inf", ".inf", "nan"})
    CHECK_THAT(with("clock_mhz: 500", std::string("clock_mhz: ") + clock),
               Catch::Contains("a.yaml:2 clock_mhz: expected a number from 0.001 to 100000"));
  CHECK(with("size_kib: 64", "size_kib: 1e18") ==
        "a.yaml:7 levels[1].size_kib: expected a number from 0.0009765625 to 1073741824, got "
        "'1e18'");
}

TEST_CASE("accelerator yaml: a key given twice in one map is an error naming both lines") {
  std::string y = kGood;
  y.replace(y.find("clock_mhz: 500"), 14, "clock_mhz: 500\nclock_mhz: 900");
  CHECK(error_of(y) == "a.yaml:3 clock_mhz: duplicate key (YAML allows each key once per map)");
  y = kGood;
  y.replace(y.find("size_kib: 64"), 12, "size_kib: 64, size_kib: 32");
  CHECK_THAT(error_of(y), Catch::Contains("a.yaml:7 size_kib: duplicate key"));
}

TEST_CASE("scalesim cfg: duplicate keys and values beyond the documented bounds are refused") {
  const std::string path = "/tmp/loom_test_huge.cfg";
  std::ofstream(path) << "[architecture_presets]\nArrayHeight: 8\nArrayWidth: 9223372036854775807\n"
                         "IfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\n"
                         "Dataflow: os\nArrayHeight: 16\n";
  try {
    (void)load_scalesim_cfg(path);
    FAIL("expected an error");
  } catch (const loom::Error& e) {
    const std::string msg = e.what();
    CHECK_THAT(msg,
               Catch::Contains(path + ":8 ArrayHeight: duplicate key (first given on line 2)"));
    CHECK_THAT(msg, Catch::Contains(path + ":3 arraywidth: expected an integer > 0 and <= 65536, "
                                           "got '9223372036854775807'"));
  }
  CHECK_THROWS_WITH(load_scalesim_cfg("/dev/zero"), Catch::Contains("is not a regular file"));
}

TEST_CASE("accelerator yaml reads static_power overrides and names a bad one") {
  const auto none = parse_accelerator_yaml(kGood, "a.yaml");
  CHECK_FALSE(none.static_power.pe_leakage_uw);
  CHECK_FALSE(none.static_power.clock_pj_per_pe_cycle);
  const auto a =
      parse_accelerator_yaml(std::string(kGood) +
                                 "static_power: {pe_leakage_uw: 12.5, sram_leakage_uw_per_kib: 0, "
                                 "clock_pj_per_pe_cycle: 0.4}\n",
                             "a.yaml");
  CHECK(*a.static_power.pe_leakage_uw == 12.5);
  CHECK(*a.static_power.sram_leakage_uw_per_kib == 0.0);
  CHECK(*a.static_power.clock_pj_per_pe_cycle == 0.4);
  CHECK_THAT(error_of(std::string(kGood) + "static_power: {clock_pj: 2}\n"),
             Catch::Contains("a.yaml:8 static_power.clock_pj: unknown key"));
  CHECK_THAT(error_of(std::string(kGood) + "static_power: {pe_leakage_uw: -1}\n"),
             Catch::Contains("a.yaml:8 static_power.pe_leakage_uw: expected a number from 0 to "
                             "1000000, got '-1'"));
}

TEST_CASE("spatial microarchitecture keys: ideal defaults, read where they belong") {
  const std::string head = R"(name: t
clock_mhz: 200
dataflow: rs
pe_array: {rows: 12, cols: 14}
)";
  const auto levels = [](const std::string& noc, const std::string& spad) {
    return "levels:\n  - {name: dram, kind: dram}\n"
           "  - {name: glb, kind: sram, holds: [ifmap, ofmap], size_kib: 100}\n"
           "  - {name: noc, kind: noc" +
           noc + "}\n  - {name: spad, kind: sram, size_kib: 0.5, per_pe: true" + spad + "}\n";
  };
  const auto ideal = parse_accelerator_yaml(head + levels("", ""), "a.yaml");
  CHECK(ideal.array.pe.pipeline_stages == 1);
  CHECK(ideal.levels[2].bus_bits == std::array<int, 3>{0, 0, 0});
  CHECK(ideal.levels[2].pass_setup_cycles == 0);
  CHECK_FALSE(ideal.levels[3].single_port);
  const auto a = parse_accelerator_yaml(
      head + "pe: {pipeline_stages: 2}\n" +
          levels(", ifmap_bus_bits: 64, filter_bus_bits: 32, psum_bus_bits: 16, "
                 "layer_setup_cycles: 1794, pass_setup_cycles: 4, psum_hop_cycles: 1, "
                 "psum_accumulate_cycles: 2",
                 ", single_port: true"),
      "a.yaml");
  CHECK(a.array.pe.pipeline_stages == 2);
  CHECK(a.levels[2].bus_bits == std::array<int, 3>{64, 32, 16});
  CHECK(a.levels[2].layer_setup_cycles == 1794);
  CHECK(a.levels[2].pass_setup_cycles == 4);
  CHECK(a.levels[2].psum_hop_cycles == 1);
  CHECK(a.levels[2].psum_accumulate_cycles == 2);
  CHECK(a.levels[3].single_port);
  CHECK_THAT(error_of(head + levels("", ", ifmap_bus_bits: 64")),
             Catch::Contains("only the noc level has buses"));
  CHECK_THAT(error_of(head + levels("", ", psum_hop_cycles: 1")),
             Catch::Contains("only the noc level sets up passes"));
  CHECK_THAT(error_of(R"(name: t
clock_mhz: 200
dataflow: rs
pe_array: {rows: 12, cols: 14}
levels:
  - {name: dram, kind: dram}
  - {name: glb, kind: sram, size_kib: 100, single_port: true}
  - {name: spad, kind: sram, size_kib: 0.5, per_pe: true}
)"),
             Catch::Contains("only a per-PE level"));
  CHECK_THAT(error_of(arch_with("pe: {pipeline_stages: 3}\n", "", "")),
             Catch::Contains("pipeline_stages models a spatial array"));

  // GLB banks: interleaved by default; blocked needs ports and a shared level of a spatial
  // array.
  CHECK(ideal.levels[1].bank_layout == MemoryLevel::BankLayout::interleaved);
  const std::string blocked = R"(name: t
clock_mhz: 200
dataflow: rs
pe_array: {rows: 12, cols: 14}
levels:
  - {name: dram, kind: dram}
  - {name: glb, kind: sram, size_kib: 100, banks: 27, ports: 1, bank_layout: blocked}
  - {name: spad, kind: sram, size_kib: 0.5, per_pe: true}
)";
  CHECK(parse_accelerator_yaml(blocked, "a.yaml").levels[1].bank_layout ==
        MemoryLevel::BankLayout::blocked);
  std::string no_ports = blocked;
  no_ports.replace(no_ports.find("ports: 1, "), 10, "");
  CHECK_THAT(error_of(no_ports), Catch::Contains("blocked banks need ports"));
  CHECK_THAT(error_of(arch_with("", "", ", ports: 1, bank_layout: blocked")),
             Catch::Contains("only a shared sram level feeding a spatial array"));
  CHECK_THAT(error_of(blocked + "    \n" +
                      "  - {name: x, kind: sram, size_kib: 0.5, per_pe: "
                      "true, ports: 1, bank_layout: blocked}\n"),
             Catch::Contains("only a shared sram level"));
  CHECK_THAT(error_of(arch_with("", "", ", ports: 1, bank_layout: striped")),
             Catch::Contains("interleaved, blocked"));
}

TEST_CASE("accelerator yaml: stationary_preload is a ws/is systolic array's, shadow by default") {
  const auto ws = [](const std::string& pe, const std::string& extra = "") {
    return "name: t\nclock_mhz: 200\ndataflow: ws\npe_array: {rows: 4, cols: 4}\n" + extra + pe +
           "levels:\n  - {name: dram, kind: dram}\n  - {name: glb, kind: sram, size_kib: 64}\n";
  };
  CHECK(parse_accelerator_yaml(ws(""), "a.yaml").array.pe.stationary_preload ==
        PeSpec::Preload::shadow);
  CHECK(parse_accelerator_yaml(ws("pe: {stationary_preload: stall}\n"), "a.yaml")
            .array.pe.stationary_preload == PeSpec::Preload::stall);
  CHECK_THAT(error_of(ws("pe: {stationary_preload: stall}\n", "compat: scalesim\n")),
             Catch::Contains("stationary_preload: stall models"));
  CHECK_THAT(error_of(arch_with("pe: {stationary_preload: stall}\n", "", "")),
             Catch::Contains("stationary_preload: stall models"));
  CHECK_THAT(error_of(ws("pe: {stationary_preload: double}\n")), Catch::Contains("shadow, stall"));
}

TEST_CASE("accelerator yaml: a dram level's device timing is read in cycles, others refuse it") {
  std::string y = kGood;
  const std::string from = "bandwidth_gb_per_s: 8";
  y.replace(y.find(from), from.size(),
            "bandwidth_gb_per_s: 8, burst_bytes: 32, row_bytes: 2048, row_miss_ns: 36, "
            "activate_ns: 10, turnaround_ns: 21");
  const auto t = parse_accelerator_yaml(y, "a.yaml").levels[0].dram_timing;
  // 500 MHz: 36 ns = 18 cycles, 10 ns = 5, 21 ns rounds up to 11.
  CHECK(t.burst_bytes == 32);
  CHECK(t.row_bytes == 2048);
  CHECK(t.row_miss_cycles == 18);
  CHECK(t.activate_cycles == 5);
  CHECK(t.turnaround_cycles == 11);
  CHECK(parse_accelerator_yaml(kGood, "a.yaml").levels[0].dram_timing.ideal());
  std::string on_sram = kGood;
  on_sram.replace(on_sram.find("size_kib: 64"), 12, "size_kib: 64, burst_bytes: 32");
  CHECK_THAT(error_of(on_sram), Catch::Contains("burst_bytes: only a dram level"));
  std::string no_row = kGood;
  no_row.replace(no_row.find(from), from.size(), from + ", row_miss_ns: 36");
  CHECK_THAT(error_of(no_row), Catch::Contains("row_miss_ns: needs row_bytes"));
}
