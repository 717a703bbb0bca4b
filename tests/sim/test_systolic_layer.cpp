// SPDX-License-Identifier: Apache-2.0
// Whole layers through the cycle-level systolic array under the mappings the mapper works
// with: every output equals the golden convolution, and the simulated cycles and array-edge
// traffic equal the analytical model's default mode for the same mapping, exactly.
#include <catch2/catch.hpp>
#include <random>

#include "common/random_mapping.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_timing.hpp"
#include "sim/array_module.hpp"
#include "sim/systolic_layer.hpp"
#include "sim_fixtures.hpp"

using namespace loom;
using arch::Dataflow;

namespace {

using loom_test::conv;

// Layers of every kind the issue names: odd shapes, strides, padding, dilation, groups,
// depthwise, 1x1 and FC, batch 2.
std::vector<workloads::Layer> layers() {
  return {conv(1, 3, 5, 7, 3, 1, 1, 1, 1),  conv(2, 4, 6, 9, 3, 2, 0, 1, 1),
          conv(1, 6, 4, 11, 5, 3, 2, 1, 2), conv(1, 5, 5, 8, 3, 1, 1, 1, 5),
          conv(1, 7, 9, 6, 1, 1, 0, 1, 1),  conv(2, 13, 7, 1, 1, 1, 0, 1, 1),
          conv(1, 3, 4, 10, 3, 1, 2, 2, 1)};
}

// Simulates up to `per_layer` random mappings of every layer that fit `acc` (random data per
// layer), handing each layer, the analytical final evaluation and the simulation to `check`.
template <class Check>
void simulate_random_mappings(const arch::Accelerator& acc, sim::ArrayRunner& array,
                              std::mt19937_64& rng, int per_layer, Check check) {
  for (const auto& layer : layers()) {
    const auto data = sim::random_layer_data(layer.shape, 8, 8, rng());
    const dataflow::SystolicMapSpace space(layer, acc);
    const auto p = dataflow::resolve_precision(layer, acc);
    for (int i = 0; i < per_layer; ++i) {
      const auto m = loom_test::random_mapping(space, rng);
      const auto ev =
          dataflow::evaluate_systolic_mapping(layer, acc, m, p, dataflow::Fidelity::final);
      if (!ev.valid) continue;
      check(layer, ev, sim::simulate_systolic_layer(layer, acc, m, data, array));
    }
  }
}

void check_layers(Dataflow df, std::int64_t ar, std::int64_t ac, sim::ArrayRunner& array) {
  const auto acc = loom_test::systolic_acc(ar, ac, df);
  std::mt19937_64 rng(static_cast<std::uint64_t>(df) + 17);
  int mappings = 0;
  for (const auto& layer : layers()) {
    const auto data = sim::random_layer_data(layer.shape, 8, 8, rng());
    const dataflow::SystolicMapSpace space(layer, acc);
    const auto p = dataflow::resolve_precision(layer, acc);
    std::vector<std::vector<std::uint32_t>> genomes{space.scalesim_genes()};
    for (int i = 0; i < 6; ++i) {
      std::vector<std::uint32_t> g;
      for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
      genomes.push_back(g);
    }
    for (const auto& g : genomes) {
      const auto m = space.decode(g);
      const auto ev =
          dataflow::evaluate_systolic_mapping(layer, acc, m, p, dataflow::Fidelity::final);
      INFO(arch::dataflow_info(df).name << " layer C" << layer.shape.C << " M" << layer.shape.M
                                        << " H" << layer.shape.H << " R" << layer.shape.R
                                        << " groups " << layer.shape.groups);
      const auto r = sim::simulate_systolic_layer(layer, acc, m, data, array);
      CHECK(r.elements_checked == layer.shape.ofmap_elems());
      CHECK(r.mismatches == 0);
      CHECK(r.array.macs == layer.macs());
      CHECK(r.compute_cycles == ev.counts.compute_cycles);
      CHECK(r.memory.misses == 0);
      // The compute cycles are the cycles the array is stepped through (the engine, or the
      // SystemC module's clock) when it never waits for data: without the memory system.
      const auto alone =
          sim::simulate_systolic_layer(layer, acc, m, data, array, {.memory = false});
      CHECK(alone.mismatches == 0);
      CHECK(alone.array.wait_cycles == 0);
      CHECK(alone.array.cycles == ev.counts.compute_cycles);
      for (int l = 0; l < ev.counts.access.levels; ++l)
        for (auto o : {arch::Operand::ifmap, arch::Operand::filter, arch::Operand::ofmap}) {
          INFO("level " << l << " operand " << static_cast<int>(o));
          CHECK(r.access.at(l, o).reads == ev.counts.access.at(l, o).reads);
          CHECK(r.access.at(l, o).writes == ev.counts.access.at(l, o).writes);
          CHECK(r.access.at(l, o).read_bits == ev.counts.access.at(l, o).read_bits);
          CHECK(r.access.at(l, o).write_bits == ev.counts.access.at(l, o).write_bits);
        }
      CHECK(r.folds == ev.counts.folds);
      CHECK(r.sram_ifmap_reads == ev.counts.sram_ifmap_reads);
      CHECK(r.sram_filter_reads == ev.counts.sram_filter_reads);
      CHECK(r.sram_ofmap_writes == ev.counts.sram_ofmap_writes);
      CHECK(r.sram_ofmap_reads == ev.counts.sram_ofmap_reads);
      ++mappings;
    }
  }
  CHECK(mappings == 49);
}

}  // namespace

