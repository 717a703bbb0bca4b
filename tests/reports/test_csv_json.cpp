// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/error.hpp"
#include "reports/csv_writer.hpp"
#include "reports/json_writer.hpp"
#include "scratch_dir.hpp"

using namespace loom::reports;

TEST_CASE("csv writes plain integers, round-trip doubles and RFC 4180 quoting") {
  ResultTable t = sample_table();
  t.add_row().set("layer", "big").set("macs", std::int64_t{1} << 53).set("energy_pj", 1e21);
  t.add_row().set("layer", "two\nlines").set("macs", -3).set("energy_pj", 2.0);
  const ScratchDir dir;
  write_csv(t, dir / "layers.csv");
  CHECK(slurp(dir / "layers.csv") ==
        "layer,macs,energy_pj\n"
        "conv1,105415200,0.1\n"
        "\"fc,\"\"big\"\"\",4096,0.3333333333333333\n"
        "big,9007199254740992,1e+21\n"
        "\"two\nlines\",-3,2\n");
  CHECK_FALSE(std::filesystem::exists(dir / "layers.csv.tmp"));
}

TEST_CASE("csv doubles read back to the same bits") {
  for (double d : {0.1, 1.0 / 3.0, 6.02214076e23, 5e-324, -0.0, 123456789.123456789}) {
    ResultTable t;
    t.add_column("x", "", ColumnType::Double);
    t.add_row().set("x", d);
    const std::string csv = to_csv(t);
    const double back = std::strtod(csv.c_str() + 2, nullptr);  // stod throws on subnormals
    CHECK(std::memcmp(&back, &d, sizeof d) == 0);
  }
}

TEST_CASE("csv replaces an existing file whole") {
  const ScratchDir dir;
  write_csv(sample_table(), dir / "t.csv");
  ResultTable small;
  small.add_column("a", "", ColumnType::Int64);
  write_csv(small, dir / "t.csv");
  CHECK(slurp(dir / "t.csv") == "a\n");
}

TEST_CASE("an unwritable path gives an error naming it") {
  const ScratchDir dir;
  write_csv(sample_table(), dir / "file");
  const auto under_file = dir / "file" / "t.csv";
  for (const auto& p : {std::filesystem::path("/proc/x/y.csv"), under_file}) {
    try {
      write_csv(sample_table(), p);
      FAIL("expected an error");
    } catch (const loom::Error& e) {
      CHECK_THAT(e.what(), Catch::StartsWith(p.string() + ": cannot write ("));
      CHECK(e.diagnostics().at(0).file == p.string());
    }
    CHECK_THROWS_AS(write_json(nlohmann::json::object(), p), loom::Error);
  }
}

TEST_CASE("json rows keep column order, integers and round-trip doubles") {
  const auto j = to_json(sample_table());
  CHECK(j.dump() == R"([{"layer":"conv1","macs":105415200,"energy_pj":0.1},)"
                    R"({"layer":"fc,\"big\"","macs":4096,"energy_pj":0.3333333333333333}])");
  CHECK(units_json(sample_table()).dump() == R"({"layer":"","macs":"","energy_pj":"pJ"})");
}

TEST_CASE("json file has a 2-space indent and a final newline; NaN becomes null") {
  const ScratchDir dir;
  nlohmann::json doc;
  doc["batch"] = 4;
  doc["totals"]["energy_pj"] = std::numeric_limits<double>::quiet_NaN();
  doc["layers"] = to_json(sample_table());  // ordered_json converts; keys get sorted
  write_json(doc, dir / "summary.json");
  const std::string text = slurp(dir / "summary.json");
  CHECK(text.substr(0, 18) == "{\n  \"batch\": 4,\n  ");
  CHECK(text.back() == '\n');
  CHECK(text.find("\"energy_pj\": null") != std::string::npos);
  const auto back = nlohmann::json::parse(text);
  CHECK(back["layers"][1]["energy_pj"].get<double>() == 1.0 / 3.0);
}
