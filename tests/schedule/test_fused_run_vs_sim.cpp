// SPDX-License-Identifier: Apache-2.0
// One price for a fused group: the cycles and DRAM bytes `loom run` books for a group the graph
// schedule fuses (its layers' counts summed over their tile steps, schedule/fusion_price.hpp)
// equal what the SystemC systolic array measures running the same execution — the group's
// tiles and steps with the mappings the run's mapper chose for each tile shape — with real data
// (sim/fused_group.hpp, what `loom sim --group` runs), outputs equal to the golden chain.
#include <catch2/catch.hpp>

#include "dataflow/systolic.hpp"
#include "schedule_fixtures.hpp"
#include "sim/array_module.hpp"
#include "sim/fused_group.hpp"
#include "sim/pe_model.hpp"

using namespace loom;

TEST_CASE("a fused group's loom run cycles and DRAM bytes equal the SystemC array's (systolic)") {
  const auto net = workloads::parse_workload_yaml(R"(
name: pair
layers:
  - {name: a, op: conv, C: 4, M: 8, H: 16, R: 3, padding: 1}
  - {name: b, op: conv, C: 8, M: 8, H: 16, R: 3, padding: 1}
)",
                                                  "pair.yaml");
  // edge_ws_32x32 with an ifmap_sram too small for a's 2 KiB output to stay whole beside b's
  // footprint: the schedule fuses the pair where its tiles fit. The network's input and output
  // go through DRAM, so the group's do.
  auto acc = arch::load_accelerator("edge_ws_32x32");
  explore::RunOptions opt;
  opt.schedule = schedule::ScheduleKind::graph;
  opt.mapper.threads = 1;
  std::optional<explore::RunResult> run;
  for (const std::int64_t bytes : {1024, 1536, 2048, 3072, 4096}) {
    for (auto& l : acc.levels)
      if (l.name == "ifmap_sram") l.size_bytes = bytes;
    auto r = explore::evaluate_network(net, acc, opt);
    if (!r.schedule->groups.empty()) {
      run = std::move(r);
      break;
    }
  }
  REQUIRE(run);
  const auto& g = run->schedule->groups.front();
  REQUIRE(g.first == 0);
  REQUIRE(g.last == 1);
  INFO("tile rows " << g.tile_rows << " halo " << core::enum_name(schedule::kHaloPolicies, g.halo)
                    << " weights resident " << g.weights_resident);
  std::int64_t cycles = 0;
  double dram_bytes = 0;
  for (const auto& lr : run->layers) {
    cycles += lr.counts.total_cycles;
    dram_bytes += lr.counts.access.bytes(acc.dram_level());
  }

  const auto& e = run->schedule->priced.front().execution;
  const auto p = dataflow::resolve_precision(e.layers.front(), acc);
  const auto input = sim::random_layer_data(e.layers.front().shape, 8, 8, 1).ifmap;
  std::vector<sim::Tensor4> weights;
  for (std::size_t i = 0; i < e.layers.size(); ++i)
    weights.push_back(sim::random_layer_data(e.layers[i].shape, 8, 8, 2 + i).weights);
  const sim::OutputFormat between{.accumulator_bits = acc.array.pe.accumulator_bits,
                                  .shift = 8,
                                  .output_bits = p.activation_bits,
                                  .saturate = true};
  sim::CppPe pe;
  sim::ArraySimulation array({.rows = acc.array.rows,
                              .cols = acc.array.cols,
                              .dataflow = acc.dataflow,
                              .accumulator_bits = acc.array.pe.accumulator_bits,
                              .clock_period_ns = 1e9 / acc.clock_hz},
                             pe);
  const auto s = sim::simulate_fused_group(e, acc, input, weights, between, array);
  CHECK(s.mismatches + s.step_mismatches == 0);
  CHECK(s.elements_checked > 0);
  CHECK(s.cycles == cycles);
  CHECK(static_cast<double>(s.dram_bits) / 8 == dram_bytes);
  const auto model = schedule::price_fused_execution(e, acc);
  CHECK(model.cycles == cycles);
  CHECK(static_cast<double>(model.dram_bits) / 8 == dram_bytes);
}
