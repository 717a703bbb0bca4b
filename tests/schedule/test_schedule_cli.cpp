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
