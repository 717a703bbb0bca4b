// SPDX-License-Identifier: Apache-2.0
// The mapper's own overhead: points evaluated per second (items_per_second) when the evaluator
// costs next to nothing, so what is measured is proposing, de-duplicating, handing batches to
// threads and telling results back. Next to it, an evaluator that burns about 1 us per point —
// the target speed for a real one — shows how much of a search that overhead is, and
// what the second thread buys. 24 genes of 6 values each: a mapping-sized genome.
#include <benchmark/benchmark.h>

#include <cmath>

#include "mapper/mapper.hpp"

namespace {

using namespace loom::mapper;

const SearchSpace kSpace{std::vector<std::uint32_t>(24, 6)};

class Trivial final : public Evaluator {
 public:
  Evaluation evaluate(GenomeView g) const override {
    std::uint32_t s = 0;
    for (auto v : g) s = s * 7 + v;
    return {(s & 7) != 0, {double(s % 1000) + 1, 1.0}, "odd"};
  }
};

class OneMicrosecond final : public Evaluator {
 public:
  Evaluation evaluate(GenomeView g) const override {
    std::uint32_t s = 0;
    for (auto v : g) s = s * 7 + v;
    double x = 1.0 + (s % 1000);
    for (int i = 0; i < 130; ++i) x = std::sqrt(x + 2.0);  // a dependent chain, ~1 us
    return {true, {x, 1.0}};
  }
};

void run(benchmark::State& state, const Evaluator& ev) {
  MapperOptions o{.budget = std::uint64_t(state.range(2)),
                  .threads = int(state.range(1)),
                  .strategy = static_cast<Strategy>(state.range(0))};
  std::uint64_t evaluated = 0, proposed = 0;
  for (auto _ : state) {
    const auto r = search(kSpace, ev, o);
    evaluated += r.evaluated;
    proposed += r.proposed;
    benchmark::DoNotOptimize(r.best_score);
  }
  state.SetItemsProcessed(std::int64_t(evaluated));
  // Repeats are answered from memory, but the strategy still had to breed them.
  state.counters["proposed_per_point"] = double(proposed) / double(evaluated);
  state.SetLabel(std::string(loom::core::enum_name(kStrategies, o.strategy)) + ", " +
                 std::to_string(o.threads) + (o.threads == 1 ? " thread" : " threads"));
}

void BM_MapperOverhead(benchmark::State& state) { run(state, Trivial{}); }
void BM_MapperOneMicrosecondEvaluator(benchmark::State& state) { run(state, OneMicrosecond{}); }

// The ~1 us evaluator called directly, without the mapper: the baseline for the line above.
void BM_OneMicrosecondEvaluatorAlone(benchmark::State& state) {
  const OneMicrosecond ev;
  Genome g(kSpace.genes(), 0);
  std::uint32_t i = 0;
  for (auto _ : state) {
    g[i % g.size()] = i % 6;
    ++i;
    benchmark::DoNotOptimize(ev.evaluate(g));
  }
  state.SetItemsProcessed(state.iterations());
}

void args(benchmark::internal::Benchmark* b, std::int64_t budget) {
  for (auto s : {Strategy::genetic, Strategy::random})
    for (std::int64_t threads : {1, 2}) b->Args({std::int64_t(s), threads, budget});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(BM_MapperOverhead)->Apply([](auto* b) { args(b, 200'000); });
BENCHMARK(BM_MapperOneMicrosecondEvaluator)->Apply([](auto* b) { args(b, 50'000); });
BENCHMARK(BM_OneMicrosecondEvaluatorAlone);

BENCHMARK_MAIN();
