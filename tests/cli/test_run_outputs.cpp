// SPDX-License-Identifier: Apache-2.0
// `loom run` output files: the names and columns DESIGN.md fixes, consistent with each other.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/run_loom.hpp"
#include "core/csv.hpp"
#include "reports/hdf5_writer.hpp"

TEST_CASE("loom run writes layers.csv, summary.json and results.h5 that agree") {
  const auto out = loom_test::scratch("outputs");
  const auto p = loom_test::run_loom("run --workload resnet18 --batch 2 -o " + out.string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("total") && Catch::Contains("pJ/MAC"));

  const auto csv = loom::core::read_csv(out / "layers.csv");
  const std::vector<std::string> required = {
      "layer", "op", "macs", "total_cycles", "compute_cycles", "stall_cycles",
      "overall_util_pct", "mapping_efficiency_pct", "compute_util_pct", "active_pes",
      "sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes", "dram_ifmap_reads",
      "dram_filter_reads", "dram_ofmap_writes", "energy_pj", "bytes_dram", "energy_pj_dram",
      "bytes_ifmap_sram", "energy_pj_ifmap_sram", "bytes_filter_sram", "energy_pj_filter_sram",
      "bytes_ofmap_sram", "energy_pj_ofmap_sram"};
  REQUIRE(csv.header.fields.size() >= required.size());
  for (std::size_t i = 0; i < required.size(); ++i) CHECK(csv.header.fields[i] == required[i]);
  REQUIRE(csv.rows.size() == 21);  // ResNet-18: 20 convolutions and the fc layer
  CHECK(csv.rows[0].fields[0] == "conv1");

  std::int64_t macs = 0;
  double energy = 0;
  for (const auto& r : csv.rows) {
    macs += std::stoll(r.fields[2]);
    energy += std::stod(r.fields[16]);
  }
  CHECK(macs == 2 * 1814073344LL);  // the batch multiplies every count

  std::ifstream in(out / "summary.json");
  const auto j = nlohmann::json::parse(in);
  CHECK(j["accelerator"] == "edge_ws_32x32");
  CHECK(j["workload"] == "resnet18");
  CHECK(j["batch"] == 2);
  const auto& t = j["totals"];
  for (const char* k : {"macs", "cycles", "latency_s", "inferences_per_s", "effective_tops",
                        "energy_pj", "pj_per_mac", "power_w", "area_mm2", "edp_js",
                        "utilization_pct", "active_pes_avg"})
    CHECK(t.contains(k));
  CHECK(t["macs"] == macs);
  CHECK(t["energy_pj"].get<double>() == Approx(energy).epsilon(1e-12));
  CHECK(t["pj_per_mac"].get<double>() == Approx(energy / static_cast<double>(macs)));
  CHECK(t["latency_s"].get<double>() == Approx(t["cycles"].get<double>() / 1e9));
  CHECK(t["edp_js"].get<double>() ==
        Approx(t["energy_pj"].get<double>() * 1e-12 * t["latency_s"].get<double>()));
  double level_energy = 0;
  for (const auto& [name, lvl] : j["levels"].items()) level_energy += lvl["energy_pj"].get<double>();
  CHECK(level_energy + j["energy_breakdown_pj"]["mac"].get<double>() ==
        Approx(t["energy_pj"].get<double>()).epsilon(1e-9));

  const auto h5 = loom::reports::read_hdf5_table(out / "results.h5", "layers");
  REQUIRE(h5.row_count() == csv.rows.size());
  CHECK(h5.get_string(0, "layer") == "conv1");
  CHECK(h5.get_int(5, "total_cycles") == std::stoll(csv.rows[5].fields[3]));
  const auto sum = loom::reports::read_hdf5_table(out / "results.h5", "summary");
  CHECK(sum.get_int(0, "macs") == macs);
}

TEST_CASE("loom run is deterministic: two runs write identical files") {
  const auto a = loom_test::scratch("det_a");
  const auto b = loom_test::scratch("det_b");
  REQUIRE(loom_test::run_loom("run -q --workload mobilenet_v2 -o " + a.string()).exit_code == 0);
  REQUIRE(loom_test::run_loom("run -q --workload mobilenet_v2 -o " + b.string()).exit_code == 0);
  for (const char* f : {"layers.csv", "summary.json"}) {
    std::ifstream fa(a / f), fb(b / f);
    const std::string sa((std::istreambuf_iterator<char>(fa)), {});
    const std::string sb((std::istreambuf_iterator<char>(fb)), {});
    CHECK(sa == sb);
  }
}
