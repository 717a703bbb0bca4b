// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/error.hpp"
#include "reports/result_table.hpp"
#include "scratch_dir.hpp"

using loom::reports::Cell;
using loom::reports::ColumnType;
using loom::reports::ResultTable;

TEST_CASE("result table keeps columns in order with units and types") {
  const ResultTable t = sample_table();
  REQUIRE(t.column_count() == 3);
  CHECK(t.columns()[2].name == "energy_pj");
  CHECK(t.columns()[2].unit == "pJ");
  CHECK(t.columns()[1].type == ColumnType::Int64);
  CHECK(t.column_index("macs") == 1);
  CHECK_FALSE(t.find_column("nope").has_value());
  CHECK(t.get_string(1, "layer") == "fc,\"big\"");
  CHECK(t.get_int(0, "macs") == 105415200);
  CHECK(t.get_double(1, "energy_pj") == 1.0 / 3.0);
}

TEST_CASE("result table starts new rows and columns at zero values") {
  ResultTable t;
  t.add_column("a", "", ColumnType::Int64);
  t.add_row();
  t.add_column("b", "pJ", ColumnType::Double);
  t.add_column("c", "", ColumnType::String);
  CHECK(t.rows()[0] == std::vector<Cell>{std::int64_t{0}, 0.0, std::string{}});
}

TEST_CASE("result table stores an integer into a double column as a double") {
  ResultTable t;
  t.add_column("e", "pJ", ColumnType::Double);
  t.add_row().set("e", 7);
  t.add_row();
  t.set(1, 0, std::size_t{8});
  CHECK(std::get<double>(t.at(0, "e")) == 7.0);
  CHECK(t.get_double(1, "e") == 8.0);
}

TEST_CASE("result table rejects a cell of the wrong type and unsigned overflow") {
  ResultTable t = sample_table();
  CHECK_THROWS_AS(t.set(0, "macs", 1.5), std::logic_error);
  CHECK_THROWS_AS(t.set(0, "layer", 3), std::logic_error);
  CHECK_THROWS_AS(t.set(0, "macs", ~std::uint64_t{0}), std::logic_error);
  CHECK_THROWS_AS(t.set(5, "macs", 1), std::logic_error);
  CHECK_THROWS_AS(t.add_column("macs", "", ColumnType::Int64), std::logic_error);
}

TEST_CASE("result table names the valid columns for an unknown one") {
  const ResultTable t = sample_table();
  try {
    (void)t.column_index("mac");
    FAIL("expected an error");
  } catch (const loom::Error& e) {
    CHECK(std::string(e.what()) ==
          "unknown column 'mac' (expected one of: layer, macs, energy_pj)");
  }
}
