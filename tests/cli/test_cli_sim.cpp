// SPDX-License-Identifier: Apache-2.0
// `loom sim` as a user runs it: layers through the SystemC arrays (systolic and row-stationary)
// with real tensors, every output checked, the simulated cycles and traffic beside the
// analytical model's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "cli/run_loom.hpp"
#include "core/csv.hpp"

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

}  // namespace

TEST_CASE("loom sim checks every output and matches the analytical cycles and traffic") {
  const auto dir = loom_test::scratch("sim_tiny");
  const auto net = write(dir, "tiny.yaml", kNet);
  for (const char* df : {"os", "ws", "is"}) {
    const auto out = dir / df;
    const auto p = loom_test::run_loom("sim --workload " + net.string() + " --dataflow " + df +
                                       " --batch 2 --budget 2000 --vcd " +
                                       (dir / (std::string(df) + ".vcd")).string() + " -o " +
                                       out.string());
    INFO(df << "\n" << p.output);
    REQUIRE(p.exit_code == 0);
    CHECK_THAT(p.output,
               Catch::Contains("3 layers: 0 mismatches, 0 with compute cycles differing"));
    const auto csv = loom::core::read_csv(out / "layers.csv");
    REQUIRE(csv.rows.size() == 3);
    const auto& head = csv.header.fields;
    for (const auto& row : csv.rows) {
      const auto col = [&](const std::string& name) {
        const auto it = std::find(head.begin(), head.end(), name);
        REQUIRE(it != head.end());
        return row.fields.at(static_cast<std::size_t>(it - head.begin()));
      };
      CHECK(col("mismatches") == "0");
      CHECK(std::stoll(col("elements_checked")) > 0);
      CHECK(col("compute_cycles") == col("analytical_compute_cycles"));
      CHECK(std::stoll(col("total_cycles")) >= std::stoll(col("compute_cycles")));
      CHECK(col("total_cycles") == col("analytical_total_cycles"));
      CHECK(std::stod(col("energy_pj")) > 0);
      // Array-edge traffic and what the controller moved to and from DRAM, element for
      // element.
      for (const char* n : {"sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes",
                            "sram_ofmap_reads", "dram_ifmap_reads", "dram_filter_reads",
                            "dram_ofmap_writes", "dram_ofmap_reads"})
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
                                     " --budget 2000 --vcd " + (dir / "rs.vcd").string() +
                                     " -o " + (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("3 layers: 0 mismatches, 0 with compute cycles differing"));
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  REQUIRE(csv.rows.size() == 3);
  const auto& head = csv.header.fields;
  for (const auto& row : csv.rows) {
    const auto col = [&](const std::string& name) {
      const auto it = std::find(head.begin(), head.end(), name);
      REQUIRE(it != head.end());
      return std::stoll(row.fields.at(static_cast<std::size_t>(it - head.begin())));
    };
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
  const auto q = loom_test::run_loom("sim --workload alexnet --layer conv1 --vcd /no/such/dir/t.vcd");
  CHECK(q.exit_code == 2);
  CHECK_THAT(q.output, Catch::Contains("/no/such/dir/t.vcd --vcd: cannot write the VCD trace file"));
  const auto r = loom_test::run_loom("sim --workload alexnet --data /no/such/file.h5");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("/no/such/file.h5: no such file"));
}
