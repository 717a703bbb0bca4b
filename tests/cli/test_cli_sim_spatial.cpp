// SPDX-License-Identifier: Apache-2.0
// `loom sim` on a spatial array whose schedule is the graph schedule (`eyeriss_like_45nm`), as a
// user runs it: no --schedule, the tensors the schedule keeps in the global buffer read and left
// there, every output checked, DRAM traffic equal to loom run's element for element.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "cli/run_loom.hpp"
#include "common/spatial_branch.hpp"
#include "core/csv.hpp"

TEST_CASE("loom sim runs a spatial preset under its default graph schedule") {
  const auto dir = loom_test::scratch("sim_spatial_graph");
  std::ofstream(dir / "net.yaml") << loom_test::kSpatialBranch;
  const auto p =
      loom_test::run_loom("sim --arch eyeriss_like_45nm --workload " + (dir / "net.yaml").string() +
                          " --budget 2000 -o " + (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("schedule graph: 3 layers read their input on chip, 3 leave "
                                       "their output there, 0 fused groups") &&
                           Catch::Contains("c2 [input on chip, output on chip]") &&
                           Catch::Contains("c4 [input on chip]") &&
                           Catch::Contains("4 layers: 0 mismatches"));
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  REQUIRE(csv.rows.size() == 4);
  const auto& head = csv.header.fields;
  for (const auto& row : csv.rows) {
    const auto col = [&](const std::string& name) {
      const auto it = std::find(head.begin(), head.end(), name);
      REQUIRE(it != head.end());
      return row.fields.at(static_cast<std::size_t>(it - head.begin()));
    };
    INFO(col("layer"));
    CHECK(col("mismatches") == "0");
    CHECK(col("compute_cycles") == col("analytical_compute_cycles"));
    for (const char* n :
         {"dram_ifmap_reads", "dram_filter_reads", "dram_ofmap_writes", "dram_ofmap_reads"})
      CHECK(col(n) == col(std::string("analytical_") + n));
  }
  std::ifstream in(dir / "out" / "summary.json");
  const std::string summary{std::istreambuf_iterator<char>(in), {}};
  CHECK_THAT(summary,
             Catch::Contains("\"residency_level\": \"glb\"") && Catch::Contains("\"resident\": ["));
}
