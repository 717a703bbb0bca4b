// SPDX-License-Identifier: Apache-2.0
// The memory planner's search (schedule/residency_search.hpp) against brute force: on small
// graphs (chains, a residual block, a concat, a diamond of branches; ≤ 6 layers) with buffers
// from a few KiB up, every choice of resident tensors that obeys the planner's rules is priced
// by applying its cuts to the layerwise counts, and the best under each objective must equal
// what `loom run --schedule graph` reports.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "energy/energy_table.hpp"
#include "mapper/objective.hpp"
#include "schedule_fixtures.hpp"

using namespace loom;
using schedule::ScheduleKind;

namespace {

const char* const kGraphs[] = {
    R"(
name: chain5
layers:
  - {name: c1, op: conv, C: 3, M: 16, H: 8, R: 3, padding: 1}
  - {name: c2, op: conv, C: 16, M: 8, H: 8}
  - {name: c3, op: conv, C: 8, M: 24, H: 8, R: 3, padding: 1}
  - {name: c4, op: conv, C: 24, M: 8, H: 8}
  - {name: c5, op: conv, C: 8, M: 4, H: 8}
)",
    R"(
name: residual
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: c2, op: conv, C: 8, M: 8, H: 8}
  - {name: c3, op: conv, C: 8, M: 8, H: 8, R: 3, padding: 1}
  - {name: add, op: add, inputs: [c3, c1], C: 8, H: 8}
  - {name: c4, op: conv, C: 8, M: 16, H: 8}
  - {name: c5, op: conv, C: 16, M: 4, H: 8}
)",
    R"(
name: cat
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: b, op: conv, inputs: [], C: 3, M: 4, H: 8}
  - {name: b2, op: conv, C: 4, M: 12, H: 8}
  - {name: cat, op: concat, inputs: [a, b2], C: 20, H: 8}
  - {name: c, op: conv, C: 20, M: 4, H: 8}
)",
    R"(
name: diamond
layers:
  - {name: stem, op: conv, C: 3, M: 16, H: 8, R: 3, padding: 1}
  - {name: l, op: conv, inputs: [stem], C: 16, M: 16, H: 8, R: 3, padding: 1}
  - {name: r, op: conv, inputs: [stem], C: 16, M: 16, H: 8}
  - {name: sum, op: add, inputs: [l, r], C: 16, H: 8}
  - {name: pw, op: conv, C: 16, M: 32, H: 8}
  - {name: head, op: conv, C: 32, M: 8, H: 8}
)"};

struct Totals {
  double energy_pj = 0, cycles = 0;
};

// The run's totals for one choice of resident tensors, from the layerwise counts.
Totals price_plan(const workloads::Network& net, const explore::RunResult& layerwise,
                  const schedule::Residency& r, const energy::EnergyTable& table) {
  Totals t;
  std::size_t next = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (!workloads::does_macs(net.layers[i].op)) continue;
    dataflow::LayerCounts c = layerwise.layers[next++].counts;
    schedule::apply_cut(c, {r.input_on_chip[i], r.resident[i] && !r.dram_needed[i]},
                        layerwise.accelerator);
    const auto& p = c.precision;
    t.energy_pj += energy::price(c.access, dataflow::performed_macs(c), p.weight_bits,
                                 p.activation_bits, table)
                       .total_pj;
    t.cycles += static_cast<double>(c.total_cycles);
  }
  return t;
}

// Seeded random chains of 6 convolutions with mixed widths: greedy first fit keeps early
// tensors that crowd out later, larger savings on some of them.
std::vector<std::string> random_chains(int count) {
  std::mt19937 rng(17);
  const int widths[] = {4, 8, 16, 32, 64};
  std::vector<std::string> out;
  for (int g = 0; g < count; ++g) {
    std::string y = "name: rand" + std::to_string(g) + "\nlayers:\n";
    int c = 3;
    for (int l = 0; l < 6; ++l) {
      const int m = widths[rng() % 5];
      const bool window = rng() % 2 == 0;
      y += "  - {name: c" + std::to_string(l) + ", op: conv, C: " + std::to_string(c) +
           ", M: " + std::to_string(m) + ", H: 8" + (window ? ", R: 3, padding: 1}\n" : "}\n");
      c = m;
    }
    out.push_back(y);
  }
  return out;
}

}  // namespace

