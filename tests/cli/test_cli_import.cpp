// SPDX-License-Identifier: Apache-2.0
// `loom import` and `--workload model.onnx` end to end.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cli/run_loom.hpp"

namespace {

const std::string kSqueezeNet = LOOM_TEST_DATA "/onnx/squeezenet1_1.onnx";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("loom import writes workload YAML that runs like the ONNX file itself") {
  const auto dir = loom_test::scratch("import");
  const auto yaml = dir / "squeezenet.yaml";
  const auto imp = loom_test::run_loom("import " + kSqueezeNet + " -o " + yaml.string());
  INFO(imp.output);
  REQUIRE(imp.exit_code == 0);
  CHECK_THAT(imp.output, Catch::Contains("26 with MACs") && Catch::Contains("349151936 MACs"));
  CHECK_THAT(read(yaml), Catch::Contains("op: concat"));

  const auto a = loom_test::run_loom("run -q --no-search --workload " + kSqueezeNet + " -o " +
                                     (dir / "a").string());
  const auto b = loom_test::run_loom("run -q --no-search --workload " + yaml.string() + " -o " +
                                     (dir / "b").string());
  INFO(a.output << b.output);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  // Same network, same layer names and shapes: the per-layer results agree to the byte.
  CHECK(read(dir / "a" / "layers.csv") == read(dir / "b" / "layers.csv"));
}

TEST_CASE("loom import of a broken ONNX file exits 2 naming the file") {
  const auto dir = loom_test::scratch("import_bad");
  const auto bad = dir / "cut.onnx";
  const std::string bytes = read(kSqueezeNet);
  std::ofstream(bad, std::ios::binary) << bytes.substr(0, 1000);
  const auto p = loom_test::run_loom("import " + bad.string() + " -o " + (dir / "x.yaml").string());
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::Contains("cut.onnx") && Catch::Contains("truncated"));
}

TEST_CASE("loom import materializes a transformed workload") {
  const auto dir = loom_test::scratch("import_thinet");
  const auto out = dir / "thinet.yaml";
  const auto p = loom_test::run_loom(
      "import " LOOM_SOURCE_DIR "/configs/workloads/thinet_vgg16_gap.yaml -o " + out.string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  CHECK_THAT(p.output, Catch::Contains("4668084224 MACs"));
  CHECK_THAT(read(out), Catch::Contains("name: \"conv4_3\", op: conv, C: 256, M: 256"));
}

TEST_CASE("loom import --compact of a workload without weights exits 2 saying it needs ONNX") {
  const auto dir = loom_test::scratch("import_compact_yaml");
  const auto p = loom_test::run_loom("import --compact " LOOM_SOURCE_DIR
                                     "/configs/workloads/thinet_vgg16_gap.yaml -o " +
                                     (dir / "x.yaml").string());
  CHECK(p.exit_code == 2);
  CHECK_THAT(p.output, Catch::Contains("--compact") && Catch::Contains(".onnx file") &&
                           Catch::Contains("transforms.prune"));
  CHECK_FALSE(std::filesystem::exists(dir / "x.yaml"));
}
