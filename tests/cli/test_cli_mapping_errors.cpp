// SPDX-License-Identifier: Apache-2.0
// Issue 19: a mapping file `loom run --mapping` cannot use names its file, the line of the factor
// at fault, the dimension and the limit it breaks; every problem of the file at once, exit 2.
#include <catch2/catch.hpp>
#include <fstream>

#include "cli/run_loom.hpp"

namespace {

// `loom map --workload resnet18 --layer conv1 --budget 200` on the default systolic design.
constexpr const char* kSystolic = R"(layer: "conv1"
workload: "resnet18"
accelerator: "edge_ws_32x32"
view: gemm
levels:
  - {name: dram, factors: {P: 67}, order: [C, M, P, N, Q, R, S]}
  - {name: ifmap_sram, factors: {}, order: [N, M, C, P, Q, R, S]}
  - {name: filter_sram, factors: {}, order: [N, M, C, P, Q, R, S]}
  - {name: ofmap_sram, factors: {M: 2, C: 5}, order: [C, P, M, N, Q, R, S]}
spatial: {rows: {C: 32}, cols: {M: 32}}
pe: {factors: {P: 188}, order: [N, M, C, P, Q, R, S], keeps: [filter]}
)";

// A legal mapping of layer c2 of kTiny on the row-stationary design with a network level.
constexpr const char* kSpatial = R"(layer: "c2"
view: conv
levels:
  - {name: dram, factors: {C: 2}}
  - {name: glb, factors: {}}
  - {name: noc, factors: {}}
  - {name: filter_spad, factors: {}}
  - {name: psum_spad, factors: {M: 2}}
  - {name: ifmap_spad, factors: {}}
spatial: {rows: {M: 4, R: 3}, cols: {C: 4, P: 4}}
pe: {factors: {Q: 4, S: 3}}
)";

constexpr const char* kTiny = R"(name: tiny
layers:
  - {name: c1, op: conv, C: 4, M: 8, H: 8, R: 3}
  - {name: c2, op: conv, C: 8, M: 8, H: 6, R: 3}
)";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

struct Case {
  std::filesystem::path dir;
  std::string file;
  loom_test::Process run(const std::string& text, const std::string& args) {
    std::ofstream(dir / "m.yaml") << text;
    return loom_test::run_loom("run -q " + args + " --mapping " + file + " -o " +
                               (dir / "out").string());
  }
};

Case make_case(const std::string& name) {
  const auto dir = loom_test::scratch(name);
  std::ofstream(dir / "tiny.yaml") << kTiny;
  return {dir, (dir / "m.yaml").string()};
}

void expect(const loom_test::Process& p, std::initializer_list<std::string> pieces) {
  INFO(p.output);
  CHECK(p.exit_code == 2);
  for (const auto& s : pieces) CHECK_THAT(p.output, Catch::Contains(s));
}

}  // namespace

TEST_CASE("a dimension covered less than once names the file, line, dimension and bounds") {
  auto c = make_case("mapping_under");
  REQUIRE(c.run(kSystolic, "--workload resnet18").exit_code == 0);  // the file as written
  expect(c.run(replaced(kSystolic, "C: 5}", "C: 4}"), "--workload resnet18"),
         {c.file + ":9 levels[3].factors.C: dimension C: the loops cover 128 (levels[3] 4 × "
                   "spatial.rows 32), less than 147",
          "here 147 <= product < 294 (C = 147 in layer 'conv1'; GEMM view"});
}

TEST_CASE("every fault of a mapping file is listed: over-coverage and an array overflow") {
  auto c = make_case("mapping_over");
  const auto text =
      replaced(replaced(kSystolic, "P: 67}", "P: 140}"), "rows: {C: 32}", "rows: {C: 64}");
  expect(c.run(text, "--workload resnet18"),
         {c.file + ":6 levels[0].factors.P: dimension P: the loops cover 26320 (levels[0] 140 × "
                   "pe 188), not less than 25088",
          c.file + ":9 levels[3].factors.C: dimension C: the loops cover 320",
          c.file + ":10 spatial.rows.C: the spatial rows unroll C 64 = 64 PEs, more than the PE "
                   "array's 32 rows ('edge_ws_32x32')"});
}

TEST_CASE("a factor written on its own line is named by that line") {
  auto c = make_case("mapping_block");
  const auto text =
      replaced(kSystolic, "  - {name: dram, factors: {P: 67}, order: [C, M, P, N, Q, R, S]}",
               "  - name: dram\n    factors:\n      P: 67\n      N: 2");
  expect(c.run(text, "--workload resnet18"),
         {c.file + ":9 levels[0].factors.N: dimension N: the loops cover 2 (levels[0] 2), not "
                   "less than 2",
          "here 1 <= product < 2"});
}

TEST_CASE("a conv-view mapping on a spatial array: coverage, array columns, network level") {
  auto c = make_case("mapping_spatial");
  const std::string args = "--arch isca16_rs_256 --workload " + (c.dir / "tiny.yaml").string();
  REQUIRE(c.run(kSpatial, args).exit_code == 0);
  expect(c.run(replaced(kSpatial, "{Q: 4, S: 3}", "{Q: 2, S: 3}"), args),
         {c.file + ":11 pe.factors.Q: dimension Q: the loops cover 2 (pe 2), less than 4",
          "(Q = 4 in layer 'c2', per group)"});
  expect(c.run(replaced(kSpatial, "cols: {C: 4, P: 4}", "cols: {C: 8, P: 4}"), args),
         {"spatial.cols.C: the spatial cols unroll C 8 × P 4 = 32 PEs, more than the PE array's",
          c.file + ":4 levels[0].factors.C: dimension C: the loops cover 16"});
  expect(c.run(replaced(replaced(kSpatial, "name: noc, factors: {}", "name: noc, factors: {M: 2}"),
                        "{name: psum_spad, factors: {M: 2}}", "{name: psum_spad, factors: {}}"),
               args),
         {c.file + ":6 levels[2].factors.M: level 'noc' is a network (noc): it holds no loops"});
}
