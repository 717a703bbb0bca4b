// SPDX-License-Identifier: Apache-2.0
// The network schedule with fusion (schedule/fusion_search.hpp) against brute force: on small
// graphs (chains with a pooling, a branch read outside a chain, a residual block; ≤ 6 layers)
// with tiny shared buffers, every grouping of the fusable links (each group with the option
// choose_group gives it) times every choice of resident tensors that obeys the rules is priced
// from the layerwise counts and the groups' tile-by-tile counts (fusion_price.hpp), and the best
// under each objective must equal what `loom run
// --schedule graph` reports — and never be worse than the schedule without fusion.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "energy/energy_table.hpp"
#include "mapper/objective.hpp"
#include "schedule/fusion.hpp"
#include "schedule/fusion_price.hpp"
#include "schedule/fusion_search.hpp"
#include "schedule_fixtures.hpp"

using namespace loom;
using schedule::ScheduleKind;

namespace {

const char* const kGraphs[] = {
    R"(
name: chain4
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 16, R: 3, padding: 1}
  - {name: c2, op: conv, C: 8, M: 8, H: 16, R: 3, padding: 1, groups: 8}
  - {name: c3, op: conv, C: 8, M: 16, H: 16}
  - {name: c4, op: conv, C: 16, M: 4, H: 16, R: 3, padding: 1}
)",
    R"(
name: pooled
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 16, R: 3, padding: 1}
  - {name: pool, op: maxpool, C: 8, H: 16, R: 2, stride: 2}
  - {name: c2, op: conv, C: 8, M: 16, H: 8, R: 3, padding: 1}
  - {name: c3, op: conv, C: 16, M: 8, H: 8}
  - {name: c4, op: conv, C: 8, M: 4, H: 8, R: 3, padding: 1}
)",
    R"(
name: residual
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 16, R: 3, padding: 1}
  - {name: c2, op: conv, C: 8, M: 16, H: 16}
  - {name: c3, op: conv, C: 16, M: 16, H: 16, R: 3, padding: 1, groups: 16}
  - {name: c4, op: conv, C: 16, M: 8, H: 16}
  - {name: add, op: add, inputs: [c4, c1], C: 8, H: 16}
  - {name: c5, op: conv, C: 8, M: 4, H: 16, R: 3, stride: 2, padding: 1}
)",
    R"(
name: branch
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 16, R: 3, padding: 1}
  - {name: c2, op: conv, C: 8, M: 8, H: 16, R: 3, padding: 1}
  - {name: c3, op: conv, C: 8, M: 8, H: 16}
  - {name: side, op: conv, inputs: [c1], C: 8, M: 4, H: 16}
  - {name: cat, op: concat, inputs: [c3, side], C: 12, H: 16}
  - {name: head, op: conv, C: 12, M: 4, H: 16}
)"};

struct Totals {
  double energy_pj = 0, cycles = 0;
};

struct Case {
  const workloads::Network& net;
  const arch::Accelerator& acc;
  const energy::EnergyTable& table;
  std::vector<const dataflow::LayerCounts*> counts;
  schedule::Liveness live;
  std::vector<schedule::Footprint> footprints;
  std::int64_t capacity = 0;
};

