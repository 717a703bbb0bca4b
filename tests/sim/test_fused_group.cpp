// SPDX-License-Identifier: Apache-2.0
// Fused groups of chained convolutions through the cycle-level systolic array with real int8
// data, tile by tile (schedule/fusion_tiles.hpp, sim/fused_group.hpp): every layer's outputs
// equal the golden chain, and the simulated cycles and DRAM bits equal the analytical price of
// the same execution, under both halo policies, both weight policies and every tile height.
#include <catch2/catch.hpp>
#include <random>

#include "dataflow/systolic.hpp"
#include "schedule/fusion_tiles.hpp"
#include "sim/array_module.hpp"
#include "sim/fused_group.hpp"
#include "sim_fixtures.hpp"

using namespace loom;
using arch::Dataflow;
using schedule::HaloPolicy;

namespace {

using loom_test::conv;

// 3x3, then 3x3 at stride 2, then 1x1; and a MobileNet block (1x1, depthwise 3x3, 1x1), batch 2.
std::vector<std::vector<workloads::Layer>> chains() {
  return {{conv(1, 3, 8, 12, 3, 1, 1, 1, 1), conv(1, 8, 6, 12, 3, 2, 1, 1, 1),
           conv(1, 6, 5, 6, 1, 1, 0, 1, 1)},
          {conv(2, 4, 8, 9, 1, 1, 0, 1, 1), conv(2, 8, 8, 9, 3, 1, 1, 1, 8),
           conv(2, 8, 4, 9, 1, 1, 0, 1, 1)}};
}

// A DRAM channel narrow and slow enough that steps wait for their transfers.
arch::Accelerator narrow_acc(Dataflow df) {
  auto acc = loom_test::systolic_acc(4, 4, df);
  acc.levels[0].bandwidth_bytes_per_cycle = 2;
  acc.levels[0].latency_cycles = 10;
  return acc;
}

constexpr sim::OutputFormat kRequantize{
    .accumulator_bits = 32, .shift = 8, .output_bits = 8, .saturate = true};

// Every option of every chain on `acc`; returns the executions simulated.
int check_chains(const arch::Accelerator& acc, sim::ArrayRunner& array, bool all_options) {
  std::mt19937_64 rng(11);
  int runs = 0;
  for (const auto& chain : chains()) {
    const auto input = sim::random_layer_data(chain.front().shape, 8, 8, rng()).ifmap;
    std::vector<sim::Tensor4> weights;
    for (const auto& l : chain)
      weights.push_back(sim::random_layer_data(l.shape, 8, 8, rng()).weights);
    std::int64_t layer_macs = 0;
    for (const auto& l : chain) layer_macs += l.macs();
    const std::int64_t rows = chain.back().shape.P;
    for (std::int64_t t : {std::int64_t{1}, std::int64_t{2}, rows})
      for (HaloPolicy halo : {HaloPolicy::recompute, HaloPolicy::cache})
        for (bool resident : {true, false}) {
          if (!all_options && (t == 2 || !resident)) continue;
          INFO("tile rows " << t << " halo " << static_cast<int>(halo) << " weights resident "
                            << resident << " C" << chain.front().shape.C);
          const auto e = schedule::fused_execution(chain, acc, t, halo, resident);
          const auto model = schedule::price_fused_execution(e, acc);
          const auto r = sim::simulate_fused_group(e, acc, input, weights, kRequantize, array);
          CHECK(r.mismatches == 0);
          CHECK(r.step_mismatches == 0);
          CHECK(r.misses == 0);
          std::int64_t elements = 0;
          for (const auto& l : chain) elements += l.shape.ofmap_elems();
          CHECK(r.elements_checked == elements);
          CHECK(r.step_cycles == model.step_cycles);
          CHECK(r.cycles == model.cycles);
          CHECK(r.dram_bits == model.dram_bits);
          CHECK(r.macs == model.macs);
          // Cached halos compute every row once; recomputed ones again, when tiles are cut.
          if (halo == HaloPolicy::cache || t == rows)
            CHECK(r.macs == layer_macs);
          else
            CHECK(r.macs > layer_macs);
          ++runs;
        }
  }
  return runs;
}

}  // namespace

TEST_CASE("fused convolutions on the systolic array equal the golden chain and the model") {
  sim::CppPe pe;
  for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is}) {
    const auto acc = narrow_acc(df);
    sim::SystolicArray array(4, 4, df, 32, pe);
    CHECK(check_chains(acc, array, true) == 24);
  }
}

TEST_CASE("fused convolutions through the SystemC array module equal the golden chain") {
  sim::CppPe pe;
  const auto acc = narrow_acc(Dataflow::ws);
  sim::ArraySimulation simulation({.rows = 4, .cols = 4, .dataflow = Dataflow::ws}, pe);
  CHECK(check_chains(acc, simulation, false) == 8);
}

// The model's DRAM side: the intermediate tensors never cross, the group input is read once
// with cached halos and again per overlapping tile when recomputed, and weights kept resident
// are read once.
TEST_CASE("a fused group moves only its input, weights and output through DRAM") {
  const auto acc = narrow_acc(Dataflow::ws);
  const auto chain = chains().front();
  const auto& s0 = chain.front().shape;
  std::int64_t weight_bits = 0;
  for (const auto& l : chain) weight_bits += l.shape.weight_elems() * 8;
  const std::int64_t out_bits =
      chain.back().shape.ofmap_elems() * dataflow::resolve_precision(chain.back(), acc).output_bits;
  const std::int64_t in_bits = s0.ifmap_elems() * 8;
  const auto cached = schedule::price_fused_execution(
      schedule::fused_execution(chain, acc, 1, HaloPolicy::cache, true), acc);
  CHECK(cached.dram_bits == in_bits + weight_bits + out_bits);
  const auto recomputed = schedule::price_fused_execution(
      schedule::fused_execution(chain, acc, 1, HaloPolicy::recompute, true), acc);
  CHECK(recomputed.dram_bits > in_bits + weight_bits + out_bits);
  const auto refetched = schedule::price_fused_execution(
      schedule::fused_execution(chain, acc, 1, HaloPolicy::cache, false), acc);
  CHECK(refetched.dram_bits > cached.dram_bits);
}
