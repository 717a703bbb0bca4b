// SPDX-License-Identifier: Apache-2.0
// `loom compare` and `loom report` of runs (issue 19), on real `loom run` outputs: the table's
// rows and differences against the runs' own files, and the run report in a headless browser.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/run_loom.hpp"
#include "common/scratch_dir.hpp"
#include "core/csv.hpp"

namespace {

// Two runs of ResNet-18 that differ: the mapper at a small budget, and the closed form.
std::filesystem::path two_runs(const ScratchDir& dir) {
  const std::vector<std::pair<std::string, std::string>> runs{{"searched", "--budget 500"},
                                                              {"closed", "--no-search"}};
  for (const auto& [name, how] : runs)
    REQUIRE(
        loom_test::run_loom("run -q --workload resnet18 " + how + " -o " + (dir / name).string())
            .exit_code == 0);
  return dir.path();
}

double total(const std::filesystem::path& run, const char* key) {
  std::ifstream in(run / "summary.json");
  return nlohmann::json::parse(in)["totals"][key].get<double>();
}

}  // namespace

TEST_CASE("loom compare: one row per layer by name, totals, differences, CSV") {
  ScratchDir dir;
  two_runs(dir);
  const auto csv = dir / "cmp.csv";
  const auto p =
      loom_test::run_loom("compare " + (dir / "searched").string() + " " +
                          (dir / "closed" / "results.h5").string() + " --csv " + csv.string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("1: " + (dir / "searched").string() +
                                       " (resnet18 on edge_ws_32x32, batch 1)"));
  const auto layers = loom::core::read_csv(dir / "searched" / "layers.csv");
  for (const auto& row : layers.rows)
    CHECK_THAT(p.output, Catch::Contains("\n" + row.fields[0] + " "));
  CHECK_THAT(p.output, Catch::Contains("\ntotal "));
  CHECK_THAT(p.output, Catch::Contains("energy 1 [uJ]") && Catch::Contains("dE% 2 [%]"));

  const auto t = loom::core::read_csv(csv);
  CHECK(t.header.fields == std::vector<std::string>{"layer", "energy_pj_1", "energy_pj_2",
                                                    "d_energy_pj_2", "d_energy_pj_pct_2",
                                                    "latency_s_1", "latency_s_2", "d_latency_s_2",
                                                    "d_latency_s_pct_2"});
  REQUIRE(t.rows.size() == layers.rows.size() + 1);
  for (std::size_t r = 0; r < layers.rows.size(); ++r) {
    CHECK(t.rows[r].fields[0] == layers.rows[r].fields[0]);
    CHECK(std::stod(t.rows[r].fields[1]) == std::stod(layers.rows[r].fields[16]));  // energy_pj
  }
  const auto& tot = t.rows.back().fields;
  CHECK(tot[0] == "total");
  const double e1 = total(dir / "searched", "energy_pj"), e2 = total(dir / "closed", "energy_pj");
  const double l1 = total(dir / "searched", "latency_s"), l2 = total(dir / "closed", "latency_s");
  CHECK(std::stod(tot[1]) == e1);
  CHECK(std::stod(tot[2]) == e2);
  CHECK(std::stod(tot[3]) == e2 - e1);
  CHECK(std::stod(tot[4]) == Approx((e2 - e1) / e1 * 100).epsilon(1e-12));
  CHECK(std::stod(tot[7]) == l2 - l1);
  CHECK(std::stod(tot[8]) == Approx((l2 - l1) / l1 * 100).epsilon(1e-12));
  CHECK(l2 != l1);  // the two runs differ, so the table shows something
}

