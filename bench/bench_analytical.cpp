// SPDX-License-Identifier: Apache-2.0
// Throughput of the analytical model, the inner loop of every search: layer evaluations per
// second on one core (items_per_second), for ResNet-50's MAC layers on 32x32 and 128x128 arrays
// under each systolic dataflow, and the wall time of a whole-network evaluation with energy.
#include <benchmark/benchmark.h>

#include "arch/accelerator.hpp"
#include "dataflow/systolic.hpp"
#include "explore/evaluate.hpp"
#include "workloads/network.hpp"

namespace {

using namespace loom;

arch::Accelerator array_of(std::int64_t n, arch::Dataflow df) {
  auto acc = arch::load_accelerator(std::string(arch::kDefaultPreset));
  acc.array.rows = acc.array.cols = n;
  acc.dataflow = df;
  for (auto& l : acc.levels)
    if (l.kind == arch::LevelKind::sram) l.size_bytes = 4 * 1024 * 1024;
  return acc;
}

std::vector<workloads::Layer> mac_layers(const char* name) {
  std::vector<workloads::Layer> out;
  for (const auto& l : workloads::zoo_load(name).layers)
    if (workloads::does_macs(l.op)) out.push_back(l);
  return out;
}

void BM_AnalyzeLayer(benchmark::State& state) {
  const auto df = static_cast<arch::Dataflow>(state.range(1));
  const auto acc = array_of(state.range(0), df);
  const auto layers = mac_layers("resnet50");
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = dataflow::analyze_systolic(layers[i], acc);
    benchmark::DoNotOptimize(r);
    i = i + 1 == layers.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(core::enum_name(arch::kDataflows, df)) + " " +
                 std::to_string(state.range(0)) + "x" + std::to_string(state.range(0)));
}
BENCHMARK(BM_AnalyzeLayer)->ArgsProduct({{32, 128}, {0, 1, 2}});

void BM_EvaluateNetwork(benchmark::State& state) {
  const auto acc = arch::load_accelerator(std::string(arch::kDefaultPreset));
  const auto net = workloads::zoo_load("resnet50");
  explore::RunOptions closed_form;
  closed_form.search = false;
  for (auto _ : state) {
    auto r = explore::evaluate_network(net, acc, closed_form);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("resnet50 on " + acc.name + ", closed form, energy priced");
}
BENCHMARK(BM_EvaluateNetwork)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
