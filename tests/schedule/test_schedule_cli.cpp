// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/run_loom.hpp"

namespace {

nlohmann::json summary(const std::filesystem::path& dir) {
  std::ifstream in(dir / "summary.json");
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("loom run --schedule graph adds the schedule to summary.json; layerwise does not") {
  const auto dir = loom_test::scratch("schedule_cli");
  const auto lw = loom_test::run_loom("run --workload mobilenet_v2 --no-search -o " +
                                      (dir / "layerwise").string());
  REQUIRE(lw.exit_code == 0);
  const auto g = loom_test::run_loom(
      "run --workload mobilenet_v2 --no-search --schedule graph -o " + (dir / "graph").string());
  REQUIRE(g.exit_code == 0);
  CHECK(g.output.find("schedule graph:") != std::string::npos);
  CHECK(lw.output.find("schedule graph:") == std::string::npos);
  const auto jl = summary(dir / "layerwise");
  const auto jg = summary(dir / "graph");
  CHECK(!jl.contains("schedule"));
  const auto& s = jg["schedule"];
  CHECK(s["kind"] == "graph");
  CHECK(s["residency_level"] == "ifmap_sram");
  CHECK(s["layerwise_dram_bytes"] == jl["levels"]["dram"]["bytes"]);
  CHECK(s["dram_bytes"] == jg["levels"]["dram"]["bytes"]);
  CHECK(jg["levels"]["dram"]["bytes"].get<double>() < jl["levels"]["dram"]["bytes"].get<double>());
  CHECK(!s["resident"].empty());
  CHECK(!s["spilled"].empty());
  double sum = 0;
  for (const auto& t : s["tensors"])
    sum += t["dram_read_bytes"].get<double>() + t["dram_write_bytes"].get<double>() +
           t["dram_psum_bytes"].get<double>();
  CHECK(sum == jg["levels"]["dram"]["bytes"].get<double>());
}

TEST_CASE("an unknown --schedule is refused with the valid names") {
  const auto p = loom_test::run_loom("run --workload resnet18 --schedule fused -o /tmp/x");
  CHECK(p.exit_code == 2);
  CHECK(p.output.find("layerwise, graph") != std::string::npos);
}

TEST_CASE("an accelerator that runs layer by layer refuses the graph schedule") {
  const auto dir = loom_test::scratch("schedule_layerwise");
  // The Eyeriss chip runs each layer from DRAM to DRAM (its preset says schedule: layerwise).
  const auto e = loom_test::run_loom("run --arch eyeriss --workload alexnet --schedule graph -o " +
                                     (dir / "e").string());
  CHECK(e.exit_code == 2);
  CHECK(e.output.find("schedule: 'eyeriss' runs one layer at a time") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "e" / "summary.json"));
  // SCALE-Sim compatibility is layerwise whatever the file says.
  std::ofstream(dir / "s.yaml") << "name: s\nclock_mhz: 1000\ndataflow: os\ncompat: scalesim\n"
                                   "schedule: graph\npe_array: {rows: 8, cols: 8}\nlevels:\n"
                                   "  - {name: dram, kind: dram, word_bits: 64}\n"
                                   "  - {name: sram, kind: sram, holds: [ifmap, filter, ofmap], "
                                   "size_kib: 64, word_bits: 8}\n";
  const auto s = loom_test::run_loom("run --arch " + (dir / "s.yaml").string() +
                                     " --workload alexnet -o " + (dir / "s").string());
  CHECK(s.exit_code == 2);
  CHECK(s.output.find("s.yaml:5 schedule: compat: scalesim runs one layer at a time") !=
        std::string::npos);
  // The layerwise schedule stays available on both.
  CHECK(loom_test::run_loom("run --arch eyeriss --workload alexnet --budget 5000 -q -o " +
                            (dir / "ok").string())
            .exit_code == 0);
}