TEST_CASE("loom compare matches layers by name: a layer only one run has is NaN in the other") {
  ScratchDir dir;
  std::ofstream(dir / "a.yaml")
      << "name: a\nlayers:\n  - {name: c1, op: conv, C: 8, M: 8, H: 8, R: 3}\n"
         "  - {name: c2, op: conv, C: 8, M: 16, H: 6, R: 3}\n";
  std::ofstream(dir / "b.yaml")
      << "name: b\nlayers:\n  - {name: c2, op: conv, C: 8, M: 16, H: 6, R: 3}\n"
         "  - {name: c3, op: conv, C: 16, M: 16, H: 4, R: 3}\n";
  for (const char* n : {"a", "b"})
    // Cold buffers: under the graph schedule c2 would read c1's output on chip in `a` only.
    REQUIRE(loom_test::run_loom(std::string("run -q --no-search --schedule layerwise --workload ") +
                                (dir / (std::string(n) + ".yaml")).string() + " -o " +
                                (dir / n).string())
                .exit_code == 0);
  const auto csv = dir / "ab.csv";
  REQUIRE(loom_test::run_loom("compare " + (dir / "a").string() + " " + (dir / "b").string() +
                              " --csv " + csv.string())
              .exit_code == 0);
  const auto t = loom::core::read_csv(csv);
  REQUIRE(t.rows.size() == 4);  // c1, c2, c3, total
  CHECK(t.rows[0].fields[0] == "c1");
  CHECK(t.rows[0].fields[2] == "nan");
  CHECK(t.rows[1].fields[0] == "c2");
  CHECK(std::stod(t.rows[1].fields[3]) == 0.0);  // same layer, same accelerator
  CHECK(t.rows[2].fields[0] == "c3");
  CHECK(t.rows[2].fields[1] == "nan");
}

TEST_CASE("loom compare and loom report refuse what is not a run, exit 2") {
  ScratchDir dir;
  two_runs(dir);
  const auto one = loom_test::run_loom("compare " + (dir / "searched").string());
  CHECK(one.exit_code == 2);
  std::ofstream(dir / "x.h5") << "not hdf5";
  const auto bad =
      loom_test::run_loom("compare " + (dir / "searched").string() + " " + (dir / "x.h5").string());
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains((dir / "x.h5").string()));
  const auto svg = loom_test::run_loom("report " + (dir / "searched").string() + " --pareto-svg " +
                                       (dir / "p.svg").string());
  CHECK(svg.exit_code == 2);
  CHECK_THAT(svg.output, Catch::Contains("only a sweep's results.h5 has a Pareto front"));
}

TEST_CASE("loom report of one run and of two side by side, in headless Chromium") {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    std::cout << "SKIP: chromium not installed (bash scripts/install-deps.sh --browser)\n";
    std::exit(77);
  }
  ScratchDir dir;
  two_runs(dir);
  const auto one = dir / "one.html";
  const auto two = dir / "two.html";
  REQUIRE(loom_test::run_loom("report " + (dir / "searched" / "results.h5").string() + " -o " +
                              one.string())
              .exit_code == 0);
  REQUIRE(loom_test::run_loom("report " + (dir / "searched").string() + " " +
                              (dir / "closed").string() + " -o " + two.string())
              .exit_code == 0);
  const std::string html = slurp(two);
  CHECK(html.find("<script") == std::string::npos);  // self-contained, static
  const std::string flags =
      "chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
      "--no-first-run --user-data-dir=" +
      (dir / "profile").string();
  const std::vector<std::pair<std::filesystem::path, int>> pages{{one, 1}, {two, 2}};
  for (const auto& [page, runs] : pages) {
    FILE* pipe =
        popen((flags + " --dump-dom file://" + page.string() + " 2>/dev/null").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string text;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) text.append(buf, n);
    REQUIRE(pclose(pipe) == 0);
    for (int k = 1; k <= runs; ++k)
      for (const char* id : {"energy-plot", "latency-plot", "util-plot", "roofline-plot"})
        CHECK_THAT(text,
                   Catch::Contains("id=\"" + std::string(id) + "-" + std::to_string(k) + "\""));
    for (const char* cls : {"energy-bar", "latency-bar", "util-bar", "roofline-layer", "roof"})
      CHECK_THAT(text, Catch::Contains(std::string("class=\"") + cls + "\""));
  }
  const auto png = dir / "report.png";
  REQUIRE(std::system((flags + " --screenshot=" + png.string() +
                       " --window-size=1500,2400 file://" + two.string() + " >/dev/null 2>&1")
                          .c_str()) == 0);
  const std::string bytes = slurp(png);
  REQUIRE(bytes.size() > 10000);
  CHECK(bytes.substr(1, 3) == "PNG");
  // Kept for a human to look at.
  std::filesystem::copy_file(png, std::filesystem::temp_directory_path() / "loom_run_report.png",
                             std::filesystem::copy_options::overwrite_existing);
}
