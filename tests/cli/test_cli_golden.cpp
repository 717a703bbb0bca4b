// SPDX-License-Identifier: Apache-2.0
// End to end: `loom run --arch <SCALE-Sim .cfg> --workload <its topology>` writes a layers.csv
// whose cycles and SRAM counts equal SCALE-Sim v2's reports exactly and whose utilizations agree
// to 0.01 percentage points (tests/data/scalesim: real SCALE-Sim runs, CALC bandwidth).
#include <catch2/catch.hpp>

#include "cli/run_loom.hpp"
#include "core/csv.hpp"

namespace {

double cell(const loom::core::CsvTable& t, std::size_t row, const std::string& column) {
  for (std::size_t i = 0; i < t.header.fields.size(); ++i)
    if (t.header.fields[i] == column) return std::stod(t.rows.at(row).fields.at(i));
  FAIL("no column '" << column << "' in " << t.file);
  return 0;
}

void check(const std::string& folder, const std::string& cfg, const std::string& topo) {
  const std::string dir = std::string(LOOM_TEST_DATA) + "/scalesim/" + folder + "/";
  const auto out = loom_test::scratch(folder);
  const auto p = loom_test::run_loom("run -q --arch " + dir + cfg + " --workload " + dir + topo +
                                     " -o " + out.string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  const auto loom = loom::core::read_csv(out / "layers.csv");
  const auto comp = loom::core::read_csv(dir + "COMPUTE_REPORT.csv");
  const auto acc = loom::core::read_csv(dir + "DETAILED_ACCESS_REPORT.csv");
  REQUIRE(loom.rows.size() == comp.rows.size());
  for (std::size_t i = 0; i < loom.rows.size(); ++i) {
    INFO(folder << " row " << i);
    CHECK(cell(loom, i, "total_cycles") == cell(comp, i, "Total Cycles"));
    CHECK(cell(loom, i, "stall_cycles") == cell(comp, i, "Stall Cycles"));
    CHECK(cell(loom, i, "compute_cycles") == cell(comp, i, "Total Cycles"));
    CHECK(cell(loom, i, "overall_util_pct") == Approx(cell(comp, i, "Overall Util %")).margin(0.01));
    CHECK(cell(loom, i, "mapping_efficiency_pct") ==
          Approx(cell(comp, i, "Mapping Efficiency %")).margin(0.01));
    CHECK(cell(loom, i, "compute_util_pct") == Approx(cell(comp, i, "Compute Util %")).margin(0.01));
    CHECK(cell(loom, i, "sram_ifmap_reads") == cell(acc, i, "SRAM IFMAP Reads"));
    CHECK(cell(loom, i, "sram_filter_reads") == cell(acc, i, "SRAM Filter Reads"));
    CHECK(cell(loom, i, "sram_ofmap_writes") == cell(acc, i, "SRAM OFMAP Writes"));
  }
}

}  // namespace

TEST_CASE("loom run reproduces SCALE-Sim os on AlexNet from its own cfg and csv") {
  check("scale_os_alexnet", "scale.cfg", "alexnet.csv");
}
TEST_CASE("loom run reproduces SCALE-Sim ws on AlexNet from its own cfg and csv") {
  check("scale_ws_alexnet", "scale.cfg", "alexnet.csv");
}
TEST_CASE("loom run reproduces SCALE-Sim is on AlexNet from its own cfg and csv") {
  check("scale_is_alexnet", "scale.cfg", "alexnet.csv");
}
TEST_CASE("loom run reproduces SCALE-Sim on a 256x256 array and GEMM inputs") {
  check("google_os_alexnet", "google.cfg", "alexnet.csv");
  check("scale_os_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
  check("scale_ws_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
  check("scale_is_test_mnk_input", "scale.cfg", "test_mnk_input.csv");
}

TEST_CASE("the dataflow option overrides the dataflow of a SCALE-Sim cfg") {
  const std::string dir = std::string(LOOM_TEST_DATA) + "/scalesim/";
  const auto out = loom_test::scratch("override");
  const auto p = loom_test::run_loom("run -q --arch " + dir + "scale_os_alexnet/scale.cfg" +
                                     " --workload " + dir + "scale_ws_alexnet/alexnet.csv" +
                                     " --dataflow ws -o " + out.string());
  REQUIRE(p.exit_code == 0);
  const auto loom = loom::core::read_csv(out / "layers.csv");
  const auto comp = loom::core::read_csv(dir + "scale_ws_alexnet/COMPUTE_REPORT.csv");
  for (std::size_t i = 0; i < loom.rows.size(); ++i)
    CHECK(cell(loom, i, "total_cycles") == cell(comp, i, "Total Cycles"));
}
