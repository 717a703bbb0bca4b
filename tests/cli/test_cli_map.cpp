// SPDX-License-Identifier: Apache-2.0
// `loom map` as a user runs it: deterministic files whatever the thread count, read back by
// `loom run --mapping` with the numbers `loom map` reported.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/run_loom.hpp"
#include "common/residual_block.hpp"
#include "core/csv.hpp"

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("loom map writes byte-identical mapping files with 1 and 2 threads") {
  const auto a = loom_test::scratch("map_t1");
  const auto b = loom_test::scratch("map_t2");
  const std::string common = "map -q --workload alexnet --budget 4000 --seed 7 ";
  const auto pa = loom_test::run_loom(common + "--threads 1 -o " + a.string());
  const auto pb = loom_test::run_loom(common + "--threads 2 -o " + b.string());
  INFO(pa.output << pb.output);
  REQUIRE(pa.exit_code == 0);
  REQUIRE(pb.exit_code == 0);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(a)) {
    CHECK(slurp(e.path()) == slurp(b / e.path().filename()));
    ++files;
  }
  // AlexNet: five convolutions and three fully-connected layers, and the graph schedule's file.
  CHECK(files == 9);
  // The printed report is the same too, but for the folder named in its last line.
  CHECK(pa.output.substr(0, pa.output.find("wrote")) ==
        pb.output.substr(0, pb.output.find("wrote")));
}

TEST_CASE("loom run --mapping reproduces the cycles loom map reported") {
  // `loom map` prices each layer on its own, with cold buffers: `run --schedule layerwise`.
  const auto dir = loom_test::scratch("map_rt");
  const auto m = loom_test::run_loom("map -q --workload alexnet --layer conv3 --budget 3000 -o " +
                                     (dir / "maps").string());
  INFO(m.output);
  REQUIRE(m.exit_code == 0);
  const auto r = loom_test::run_loom("run -q --schedule layerwise --workload alexnet --mapping " +
                                     (dir / "maps").string() + " -o " + (dir / "out").string());
  REQUIRE(r.exit_code == 0);
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  for (const auto& row : csv.rows)
    if (row.fields[0] == "conv3")
      CHECK_THAT(m.output, Catch::Contains("conv3: " + row.fields[3] + " cycles"));
}

TEST_CASE("a bad mapping file or option is a clear error, exit 2") {
  const auto dir = loom_test::scratch("map_bad");
  std::ofstream(dir / "m.yaml") << "layer: conv1\nlevels: []\n";
  const auto r = loom_test::run_loom("run -q --workload alexnet --mapping " +
                                     (dir / "m.yaml").string() + " -o " + (dir / "out").string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("expected 4 levels"));
  const auto o = loom_test::run_loom("map --workload alexnet --objective speed");
  CHECK(o.exit_code == 2);
  CHECK_THAT(o.output, Catch::Contains("speed"));
  const auto l = loom_test::run_loom("map --workload alexnet --layer nope");
  CHECK(l.exit_code == 2);
  CHECK_THAT(l.output, Catch::Contains("no MAC layer named 'nope'"));
}

TEST_CASE("a spatial array maps through the mapper, round-trips its conv-view mappings") {
  const auto dir = loom_test::scratch("map_spatial");
  const auto m = loom_test::run_loom(
      "map -q --arch eyeriss_like_45nm --workload alexnet --layer conv3 "
      "--budget 4000 -o " +
      (dir / "maps").string());
  INFO(m.output);
  REQUIRE(m.exit_code == 0);
  CHECK_THAT(slurp(dir / "maps" / "conv3.yaml"), Catch::Contains("view: conv"));
  const auto r = loom_test::run_loom(
      "run -q --arch eyeriss_like_45nm --workload alexnet --budget 4000 "
      "--mapping " +
      (dir / "maps").string() + " -o " + (dir / "out").string());
  REQUIRE(r.exit_code == 0);
  const auto csv = loom::core::read_csv(dir / "out" / "layers.csv");
  for (const auto& row : csv.rows)
    if (row.fields[0] == "conv3")
      CHECK_THAT(m.output, Catch::Contains("conv3: " + row.fields[3] + " cycles"));
  const auto no =
      loom_test::run_loom("run -q --arch eyeriss_like_45nm --workload alexnet --no-search");
  CHECK(no.exit_code == 2);
  CHECK_THAT(no.output, Catch::Contains("mapper"));
}