// The bare engine, every dataflow, several array shapes.
TEST_CASE("layers on the systolic array equal the golden convolution and the analytical counts") {
  sim::CppPe pe;
  for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is})
    for (auto [ar, ac] : {std::pair<std::int64_t, std::int64_t>{4, 4}, {3, 5}, {8, 2}}) {
      sim::SystolicArray array(ar, ac, df, 32, pe);
      check_layers(df, ar, ac, array);
    }
}

// The same through the SystemC module.
TEST_CASE("layers through the SystemC array module equal the golden convolution") {
  sim::CppPe pe;
  sim::ArraySimulation simulation({.rows = 4, .cols = 3, .dataflow = Dataflow::ws}, pe);
  check_layers(Dataflow::ws, 4, 3, simulation);
}

// Small buffers and a narrow DRAM channel: tiles are refetched, partial sums spill and folds
// wait for data. Outputs stay exact, every level's accesses equal the analytical model's exact
// count for the mapping, and the run lasts at least as long as the compute and as the DRAM
// transfers, and no longer than both back to back; the analytical model's total, with its
// tile-level pipeline, equals the simulated one.
TEST_CASE("layers through small buffers and a narrow DRAM channel keep exact data and counts") {
  sim::CppPe pe;
  std::mt19937_64 rng(5);
  int simulated = 0, waited = 0;
  for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is})
    for (double bw : {0.5, 4.0}) {
      auto acc = loom_test::systolic_acc(4, 4, df);
      acc.levels[0].bandwidth_bytes_per_cycle = bw;
      acc.levels[0].latency_cycles = 20;
      acc.levels[1].size_bytes = 2048;
      sim::SystolicArray array(4, 4, df, 32, pe);
      simulate_random_mappings(
          acc, array, rng, 3, [&](const auto& layer, const auto& ev, const auto& r) {
            INFO(arch::dataflow_info(df).name << " bw " << bw << " layer C" << layer.shape.C);
            ++simulated;
            waited += r.total_cycles > r.compute_cycles ? 1 : 0;
            CHECK(r.mismatches == 0);
            CHECK(r.memory.misses == 0);
            CHECK(r.compute_cycles == ev.counts.compute_cycles);
            // The analytical model's tile-level pipeline (dataflow/systolic_pipeline.hpp) against
            // the cycles the simulation took.
            CHECK(r.total_cycles == ev.counts.total_cycles);
            for (int l = 0; l < 2; ++l)
              for (auto o : {arch::Operand::ifmap, arch::Operand::filter, arch::Operand::ofmap}) {
                CHECK(r.access.at(l, o).reads == ev.counts.access.at(l, o).reads);
                CHECK(r.access.at(l, o).writes == ev.counts.access.at(l, o).writes);
              }
            // Independent bounds: the bus moves ceil(bits / 8 / bw) cycles per transfer.
            CHECK(r.total_cycles >= r.compute_cycles);
            CHECK(r.total_cycles >= r.memory.dram_busy_cycles);
            CHECK(r.total_cycles <=
                  r.compute_cycles + r.memory.dram_busy_cycles + 20 * r.memory.transfers);
          });
    }
  CHECK(simulated > 60);
  CHECK(waited > 30);
}

