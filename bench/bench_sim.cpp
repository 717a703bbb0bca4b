// SPDX-License-Identifier: Apache-2.0
// Simulated PE-cycles per second (one PE for one clock) of the cycle-level systolic array, on
// 16x16 and 32x32 arrays in each dataflow, with the C++ PE: the figure issue 5 sets at >= 50
// million per second on one core. The engine is timed directly and through its SystemC module
// (one clocked process per array), to show what the kernel adds.
#include <benchmark/benchmark.h>

#include <random>

#include "dataflow/systolic_axes.hpp"
#include "energy/energy_table.hpp"
#include "explore/layer_mapper.hpp"
#include "sim/array_module.hpp"
#include "sim/systolic_array.hpp"
#include "sim/systolic_layer.hpp"

namespace {

using namespace loom;

struct Job {
  std::int64_t mpx = 196, k = 576, m = 64;  // a ResNet 3x3 layer at 14x14, one group
  std::vector<std::int32_t> a, b;
  std::vector<std::int64_t> y;
  std::vector<sim::Fold> folds;
};

Job make_job(arch::Dataflow df, std::int64_t ar, std::int64_t ac) {
  Job j;
  std::mt19937_64 rng(1);
  for (std::int64_t i = 0; i < j.mpx * j.k; ++i) j.a.push_back(static_cast<std::int8_t>(rng()));
  for (std::int64_t i = 0; i < j.k * j.m; ++i) j.b.push_back(static_cast<std::int8_t>(rng()));
  j.y.assign(static_cast<std::size_t>(j.mpx * j.m), 0);
  const auto [er, ec, et] = dataflow::systolic_axes(df).place({j.mpx, j.k, j.m});
  for (std::int64_t r = 0; r < er; r += ar)
    for (std::int64_t c = 0; c < ec; c += ac)
      j.folds.push_back({.row0 = r, .rows = std::min(ar, er - r), .col0 = c,
                       .cols = std::min(ac, ec - c), .t0 = 0, .steps = et});
  return j;
}

void BM_ArrayEngine(benchmark::State& state) {
  const auto df = static_cast<arch::Dataflow>(state.range(0));
  const std::int64_t n = state.range(1);
  auto job = make_job(df, n, n);
  sim::CppPe pe;
  sim::SystolicArray array(n, n, df, 32, pe);
  std::int64_t pe_cycles = 0;
  for (auto _ : state) {
    std::fill(job.y.begin(), job.y.end(), 0);
    const auto st = array.run({job.mpx, job.k, job.m, job.a, job.b, job.y}, job.folds);
    pe_cycles += st.pe_cycles;
  }
  state.counters["pe_cycles_per_s"] =
      benchmark::Counter(static_cast<double>(pe_cycles), benchmark::Counter::kIsRate);
  state.SetLabel(std::string(arch::dataflow_info(df).name) + " " + std::to_string(n) + "x" +
                 std::to_string(n));
}
BENCHMARK(BM_ArrayEngine)->ArgsProduct({{0, 1, 2}, {16, 32}})->Unit(benchmark::kMillisecond);

}  // namespace

// Through SystemC: one simulation serves every iteration, as `loom sim` runs layers.
static void BM_ArraySystemC(benchmark::State& state) {
  const std::int64_t n = 16;
  auto job = make_job(arch::Dataflow::os, n, n);
  static sim::CppPe pe;
  static sim::ArraySimulation simulation({.rows = n, .cols = n, .dataflow = arch::Dataflow::os},
                                         pe);
  std::int64_t pe_cycles = 0;
  for (auto _ : state) {
    std::fill(job.y.begin(), job.y.end(), 0);
    pe_cycles += simulation.run({job.mpx, job.k, job.m, job.a, job.b, job.y}, job.folds).pe_cycles;
  }
  state.counters["pe_cycles_per_s"] =
      benchmark::Counter(static_cast<double>(pe_cycles), benchmark::Counter::kIsRate);
  state.SetLabel("os 16x16 through SystemC");
}
BENCHMARK(BM_ArraySystemC)->Unit(benchmark::kMillisecond);

// A whole layer with its buffers, DRAM channel and controller (sim/memory_system.hpp) on the
// default accelerator's memories (256 KiB SRAMs, 12.8 GB/s at 1 GHz): ResNet-18's
// layer3 3x3 conv (14x14, 256 -> 256 channels) under the mapping `loom run` picks, golden check
// included.
static void BM_LayerWithMemory(benchmark::State& state) {
  const auto df = static_cast<arch::Dataflow>(state.range(0));
  const std::int64_t n = state.range(1);
  auto acc = arch::load_accelerator(std::string(arch::kDefaultPreset));
  acc.dataflow = df;
  acc.array.rows = acc.array.cols = n;
  workloads::Layer layer;
  layer.name = "layer3.1.conv1";
  auto& sh = layer.shape;
  sh.C = sh.M = 256, sh.H = sh.W = sh.P = sh.Q = 14, sh.R = sh.S = 3, sh.pad_h = sh.pad_w = 1;
  mapper::MapperOptions opt;
  opt.budget = 5000;
  const auto m =
      explore::map_layer(layer, acc, energy::make_energy_table(acc), opt).mapping;
  const auto data = sim::random_layer_data(sh, 8, 8, 1);
  sim::CppPe pe;
  sim::SystolicArray array(n, n, df, 32, pe);
  std::int64_t pe_cycles = 0, mismatches = 0;
  for (auto _ : state) {
    const auto r = sim::simulate_systolic_layer(layer, acc, m, data, array);
    pe_cycles += r.array.pe_cycles;
    mismatches += r.mismatches;
  }
  state.counters["pe_cycles_per_s"] =
      benchmark::Counter(static_cast<double>(pe_cycles), benchmark::Counter::kIsRate);
  state.counters["mismatches"] = static_cast<double>(mismatches);
  state.SetLabel(std::string(arch::dataflow_info(df).name) + " " + std::to_string(n) + "x" +
                 std::to_string(n) + " layer with memory");
}
BENCHMARK(BM_LayerWithMemory)->ArgsProduct({{0, 1, 2}, {16, 32}})->Unit(benchmark::kMillisecond);

int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
