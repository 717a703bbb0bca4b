// SPDX-License-Identifier: Apache-2.0
// Bad input never crashes `loom`: it prints one clear message naming file, key and line, and
// exits with code 2.
#include <catch2/catch.hpp>
#include <fstream>

#include "cli/run_loom.hpp"

namespace {

const char* kArch = R"(name: t
clock_mhz: 1000
dataflow: ws
pe_array: {rows: 8, cols: 8}
levels:
  - {name: dram, kind: dram, bandwidth_gb_per_s: 10}
  - {name: buf, kind: sram, holds: [ifmap, filter, ofmap], size_kib: 64}
)";

std::string write(const std::filesystem::path& dir, const std::string& name,
                  const std::string& text) {
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

// Runs `loom run` with `args`; requires exit code 2 and every `expected` piece in the message.
void expect_bad(const std::string& args, std::initializer_list<std::string> expected) {
  const auto p = loom_test::run_loom("run -q " + args);
  INFO(p.output);
  CHECK(p.exit_code == 2);
  for (const auto& e : expected) CHECK_THAT(p.output, Catch::Contains(e));
}

}  // namespace

TEST_CASE("a good architecture file runs (the baseline of the cases below)") {
  const auto dir = loom_test::scratch("errors_ok");
  const auto p = loom_test::run_loom("run -q --arch " + write(dir, "a.yaml", kArch) +
                                     " --workload resnet18 -o " + (dir / "out").string());
  INFO(p.output);
  CHECK(p.exit_code == 0);
}

TEST_CASE("malformed YAML is reported with file and line, exit 2") {
  const auto dir = loom_test::scratch("errors_yaml");
  const auto f = write(dir, "a.yaml", replaced(kArch, "{rows: 8, cols: 8}", "{rows: 8, cols: 8"));
  expect_bad("--arch " + f + " --workload resnet18", {f + ":", "malformed YAML"});
}

TEST_CASE("an unknown key is reported with its path and line, exit 2") {
  const auto dir = loom_test::scratch("errors_key");
  const auto f = write(dir, "a.yaml", replaced(kArch, "cols: 8", "colz: 8"));
  expect_bad("--arch " + f + " --workload resnet18",
             {f + ":4 pe_array.colz: unknown key (expected one of: rows, cols)"});
}

TEST_CASE("a value of the wrong type is reported, exit 2") {
  const auto dir = loom_test::scratch("errors_type");
  const auto f = write(dir, "a.yaml", replaced(kArch, "rows: 8", "rows: eight"));
  expect_bad("--arch " + f + " --workload resnet18",
             {f + ":4 pe_array.rows: expected an integer > 0 and <= 65536, got 'eight'"});
}

TEST_CASE("zero and negative sizes are rejected with the reason, exit 2") {
  const auto dir = loom_test::scratch("errors_size");
  const auto f =
      write(dir, "a.yaml",
            replaced(replaced(kArch, "rows: 8", "rows: 0"), "size_kib: 64", "size_kib: -1"));
  expect_bad("--arch " + f + " --workload resnet18",
             {f + ":4 pe_array.rows: expected an integer > 0 and <= 65536, got 0",
              f + ":7 levels[1].size_kib: expected a number from 0.0009765625 to 1073741824, "
                  "got '-1'"});
}

TEST_CASE("an unknown dataflow is rejected listing the valid ones, exit 2") {
  const auto dir = loom_test::scratch("errors_df");
  const auto f = write(dir, "a.yaml", replaced(kArch, "dataflow: ws", "dataflow: rs3"));
  expect_bad("--arch " + f + " --workload resnet18",
             {f + ":3 dataflow: unknown value 'rs3' (expected one of: os, ws, is, spatial, rs, "
                  "spatial_ws, spatial_os, nlr)"});
  expect_bad("--workload resnet18 --dataflow xs",
             {"--dataflow: unknown dataflow 'xs' (expected one of: os, ws, is, spatial, rs, "
              "spatial_ws, spatial_os, nlr)"});
}

TEST_CASE("a missing file is named, exit 2") {
  expect_bad("--arch /no/such/arch.yaml --workload resnet18",
             {"/no/such/arch.yaml: cannot open file"});
  expect_bad("--workload /no/such/net.yaml", {"/no/such/net.yaml: cannot open file"});
  expect_bad("--workload alexnett", {"not a zoo network", "alexnet"});
}

