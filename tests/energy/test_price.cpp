// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "arch/access_counts.hpp"
#include "energy/price.hpp"

using namespace loom;
using namespace loom::energy;
using arch::Operand;

TEST_CASE("price of hand-built access counts equals the hand-computed sum") {
  EnergyTable t;
  t.mac_pj_native = 0.3;
  t.mult_share = 2.0 / 3.0;
  t.level_count = 2;
  t.levels[0] = {20.0, 25.0, ""};
  t.levels[1] = {0.5, 0.75, ""};

  arch::AccessCounts c;
  c.levels = 2;
  c.at(0, Operand::filter).read(100, 8);   // 800 bits
  c.at(0, Operand::ofmap).write(10, 32);   // 320 bits
  c.at(1, Operand::ifmap).read(1000, 8);   // 8000 bits
  c.at(1, Operand::filter).read(400, 8);   // 3200 bits
  c.at(1, Operand::ofmap).write(50, 32);   // 1600 bits
  c.at(1, Operand::ofmap).read(20, 32);    // 640 bits

  const auto b = price(c, 5000, 8, 8, t);
  CHECK(b.mac_pj == Approx(5000 * 0.3));
  CHECK(b.level_pj[0] == Approx(800 * 20.0 + 320 * 25.0));
  CHECK(b.level_pj[1] == Approx(8000 * 0.5 + 3200 * 0.5 + 1600 * 0.75 + 640 * 0.5));
  CHECK(b.operand_pj[0] == Approx(8000 * 0.5));
  CHECK(b.operand_pj[1] == Approx(800 * 20.0 + 3200 * 0.5));
  CHECK(b.operand_pj[2] == Approx(320 * 25.0 + 1600 * 0.75 + 640 * 0.5));
  CHECK(b.total_pj == Approx(1500 + 24000 + 7120));
  CHECK(b.operand_pj[0] + b.operand_pj[1] + b.operand_pj[2] == Approx(b.total_pj - b.mac_pj));
}

TEST_CASE("price uses the layer's operand widths for the MAC energy") {
  EnergyTable t;
  t.mac_pj_native = 0.3;
  t.mult_share = 2.0 / 3.0;
  arch::AccessCounts c;
  const auto b = price(c, 10, 4, 8, t);
  CHECK(b.mac_pj == Approx(10 * (0.1 + 0.1)));
  CHECK(b.total_pj == Approx(b.mac_pj));
}
