// SPDX-License-Identifier: Apache-2.0
// `loom sim` as a user runs it: layers through the SystemC arrays (systolic and row-stationary)
// with real tensors, every output checked, the simulated cycles and traffic beside the
// analytical model's.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "cli/run_loom.hpp"
#include "common/residual_block.hpp"
#include "core/csv.hpp"
#include "sim/layer_data_h5.hpp"
#include "sim/tensor.hpp"

namespace {

const char* kNet = R"(name: tiny
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 12, R: 3, stride: 2, padding: 1}
  - {name: dw, op: conv, C: 8, M: 8, H: 6, R: 3, padding: 1, groups: 8}
  - {name: fc, op: fc, C: 8, H: 6, M: 10}
)";

std::filesystem::path write(const std::filesystem::path& dir, const char* name, const char* text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

// The value of column `name` in `row`; fails the test if the column is missing.
std::string cell(const loom::core::CsvTable& csv, const loom::core::CsvRow& row,
                 const std::string& name) {
  const auto& head = csv.header.fields;
  const auto it = std::find(head.begin(), head.end(), name);
  REQUIRE(it != head.end());
  return row.fields.at(static_cast<std::size_t>(it - head.begin()));
}

}  // namespace

TEST_CASE("loom sim checks every output and matches the analytical cycles and traffic") {
  const auto dir = loom_test::scratch("sim_tiny");
  const auto net = write(dir, "tiny.yaml", kNet);
  for (const char* df : {"os", "ws", "is"}) {
    const auto out = dir / df;
    const auto p =
        loom_test::run_loom("sim --schedule layerwise --workload " + net.string() + " --dataflow " +
                            df + " --batch 2 --budget 2000 --vcd " +
                            (dir / (std::string(df) + ".vcd")).string() + " -o " + out.string());
    INFO(df << "\n" << p.output);
    REQUIRE(p.exit_code == 0);
    CHECK_THAT(p.output,
               Catch::Contains("3 layers: 0 mismatches, 0 with compute cycles differing"));
    const auto csv = loom::core::read_csv(out / "layers.csv");
    REQUIRE(csv.rows.size() == 3);
    for (const auto& row : csv.rows) {
      const auto col = [&](const std::string& name) { return cell(csv, row, name); };
      CHECK(col("mismatches") == "0");
      CHECK(std::stoll(col("elements_checked")) > 0);
      CHECK(col("compute_cycles") == col("analytical_compute_cycles"));
      CHECK(std::stoll(col("total_cycles")) >= std::stoll(col("compute_cycles")));
      CHECK(col("total_cycles") == col("analytical_total_cycles"));
      CHECK(std::stod(col("energy_pj")) > 0);
      // Array-edge traffic and what the controller moved to and from DRAM, element for
      // element.
      for (const char* n :
           {"sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes", "sram_ofmap_reads",
            "dram_ifmap_reads", "dram_filter_reads", "dram_ofmap_writes", "dram_ofmap_reads"})
        CHECK(col(n) == col(std::string("analytical_") + n));
    }
    CHECK(std::filesystem::file_size(dir / (std::string(df) + ".vcd")) > 100);
  }
}

