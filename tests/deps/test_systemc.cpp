// SPDX-License-Identifier: Apache-2.0
// SystemC kernel and the SystemC flavour of a verilated model. Each TEST_CASE elaborates and
// runs the kernel, which SystemC allows once per process: ctest runs them one per process.
#include <Vadder_sc.h>
#include <catch2/catch.hpp>
#include <systemc>

namespace {

// Counts rising edges of its clock input.
SC_MODULE(EdgeCounter) {
  sc_core::sc_in<bool> clk;
  int rising_edges = 0;

  SC_CTOR(EdgeCounter) {
    SC_METHOD(on_rise);
    sensitive << clk.pos();
    dont_initialize();
  }

  void on_rise() { ++rising_edges; }
};

// Fails with a clear message, not a SystemC elaboration error, if a second test case is run in
// a process that has already started the kernel (e.g. the binary run without arguments).
void require_fresh_kernel() {
  INFO("SystemC elaborates once per process: run one test case per process, as ctest does");
  REQUIRE_FALSE(sc_core::sc_start_of_simulation_invoked());
}

}  // namespace

TEST_CASE("SystemC counts rising edges of a 10 ns clock over 100 ns") {
  require_fresh_kernel();
  // Period 10 ns, 50% duty, first edge positive at t = 0: rising edges at 0, 10, ..., 90 ns.
  sc_core::sc_clock clk("clk", 10, sc_core::SC_NS, 0.5, 0, sc_core::SC_NS, true);
  EdgeCounter counter("counter");
  counter.clk(clk);
  sc_core::sc_start(100, sc_core::SC_NS);
  CHECK(counter.rising_edges == 10);
  CHECK(sc_core::sc_time_stamp() == sc_core::sc_time(100, sc_core::SC_NS));
}

TEST_CASE("SystemC-verilated 8-bit adder produces a 9-bit sum including the carry") {
  require_fresh_kernel();
  // Verilator's SystemC ports for vectors up to 32 bits are uint32_t.
  sc_core::sc_signal<uint32_t> a("a"), b("b"), y("y");
  Vadder_sc adder("adder");
  adder.a(a);
  adder.b(b);
  adder.y(y);
  struct Case {
    uint32_t a, b, y;
  };
  for (const Case c : {Case{1, 2, 3}, Case{200, 55, 255}, Case{255, 1, 256}, Case{255, 255, 510}}) {
    a.write(c.a);
    b.write(c.b);
    sc_core::sc_start(1, sc_core::SC_NS);
    CHECK(y.read() == c.y);
  }
}