// A group of layers [first, last] or none; the groupings of `links` (bit j: link j fused).
std::vector<std::vector<schedule::PricedGroup>> groupings(const Case& c,
                                                          const schedule::ScheduleScore& score,
                                                          const schedule::PriceLayer& price) {
  const schedule::FusionContext ctx{c.net,
                                    c.acc,
                                    c.live,
                                    c.counts,
                                    schedule::residency_level(c.acc),
                                    schedule::default_tile_eval(c.acc)};
  std::vector<std::size_t> links;
  for (std::size_t i = 0; i + 1 < c.net.layers.size(); ++i)
    if (schedule::fusable_link(ctx, i)) links.push_back(i);
  std::vector<std::vector<schedule::PricedGroup>> out;
  for (std::uint32_t mask = 0; mask < (1U << links.size()); ++mask) {
    std::vector<schedule::PricedGroup> groups;
    bool legal = true;
    for (std::size_t j = 0; legal && j < links.size(); ++j) {
      if (!((mask >> j) & 1U)) continue;
      std::size_t e = j;
      while (e + 1 < links.size() && ((mask >> (e + 1)) & 1U) && links[e + 1] == links[e] + 1) ++e;
      auto g = schedule::choose_group(ctx, links[j], links[e] + 1, price, score);
      legal = g.has_value();
      if (legal) groups.push_back(*g);
      j = e;
    }
    if (legal) out.push_back(groups);
  }
  return out;
}

// The best score over every residency choice under `groups`, by enumeration.
double best_over_residency(const Case& c, const std::vector<schedule::PricedGroup>& priced,
                           const schedule::ScheduleScore& score,
                           const schedule::PriceLayer& price) {
  const std::size_t n = c.net.layers.size();
  std::vector<int> group_of(n, -1);
  std::vector<schedule::GroupPlan> groups;
  for (const auto& p : priced) groups.push_back(p.plan);
  auto footprints = c.footprints;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t k = groups[g].first; k <= groups[g].last; ++k) {
      group_of[k] = static_cast<int>(g);
      footprints[k] = {groups[g].buffer_bits + groups[g].input_tile_bits, groups[g].buffer_bits,
                       groups[g].first};
    }
  double best = std::numeric_limits<double>::infinity();
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
    std::vector<bool> resident(n);
    bool legal = true;
    for (std::size_t i = 0; i < n; ++i) {
      resident[i] = (mask >> i) & 1U;
      // A group's intermediate tensors live as tiles only.
      legal = legal && !(resident[i] && group_of[i] >= 0 &&
                         i < groups[static_cast<std::size_t>(group_of[i])].last);
    }
    if (!legal || !schedule::residency_fits(c.live, c.net, c.capacity, footprints, resident))
      continue;
    const auto r = schedule::derive_transfers(c.live, c.net, resident);
    Totals t;
    for (std::size_t i = 0; i < n; ++i) {
      if (!c.counts[i]) continue;
      const schedule::DramCut cut{r.input_on_chip[i], r.resident[i] && !r.dram_needed[i]};
      dataflow::LayerCounts lc = *c.counts[i];
      if (group_of[i] >= 0) {
        // Its group's steps under the group's cut: the first layer's input, the last's output.
        const auto k = static_cast<std::size_t>(group_of[i]);
        const auto& g = groups[k];
        const bool in = r.input_on_chip[g.first];
        const bool out = r.resident[g.last] && !r.dram_needed[g.last];
        lc = (*priced[k].counts[i - g.first])[in][out];
      } else {
        schedule::apply_cut(lc, cut, c.acc);
      }
      const auto cost = price(lc);
      t.energy_pj += cost.energy_pj;
      t.cycles += cost.cycles;
    }
    best = std::min(best, score(t.energy_pj, t.cycles));
  }
  return best;
}

}  // namespace

