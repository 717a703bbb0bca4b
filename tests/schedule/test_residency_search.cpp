// SPDX-License-Identifier: Apache-2.0
// The residency search (schedule/residency_search.hpp) on its own against enumeration: seeded
// random graphs of MAC and non-MAC layers (residual adds, concats, layers reading the network
// input, chains of non-MAC layers), random tensor sizes, footprints (some read through a fused
// group's first layer), banned tensors, capacities and cut costs. Unlike the zoo's priced cuts,
// random costs make the greedy plan lose often, so the bound and the memoized dominance have
// something to prune; every case must close with the enumerated optimum's score.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "schedule/residency_search.hpp"

using namespace loom;
using schedule::CutCosts;

namespace {

struct Problem {
  workloads::Network net;
  schedule::Liveness live;
  std::vector<schedule::Footprint> footprints;
  std::vector<std::optional<CutCosts>> costs;
  std::vector<bool> banned;
  std::int64_t capacity = 0;
};

Problem random_problem(std::mt19937& rng, std::size_t n) {
  const auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % (hi - lo + 1)); };
  Problem p;
  p.live.tensors.resize(n);
  p.live.producers.resize(n);
  p.footprints.resize(n);
  p.costs.resize(n);
  p.banned.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    workloads::Layer l;
    l.name = "l" + std::to_string(i);
    const bool mac = i == 0 || uniform(0, 2) > 0;
    l.op = mac ? workloads::OpKind::conv : workloads::OpKind::add;
    p.net.layers.push_back(l);
    auto& ps = p.live.producers[i];
    if (i > 0 && uniform(0, 9) > 0) {
      ps.push_back(i - 1);
      if (i > 1 && uniform(0, 2) == 0)
        ps.insert(ps.begin(), static_cast<std::size_t>(uniform(0, static_cast<int>(i) - 2)));
    }
    auto& t = p.live.tensors[i];
    t.producer = t.first = t.last = i;
    t.bits = uniform(1, 48);
    for (const std::size_t q : ps) {
      p.live.tensors[q].consumers.push_back(i);
      p.live.tensors[q].last = i;
    }
    p.banned[i] = uniform(0, 9) == 0;
    if (!mac) continue;
    const int full = uniform(0, 60);
    p.footprints[i] = {full, uniform(0, full)};
    if (i > 0 && uniform(0, 5) == 0) p.footprints[i].reader = i - 1;  // a fused group's step
    // Monotone in both cuts: keeping a tensor on chip never costs energy or cycles. Small
    // integers, so that plans tie.
    CutCosts c;
    for (const auto part : {&schedule::LayerCost::energy_pj, &schedule::LayerCost::cycles}) {
      c[1][1].*part = uniform(1, 20);
      c[0][1].*part = c[1][1].*part + uniform(0, 12);
      c[1][0].*part = c[1][1].*part + uniform(0, 12);
      c[0][0].*part = std::max(c[0][1].*part, c[1][0].*part) + uniform(0, 8);
    }
    p.costs[i] = c;
  }
  p.capacity = uniform(30, 160);
  return p;
}

// The best score over every legal choice of resident tensors.
double enumerate(const Problem& p, const schedule::ScheduleScore& score) {
  const std::size_t n = p.net.layers.size();
  double best = std::numeric_limits<double>::infinity();
  for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
    std::vector<bool> resident(n);
    bool legal = true;
    for (std::size_t i = 0; i < n; ++i) {
      resident[i] = (mask >> i) & 1U;
      legal = legal && !(resident[i] && p.banned[i]);
    }
    if (!legal || !schedule::residency_fits(p.live, p.net, p.capacity, p.footprints, resident))
      continue;
    const auto plan = schedule::derive_transfers(p.live, p.net, resident);
    best = std::min(best, schedule::plan_score(plan, p.costs, score));
  }
  return best;
}

}  // namespace

TEST_CASE("the residency search equals enumeration on random graphs, costs and capacities") {
  const schedule::ScheduleScore scores[] = {[](double e, double) { return e; },
                                            [](double, double c) { return c; },
                                            [](double e, double c) { return e * c; }};
  std::mt19937 rng(2026);
  int cases = 0, beats_greedy = 0;
  std::uint64_t nodes = 0;
  for (int g = 0; g < 200; ++g) {
    const Problem p = random_problem(rng, 8 + static_cast<std::size_t>(g % 5));
    for (const auto& score : scores) {
      CAPTURE(g, cases);
      schedule::ResidencySearchStats stats;
      const auto plan =
          schedule::search_residency(p.live, p.net, p.capacity, p.footprints, p.costs, score,
                                     &stats, schedule::kResidencyNodeLimit, p.banned);
      CHECK(stats.complete);
      CHECK(stats.optimality_gap_pct == 0);
      CHECK(schedule::plan_score(plan, p.costs, score) == enumerate(p, score));
      CHECK(schedule::residency_fits(p.live, p.net, p.capacity, p.footprints, plan.resident));
      for (std::size_t i = 0; i < plan.resident.size(); ++i)
        CHECK(!(plan.resident[i] && p.banned[i]));
      beats_greedy += stats.best_score < stats.greedy_score;
      nodes += stats.nodes;
      ++cases;
    }
  }
  CHECK(cases == 600);
  CHECK(beats_greedy > 40);
  WARN(cases << " cases, the greedy plan beaten on " << beats_greedy << ", " << nodes
             << " nodes in all");
}
