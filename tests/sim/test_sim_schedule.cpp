// SPDX-License-Identifier: Apache-2.0
// Whole-network `loom sim` under the graph schedule (simulate/simulate_network.hpp): a residual
// block and a fusable chain on an 8x8 WS array whose 32 KiB ifmap buffer keeps some tensors and
// lets two layers fuse. The simulation is compared with `loom run` through its public API
// (explore::evaluate_network), never with the schedule's internals.
#include <catch2/catch.hpp>

#include "arch/accelerator.hpp"
#include "common/residual_block.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_folds.hpp"
#include "dataflow/systolic_pipeline.hpp"
#include "dataflow/tile_plan.hpp"
#include "simulate/simulate_network.hpp"
#include "simulated_network.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

arch::Accelerator small_ws(std::int64_t ifmap_kib) {
  return arch::parse_accelerator_yaml(loom_test::small_ws_yaml(ifmap_kib), "small_ws.yaml");
}

loom_test::SimulatedNetwork simulate_res32(const arch::Accelerator& acc,
                                           std::optional<schedule::ScheduleKind> kind) {
  return loom_test::simulate_yaml(acc, kind, loom_test::kResidualBlock, "res32.yaml");
}

double dram_bytes(const dataflow::LayerCounts& c, const arch::Accelerator& acc) {
  return c.access.bytes(acc.dram_level());
}
double dram_bytes(const simulate::LayerRun& r, const arch::Accelerator& acc) {
  return r.access.bytes(acc.dram_level());
}

// The layer's tile pipeline (dataflow/systolic_pipeline.hpp) with the operands the schedule
// keeps on chip: the analytical timing of what the simulator runs.
std::int64_t pipeline_cycles(const simulate::SimulatedLayer& l, const arch::Accelerator& acc) {
  const auto folds = dataflow::layer_folds(l.layer, acc, l.mapping);
  auto plan = dataflow::plan_tiles(l.layer, acc, l.mapping, folds);
  plan.on_chip = {l.cut.input_on_chip, false, l.cut.output_on_chip};
  return dataflow::systolic_pipeline(l.layer, acc, folds, plan,
                                     dataflow::resolve_precision(l.layer, acc))
      .total_cycles;
}

}  // namespace

TEST_CASE(
    "loom sim runs loom run's graph schedule: resident tensors skip DRAM, fused layers "
    "run tile by tile, every output checked") {
  const auto acc = small_ws(32);
  const auto s = simulate_res32(acc, std::nullopt);  // the accelerator's default: graph
  REQUIRE(s.run);
  REQUIRE(s.run->schedule);
  const auto& plan = *s.run->schedule;
  REQUIRE(s.layers.size() == 5);
  // The schedule this network gets here (fused groups priced tile by tile): c1..c2 run fused as
  // one tile of 32 rows (c1's tensor, which the add reads too, written to DRAM), c2's and c3's
  // tensors stay, c3 and c4 read on chip.
  REQUIRE(plan.groups.size() == 1);
  int cuts = 0, fused = 0;
  for (const auto& l : s.layers) {
    INFO(l.layer.name);
    CHECK(l.sim.mismatches == 0);
    CHECK(l.sim.elements_checked == l.layer.shape.ofmap_elems());
    CHECK(l.sim.macs == l.layer.macs());
    if (l.group > 0) {
      ++fused;
      continue;
    }
    cuts += l.cut.any() ? 1 : 0;
    // Every layer run whole moves exactly the DRAM bytes loom run books for it under the
    // schedule (a resident input is not read, a resident output not written).
    CHECK(dram_bytes(l.sim, acc) == dram_bytes(l.analytical, acc));
    CHECK(l.sim.compute_cycles == l.analytical.compute_cycles);
    // Its cycles are the tile pipeline's with the resident operands on chip; without a cut
    // that is loom run's figure too.
    CHECK(l.sim.total_cycles == pipeline_cycles(l, acc));
    if (!l.cut.any()) CHECK(l.sim.total_cycles == l.analytical.total_cycles);
  }
  CHECK(cuts >= 2);
  CHECK(fused == 2);
  // The fused group equals the tile-by-tile price of the execution it ran.
  const auto& last = s.layers[1];
  REQUIRE(last.group_price);
  std::int64_t cycles = 0, bits = 0;
  for (const auto& l : s.layers)
    if (l.group == 1) {
      cycles += l.sim.total_cycles;
      for (const auto& cell : l.sim.access.cells[static_cast<std::size_t>(acc.dram_level())])
        bits += cell.read_bits + cell.write_bits;
    }
  CHECK(cycles == last.group_price->cycles);
  CHECK(bits == last.group_price->dram_bits);
  // Resident tensors and the fused intermediate tensor never cross the DRAM bus: the network
  // moves what loom run says it moves.
  double sim_dram = 0, run_dram = 0;
  for (const auto& l : s.layers) sim_dram += dram_bytes(l.sim, acc);
  for (const auto& l : s.run->layers) run_dram += dram_bytes(l.counts, acc);
  CHECK(sim_dram == run_dram);
}

// Whole-network loom sim runs the execution loom run priced for each fused group (its tile
// rows, halo and weight policies and tile mappings), so every fused layer's cycles and DRAM
// bytes are loom run's, layer by layer.
TEST_CASE("a fused group's simulated cycles and DRAM bytes equal loom run's, layer by layer") {
  int groups = 0;
  for (const std::int64_t kib : {8, 32}) {
    const auto acc = small_ws(kib);
    const auto s = simulate_res32(acc, schedule::ScheduleKind::graph);
    REQUIRE(s.run);
    groups += static_cast<int>(s.run->schedule->groups.size());
    for (std::size_t g = 0; g < s.run->schedule->groups.size(); ++g) {
      std::int64_t cycles = 0, run_cycles = 0;
      double bytes = 0, run_bytes = 0;
      for (const auto& l : s.layers)
        if (l.group == static_cast<int>(g) + 1) {
          INFO(kib << " KiB, group " << g + 1 << ", " << l.layer.name);
          CHECK(l.sim.mismatches == 0);
          CHECK(l.sim.total_cycles == l.analytical.total_cycles);
          CHECK(dram_bytes(l.sim, acc) == dram_bytes(l.analytical, acc));
          cycles += l.sim.total_cycles;
          run_cycles += l.analytical.total_cycles;
          bytes += dram_bytes(l.sim, acc);
          run_bytes += dram_bytes(l.analytical, acc);
        }
      INFO(kib << " KiB, group " << g + 1);
      CHECK(cycles == run_cycles);
      CHECK(bytes == run_bytes);
    }
  }
  CHECK(groups >= 2);
}

TEST_CASE("loom sim --schedule layerwise runs every layer from DRAM to DRAM, as loom run does") {
  const auto acc = small_ws(32);
  const auto s = simulate_res32(acc, schedule::ScheduleKind::layerwise);
  CHECK_FALSE(s.run);
  REQUIRE(s.layers.size() == 5);
  for (const auto& l : s.layers) {
    INFO(l.layer.name);
    CHECK(l.group == 0);
    CHECK_FALSE(l.cut.any());
    CHECK(l.sim.mismatches == 0);
    CHECK(l.sim.total_cycles == l.analytical.total_cycles);
    CHECK(dram_bytes(l.sim, acc) == dram_bytes(l.analytical, acc));
  }
}
