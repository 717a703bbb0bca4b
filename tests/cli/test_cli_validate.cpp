// SPDX-License-Identifier: Apache-2.0
// `loom validate` as a user runs it: every published figure printed with Loom, the error, band
// and status; exit 0 when the check rows are inside their bands; and the README's validation
// table is exactly what `loom validate all --markdown` prints.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cli/run_loom.hpp"

TEST_CASE("loom validate NAME prints its rows and passes its bands; unknown names exit 2") {
  const auto p = loom_test::run_loom("validate tpu_v1");
  INFO(p.output);
  CHECK(p.exit_code == 0);
  for (const char* line : {"tpu_v1", "MLP0, batch 200: throughput", "12.3", "±25% in", "check",
                           "Jouppi et al., ISCA 2017", "every check row within its band"})
    CHECK_THAT(p.output, Catch::Contains(line));
  const auto bad = loom_test::run_loom("validate scalesim");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("expected all or one of: eyeriss, isca16, tpu_v1, nvdla"));
}

TEST_CASE("the README's validation table is loom validate all --markdown, row for row") {
  const auto p = loom_test::run_loom("validate all --markdown");
  INFO(p.output);
  CHECK(p.exit_code == 0);
  std::ifstream in(std::string(LOOM_SOURCE_DIR) + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const std::string begin = "<!-- loom validate all --markdown: begin -->\n";
  const std::string end = "<!-- loom validate all --markdown: end -->";
  const auto b = readme.find(begin);
  const auto e = readme.find(end);
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  // Regenerate with scripts/update-readme-validation.sh after a change that moves a figure.
  CHECK(readme.substr(b + begin.size(), e - b - begin.size()) == p.output);
  for (const char* target : {"| eyeriss |", "| isca16 |", "| tpu_v1 |", "| nvdla |"})
    CHECK_THAT(p.output, Catch::Contains(target));
}