TEST_CASE("a SCALE-Sim topology with missing columns is named with its line, exit 2") {
  const auto dir = loom_test::scratch("errors_csv");
  const auto f = write(dir, "t.csv",
                       "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                       "Channels, Num Filter, Strides,\nConv1, 224, 224, 11, 11, 3, 96,\n");
  expect_bad("--workload " + f, {f + ":2: expected 8 columns, got 7"});
}

TEST_CASE("a workload with an impossible layer is rejected, exit 2") {
  const auto dir = loom_test::scratch("errors_workload");
  const auto f = write(dir, "w.yaml",
                       "name: w\nlayers:\n  - {name: conv1, op: conv, C: 3, M: -8, H: 32, R: 3}\n");
  expect_bad("--workload " + f,
             {f + ":3 layers[0].M: expected an integer > 0 and <= 2147483647, got -8"});
}

// Issue 15: each of these crashed, hung, or printed impossible numbers with exit 0.
TEST_CASE("absurd sizes are refused at load time with their range, exit 2") {
  const auto dir = loom_test::scratch("errors_absurd");
  const auto fc =
      write(dir, "fc.yaml", "name: w\nlayers:\n  - {name: f, op: fc, C: 8, M: 8, H: 4294967296}\n");
  expect_bad("--workload " + fc,
             {fc + ":3 layers[0].H: expected an integer > 0 and <= 2147483647"});
  expect_bad("--no-search --workload " + fc, {"layers[0].H: expected an integer > 0"});
  const auto arch = write(dir, "a.yaml", replaced(kArch, "size_kib: 64", "size_kib: 1e18"));
  expect_bad("--arch " + arch + " --workload resnet18",
             {arch + ":7 levels[1].size_kib: expected a number from 0.0009765625 to 1073741824"});
  const auto zero = dir / "zero.yaml";  // a device under a workload's name: read forever before
  std::filesystem::remove(zero);
  std::filesystem::create_symlink("/dev/zero", zero);
  expect_bad("--workload " + zero.string(), {zero.string() + ": is not a regular file"});
}

TEST_CASE("cycle counts beyond 2^63 are refused, not wrapped to negative numbers, exit 2") {
  // The slowest DRAM and fastest clock in range, and a 1e15-MAC GEMM: 1.3e20 cycles.
  const auto dir = loom_test::scratch("errors_cycles");
  const auto arch = write(dir, "a.yaml",
                          replaced(replaced(kArch, "clock_mhz: 1000", "clock_mhz: 100000"),
                                   "bandwidth_gb_per_s: 10", "bandwidth_gb_per_s: 0.001"));
  const auto w = write(
      dir, "w.yaml", "name: w\nlayers:\n  - {name: g, op: gemm, gemm: [100000, 100000, 100000]}\n");
  expect_bad("--no-search --batch 10 --arch " + arch + " --workload " + w,
             {"layer 'g': a layer would take 1.28e+20 cycles, more than a 64-bit count holds"});
}

TEST_CASE("a layer too large for the mapper's search is refused with the limit, exit 2") {
  // 2^31 - 1 filters: 67,108,864 folds on a 32x32 array (minutes and 8 GB before).
  const auto dir = loom_test::scratch("errors_search_limit");
  const auto f =
      write(dir, "w.yaml", "name: w\nlayers:\n  - {name: f, op: fc, C: 1, M: 2147483647}\n");
  expect_bad(
      "--workload " + f,
      {"layer 'f': at least 67108864 folds on the 32x32 array, more than the mapper's search "
       "limit of 4194304; evaluate it with --no-search"});
  const auto ok =
      loom_test::run_loom("run -q --no-search --workload " + f + " -o " + (dir / "out").string());
  CHECK(ok.exit_code == 0);
  // A spatial array has no closed form to fall back on: the way out is a smaller layer.
  const auto c = write(
      dir, "c.yaml", "name: c\nlayers:\n  - {name: c1, op: conv, C: 3, M: 33554432, H: 8, R: 1}\n");
  expect_bad("--arch eyeriss --workload " + c,
             {"layer 'c1': a loop bound of 33554432 (M), more than the mapper's search limit of "
              "16777216 on a spatial array, which has no closed-form model to use instead; split "
              "the layer into layers with M at most 16777216"});
}

TEST_CASE("a buffer too small for one tile is rejected with the level named, exit 2") {
  const auto dir = loom_test::scratch("errors_fit");
  const auto f = write(dir, "a.yaml", replaced(kArch, "size_kib: 64", "size_kib: 0.0625"));
  expect_bad("--arch " + f + " --workload resnet18",
             {"levels.buf.size_kib", "cannot hold a double-buffered weight tile"});
}

TEST_CASE("a bad command line exits 2 with usage help") {
  const auto p = loom_test::run_loom("run --batch 0 --workload resnet18");
  CHECK(p.exit_code == 2);
  const auto q = loom_test::run_loom("frobnicate");
  CHECK(q.exit_code == 2);
  const auto h = loom_test::run_loom("--help");
  CHECK(h.exit_code == 0);
  CHECK_THAT(h.output, Catch::Contains("run") && Catch::Contains("zoo"));
}

TEST_CASE("loom zoo lists the six networks and the presets") {
  const auto p = loom_test::run_loom("zoo");
  CHECK(p.exit_code == 0);
  for (const char* n : {"alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2", "ghostnet",
                        "edge_ws_32x32", "tpu_v1_like"})
    CHECK_THAT(p.output, Catch::Contains(n));
}

TEST_CASE("an output folder that cannot be created is named, exit 2") {
  expect_bad("--workload resnet18 -o /proc/loom_cannot_write_here",
             {"/proc/loom_cannot_write_here", "cannot create folder"});
}

TEST_CASE("a dataflow override the hardware cannot run is rejected with the reason, exit 2") {
  expect_bad("--workload alexnet --dataflow rs",
             {"dataflow: dataflow rs needs a per-PE level holding the filter operand"});
  expect_bad("--arch eyeriss --workload alexnet --dataflow ws",
             {"dataflow: level 'noc' is a noc: a systolic array (dataflow ws)"});
  expect_bad("--arch eyeriss_like_45nm --workload alexnet --dataflow os",
             {"dataflow: level 'ifmap_spad' is per PE: a systolic array (dataflow os)"});
}

TEST_CASE("a budget too small to reach a legal mapping says so and names --budget, exit 2") {
  // Eyeriss CONV1's first 300 points (the exact search's genetic warm-up) overflow a buffer.
  expect_bad(
      "--arch eyeriss --workload alexnet --budget 300",
      {"layer 'conv1': no legal mapping on 'eyeriss'", "all 300 points evaluated are invalid",
       "the search stopped at its budget of 300 points: a larger --budget"});
}
