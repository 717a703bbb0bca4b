// SPDX-License-Identifier: Apache-2.0
// Mappings fully evaluated per second per thread — decode a point of the mapspace, run the
// loop-nest analysis and the array timing — on AlexNet CONV2 and a ResNet-50 3x3 layer
// (layer2.0.conv2), on the default systolic array in each dataflow. Issue 3's floor is 200,000
// per second per thread; the established C++ mapper in the field manages about 200.
#include <benchmark/benchmark.h>

#include <random>

#include "arch/accelerator.hpp"
#include "dataflow/family.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_timing.hpp"
#include "workloads/network.hpp"

namespace {

using namespace loom;

workloads::Layer find_layer(const char* net, const char* name) {
  for (const auto& l : workloads::zoo_load(net).layers)
    if (l.name == name) return l;
  throw std::runtime_error("no layer");
}

void BM_EvaluateSystolicMapping(benchmark::State& state, const char* net, const char* layer_name,
                                const char* preset = nullptr) {
  auto acc =
      arch::load_accelerator(preset ? std::string(preset) : std::string(arch::kDefaultPreset));
  acc.dataflow = static_cast<arch::Dataflow>(state.range(0));
  const auto layer = find_layer(net, layer_name);
  const dataflow::SystolicMapSpace space(layer, acc);
  const auto p = dataflow::resolve_precision(layer, acc);
  std::mt19937_64 rng(1);
  // Legal points only, so every iteration is a full evaluation (illegal ones are pruned early).
  std::vector<std::vector<std::uint32_t>> points;
  while (points.size() < 4096) {
    std::vector<std::uint32_t> g;
    for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    if (dataflow::evaluate_systolic_mapping(layer, acc, space.decode(g), p).valid)
      points.push_back(std::move(g));
  }
  std::size_t i = 0;
  dataflow::Mapping m;  // decoded into in place: no allocation per point
  for (auto _ : state) {
    space.decode(points[i], m);
    auto ev = dataflow::evaluate_systolic_mapping(layer, acc, m, p);
    benchmark::DoNotOptimize(ev);
    i = (i + 1) & 4095;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(layer_name) + " " +
                 std::string(core::enum_name(arch::kDataflows, acc.dataflow)));
}
BENCHMARK_CAPTURE(BM_EvaluateSystolicMapping, alexnet_conv2, "alexnet", "conv2")->DenseRange(0, 2);
BENCHMARK_CAPTURE(BM_EvaluateSystolicMapping, resnet50_3x3, "resnet50", "layer2.0.conv2")
    ->DenseRange(0, 2);
// A DRAM device with bursts, rows and turnarounds (nvdla_64's LPDDR4, dataflow/dram_timing.hpp):
// the closed form also prices one tile per operand on it.
BENCHMARK_CAPTURE(BM_EvaluateSystolicMapping, resnet50_3x3_dram_device, "resnet50",
                  "layer2.0.conv2", "nvdla_64")
    ->Arg(1);

// The same on spatial arrays (12x14 PEs with per-PE scratchpads and a shared buffer): the
// mapper chooses the spatial unrolling too (within the dataflow's rules), and the nest has
// per-PE levels.
void BM_EvaluateSpatialMapping(benchmark::State& state, const char* preset, const char* net,
                               const char* layer_name) {
  const auto acc = arch::load_accelerator(preset);
  const auto layer = find_layer(net, layer_name);
  const auto p = dataflow::resolve_precision(layer, acc);
  const dataflow::SpatialMapSpace space(layer, acc, p);
  std::mt19937_64 rng(1);
  std::vector<std::vector<std::uint32_t>> points;
  for (int tries = 0; points.size() < 1024 && tries < 2'000'000; ++tries) {
    std::vector<std::uint32_t> g;
    for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    if (dataflow::evaluate_spatial_mapping(layer, acc, space.decode(g), p).valid)
      points.push_back(std::move(g));
  }
  if (points.empty()) {
    state.SkipWithError("no legal mapping sampled");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto ev = dataflow::evaluate_spatial_mapping(layer, acc, space.decode(points[i]), p);
    benchmark::DoNotOptimize(ev);
    i = (i + 1) % points.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(layer_name) + " " + acc.name + " " +
                 std::string(arch::dataflow_info(acc.dataflow).name));
}
BENCHMARK_CAPTURE(BM_EvaluateSpatialMapping, alexnet_conv2, "eyeriss_like_45nm", "alexnet",
                  "conv2");
BENCHMARK_CAPTURE(BM_EvaluateSpatialMapping, resnet50_3x3, "eyeriss_like_45nm", "resnet50",
                  "layer2.0.conv2");
// Row-stationary on the Eyeriss chip's preset (a noc level, three grouped scratchpads).
BENCHMARK_CAPTURE(BM_EvaluateSpatialMapping, eyeriss_rs_alexnet_conv2, "eyeriss", "alexnet",
                  "conv2");
BENCHMARK_CAPTURE(BM_EvaluateSpatialMapping, eyeriss_rs_resnet50_3x3, "eyeriss", "resnet50",
                  "layer2.0.conv2");

// The mapper's inner loop as it runs: a point scored through its family's MapSpace (decode in
// place, evaluation at search fidelity, sparsity), on a systolic and a row-stationary array.
// Set beside the rows above, it shows what the family interface costs.
void BM_FamilyMapSpaceEvaluate(benchmark::State& state, const char* preset, const char* net,
                               const char* layer_name) {
  const auto acc = arch::load_accelerator(preset);
  const auto layer = find_layer(net, layer_name);
  const auto space =
      dataflow::family_of(acc).mapspace(layer, acc, dataflow::resolve_precision(layer, acc));
  std::mt19937_64 rng(1);
  std::vector<std::vector<std::uint32_t>> points;
  for (int tries = 0; points.size() < 1024 && tries < 2'000'000; ++tries) {
    std::vector<std::uint32_t> g;
    for (auto d : space->domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    if (space->evaluate(g).valid) points.push_back(std::move(g));
  }
  if (points.empty()) {
    state.SkipWithError("no legal mapping sampled");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto ev = space->evaluate(points[i]);
    benchmark::DoNotOptimize(ev);
    i = (i + 1) % points.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(layer_name) + " " + acc.name);
}
BENCHMARK_CAPTURE(BM_FamilyMapSpaceEvaluate, systolic_alexnet_conv2, "edge_ws_32x32", "alexnet",
                  "conv2");
BENCHMARK_CAPTURE(BM_FamilyMapSpaceEvaluate, eyeriss_rs_alexnet_conv2, "eyeriss", "alexnet",
                  "conv2");

}  // namespace
