// SPDX-License-Identifier: Apache-2.0
// Issue 15, the command line and the outputs: bad flags in Loom's own words, outputs that appear
// together or not at all, commands that refuse to overwrite their inputs, mapping files that are
// checked against the network. Each refusal exits 2 with one clear message.
#include <catch2/catch.hpp>
#include <fstream>

#include "cli/run_loom.hpp"

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
  expect_refused("run", {"loom: error: --workload is required"});
  expect_refused("run --workload resnet18 --bogus", {"loom: error: ", "--bogus"});
  expect_refused("frobnicate", {"loom: error: "});
  const auto h = loom_test::run_loom("run --help");
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.output, Catch::Contains("--batch"));
}