// A DRAM device with bursts, rows and bus turnarounds (dataflow/dram_timing.hpp): the simulated
// controller and the analytical tile pipeline time every transfer with the same device model,
// so totals stay equal; the device only adds time to an ideal channel of the same bandwidth,
// and the mapper's closed form estimates at least the ideal channel's stalls.
TEST_CASE("layers behind a DRAM device with bursts and row misses keep exact data and cycles") {
  sim::CppPe pe;
  std::mt19937_64 rng(11);
  int simulated = 0, slower = 0;
  for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is})
    for (double bw : {0.5, 4.0}) {
      auto ideal = loom_test::systolic_acc(4, 4, df);
      ideal.levels[0].bandwidth_bytes_per_cycle = bw;
      ideal.levels[0].latency_cycles = 20;
      ideal.levels[1].size_bytes = 2048;
      auto acc = ideal;
      acc.levels[0].dram_timing = {8, 64, 6, 2, 5};
      sim::SystolicArray array(4, 4, df, 32, pe);
      for (const auto& layer : layers()) {
        const auto data = sim::random_layer_data(layer.shape, 8, 8, rng());
        const dataflow::SystolicMapSpace space(layer, acc);
        const auto p = dataflow::resolve_precision(layer, acc);
        for (int i = 0; i < 3; ++i) {
          const auto m = loom_test::random_mapping(space, rng);
          using dataflow::Fidelity;
          const auto ev = dataflow::evaluate_systolic_mapping(layer, acc, m, p, Fidelity::final);
          if (!ev.valid) continue;
          INFO(arch::dataflow_info(df).name << " bw " << bw << " layer C" << layer.shape.C);
          const auto r = sim::simulate_systolic_layer(layer, acc, m, data, array);
          ++simulated;
          CHECK(r.mismatches == 0);
          CHECK(r.memory.misses == 0);
          CHECK(r.total_cycles == ev.counts.total_cycles);
          const auto base =
              dataflow::evaluate_systolic_mapping(layer, ideal, m, p, Fidelity::final);
          CHECK(ev.counts.total_cycles >= base.counts.total_cycles);
          slower += ev.counts.total_cycles > base.counts.total_cycles ? 1 : 0;
          const auto fast = dataflow::evaluate_systolic_mapping(layer, acc, m, p, Fidelity::search);
          const auto fast_ideal =
              dataflow::evaluate_systolic_mapping(layer, ideal, m, p, Fidelity::search);
          CHECK(fast.counts.dram_bus_factor >= 1.0);
          CHECK(fast.counts.total_cycles >= fast_ideal.counts.total_cycles);
        }
      }
    }
  CHECK(simulated > 60);
  CHECK(slower > 30);
}

// SRAMs whose ports cannot feed the array's edges every cycle: one buffer per operand, each
// ports x banks x word_bits wide. The simulated array inserts the bubbles the ports force and
// the analytical model (dataflow/sram_ports.hpp) must predict every cycle of them.
TEST_CASE("layers behind narrow SRAM ports keep exact data, counts and cycles") {
  sim::CppPe pe;
  std::mt19937_64 rng(23);
  int simulated = 0, throttled = 0;
  for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is})
    for (int word_bits : {8, 16, 64}) {
      auto acc = loom_test::systolic_acc(4, 4, df);
      acc.levels.resize(1);
      acc.levels[0].bandwidth_bytes_per_cycle = 2;
      for (auto o : {arch::Operand::ifmap, arch::Operand::filter, arch::Operand::ofmap}) {
        arch::MemoryLevel l{.name = "sram" + std::to_string(static_cast<int>(o)),
                            .kind = arch::LevelKind::sram,
                            .size_bytes = 4096};
        l.holds = {false, false, false};
        l.holds[static_cast<int>(o)] = true;
        l.word_bits = o == arch::Operand::ofmap ? 2 * word_bits : word_bits;
        l.banks = 2;
        l.ports = 1;
        acc.levels.push_back(l);
      }
      sim::SystolicArray array(4, 4, df, 32, pe);
      simulate_random_mappings(
          acc, array, rng, 3, [&](const auto& layer, const auto& ev, const auto& r) {
            INFO(arch::dataflow_info(df).name << " word_bits " << word_bits << " layer C"
                                              << layer.shape.C);
            ++simulated;
            throttled += r.port_stall_cycles > 0 ? 1 : 0;
            CHECK(r.mismatches == 0);
            CHECK(r.memory.misses == 0);
            CHECK(r.compute_cycles == ev.counts.compute_cycles);
            CHECK(r.port_stall_cycles == ev.counts.port_stall_cycles);
            CHECK(r.total_cycles == ev.counts.total_cycles);
            for (int l = 0; l < 4; ++l)
              for (auto o : {arch::Operand::ifmap, arch::Operand::filter, arch::Operand::ofmap}) {
                INFO("level " << l << " operand " << static_cast<int>(o));
                CHECK(r.access.at(l, o).reads == ev.counts.access.at(l, o).reads);
                CHECK(r.access.at(l, o).writes == ev.counts.access.at(l, o).writes);
              }
            // 2 banks of 64-bit words feed 4 int8 values a cycle, 2 of 128-bit words take 4
            // int32 psums: no bubbles. Narrower ones slow every fold longer than the preload.
            if (word_bits == 64) CHECK(r.port_stall_cycles == 0);
            CHECK(r.port_stall_cycles >= 0);
          });
    }
  CHECK(simulated > 30);
  CHECK(throttled > 20);
}

