// SPDX-License-Identifier: Apache-2.0
// Issue 15, the command line and the outputs: bad flags in Loom's own words, outputs that appear
// together or not at all, commands that refuse to overwrite their inputs, mapping files that are
// checked against the network. Each refusal exits 2 with one clear message.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "cli/run_loom.hpp"
#include "sweep/sweep_fixtures.hpp"

namespace {

// Runs `loom args`; requires exit code 2, the `loom: error:` prefix and every `expected` piece.
void expect_refused(const std::string& args, std::initializer_list<std::string> expected) {
  const auto p = loom_test::run_loom(args);
  INFO(args << "\n" << p.output);
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::StartsWith("loom: error: "));
  CHECK(p.output.find('\n') == p.output.size() - 1);  // one line
  for (const auto& e : expected) CHECK_THAT(p.output, Catch::Contains(e));
}

}  // namespace

TEST_CASE("command-line errors come in Loom's own words and format, exit 2") {
  expect_refused("run --workload resnet18 --batch 0",
                 {"loom: error: --batch: expected an integer from 1 to 1000, got 0"});
  expect_refused("run --workload resnet18 --batch 1001", {"--batch: expected an integer"});
  expect_refused("run --workload resnet18 --batch abc",
                 {"--batch: expected an integer from 1 to 1000, got 'abc'"});
  expect_refused("run --workload resnet18 --seed -1",
                 {"--seed: expected an integer >= 0, got '-1'"});
  expect_refused("run --workload resnet18 --budget 0",
                 {"--budget: expected an integer >= 1, got 0"});
  expect_refused("run --workload resnet18 --threads -2",
                 {"--threads: expected an integer >= 0, got -2"});
  for (const char* t : {"-1", "0", "nan", "inf"})
    expect_refused(std::string("map --workload resnet18 --time-limit ") + t,
                   {std::string("--time-limit: expected a finite number > 0, got '") + t + "'"});
  expect_refused("sim --workload resnet18 --pe vhdl",
                 {"loom: error: --pe: unknown value 'vhdl' (expected one of: cpp, rtl)"});
  expect_refused("run", {"loom: error: --workload is required"});
  expect_refused("run --workload resnet18 --bogus", {"loom: error: ", "--bogus"});
  expect_refused("frobnicate", {"loom: error: "});
  const auto h = loom_test::run_loom("run --help");
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.output, Catch::Contains("--batch"));
}

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("loom run's three outputs appear together: a failure part-way keeps the last run") {
  const auto out = loom_test::scratch("outputs_together");
  const std::string args = "run -q --no-search --workload resnet18 -o " + out.string();
  REQUIRE(loom_test::run_loom(args).exit_code == 0);
  const std::string csv = slurp(out / "layers.csv"), json = slurp(out / "summary.json");
  const std::string h5 = slurp(out / "results.h5");
  // Something in the way of results.h5 (as a full disk would be): it fails after layers.csv and
  // summary.json of the second run are already written.
  std::filesystem::create_directories(out / "results.h5.tmp" / "blocker");
  const auto p = loom_test::run_loom(args + " --batch 2");
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::StartsWith("loom: error: ") && Catch::Contains("results.h5"));
  CHECK(slurp(out / "layers.csv") == csv);
  CHECK(slurp(out / "summary.json") == json);
  CHECK(slurp(out / "results.h5") == h5);
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(out))
    left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left ==
        std::vector<std::string>{"layers.csv", "results.h5", "results.h5.tmp", "summary.json"});
}

TEST_CASE("loom import refuses to overwrite its own input, exit 2") {
  const auto dir = loom_test::scratch("import_self");
  std::ofstream(dir / "w.yaml")
      << "# a comment the import must not lose\n"
         "name: w\nlayers:\n  - {name: c, op: conv, C: 3, M: 8, H: 8, R: 3}\n";
  const std::string before = slurp(dir / "w.yaml");
  expect_refused("import " + (dir / "w.yaml").string() + " -o " + (dir / "." / "w.yaml").string(),
                 {"the output given with -o is the input"});
  // Without -o the output is ./w.yaml: the input itself when run in its folder.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  const auto p = loom_test::run_loom("import w.yaml");
  std::filesystem::current_path(cwd);
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::Contains("w.yaml: the default output is the input w.yaml, which "
                                       "would be overwritten; name an output file with -o"));
  CHECK(slurp(dir / "w.yaml") == before);
  REQUIRE(loom_test::run_loom("import " + (dir / "w.yaml").string() + " -o " +
                              (dir / "flat.yaml").string())
              .exit_code == 0);
}

