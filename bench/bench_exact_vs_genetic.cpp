// SPDX-License-Identifier: Apache-2.0
// Issue 16's comparison: on every distinct layer shape of the named cases, the default exact
// search (its family's budget and warm-up, as `loom map` runs it) against the previous
// stochastic default, the genetic search, at four times its default budget (seeds 1-3). Prints
// per layer both scores, the improvement (genetic / exact - 1, positive: the exact search is
// better), the certified gap and both times; one thread each. A plain table, each row timed once.
//   bench_exact_vs_genetic [seeds, default 1]
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "energy/energy_table.hpp"
#include "explore/layer_mapper.hpp"
#include "explore/run_request.hpp"
#include "explore/space_evaluator.hpp"
#include "mapper/mapper.hpp"
#include "workloads/network.hpp"

namespace {

using namespace loom;
using Clock = std::chrono::steady_clock;

// Timeloop's example layer shapes (its AlexNet layers without AlexNet's two groups, VGG's
// conv3_1), as issue 16 names them.
constexpr std::string_view kStandalone = R"(name: standalone
layers:
  - {name: alexnet_conv1, op: conv, C: 3, M: 96, H: 227, R: 11, stride: 4, inputs: []}
  - {name: alexnet_conv2, op: conv, C: 96, M: 256, H: 27, R: 5, padding: 2, inputs: []}
  - {name: alexnet_conv3, op: conv, C: 256, M: 384, H: 13, R: 3, padding: 1, inputs: []}
  - {name: vgg_conv3_1, op: conv, C: 128, M: 256, H: 56, R: 3, padding: 1, inputs: []}
)";

struct Case {
  const char* preset;
  const char* network;  // zoo name, or "standalone"
  mapper::ObjectiveKind objective;
};

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Totals {
  int layers = 0, worse = 0;
  double best_gain = 0;
  std::vector<double> exact_s, genetic_s;
};

void run(const Case& c, std::uint64_t seeds, Totals& all) {
  const auto acc = arch::load_accelerator(c.preset);
  const auto table = energy::make_energy_table(acc);
  const auto net = std::string_view(c.network) == "standalone"
                       ? workloads::parse_workload_yaml(kStandalone, "standalone.yaml")
                       : workloads::zoo_load(c.network);
  fmt::print("\n{} on {}, objective {}\n", c.network, c.preset,
             core::enum_name(mapper::kObjectiveKinds, c.objective));
  fmt::print("{:<24} {:>13} {:>13} {:>9} {:>7} {:>8} {:>10}\n", "layer", "exact", "genetic_4x",
             "gain_%", "gap_%", "exact_s", "genetic_s");
  std::set<std::string> seen;
  for (const auto& layer : net.layers) {
    if (layer.macs() == 0 || !seen.insert(explore::layer_key(layer)).second) continue;
    const auto p = dataflow::resolve_precision(layer, acc);
    const auto space = dataflow::family_of(acc).mapspace(layer, acc, p);
    const explore::SpaceEvaluator evaluator(*space, table, p);
    const mapper::SearchSpace ss{space->domains(), {}};
    mapper::MapperOptions exact{
        .threads = 1, .objective = {.kind = c.objective}, .strategy = mapper::Strategy::exact};
    explore::apply_exact_defaults(exact, acc, /*budget_given=*/false);
    auto t = Clock::now();
    const auto e = mapper::search(ss, evaluator, exact);
    const double te = seconds_since(t);
    double best_genetic = 0, tg = 0;
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
      const mapper::MapperOptions genetic{.budget = 4 * mapper::kDefaultBudget,
                                          .seed = seed,
                                          .threads = 1,
                                          .objective = {.kind = c.objective},
                                          .strategy = mapper::Strategy::genetic};
      t = Clock::now();
      const auto g = mapper::search(ss, evaluator, genetic);
      tg += seconds_since(t);
      if (g.best && (best_genetic == 0 || g.best_score < best_genetic)) best_genetic = g.best_score;
    }
    tg /= static_cast<double>(seeds);
    const double gain = e.best && best_genetic > 0 ? 100 * (best_genetic / e.best_score - 1) : 0;
    ++all.layers;
    all.worse += gain < -1e-9;
    all.best_gain = std::max(all.best_gain, gain);
    all.exact_s.push_back(te);
    all.genetic_s.push_back(tg);
    fmt::print("{:<24} {:>13.6g} {:>13.6g} {:>9.3f} {:>7.3g} {:>8.3f} {:>10.3f}\n", layer.name,
               e.best_score, best_genetic, gain, e.optimality_gap_pct.value_or(-1), te, tg);
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t seeds = argc > 1 ? std::stoull(argv[1]) : 1;
  fmt::print(
      "exact (family defaults) vs genetic at 4x the default budget ({} points), best of "
      "{} seed(s), 1 thread\n",
      4 * mapper::kDefaultBudget, seeds);
  Totals all;
  for (const auto& c : {Case{"eyeriss_like_45nm", "alexnet", mapper::ObjectiveKind::energy},
                        Case{"eyeriss_like_45nm", "standalone", mapper::ObjectiveKind::energy},
                        Case{"edge_ws_32x32", "resnet50", mapper::ObjectiveKind::edp}})
    run(c, seeds, all);
  fmt::print(
      "\n{} layer shapes: exact worse on {}, best gain {:.3f}%; time per layer median "
      "{:.3f} s exact vs {:.3f} s genetic\n",
      all.layers, all.worse, all.best_gain, median(all.exact_s), median(all.genetic_s));
  return all.worse == 0 ? 0 : 1;
}
