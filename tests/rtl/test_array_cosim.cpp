// SPDX-License-Identifier: Apache-2.0
// The Verilated 4x4 and 8x8 arrays against Loom's systolic array engine (in its SystemC module,
// and bare) on random GEMMs, every PE's registers compared on every cycle; and the altered PEs
// caught with their GEMM, cycle and PE.
#include <catch2/catch.hpp>

#include "rtl/array_cosim.hpp"

using namespace loom;
using namespace loom::rtl;
using arch::Dataflow;

namespace {

// 20 GEMMs per precision, the 8-bit run through SystemC, the others through the bare engine:
// 60 GEMMs per (size, dataflow), 360 over the six cases below.
void require_clean(std::int64_t n, Dataflow df) {
  std::int64_t gemms = 0;
  for (int bits : {8, 4, 2}) {
    INFO(n << "x" << n << " " << bits << "-bit");
    const auto r = run_array_cosim({.rows = n, .cols = n, .dataflow = df, .operand_bits = bits,
                                    .gemms = 20, .seed = static_cast<std::uint64_t>(bits),
                                    .systemc = bits == 8});
    INFO((r.counts.first ? describe(*r.counts.first) : std::string("no mismatch")));
    CHECK(r.counts.mismatches == 0);
    CHECK(r.output_errors == 0);
    CHECK(r.outputs_checked > 0);
    CHECK(r.macs > 0);
    CHECK(r.counts.vectors > 20 * n);
    gemms += r.gemms;
  }
  CHECK(gemms == 60);
}

void require_caught(std::int64_t n, Fault fault, int bits) {
  for (auto df : {Dataflow::os, Dataflow::ws, Dataflow::is}) {
    const auto r = run_array_cosim({.rows = n, .cols = n, .dataflow = df, .operand_bits = bits,
                                    .fault = fault, .gemms = 5, .systemc = false});
    CHECK(r.counts.mismatches > 0);
    REQUIRE(r.counts.first.has_value());
    CHECK(r.counts.first->gemm >= 0);
    CHECK(r.counts.first->row < n);
    CHECK(r.counts.first->col < n);
    CHECK(r.counts.first->rtl != r.counts.first->model);
  }
}

}  // namespace

TEST_CASE("4x4 RTL array equals the SystemC array on random GEMMs: os") {
  require_clean(4, Dataflow::os);
}
TEST_CASE("4x4 RTL array equals the SystemC array on random GEMMs: ws") {
  require_clean(4, Dataflow::ws);
}
TEST_CASE("4x4 RTL array equals the SystemC array on random GEMMs: is") {
  require_clean(4, Dataflow::is);
}
TEST_CASE("8x8 RTL array equals the SystemC array on random GEMMs: os") {
  require_clean(8, Dataflow::os);
}
TEST_CASE("8x8 RTL array equals the SystemC array on random GEMMs: ws") {
  require_clean(8, Dataflow::ws);
}
TEST_CASE("8x8 RTL array equals the SystemC array on random GEMMs: is") {
  require_clean(8, Dataflow::is);
}

TEST_CASE("an array of carry-fault PEs is caught, 4x4 and 8x8") {
  require_caught(4, Fault::carry, 8);
  require_caught(8, Fault::carry, 4);
}

TEST_CASE("an array of split-fault PEs is caught in 4- and 2-bit modes, 4x4 and 8x8") {
  require_caught(4, Fault::split, 4);
  require_caught(8, Fault::split, 2);
}
