// SPDX-License-Identifier: Apache-2.0
// Sweep throughput: design points x network layers evaluated per second, each point's layers
// mapped by the mapper (budget 2,000 per distinct shape; bench/sweep_resnet50_1000.yaml), on
// all cores. A seeded sample of the 1,000-point space keeps the run short; the counters give
// points/s, point-layers/s and the projected time of all 1,000 points.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "sweep/comm.hpp"
#include "sweep/runner.hpp"
#include "sweep/spec.hpp"
#include "workloads/network.hpp"

namespace {

using namespace loom;

void BM_SweepResNet50(benchmark::State& state) {
  auto spec = sweep::load_sweep(std::string(LOOM_SOURCE_DIR) + "/bench/sweep_resnet50_1000.yaml");
  const std::uint64_t space = spec.point_count();
  spec.strategy.kind = sweep::StrategyKind::random;
  spec.strategy.samples = static_cast<std::uint64_t>(state.range(0));
  std::size_t layers = 0;
  for (const auto& l : spec.networks.front().layers) layers += workloads::does_macs(l.op) ? 1 : 0;
  const auto dir = std::filesystem::temp_directory_path() / "loom_bench_sweep";
  auto comm = sweep::make_comm();
  std::uint64_t points = 0;
  for (auto _ : state) {
    std::filesystem::remove_all(dir);
    sweep::SweepOptions opt;
    opt.out_dir = dir;
    opt.write_outputs = false;
    opt.log = opt.progress = nullptr;
    const auto out = sweep::run_sweep(spec, *comm, opt);
    points += out.points.size();
  }
  std::filesystem::remove_all(dir);
  state.counters["points_per_s"] =
      benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
  state.counters["point_layers_per_s"] =
      benchmark::Counter(static_cast<double>(points * layers), benchmark::Counter::kIsRate);
  state.counters["s_for_1000_points"] =
      benchmark::Counter(static_cast<double>(points) / static_cast<double>(space),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_SweepResNet50)->Arg(40)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
