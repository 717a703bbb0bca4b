// SPDX-License-Identifier: Apache-2.0
// The cycle-level systolic array against independent references: its outputs against a naive
// GEMM computed here, its cycles against the analytical model's default-mode formula (which
// must follow the same schedule), its edge traffic against the analytical array-side counts.
#include <catch2/catch.hpp>

#include <random>

#include "dataflow/systolic.hpp"
#include "sim/array_module.hpp"
#include "sim_fixtures.hpp"
#include "sim/systolic_array.hpp"

using namespace loom;
using arch::Dataflow;

namespace {

struct Gemm {
  std::int64_t mpx, k, m;
  std::vector<std::int32_t> a, b;
};

Gemm random_gemm(std::int64_t mpx, std::int64_t k, std::int64_t m, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Gemm g{mpx, k, m, {}, {}};
  for (std::int64_t i = 0; i < mpx * k; ++i) g.a.push_back(static_cast<std::int8_t>(rng()));
  for (std::int64_t i = 0; i < k * m; ++i) g.b.push_back(static_cast<std::int8_t>(rng()));
  return g;
}

std::vector<std::int64_t> naive_gemm(const Gemm& g) {
  std::vector<std::int64_t> y(static_cast<std::size_t>(g.mpx * g.m), 0);
  for (std::int64_t p = 0; p < g.mpx; ++p)
    for (std::int64_t j = 0; j < g.m; ++j) {
      std::int64_t s = 0;
      for (std::int64_t q = 0; q < g.k; ++q)
        s += static_cast<std::int64_t>(g.a[static_cast<std::size_t>(p * g.k + q)]) *
             g.b[static_cast<std::size_t>(q * g.m + j)];
      y[static_cast<std::size_t>(p * g.m + j)] = static_cast<std::int32_t>(s);  // int8 sums fit
    }
  return y;
}

// SCALE-Sim's fold order: row folds outer, column folds inner, the whole time dimension each.
std::vector<sim::Fold> scalesim_folds(Dataflow df, const Gemm& g, std::int64_t ar,
                                      std::int64_t ac) {
  std::int64_t er = g.mpx, ec = g.m, et = g.k;
  if (df == Dataflow::ws) er = g.k, ec = g.m, et = g.mpx;
  if (df == Dataflow::is) er = g.k, ec = g.mpx, et = g.m;
  std::vector<sim::Fold> folds;
  for (std::int64_t r = 0; r < er; r += ar)
    for (std::int64_t c = 0; c < ec; c += ac)
      folds.push_back({.row0 = r, .rows = std::min(ar, er - r), .col0 = c,
                       .cols = std::min(ac, ec - c), .t0 = 0, .steps = et});
  return folds;
}


}  // namespace

TEST_CASE("systolic array outputs equal a naive GEMM and its cycles the analytical schedule") {
  sim::CppPe pe;
  std::mt19937_64 rng(42);
  int runs = 0;
  for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is}) {
    for (int trial = 0; trial < 12; ++trial) {
      const std::int64_t ar = 1 + static_cast<std::int64_t>(rng() % 9);
      const std::int64_t ac = 1 + static_cast<std::int64_t>(rng() % 9);
      const auto g = random_gemm(1 + static_cast<std::int64_t>(rng() % 30),
                                 1 + static_cast<std::int64_t>(rng() % 30),
                                 1 + static_cast<std::int64_t>(rng() % 20), rng());
      INFO(arch::dataflow_info(df).name << " " << ar << "x" << ac << " gemm " << g.mpx << "x"
                                        << g.k << "x" << g.m);
      sim::SystolicArray array(ar, ac, df, 32, pe);
      std::vector<std::int64_t> y(static_cast<std::size_t>(g.mpx * g.m), 0);
      const auto folds = scalesim_folds(df, g, ar, ac);
      const auto st = array.run({g.mpx, g.k, g.m, g.a, g.b, y}, folds);
      CHECK(y == naive_gemm(g));
      CHECK(st.macs == g.mpx * g.k * g.m);
      // The analytical model's default mode, on the same GEMM as a layer, SCALE-Sim's mapping.
      workloads::Layer layer;
      layer.name = "g";
      layer.op = workloads::OpKind::gemm;
      layer.shape = {.M = g.m, .C = g.k, .H = g.mpx, .P = g.mpx};
      const auto counts = dataflow::analyze_systolic(layer, loom_test::systolic_acc(ar, ac, df));
      const std::int64_t steps = folds.front().steps;
      CHECK(st.cycles ==
            sim::SystolicArray::pipelined_cycles(static_cast<std::int64_t>(folds.size()), steps,
                                                 ar, ac));
      if (counts.folds == static_cast<std::int64_t>(folds.size()))  // no time chunking chosen
        CHECK(st.cycles == counts.compute_cycles);
      ++runs;
    }
  }
  CHECK(runs == 36);
}

