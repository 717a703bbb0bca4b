// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "core/csv.hpp"
#include "core/units.hpp"

using namespace loom::core;

TEST_CASE("quantities add within one unit and scale by numbers") {
  constexpr Bytes a(3), b(4);
  STATIC_REQUIRE((a + b).value() == 7);
  STATIC_REQUIRE((a * 2).value() == 6);
  STATIC_REQUIRE(Bytes(8) / Bytes(2) == 4);
  STATIC_REQUIRE(a < b);
  // Bytes + Cycles does not compile: the point of the types.
  STATIC_REQUIRE(!std::is_convertible_v<Bytes, Cycles>);
}

TEST_CASE("csv trims fields and ignores a trailing comma") {
  const auto t = parse_csv("Layer, M, N, K,\n\nTest 1, 128 ,64,256,\n", "x.csv");
  REQUIRE(t.header.fields.size() == 4);
  CHECK(t.header.fields[1] == "M");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].line == 3);
  CHECK(t.rows[0].fields == std::vector<std::string>{"Test 1", "128", "64", "256"});
}
