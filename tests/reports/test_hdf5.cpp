// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <limits>

#include "common/error_of.hpp"
#include "core/error.hpp"
#include "reports/hdf5_writer.hpp"
#include "scratch_dir.hpp"

using namespace loom::reports;

namespace {

ResultTable summary_table() {
  ResultTable t;
  t.add_column("cycles", "cycles", ColumnType::Int64);
  t.add_column("latency_s", "s", ColumnType::Double);
  t.add_column("accelerator", "", ColumnType::String);
  t.add_column("note", "", ColumnType::String);  // every value empty: a 1-byte field
  t.add_row()
      .set("cycles", std::numeric_limits<std::int64_t>::max())
      .set("latency_s", std::numeric_limits<double>::denorm_min())
      .set("accelerator", "eyeriss µarch");  // UTF-8 survives
  return t;
}

}  // namespace

TEST_CASE("hdf5 round trip keeps every cell, column type and unit") {
  const ScratchDir dir;
  const ResultTable layers = sample_table();
  const ResultTable summary = summary_table();
  write_hdf5(dir / "results.h5", {{"layers", layers}, {"summary", summary}},
             {{"loom_version", "0.1.0"}, {"workload", "alexnet"}});
  CHECK_FALSE(std::filesystem::exists(dir / "results.h5.tmp"));

  const ResultTable l = read_hdf5_table(dir / "results.h5", "layers");
  CHECK(l.columns() == layers.columns());
  CHECK(l.rows() == layers.rows());
  CHECK(l == layers);
  CHECK(read_hdf5_table(dir / "results.h5", "summary") == summary);
  CHECK(list_hdf5_tables(dir / "results.h5") == std::vector<std::string>{"layers", "summary"});
  CHECK(read_hdf5_attributes(dir / "results.h5") ==
        std::map<std::string, std::string>{{"loom_version", "0.1.0"}, {"workload", "alexnet"}});
}

TEST_CASE("hdf5 writes a table without rows") {
  const ScratchDir dir;
  ResultTable empty;
  empty.add_column("layer", "", ColumnType::String);
  empty.add_column("energy_pj", "pJ", ColumnType::Double);
  write_hdf5(dir / "e.h5", {{"layers", empty}});
  CHECK(read_hdf5_table(dir / "e.h5", "layers") == empty);
  CHECK(read_hdf5_attributes(dir / "e.h5").empty());
}

TEST_CASE("hdf5 replaces an existing file") {
  const ScratchDir dir;
  const ResultTable layers = sample_table();
  const ResultTable summary = summary_table();
  write_hdf5(dir / "r.h5", {{"layers", layers}});
  write_hdf5(dir / "r.h5", {{"summary", summary}});
  CHECK(list_hdf5_tables(dir / "r.h5") == std::vector<std::string>{"summary"});
}

TEST_CASE("hdf5 errors name the file and never print HDF5's stack") {
  const ScratchDir dir;
  const ResultTable t = sample_table();
  write_hdf5(dir / "r.h5", {{"layers", t}});
  std::ofstream(dir / "text.h5") << "not hdf5\n";

  const auto bad_dir = (dir / "r.h5" / "x.h5").string();
  CHECK_THAT(error_of([&] {
               write_hdf5(bad_dir, {{"layers", t}});
             }),
             Catch::StartsWith(bad_dir + ": cannot write ("));
  CHECK(error_of([&] { (void)read_hdf5_table(dir / "none.h5", "layers"); }) ==
        (dir / "none.h5").string() + ": no such file");
  CHECK(error_of([&] { (void)read_hdf5_table(dir / "text.h5", "layers"); }) ==
        (dir / "text.h5").string() + ": not an HDF5 file");
  CHECK(error_of([&] { (void)read_hdf5_table(dir / "r.h5", "summary"); }) ==
        (dir / "r.h5").string() + " summary: no such table (found: layers)");
}

TEST_CASE("hdf5 column names that are not HDF5 link names round trip") {
  const ScratchDir dir;
  ResultTable t;
  // '/' separates HDF5 paths ("<axis>.<layer>" columns carry ONNX names like /conv1/Conv), '%'
  // is the escape, and "." names the group itself.
  for (const char* name : {"per_layer_bits./conv1/Conv", "pruned_%", "%2F", ".", "..", "a"})
    t.add_column(name, "", ColumnType::Int64);
  t.add_row().set("a", 1).set("%2F", 2).set(".", 3).set("per_layer_bits./conv1/Conv", 4);
  write_hdf5(dir / "names.h5", {{"layers", t}});
  CHECK(read_hdf5_table(dir / "names.h5", "layers") == t);
}