TEST_CASE("loom run --strategy exact is seed-independent and certifies every systolic layer") {
  // The exact search closes AlexNet's systolic spaces (docs/mapping.md): every layer is proven
  // optimal, so the seed (used only by the other strategies) cannot change a byte.
  const auto a = loom_test::scratch("exact_seed1");
  const auto b = loom_test::scratch("exact_seed3");
  const std::string common = "run -q --workload alexnet --arch edge_ws_32x32 --strategy exact ";
  const auto pa = loom_test::run_loom(common + "--seed 1 -o " + a.string());
  const auto pb = loom_test::run_loom(common + "--seed 3 -o " + b.string());
  INFO(pa.output << pb.output);
  REQUIRE(pa.exit_code == 0);
  REQUIRE(pb.exit_code == 0);
  const auto csv = loom::core::read_csv(a / "layers.csv");
  // The column by name (static_energy_pj, total_energy_pj and group were appended after it).
  const auto& hf = csv.header.fields;
  const auto gap_col =
      static_cast<std::size_t>(std::find(hf.begin(), hf.end(), "optimality_gap_pct") - hf.begin());
  REQUIRE(csv.header.fields[gap_col] == "optimality_gap_pct");
  REQUIRE(csv.rows.size() == 8);
  for (const auto& row : csv.rows) {
    INFO(row.fields[0]);
    CHECK(row.fields[gap_col] == "0");
  }
  const auto csv_b = slurp(b / "layers.csv");
  CHECK(slurp(a / "layers.csv") == csv_b);
  // The default strategy is the exact one: the same file, with or without its name.
  const auto d = loom_test::scratch("exact_default");
  REQUIRE(loom_test::run_loom("run -q --workload alexnet --arch edge_ws_32x32 --seed 2 -o " +
                              d.string())
              .exit_code == 0);
  CHECK(slurp(d / "layers.csv") == csv_b);
  // The genetic search proves no bound: the column stays empty.
  const auto c = loom_test::scratch("genetic_gap");
  REQUIRE(loom_test::run_loom("run -q --workload alexnet --strategy genetic --budget 2000 -o " +
                              c.string())
              .exit_code == 0);
  const auto genetic = loom::core::read_csv(c / "layers.csv");
  const auto& gf = genetic.header.fields;
  const auto gap =
      static_cast<std::size_t>(std::find(gf.begin(), gf.end(), "optimality_gap_pct") - gf.begin());
  REQUIRE(genetic.header.fields[gap] == "optimality_gap_pct");
  for (const auto& row : genetic.rows) CHECK(row.fields[gap].empty());
}

namespace {

// A plain run's AlexNet CONV1-5 at batch 4 against the Eyeriss chip (JSSC 2017, Sec. VI), in
// the bands of `loom validate eyeriss`: processing latency 103.5 ms (15%), time-averaged active
// PEs 148 (8 PEs), DRAM 15.4 MB and GLB 208.5 MB (20%).
void check_eyeriss_bands(const std::filesystem::path& out) {
  const auto csv = loom::core::read_csv(out / "layers.csv");
  const auto col = [&](const char* name) {
    const auto& h = csv.header.fields;
    return static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin());
  };
  double dram = 0, glb = 0, compute = 0, cycles = 0, pe_cycles = 0;
  for (const auto& row : csv.rows) {
    if (row.fields[0].rfind("conv", 0) != 0) continue;
    const auto num = [&](const char* name) { return std::stod(row.fields[col(name)]); };
    dram += num("bytes_dram");
    glb += num("bytes_glb");
    compute += num("compute_cycles");
    cycles += num("total_cycles");
    pe_cycles += num("active_pes") * num("total_cycles");
  }
  const double ms = compute / 200e6 * 1e3;
  INFO("DRAM " << dram / 1e6 << " MB, GLB " << glb / 1e6 << " MB, " << ms << " ms, "
               << pe_cycles / cycles << " PEs");
  CHECK(std::abs(ms - 103.5) <= 0.15 * 103.5);
  CHECK(std::abs(pe_cycles / cycles - 148.0) <= 8.0);
  CHECK(std::abs(dram / 1e6 - 15.4) <= 0.20 * 15.4);
  CHECK(std::abs(glb / 1e6 - 208.5) <= 0.20 * 208.5);
}

}  // namespace