// The row-stationary array (Eyeriss preset) through the SystemC spatial module: outputs exact,
// compute cycles equal to the analytical model's, DRAM traffic never above the analysis (which
// refetches revisited windows), and the run bounded by compute and by the DRAM bus.
TEST_CASE("loom sim runs a row-stationary array with its DRAM channel") {
  const auto dir = loom_test::scratch("sim_rs");
  const auto net = write(dir, "tiny.yaml", kNet);
  const auto p = loom_test::run_loom("sim --arch eyeriss --workload " + net.string() +
                                     " --budget 2000 --vcd " + (dir / "rs.vcd").string() + " -o " +
                                     (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("3 layers: 0 mismatches, 0 with compute cycles differing"));
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  REQUIRE(csv.rows.size() == 3);
  for (const auto& row : csv.rows) {
    const auto col = [&](const std::string& name) { return std::stoll(cell(csv, row, name)); };
    CHECK(col("mismatches") == 0);
    CHECK(col("elements_checked") > 0);
    CHECK(col("compute_cycles") == col("analytical_compute_cycles"));
    CHECK(col("dram_ifmap_reads") <= col("analytical_dram_ifmap_reads"));
    CHECK(col("dram_filter_reads") <= col("analytical_dram_filter_reads"));
    CHECK(col("dram_ofmap_writes") == col("analytical_dram_ofmap_writes"));
    CHECK(col("total_cycles") >= col("compute_cycles"));
    CHECK(col("total_cycles") >= col("dram_busy_cycles"));
    CHECK(col("total_cycles") <= col("compute_cycles") + col("dram_busy_cycles"));
  }
  CHECK(std::filesystem::file_size(dir / "rs.vcd") > 100);
}

TEST_CASE("loom sim names what it does not simulate, exit 2") {
  const auto dir = loom_test::scratch("sim_reject");
  const auto fused = write(dir, "fused.yaml", R"(name: fused
clock_mhz: 1000
dataflow: ws
pe_array: {rows: 8, cols: 8}
pe: {weight_bits: 8, activation_bits: 8, accumulator_bits: 32, precision_scalable: true}
levels:
  - {name: dram, kind: dram}
  - {name: sram, kind: sram, size_kib: 64}
)");
  const auto f = loom_test::run_loom("sim --arch " + fused.string() + " --workload alexnet");
  CHECK(f.exit_code == 2);
  CHECK_THAT(f.output, Catch::Contains("pe.precision_scalable"));
  const auto coded = write(dir, "coded.yaml", R"(name: coded
clock_mhz: 1000
dataflow: ws
pe_array: {rows: 8, cols: 8}
levels:
  - {name: dram, kind: dram, compression: rlc}
  - {name: sram, kind: sram, size_kib: 64}
)");
  const auto c = loom_test::run_loom("sim --arch " + coded.string() + " --workload alexnet");
  CHECK(c.exit_code == 2);
  CHECK_THAT(c.output,
             Catch::Contains("levels.dram.compression") && Catch::Contains("moves tiles uncoded"));
  const auto q =
      loom_test::run_loom("sim --workload alexnet --layer conv1 --vcd /no/such/dir/t.vcd");
  CHECK(q.exit_code == 2);
  CHECK_THAT(q.output,
             Catch::Contains("/no/such/dir/t.vcd --vcd: cannot write the VCD trace file"));
  const auto r = loom_test::run_loom("sim --workload alexnet --data /no/such/file.h5");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("/no/such/file.h5: no such file"));
}