TEST_CASE("loom report refuses to overwrite its input and writes both files or neither") {
  const auto dir = loom_test::scratch("report_self");
  const auto sweep = sweep_test::write_sweep(dir, R"(
axes:
  - {name: df, set: [dataflow], values: [ws, os]}
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {budget: 200}
)");
  REQUIRE(
      loom_test::run_loom("sweep -q " + sweep.string() + " -o " + (dir / "o").string()).exit_code ==
      0);
  const auto h5 = dir / "o" / "results.h5";
  const std::string results = slurp(h5);
  expect_refused("report " + h5.string() + " -o " + h5.string(),
                 {"the output given with -o is the input"});
  CHECK(slurp(h5) == results);
  const auto html = dir / "o" / "report.html";
  std::ofstream(html) << "an earlier report";  // a rebuilt one would be identical to the sweep's

  expect_refused("report " + h5.string() + " -o " + html.string() + " --pareto-svg " +
                     (dir / "no" / "such" / "folder" / "p.svg").string(),
                 {"p.svg: cannot write"});
  CHECK(slurp(html) == "an earlier report");
  CHECK_FALSE(std::filesystem::exists(dir / "o" / "report.html.tmp"));
}

TEST_CASE("mapping files must each map a MAC layer of the network, once, exit 2") {
  const auto dir = loom_test::scratch("mapping_checks");
  const auto net = (dir / "w.yaml").string();
  std::ofstream(net) << "name: w\nlayers:\n  - {name: c1, op: conv, C: 3, M: 8, H: 8, R: 3}\n"
                        "  - {name: p1, op: maxpool, C: 8, H: 6, R: 2, stride: 2}\n";
  const auto maps = dir / "maps";
  REQUIRE(loom_test::run_loom("map -q --budget 100 --workload " + net + " -o " + maps.string())
              .exit_code == 0);
  const std::string good = slurp(maps / "c1.yaml");
  const std::string run =
      "run -q --workload " + net + " -o " + (dir / "out").string() + " --mapping ";
  REQUIRE(loom_test::run_loom(run + maps.string()).exit_code == 0);

  const auto other = maps / "other.yaml";
  const auto with_layer = [&](const std::string& name) {
    std::string s = good;
    s.replace(s.find("layer: \"c1\""), 11, "layer: \"" + name + "\"");
    std::ofstream(other) << s;
  };
  with_layer("c9");
  expect_refused(run + maps.string(), {other.string() + " layer: network 'w' has no layer 'c9'"});
  with_layer("p1");
  expect_refused(run + other.string(),
                 {other.string() + " layer: layer 'p1' does no MACs, so it has no mapping"});
  with_layer("c1");
  expect_refused(run + maps.string(), {other.string() + " layer: layer 'c1' is already mapped by " +
                                       (maps / "c1.yaml").string()});
  std::filesystem::remove(other);

  // An unreadable folder: root reads any folder, so as root the run drops to user nobody.
  const auto locked = dir / "locked";
  std::filesystem::create_directories(locked);
  std::filesystem::permissions(locked, std::filesystem::perms::none);
  std::error_code ec;
  std::filesystem::directory_iterator probe(locked, ec);
  const bool as_nobody = !ec && std::system("setpriv --help >/dev/null 2>&1") == 0;
  const auto p = loom_test::run_loom_env(
      as_nobody ? "LOOM_TEST=1 setpriv --reuid=65534 --regid=65534 --clear-groups" : "",
      run + locked.string());
  INFO(p.output);
  if (ec || as_nobody) {
    CHECK(p.exit_code == 2);
    CHECK_THAT(p.output, Catch::Contains("loom: error: " + locked.string() +
                                         " --mapping: cannot read the folder (Permission denied)"));
  }
  std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
}

TEST_CASE("a damaged resume journal, an empty layer name and no objectives are refused, exit 2") {
  const auto dir = loom_test::scratch("journal_range");
  const auto sweep = sweep_test::write_sweep(dir, R"(
axes:
  - {name: df, set: [dataflow], values: [ws, os]}
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {budget: 100}
)");
  const std::string run = "sweep -q " + sweep.string() + " -o " + (dir / "o").string();
  REQUIRE(loom_test::run_loom(run).exit_code == 0);
  const auto journal = dir / "o" / "journal.tsv";
  std::string text = slurp(journal);
  const auto at = text.find("\n1\t") + 1;  // point 1's line (points finish in any order)
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  text.replace(at, 1, "18446744073709551615");
  std::ofstream(journal, std::ios::binary) << text;
  const auto p = loom_test::run_loom(run + " --resume");
  INFO(p.output);
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output,
             Catch::Contains("loom: error: " + journal.string() + ":" + std::to_string(line) +
                             " --resume: point id 18446744073709551615 is outside "
                             "this sweep's 2 points"));

  const auto none = sweep_test::write_sweep(dir, R"(
axes:
  - {name: df, set: [dataflow], values: [ws, os]}
objectives: []
strategy: {kind: grid}
)",
                                            "none.yaml");
  expect_refused("sweep -q " + none.string() + " -o " + (dir / "n").string(),
                 {"objectives: expected at least one objective (one of: energy"});

  std::ofstream(dir / "e.yaml") << "name: w\nlayers:\n  - {name: '', op: fc, C: 8, M: 8}\n";
  expect_refused("run -q --workload " + (dir / "e.yaml").string(),
                 {"e.yaml:3 layers[0].name: expected a non-empty layer name"});
  std::ofstream(dir / "e.csv") << "Layer name, M, N, K,\n , 8, 8, 8,\n";
  expect_refused("run -q --workload " + (dir / "e.csv").string(),
                 {"e.csv:2 Layer name: expected a non-empty layer name"});
}
