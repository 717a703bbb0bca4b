// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <limits>

#include "core/error.hpp"
#include "reports/console_table.hpp"
#include "scratch_dir.hpp"

using namespace loom::reports;

TEST_CASE("console table right-aligns numbers, shows units and a totals rule") {
  ResultTable t = sample_table();
  t.add_row().set("layer", "total").set("macs", 105419296).set("energy_pj", 1234.5678);
  ConsoleTableOptions o;
  o.footer_rows = 1;
  CHECK(format_console_table(t, {}, o) ==
        "layer            macs  energy_pj [pJ]\n"
        "--------  -----------  --------------\n"
        "conv1     105,415,200            0.10\n"
        "fc,\"big\"        4,096            0.33\n"
        "--------  -----------  --------------\n"
        "total     105,419,296        1,234.57\n");
}

TEST_CASE("console table picks columns, per-column precision and plain digits") {
  ResultTable t = sample_table();
  t.set(0, "energy_pj", -9876543.21);
  t.set(1, "energy_pj", std::numeric_limits<double>::infinity());
  ConsoleTableOptions o;
  o.precisions = {{"energy_pj", 1}};
  o.thousands = false;
  o.labels = {{"energy_pj", "energy"}};
  CHECK(format_console_table(t, {"energy_pj", "layer"}, o) ==
        "energy [pJ]  layer\n"
        "-----------  --------\n"
        " -9876543.2  conv1\n"
        "        inf  fc,\"big\"\n");
}

TEST_CASE("console cells group thousands after a minus sign") {
  CHECK(format_cell(Cell{std::int64_t{-1234567}}, 2, true) == "-1,234,567");
  CHECK(format_cell(Cell{-123.456}, 1, true) == "-123.5");
  CHECK(format_cell(Cell{999.999}, 2, true) == "1,000.00");
  CHECK(format_cell(Cell{std::int64_t{100}}, 2, true) == "100");
}

TEST_CASE("console table counts code points, not bytes, when aligning") {
  ResultTable t;
  t.add_column("t", "µs", ColumnType::Int64);
  t.add_row().set("t", 1);
  CHECK(format_console_table(t) == "t [µs]\n------\n     1\n");
}

TEST_CASE("console table rejects an unknown column by name") {
  CHECK_THROWS_AS(format_console_table(sample_table(), {"energy"}), loom::Error);
}