// SRAMs narrower than the array's edges: `loom run` reports the port stalls, `loom sim` runs
// the strided array and lands on the same cycles, stalls and traffic.
TEST_CASE("loom sim and loom run agree on the stalls of narrow SRAM ports") {
  const auto dir = loom_test::scratch("sim_ports");
  const auto net = write(dir, "tiny.yaml", kNet);
  const auto arch = write(dir, "narrow.yaml", R"(name: narrow
clock_mhz: 1000
dataflow: ws
pe_array: {rows: 8, cols: 8}
levels:
  - {name: dram, kind: dram, bandwidth_gb_per_s: 8}
  - {name: ifmap_sram, kind: sram, holds: [ifmap], size_kib: 16, word_bits: 16, banks: 1, ports: 1}
  - {name: filter_sram, kind: sram, holds: [filter], size_kib: 16, word_bits: 64, banks: 1, ports: 1}
  - {name: ofmap_sram, kind: sram, holds: [ofmap], size_kib: 16, word_bits: 128, banks: 2, ports: 1}
)");
  const auto p =
      loom_test::run_loom("sim --schedule layerwise --arch " + arch.string() + " --workload " +
                          net.string() + " --budget 2000 -o " + (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("; port stalls "));
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  REQUIRE(csv.rows.size() == 3);
  for (const auto& row : csv.rows) {
    const auto col = [&](const std::string& name) { return cell(csv, row, name); };
    CHECK(col("mismatches") == "0");
    // 8 int8 a cycle through a 16-bit port: a step every 4 cycles. The convolutions stream
    // many pixels per fold and stall; the FC layer's one-pixel folds wait for their 8-cycle
    // weight preloads anyway.
    if (col("layer") == "fc")
      CHECK(col("port_stall_cycles") == "0");
    else
      CHECK(std::stoll(col("port_stall_cycles")) > 0);
    CHECK(col("port_stall_cycles") == col("analytical_port_stall_cycles"));
    CHECK(col("compute_cycles") == col("analytical_compute_cycles"));
    CHECK(col("total_cycles") == col("analytical_total_cycles"));
  }
  // A spatial array's SRAM ports set its analytical bandwidth, which the simulator does not
  // model: refused, naming the level.
  const auto rs = write(dir, "rs.yaml", R"(name: rs_ports
clock_mhz: 200
dataflow: rs
pe_array: {rows: 4, cols: 4}
levels:
  - {name: dram, kind: dram}
  - {name: glb, kind: sram, size_kib: 64, word_bits: 64, ports: 1}
  - {name: noc, kind: noc}
  - {name: rf, kind: sram, size_kib: 0.5, per_pe: true}
)");
  const auto q = loom_test::run_loom("sim --arch " + rs.string() + " --workload " + net.string());
  CHECK(q.exit_code == 2);
  CHECK_THAT(q.output, Catch::Contains("levels.glb") && Catch::Contains("unlimited ports"));
}

// Sparse inputs on Eyeriss (zero-gating, RLC on DRAM): the random data carries the layer's
// declared ifmap density, and the simulated run gates exactly the MACs whose ifmap value is
// zero in that data.
TEST_CASE("loom sim gates the zero ifmap values of its data") {
  const auto dir = loom_test::scratch("sim_sparse");
  const auto net = write(dir, "sparse.yaml", R"(name: sparse
layers:
  - {name: c1, op: conv, C: 16, M: 8, H: 20, R: 3, padding: 1, ifmap_density: 0.4}
  - {name: c2, op: conv, inputs: [], C: 8, M: 8, H: 10, R: 3, padding: 1}
)");
  const auto p = loom_test::run_loom("sim --arch eyeriss --workload " + net.string() +
                                     " --budget 2000 -o " + (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  REQUIRE(csv.rows.size() == 2);
  const auto col = [&](std::size_t r, const std::string& name) {
    return std::stod(cell(csv, csv.rows[r], name));
  };
  // c1: 60% of the 6,400 values are zero (drawn: 0.6 +- 0.006), so about 60% of the MACs that
  // read a value are gated. A 3x3 window with padding 1 over a 20x20 input reads
  // (18 x 3 + 2 x 2)^2 = 3,364 in-image taps per channel and filter.
  CHECK(col(0, "mismatches") == 0);
  CHECK(col(0, "gated_macs") == col(0, "zero_ifmap_macs"));
  const double in_bounds = 16.0 * 8 * 3364;
  CHECK(col(0, "zero_ifmap_macs") / in_bounds == Approx(0.6).margin(0.03));
  // c2 is dense: nothing gated.
  CHECK(col(1, "zero_ifmap_macs") == 0);
  CHECK(col(1, "gated_macs") == 0);
}

TEST_CASE("loom sim refuses --data values outside the layer's bit width, exit 2") {
  const auto dir = loom_test::scratch("sim_data_bits");
  const auto net = write(dir, "one.yaml", R"(name: one
precision: {weight_bits: 4, activation_bits: 8}
layers:
  - {name: c1, op: conv, C: 2, M: 4, H: 6, R: 3}
)");
  loom::workloads::LayerShape s;
  s.N = 1, s.C = 2, s.M = 4, s.H = s.W = 6, s.R = s.S = 3, s.P = s.Q = 4;
  auto data = loom::sim::random_layer_data(s, 8, 4, 1, 1.0);
  const auto h5 = dir / "data.h5";
  loom::sim::save_layer_data(h5, "c1", data);
  const std::string args =
      "sim --workload " + net.string() + " --data " + h5.string() + " -o " + (dir / "out").string();
  const auto ok = loom_test::run_loom(args);
  INFO(ok.output);
  REQUIRE(ok.exit_code == 0);
  data.weights.data[5] = 8;  // 4-bit weights hold -8 .. 7
  loom::sim::save_layer_data(h5, "c1", data);
  const auto p = loom_test::run_loom(args);
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::Contains("loom: error: " + h5.string() +
                                       " /c1/weights: value 8 at index 5 does not fit the "
                                       "layer's 4 bits (expected -8 to 7)"));
}

TEST_CASE("loom sim refuses a layer too large to simulate, unless --max-pe-cycles raises it") {
  const auto dir = loom_test::scratch("sim_size_limit");
  // Runs `loom args`; requires exit 2 and one line: `expected` then the limit's tail.
  const auto refused = [](const std::string& args, const std::string& expected) {
    const auto p = loom_test::run_loom(args);
    INFO(p.output);
    CHECK(p.exit_code == 2);
    CHECK_THAT(p.output, Catch::StartsWith("loom: error: " + expected) &&
                             Catch::EndsWith(" PE-cycles per layer (the simulator clocks 12-148 "
                                             "million a second); raise the limit with "
                                             "--max-pe-cycles N\n"));
  };
  // 2^31 - 1 filters of 1024 inputs: 2.2e12 MACs, days of simulation. Refused before the mapper.
  const auto big = write(dir, "big.yaml",
                         "name: big\nlayers:\n  - {name: fc1, op: fc, C: 1024, M: 2147483647}\n");
  refused("sim --workload " + big.string(),
          "layer 'fc1': simulating it would take at least 2.2e+12 PE-cycles (its 2199023254528 "
          "MACs), more than the limit of 10000000000");

  // A layer of 1152 MACs mapped to 127 cycles on the 32x32 array: 130,048 PE-cycles.
  const auto one = write(dir, "one.yaml",
                         "name: one\nlayers:\n  - {name: c1, op: conv, C: 2, M: 4, H: 6, R: 3}\n");
  const std::string sim = "sim --workload " + one.string() + " -o " + (dir / "out").string();
  refused(sim + " --max-pe-cycles 1000",
          "layer 'c1': simulating it would take at least 1.15e+03 PE-cycles (its 1152 MACs), more "
          "than the limit of 1000");
  refused(sim + " --max-pe-cycles 130047",
          "layer 'c1': simulating it would take about 1.3e+05 PE-cycles (127 cycles on the 32x32 "
          "array), more than the limit of 130047");
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "layers.csv"));  // refused before it ran
  const auto enough = loom_test::run_loom(sim + " --max-pe-cycles 130048");
  INFO(enough.output);
  CHECK(enough.exit_code == 0);
  CHECK_THAT(enough.output, Catch::Contains("c1: 127 cycles"));
  for (const char* bad : {"0", "-5", "1e10"})
    CHECK(loom_test::run_loom(sim + " --max-pe-cycles " + bad).exit_code == 2);
}