TEST_CASE("systolic array edge traffic is the analytical array-side SRAM traffic") {
  sim::CppPe pe;
  const auto g = random_gemm(50, 37, 21, 7);
  const std::int64_t ar = 8, ac = 6;
  const std::int64_t rf_os = 7, cf_os = 4;  // ceil(50/8), ceil(21/6)
  std::vector<std::int64_t> y(50 * 21, 0);
  sim::SystolicArray os(ar, ac, Dataflow::os, 32, pe);
  auto st = os.run({g.mpx, g.k, g.m, g.a, g.b, y}, scalesim_folds(Dataflow::os, g, ar, ac));
  CHECK(st.left_reads == cf_os * 50 * 37);  // every pixel row once per filter fold
  CHECK(st.top_reads == rf_os * 21 * 37);   // every filter column once per pixel fold
  CHECK(st.output_writes == 50 * 21);
  CHECK(st.output_reads == 0);
  std::fill(y.begin(), y.end(), 0);
  sim::SystolicArray ws(ar, ac, Dataflow::ws, 32, pe);
  st = ws.run({g.mpx, g.k, g.m, g.a, g.b, y}, scalesim_folds(Dataflow::ws, g, ar, ac));
  const std::int64_t rf_ws = 5, cf_ws = 4;  // ceil(37/8) K folds, ceil(21/6) filter folds
  CHECK(st.top_reads == 37 * 21);            // each weight loaded once
  CHECK(st.left_reads == cf_ws * 50 * 37);
  CHECK(st.output_writes == rf_ws * 50 * 21);
  CHECK(st.output_reads == (rf_ws - 1) * 50 * 21);  // partial sums accumulated across K folds
  CHECK(y == naive_gemm(g));
}

// Narrow SRAM ports (dataflow/sram_ports.hpp): a fold's steps come `stream` cycles apart and
// a preload's or drain's rows `hold` cycles apart, bubbles flowing between. The data must
// still meet in the right PE on the right cycle, and the cycles follow the stretched contract,
// written out here for equal folds: ws/is pay hold·AR for the first preload, each fold but the
// last max(stream·T, hold·AR), the last stream·(T - 1) + 1, then the skew AR + AC - 2 and, for
// os, the drain hold·AR.
TEST_CASE("narrow SRAM ports space a fold's steps and preload rows without corrupting data") {
  sim::CppPe pe;
  std::mt19937_64 rng(11);
  int runs = 0;
  for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is})
    for (const dataflow::EdgeStrides e : {dataflow::EdgeStrides{3, 2}, {1, 4}, {2, 1}, {5, 3}}) {
      const std::int64_t ar = 2 + static_cast<std::int64_t>(rng() % 6);
      const std::int64_t ac = 2 + static_cast<std::int64_t>(rng() % 6);
      const auto g = random_gemm(1 + static_cast<std::int64_t>(rng() % 20),
                                 1 + static_cast<std::int64_t>(rng() % 20),
                                 1 + static_cast<std::int64_t>(rng() % 12), rng());
      INFO(arch::dataflow_info(df).name << " " << ar << "x" << ac << " strides " << e.stream
                                        << "/" << e.hold);
      sim::SystolicArray array(ar, ac, df, 32, pe);
      array.set_strides(e);
      std::vector<std::int64_t> y(static_cast<std::size_t>(g.mpx * g.m), 0);
      const auto folds = scalesim_folds(df, g, ar, ac);
      const auto st = array.run({g.mpx, g.k, g.m, g.a, g.b, y}, folds);
      CHECK(y == naive_gemm(g));
      CHECK(st.macs == g.mpx * g.k * g.m);
      const auto f = static_cast<std::int64_t>(folds.size());
      const std::int64_t t = folds.front().steps;
      const bool os = df == Dataflow::os;
      const std::int64_t expected = (os ? 0 : e.hold * ar) +
                                    (f - 1) * std::max(e.stream * t, e.hold * ar) +
                                    e.stream * (t - 1) + 1 + ar + ac - 2 + (os ? e.hold * ar : 0);
      CHECK(st.cycles == expected);
      CHECK(array.schedule_cycles(folds) == expected);
      ++runs;
    }
  CHECK(runs == 12);
  // By hand: one 4x4 os fold of 5 steps, a step every 3 cycles, drain rows every 2: the last
  // step enters at 12, reaches the far corner 6 cycles later, and 4 rows drain in 8.
  Gemm g = random_gemm(4, 5, 4, 3);
  std::vector<std::int64_t> y(16, 0);
  sim::SystolicArray os(4, 4, Dataflow::os, 32, pe);
  os.set_strides({3, 2});
  CHECK(os.run({4, 5, 4, g.a, g.b, y}, scalesim_folds(Dataflow::os, g, 4, 4)).cycles == 27);
  CHECK(y == naive_gemm(g));
}

TEST_CASE("accumulators wrap at their width like the hardware adder") {
  sim::CppPe pe;
  // 3 products of 127 x 127 = 48,387 overflow a 16-bit accumulator.
  Gemm g{1, 3, 1, {127, 127, 127}, {127, 127, 127}};
  std::vector<std::int64_t> y(1, 0);
  sim::SystolicArray os(2, 2, Dataflow::os, 16, pe);
  os.run({1, 3, 1, g.a, g.b, y}, scalesim_folds(Dataflow::os, g, 2, 2));
  CHECK(y[0] == 48387 - 65536);
}

TEST_CASE("the SystemC module runs jobs back to back with the engine's results") {
  sim::CppPe pe;
  sim::ArraySimulation simulation({.rows = 4, .cols = 5, .dataflow = Dataflow::ws}, pe);
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto g = random_gemm(13, 11, 9, seed);
    std::vector<std::int64_t> y(13 * 9, 0);
    const auto folds = scalesim_folds(Dataflow::ws, g, 4, 5);
    const auto st = simulation.run({g.mpx, g.k, g.m, g.a, g.b, y}, folds);
    CHECK(y == naive_gemm(g));
    CHECK(st.cycles == sim::SystolicArray::pipelined_cycles(
                           static_cast<std::int64_t>(folds.size()), 13, 4, 5));
  }
  CHECK(sc_core::sc_time_stamp() > sc_core::SC_ZERO_TIME);
}