TEST_CASE(
    "at default settings the seed changes no byte, and Eyeriss AlexNet batch 4 holds the chip "
    "bands") {
  // The default strategy is exact: its warm-up has its own fixed seed and the tree none, so
  // the user's seed (kept for random and genetic) cannot matter, on either family.
  for (const std::string args : {"--arch eyeriss --workload alexnet --batch 4",
                                 "--arch edge_ws_32x32 --workload resnet50"}) {
    std::string first;
    for (const int seed : {1, 2, 3}) {
      const auto out = loom_test::scratch("default_seed" + std::to_string(seed));
      const auto p = loom_test::run_loom("run -q " + args + " --seed " + std::to_string(seed) +
                                         " -o " + out.string());
      INFO(args << " seed " << seed << "\n" << p.output);
      REQUIRE(p.exit_code == 0);
      const auto csv = slurp(out / "layers.csv");
      if (seed == 1) first = csv;
      CHECK(csv == first);
      if (seed == 1 && args.find("eyeriss") != std::string::npos) check_eyeriss_bands(out);
    }
  }
}

TEST_CASE("loom map under the graph schedule writes the schedule loom run --mapping reproduces") {
  const auto dir = loom_test::scratch("map_graph");
  std::ofstream(dir / "net.yaml") << loom_test::kResidualBlock;
  std::ofstream(dir / "arch.yaml") << loom_test::small_ws_yaml(32);
  const std::string common =
      " --arch " + (dir / "arch.yaml").string() + " --workload " + (dir / "net.yaml").string();
  const auto m =
      loom_test::run_loom("map -q --budget 1000" + common + " -o " + (dir / "maps").string());
  INFO(m.output);
  REQUIRE(m.exit_code == 0);
  // Priced tile by tile, the pair c1..c2 runs fused as one tile of 32 rows (c1's tensor, which
  // the add reads too, still goes to DRAM), and c2's and c3's tensors stay.
  CHECK_THAT(m.output, Catch::Contains("group c1..c2"));
  const std::string file = slurp(dir / "maps" / "schedule.yaml");
  CHECK_THAT(file, Catch::Contains("schedule: graph"));
  CHECK_THAT(file, Catch::Contains("{layers: [\"c1\", \"c2\"], tile_rows: 32, halo: recompute"));
  CHECK_THAT(file, Catch::Contains("resident: [\"c2\", \"c3\"]"));
  // loom run with these mappings (its default: the graph schedule, same objective, and the same
  // budget, with which its mapper maps the fused group's tile shapes) runs the recorded
  // schedule: the same groups and resident tensors, the figures the file gives.
  const auto r = loom_test::run_loom("run -q --budget 1000" + common + " --mapping " +
                                     (dir / "maps").string() + " -o " + (dir / "out").string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, !Catch::Contains("warning"));
  std::ifstream in(dir / "out" / "summary.json");
  const auto j = nlohmann::json::parse(in);
  const auto& g = j["schedule"]["groups"];
  REQUIRE(g.size() == 1);
  CHECK(g[0]["layers"] == nlohmann::json({"c1", "c2"}));
  CHECK_THAT(
      file, Catch::Contains("cycles: " + std::to_string(j["totals"]["cycles"].get<std::int64_t>()) +
                            "\n"));
  CHECK_THAT(file,
             Catch::Contains(
                 "dram_bytes: " +
                 std::to_string(std::llround(j["levels"]["dram"]["bytes"].get<double>())) + "\n"));
  std::string resident = "resident: [";
  for (const auto& t : j["schedule"]["resident"])
    resident += (resident.back() == '[' ? "\"" : ", \"") + t.get<std::string>() + "\"";
  CHECK_THAT(file, Catch::Contains(resident + "]"));
  // A layerwise run of the folder says it does not run the recorded schedule.
  const auto l = loom_test::run_loom("run -q --schedule layerwise" + common + " --mapping " +
                                     (dir / "maps").string() + " -o " + (dir / "lw").string());
  CHECK(l.exit_code == 0);
  CHECK_THAT(l.output, Catch::Contains("warning: ") && Catch::Contains("this run is layerwise"));
  // --schedule layerwise writes the mapping files alone, the same ones.
  const auto w = loom_test::run_loom("map -q --schedule layerwise --budget 1000" + common + " -o " +
                                     (dir / "maps_lw").string());
  REQUIRE(w.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "maps_lw" / "schedule.yaml"));
  for (const char* layer : {"c1", "c2", "c3", "c4", "c5"})
    CHECK(slurp(dir / "maps" / (std::string(layer) + ".yaml")) ==
          slurp(dir / "maps_lw" / (std::string(layer) + ".yaml")));
}