// A weight- or input-stationary array without shadow registers (pe.stationary_preload: stall)
// stops after each fold's last wavefront to shift the next stationary tile in; folds that keep
// their tile do not. The simulated array runs that schedule, and the analytical closed form
// (stall_swap_sum) must count every stalled cycle, with narrow SRAM ports too.
TEST_CASE("layers on an array without shadow registers stall for each preload, as analysed") {
  sim::CppPe pe;
  std::mt19937_64 rng(29);
  int simulated = 0, slower = 0;
  for (Dataflow df : {Dataflow::ws, Dataflow::is})
    for (int ports : {0, 1}) {
      auto shadow = loom_test::systolic_acc(4, 4, df);
      shadow.levels[0].bandwidth_bytes_per_cycle = 2;
      shadow.levels[1].size_bytes = 4096;
      shadow.levels[1].ports = ports;
      shadow.levels[1].word_bits = 32;
      auto acc = shadow;
      acc.array.pe.stationary_preload = arch::PeSpec::Preload::stall;
      sim::SystolicArray array(4, 4, df, 32, pe);
      for (const auto& layer : layers()) {
        const auto data = sim::random_layer_data(layer.shape, 8, 8, rng());
        const dataflow::SystolicMapSpace space(layer, acc);
        const auto p = dataflow::resolve_precision(layer, acc);
        for (int i = 0; i < 4; ++i) {
          const auto m = loom_test::random_mapping(space, rng);
          using dataflow::Fidelity;
          const auto ev = dataflow::evaluate_systolic_mapping(layer, acc, m, p, Fidelity::final);
          if (!ev.valid) continue;
          INFO(arch::dataflow_info(df).name << " ports " << ports << " layer C" << layer.shape.C
                                            << " folds " << ev.counts.folds);
          const auto r = sim::simulate_systolic_layer(layer, acc, m, data, array);
          ++simulated;
          CHECK(r.mismatches == 0);
          CHECK(r.memory.misses == 0);
          CHECK(r.compute_cycles == ev.counts.compute_cycles);
          CHECK(r.port_stall_cycles == ev.counts.port_stall_cycles);
          CHECK(r.total_cycles == ev.counts.total_cycles);
          const auto base =
              dataflow::evaluate_systolic_mapping(layer, shadow, m, p, Fidelity::final);
          CHECK(ev.counts.compute_cycles >= base.counts.compute_cycles);
          // Stalled preloads expose the narrow ports' slower preloads too.
          CHECK(ev.counts.port_stall_cycles >= base.counts.port_stall_cycles);
          slower += ev.counts.compute_cycles > base.counts.compute_cycles ? 1 : 0;
          // One fold, or folds that all keep one tile, never wait for a preload.
          if (ev.counts.folds == 1) CHECK(ev.counts.compute_cycles == base.counts.compute_cycles);
        }
      }
    }
  CHECK(simulated > 60);
  CHECK(slower > 30);
}