TEST_CASE("loom sim --group runs two convolutions fused, equal to the golden chain and the model") {
  const auto dir = loom_test::scratch("sim_group");
  const auto net = write(dir, "tiny.yaml", kNet);
  for (const char* halo : {"cache", "recompute"}) {
    const auto p = loom_test::run_loom("sim --workload " + net.string() +
                                       " --group c1..dw --tile-rows 2 --batch 2 --budget 2000 "
                                       "--halo " +
                                       halo);
    INFO(halo << "\n" << p.output);
    CHECK(p.exit_code == 0);  // 1 on a mismatch or a figure unequal to the analytical one
    CHECK_THAT(p.output, Catch::Contains("group c1..dw (2 layers): 3 tiles"));
    CHECK_THAT(p.output, Catch::Contains(" 0 mismatches"));
  }
  const auto bad = loom_test::run_loom("sim --workload " + net.string() + " --group c1..fc");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("fc: only convolutions run fused here"));
}

// The whole network under the graph schedule (the accelerator's default): resident tensors and a
// fused group, every output checked, the reports carrying loom run's schedule block.
TEST_CASE("loom sim runs the graph schedule by default and reports it as loom run does") {
  const auto dir = loom_test::scratch("sim_graph");
  std::ofstream(dir / "net.yaml") << loom_test::kResidualBlock;
  std::ofstream(dir / "arch.yaml") << loom_test::small_ws_yaml(32);
  const auto p = loom_test::run_loom("sim --arch " + (dir / "arch.yaml").string() + " --workload " +
                                     (dir / "net.yaml").string() + " --budget 1000 -o " +
                                     (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("schedule graph: ") &&
                           Catch::Contains("group 1: c1..c2, 32 rows per tile, recompute halo") &&
                           Catch::Contains("c3 [input on chip, output on chip]") &&
                           Catch::Contains("5 layers: 0 mismatches"));
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  REQUIRE(csv.rows.size() == 5);
  for (const auto& row : csv.rows) {
    const auto col = [&](const std::string& name) { return cell(csv, row, name); };
    CHECK(col("mismatches") == "0");
    CHECK(col("group") == (col("layer") == "c1" || col("layer") == "c2" ? "1" : "0"));
  }
  std::ifstream in(dir / "out" / "summary.json");
  const std::string summary{std::istreambuf_iterator<char>(in), {}};
  CHECK_THAT(summary, Catch::Contains("\"schedule\": {") &&
                          Catch::Contains("\"residency_level\": \"ifmap_sram\"") &&
                          Catch::Contains("\"groups\": ["));
}
