// SPDX-License-Identifier: Apache-2.0
// Drives the verilated adder.sv (plain C++ model) through its own VerilatedContext.
#include <Vadder.h>
#include <catch2/catch.hpp>
#include <verilated.h>

#include <memory>

TEST_CASE("Verilated 8-bit adder produces a 9-bit sum including the carry") {
  // A context object per model, no Verilated:: global state (STYLE.md).
  auto context = std::make_unique<VerilatedContext>();
  auto adder = std::make_unique<Vadder>(context.get(), "adder");
  struct Case {
    unsigned a, b, y;
  };
  for (const Case c : {Case{0, 0, 0}, Case{1, 2, 3}, Case{200, 55, 255}, Case{255, 1, 256},
                       Case{255, 255, 510}}) {
    adder->a = static_cast<CData>(c.a);
    adder->b = static_cast<CData>(c.b);
    adder->eval();
    CHECK(adder->y == c.y);
  }
  adder->final();
}
