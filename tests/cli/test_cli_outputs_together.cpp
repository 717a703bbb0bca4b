// SPDX-License-Identifier: Apache-2.0
// Issue 15, outputs: `loom sweep`'s four files, `loom report`'s two and `loom map`'s one per layer
// appear together or not at all. Each test marks the previous outputs, makes the command fail
// part-way (a folder where its last file or that file's temporary goes), and checks every marked
// file is intact and no temporary is left; then the normal path replaces them all.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/run_loom.hpp"
#include "sweep/sweep_fixtures.hpp"

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Replaces each file's content with a marker naming it: what the previous run left.
void mark(const fs::path& dir, const std::vector<std::string>& files) {
  for (const auto& f : files) std::ofstream(dir / f, std::ios::binary) << "previous " << f;
}

void check_marked(const fs::path& dir, const std::vector<std::string>& files) {
  for (const auto& f : files) CHECK(slurp(dir / f) == "previous " + f);
}

std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void check_refused(const loom_test::Process& p, const std::string& path) {
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::Contains("loom: error: " + path + ": cannot write ("));
}

constexpr const char* kSweep = R"(
axes:
  - {name: df, set: [dataflow], values: [ws, os]}
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {budget: 100}
)";

}  // namespace

TEST_CASE("loom sweep's four outputs appear together; its journal still resumes") {
  const auto dir = loom_test::scratch("sweep_together");
  const auto out = dir / "o";
  const std::string run =
      "sweep -q " + sweep_test::write_sweep(dir, kSweep).string() + " -o " + out.string();
  const std::vector<std::string> outputs{"pareto.csv", "points.csv", "report.html", "results.h5"};
  REQUIRE(loom_test::run_loom(run).exit_code == 0);
  const std::string points = slurp(out / "points.csv");
  mark(out, outputs);

  // Writing the last file fails: nothing replaces the previous four.
  fs::create_directories(out / "report.html.tmp" / "blocker");
  check_refused(loom_test::run_loom(run + " --force"), (out / "report.html").string());
  check_marked(out, outputs);
  CHECK(listing(out) == std::vector<std::string>{"journal.tsv", "pareto", "pareto.csv",
                                                 "points.csv", "report.html", "report.html.tmp",
                                                 "results.h5"});
  fs::remove_all(out / "report.html.tmp");

  // A folder where the last file goes: found before any file is renamed.
  fs::remove(out / "report.html");
  fs::create_directories(out / "report.html" / "blocker");
  check_refused(loom_test::run_loom(run + " --resume"), (out / "report.html").string());
  check_marked(out, {"pareto.csv", "points.csv", "results.h5"});
  CHECK(listing(out) == std::vector<std::string>{"journal.tsv", "pareto", "pareto.csv",
                                                 "points.csv", "report.html", "results.h5"});
  fs::remove_all(out / "report.html");

  // The journal kept every finished point: the resumed sweep evaluates none and writes all four.
  const auto p = loom_test::run_loom(run + " --resume");
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("2 points (0 evaluated now, 2 from the journal)"));
  CHECK(slurp(out / "points.csv") == points);
  for (const auto& f : outputs) CHECK(slurp(out / f).rfind("previous ", 0) == std::string::npos);
  CHECK(listing(out) == std::vector<std::string>{"journal.tsv", "pareto", "pareto.csv",
                                                 "points.csv", "report.html", "results.h5"});

  // loom report: a folder where --pareto-svg goes keeps the previous report.html.
  mark(out, {"report.html"});
  fs::create_directories(dir / "p.svg" / "blocker");
  check_refused(loom_test::run_loom("report " + (out / "results.h5").string() + " -o " +
                                    (out / "report.html").string() + " --pareto-svg " +
                                    (dir / "p.svg").string()),
                (dir / "p.svg").string());
  check_marked(out, {"report.html"});
  CHECK_FALSE(fs::exists(out / "report.html.tmp"));
  CHECK_FALSE(fs::exists(dir / "p.svg.tmp"));
}

TEST_CASE("loom map's mapping files appear together: a failure part-way keeps the last set") {
  const auto dir = loom_test::scratch("map_together");
  const auto net = (dir / "w.yaml").string();
  std::ofstream(net) << "name: w\nlayers:\n  - {name: c1, op: conv, C: 3, M: 8, H: 8, R: 3}\n"
                        "  - {name: c2, op: conv, C: 8, M: 8, H: 6, R: 3}\n"
                        "  - {name: fc, op: fc, C: 128, M: 10}\n";
  const auto maps = dir / "maps";
  const std::string run = "map -q --budget 100 --workload " + net + " -o " + maps.string();
  // The mappings and the graph schedule they run under (the default accelerator's schedule).
  const std::vector<std::string> files{"c1.yaml", "c2.yaml", "fc.yaml", "schedule.yaml"};
  REQUIRE(loom_test::run_loom(run).exit_code == 0);
  CHECK(listing(maps) == files);
  mark(maps, files);

  fs::create_directories(maps / "fc.yaml.tmp" / "blocker");
  check_refused(loom_test::run_loom(run), (maps / "fc.yaml").string());
  check_marked(maps, files);
  fs::remove_all(maps / "fc.yaml.tmp");

  fs::remove(maps / "fc.yaml");
  fs::create_directories(maps / "fc.yaml" / "blocker");
  check_refused(loom_test::run_loom(run), (maps / "fc.yaml").string());
  check_marked(maps, {"c1.yaml", "c2.yaml", "schedule.yaml"});
  CHECK(listing(maps) == files);
  fs::remove_all(maps / "fc.yaml");

  const auto p = loom_test::run_loom(run);
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK(listing(maps) == files);
  for (const auto& f : {"c1.yaml", "c2.yaml", "fc.yaml"})
    CHECK_THAT(slurp(maps / f), Catch::Contains("layer: \""));
}

TEST_CASE("a full disk while loom run writes results.h5 is an ordinary error: the last run stays") {
  const auto out = loom_test::scratch("outputs_full_disk");
  // Layerwise: the graph schedule's block would make summary.json the file that overflows.
  const std::string run =
      "run -q --no-search --schedule layerwise -o " + out.string() + " --workload ";
  REQUIRE(loom_test::run_loom(run + "alexnet").exit_code == 0);
  const std::vector<std::string> files{"layers.csv", "results.h5", "summary.json"};
  mark(out, files);
  // A 32,000-byte file size limit stands in for a full disk: ResNet-50's layers.csv (25 kB)
  // fits, its results.h5 (46 kB) does not. HDF5 writing to disk crashed here (SIGSEGV).
  const auto p = loom_test::run_loom_env(
      R"(sh -c 'trap "" XFSZ; exec prlimit --fsize=32000 "$0" "$@"')", run + "resnet50");
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK(p.output ==
        "loom: error: " + (out / "results.h5").string() + ": cannot write (File too large)\n");
  check_marked(out, files);
  CHECK(listing(out) == files);
}