TEST_CASE("hdf5 reads results.h5 files of the earlier layout, one compound dataset per table") {
  // Written by `loom run -q --workload alexnet --no-search` and a 4-point grid sweep of a tiny
  // net before issue 19 made each table a group of columns; `loom report` and `loom compare`
  // still read them (tests/cli/test_run_outputs.cpp).
  const std::filesystem::path data = LOOM_TEST_DATA "/results_h5";
  const auto run = data / "run_alexnet_compound.h5";
  CHECK(list_hdf5_tables(run) == std::vector<std::string>{"layers", "summary"});
  const ResultTable layers = read_hdf5_table(run, "layers");
  REQUIRE(layers.row_count() == 8);
  CHECK(layers.get_string(0, "layer") == "conv1");
  CHECK(layers.get_string(7, "layer") == "fc8");
  CHECK(layers.get_int(0, "macs") == 105415200);
  CHECK(layers.columns()[layers.column_index("energy_pj")].unit == "pJ");
  CHECK(read_hdf5_table(run, "summary").get_string(0, "workload") == "alexnet");
  CHECK(read_hdf5_attributes(run).at("workload") == "alexnet");
  const auto sweep = data / "sweep_tiny_compound.h5";
  CHECK(list_hdf5_tables(sweep) == std::vector<std::string>{"chosen_layers", "layers_point_0",
                                                            "layers_point_1", "layers_point_2",
                                                            "layers_point_3", "pareto", "points"});
  const ResultTable points = read_hdf5_table(sweep, "points");
  REQUIRE(points.row_count() == 4);
  CHECK(points.get_string(0, "dataflow") == "os");
  CHECK(points.columns()[points.column_index("energy_pj")].unit == "pJ");
}

TEST_CASE("hdf5 rejects bad dataset names before touching the file") {
  const ScratchDir dir;
  const ResultTable t = sample_table();
  const ResultTable no_columns;
  CHECK_THROWS_AS(write_hdf5(dir / "a.h5", {{"a/b", t}}), std::logic_error);
  CHECK_THROWS_AS(write_hdf5(dir / "a.h5", {{"t", t}, {"t", t}}), std::logic_error);
  CHECK_THROWS_AS(write_hdf5(dir / "a.h5", {{"t", no_columns}}), std::logic_error);
  CHECK_FALSE(std::filesystem::exists(dir / "a.h5"));
}

// Issue 15: one flipped bit in results.h5 made HDF5 crash (SIGSEGV) or loop forever inside
// `loom report`. Every single-byte corruption must now read or be refused with a loom::Error.
TEST_CASE("hdf5 every corrupted byte of a file is read or refused, never a crash") {
  const ScratchDir dir;
  const ResultTable layers = sample_table();
  const ResultTable summary = summary_table();
  write_hdf5(dir / "good.h5", {{"layers", layers}, {"summary", summary}},
             {{"loom_version", "0.1.0"}, {"clock_hz", "1e9"}});
  std::string bytes;
  {
    std::ifstream in(dir / "good.h5", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  REQUIRE(bytes.size() > 1000);
  int read = 0, refused = 0, damaged = 0;
  // The metadata (superblock, object headers, heaps, B-trees) sits in the first few KB; the
  // rest is table data, which a flip changes but cannot make unreadable.
  const std::size_t end = std::min<std::size_t>(bytes.size(), 4096);
  for (std::size_t i = 0; i < end; i += 7) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    std::ofstream(dir / "bad.h5", std::ios::binary | std::ios::trunc) << bad;
    try {
      for (const auto& t : list_hdf5_tables(dir / "bad.h5"))
        (void)read_hdf5_table(dir / "bad.h5", t);
      (void)read_hdf5_attributes(dir / "bad.h5");
      ++read;
    } catch (const loom::Error& e) {
      ++refused;
      damaged += std::string(e.what()).find("damaged file") != std::string::npos;
    }
  }
  CHECK(read > 0);
  CHECK(refused > 0);
  INFO("refused as damaged (HDF5 crashed or looped in the probe): " << damaged);
  CHECK(read + refused == static_cast<int>((end + 6) / 7));
}