TEST_CASE("the fused schedule equals the best of every grouping and residency (brute force)") {
  int cases = 0, fused = 0, beats_unfused = 0, dp_optimal = 0;
  for (const char* yaml : kGraphs) {
    const auto net = workloads::parse_workload_yaml(yaml, "graph.yaml");
    for (const std::int64_t kib : {2, 3, 4, 6, 8, 12, 16, 32}) {
      const auto acc = test::shared_buffer_ws(kib * 1024);
      const auto table = energy::make_energy_table(acc);
      const auto layerwise = test::run_closed_form(net, acc, ScheduleKind::layerwise);
      Case c{net,
             acc,
             table,
             std::vector<const dataflow::LayerCounts*>(net.layers.size()),
             {},
             std::vector<schedule::Footprint>(net.layers.size()),
             acc.levels[1].size_bytes * 8};
      const int level = schedule::residency_level(acc);
      REQUIRE(level == 1);
      for (std::size_t i = 0, next = 0; i < net.layers.size(); ++i)
        if (workloads::does_macs(net.layers[i].op)) {
          c.counts[i] = &layerwise.layers[next++].counts;
          c.footprints[i] =
              schedule::layer_footprint(net.layers[i], c.counts[i]->precision, acc.levels[1]);
        }
      c.live = schedule::plan_graph_schedule(net, acc, c.counts).liveness;
      const schedule::PriceLayer price = [&](const dataflow::LayerCounts& lc) {
        const auto& p = lc.precision;
        return schedule::LayerCost{energy::price(lc.access, dataflow::performed_macs(lc),
                                                 p.weight_bits, p.activation_bits, table)
                                       .total_pj,
                                   static_cast<double>(lc.total_cycles)};
      };
      for (const auto kind : {mapper::ObjectiveKind::energy, mapper::ObjectiveKind::latency,
                              mapper::ObjectiveKind::edp}) {
        const mapper::Objective objective{.kind = kind};
        const schedule::ScheduleScore score = [&](double e, double cy) {
          return objective.score(mapper::Cost{e, cy});
        };
        double best = std::numeric_limits<double>::infinity();
        for (const auto& groups : groupings(c, score, price))
          best = std::min(best, best_over_residency(c, groups, score, price));
        explore::RunOptions opt;
        opt.search = false;
        opt.schedule = ScheduleKind::graph;
        opt.mapper.objective = objective;
        const auto graph = explore::evaluate_network(net, acc, opt);
        opt.fusion = false;
        const auto unfused = explore::evaluate_network(net, acc, opt);
        const auto run_score = [&](const explore::RunResult& r) {
          return score(r.energy.total_pj, static_cast<double>(r.totals.cycles));
        };
        INFO(net.name << " " << kib << " KiB " << core::enum_name(mapper::kObjectiveKinds, kind));
        CHECK(run_score(graph) == Approx(best).epsilon(1e-12));
        CHECK(graph.schedule->fusion.exhaustive);
        CHECK(run_score(graph) <= run_score(unfused));
        // The dynamic programming (used beyond kExhaustiveLinks) on the same graph: never worse
        // than no fusion, and no better than the exhaustive optimum.
        std::vector<std::optional<schedule::CutCosts>> costs(net.layers.size());
        for (std::size_t i = 0; i < net.layers.size(); ++i) {
          if (!c.counts[i]) continue;
          auto& cc = costs[i].emplace();
          for (const bool in : {false, true})
            for (const bool out : {false, true}) {
              dataflow::LayerCounts lc = *c.counts[i];
              schedule::apply_cut(lc, {in, out}, acc);
              cc[in][out] = price(lc);
            }
        }
        const schedule::FusionContext ctx{net,      acc,   c.live,
                                          c.counts, level, schedule::default_tile_eval(acc)};
        const auto dp =
            schedule::search_fusion(ctx, c.capacity, c.footprints, costs, price, score, 0);
        CHECK_FALSE(dp.fusion.exhaustive);
        CHECK(dp.fusion.best_score <= dp.fusion.unfused_score);
        CHECK(dp.fusion.best_score >= best * (1 - 1e-12));
        dp_optimal += dp.fusion.best_score <= best * (1 + 1e-12);
        ++cases;
        fused += graph.schedule->groups.empty() ? 0 : 1;
        beats_unfused += run_score(graph) < run_score(unfused) * (1 - 1e-12);
      }
    }
  }
  CHECK(cases == 4 * 8 * 3);
  CHECK(fused > 0);
  CHECK(beats_unfused > 0);
  WARN(cases << " cases; fused groups chosen in " << fused << ", better than unfused in "
             << beats_unfused << "; the dynamic programming alone found the optimum in "
             << dp_optimal);
}