TEST_CASE("the memory plan equals the best of every legal residency choice (brute force)") {
  int cases = 0, beats_greedy = 0, with_residents = 0;
  std::vector<std::string> graphs(std::begin(kGraphs), std::end(kGraphs));
  for (const auto& y : random_chains(8)) graphs.push_back(y);
  for (const auto& yaml : graphs) {
    const auto net = workloads::parse_workload_yaml(yaml, "graph.yaml");
    for (const std::int64_t kib : {2, 3, 4, 6, 8, 12, 16, 24, 48}) {
      const auto acc = test::shared_buffer_ws(kib * 1024);
      const auto table = energy::make_energy_table(acc);
      const auto layerwise = test::run_closed_form(net, acc, ScheduleKind::layerwise);
      // Lifetimes and footprints as the planner sees them.
      std::vector<const dataflow::LayerCounts*> counts(net.layers.size(), nullptr);
      std::vector<schedule::Footprint> footprints(net.layers.size());
      const int level = schedule::residency_level(acc);
      REQUIRE(level >= 0);
      for (std::size_t i = 0, next = 0; i < net.layers.size(); ++i)
        if (workloads::does_macs(net.layers[i].op)) {
          counts[i] = &layerwise.layers[next++].counts;
          footprints[i] = schedule::layer_footprint(net.layers[i], counts[i]->precision,
                                                    acc.levels[static_cast<std::size_t>(level)]);
        }
      const auto greedy = schedule::plan_graph_schedule(net, acc, counts);
      const auto& live = greedy.liveness;
      const std::int64_t capacity = acc.levels[static_cast<std::size_t>(level)].size_bytes * 8;
      for (const auto kind : {mapper::ObjectiveKind::energy, mapper::ObjectiveKind::latency,
                              mapper::ObjectiveKind::edp}) {
        const mapper::Objective objective{.kind = kind};
        const auto score = [&](const Totals& t) {
          return objective.score(mapper::Cost{t.energy_pj, t.cycles});
        };
        double best = std::numeric_limits<double>::infinity();
        const std::size_t n = net.layers.size();
        for (std::uint32_t mask = 0; mask < (1U << n); ++mask) {
          std::vector<bool> resident(n);
          for (std::size_t i = 0; i < n; ++i) resident[i] = (mask >> i) & 1U;
          if (!schedule::residency_fits(live, net, capacity, footprints, resident)) continue;
          const auto plan = schedule::derive_transfers(live, net, resident);
          best = std::min(best, score(price_plan(net, layerwise, plan, table)));
        }
        explore::RunOptions opt;
        opt.search = false;
        opt.schedule = ScheduleKind::graph;
        opt.fusion = false;  // test_fusion_optimal.cpp brute-forces groupings too
        opt.mapper.objective = objective;
        const auto graph = explore::evaluate_network(net, acc, opt);
        const double found =
            score({graph.energy.total_pj, static_cast<double>(graph.totals.cycles)});
        INFO(net.name << " " << kib << " KiB " << core::enum_name(mapper::kObjectiveKinds, kind));
        CHECK(found == Approx(best).epsilon(1e-12));
        CHECK(graph.schedule->search.complete);
        CHECK(graph.schedule->search.optimality_gap_pct == 0);
        // The reported plan obeys the rules and prices as reported.
        CHECK(schedule::residency_fits(live, net, capacity, footprints,
                                       graph.schedule->residency.resident));
        CHECK(score(price_plan(net, layerwise, graph.schedule->residency, table)) ==
              Approx(found).epsilon(1e-12));
        ++cases;
        const double greedy_score = score(price_plan(net, layerwise, greedy.residency, table));
        beats_greedy += found < greedy_score * (1 - 1e-12);
        for (const bool b : graph.schedule->residency.resident) with_residents += b;
      }
    }
  }
  CHECK(cases == 12 * 9 * 3);
  CHECK(with_residents > 0);
  WARN(cases << " cases; the search beat the greedy plan on " << beats_greedy);
}
