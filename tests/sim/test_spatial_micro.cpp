// SPDX-License-Identifier: Apache-2.0
// The spatial array's microarchitecture (dataflow/spatial_micro.hpp) in the SystemC simulator
// and in the nest analysis, on the same random legal mappings: Eyeriss's arrangement with every
// mechanism on (narrow buses, pass set-up, pipeline, psum chain and accumulation, a single-port
// scratchpad) and DRAM taken out of the timing, so the cycle counts can be compared exactly.
// The simulator counts passes, bus words and per-word costs event by event; where a mapping
// covers every dimension exactly the two agree on them and on the layer's cycles, otherwise
// the analysis (which charges every PE slot of every step) bounds the simulation.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "dataflow/nest_analysis.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "sim/spatial_module.hpp"
#include "sim_fixtures.hpp"

using namespace loom;
using arch::Operand;

namespace {

// Eyeriss with every mechanism on, buses narrow enough that some mappings are bus-bound.
arch::Accelerator micro_eyeriss(int bus_bits) {
  auto acc = arch::load_accelerator("eyeriss");
  for (auto& l : acc.levels) {
    l.compression = arch::MemoryLevel::Compression::none;
    if (l.kind == arch::LevelKind::dram) l.bandwidth_bytes_per_cycle = 0;  // DRAM never waits
    if (l.name == "filter_spad") l.single_port = true;
    if (l.kind != arch::LevelKind::noc) continue;
    l.bus_bits = {bus_bits, bus_bits, bus_bits};
    l.layer_setup_cycles = 100;
    l.pass_setup_cycles = 3;
    l.psum_hop_cycles = 1;
    l.psum_accumulate_cycles = 1;
  }
  acc.array.pe.zero_gating = false;
  acc.array.pe.pipeline_stages = 3;
  return acc;
}

bool exact_coverage(const workloads::Layer& layer, const dataflow::Mapping& m) {
  const auto b = dataflow::problem_bounds(layer.shape);
  for (int d = 0; d < dataflow::kDims; ++d)
    if (dataflow::coverage(m, static_cast<dataflow::Dim>(d)) != b[d]) return false;
  return true;
}

}  // namespace

TEST_CASE("the spatial microarchitecture costs the same in the simulator and the analysis") {
  using loom_test::conv;
  const sc_core::sc_time period(1.0, sc_core::SC_NS);
  sim::SpatialSimulation simulation({.clock_period_ns = 1.0});
  std::mt19937_64 rng(11);
  int cases = 0, exact_cases = 0, bus_bound = 0;
  for (const int bus : {64, 16}) {
    const auto acc = micro_eyeriss(bus);
    for (const auto& layer : {conv(1, 3, 5, 7, 3, 1, 1, 1, 1), conv(2, 4, 6, 9, 3, 2, 0, 1, 1),
                              conv(1, 6, 4, 9, 3, 2, 1, 1, 2), conv(2, 3, 4, 6, 5, 1, 2, 1, 1)}) {
      const auto p = dataflow::resolve_precision(layer, acc);
      const auto data = sim::random_layer_data(layer.shape, 16, 16, rng());
      const auto found = loom_test::random_legal_spatial_mappings(layer, acc, p, 5, rng);
      for (const auto& [m, ev] : found) {
        ++cases;
        const auto nc = dataflow::analyze_nest(layer, acc, m, p);
        const auto start = sc_core::sc_time_stamp();
        const auto run = simulation.run(layer, acc, m, data);
        const auto& se = run.array.events;
        const auto& ae = nc.events;
        INFO("bus " << bus << " layer C" << layer.shape.C << " M" << layer.shape.M << " R"
                    << layer.shape.R);
        CHECK(run.array.mismatches == 0);
        CHECK(sc_core::sc_time_stamp() - start == period * static_cast<double>(run.total_cycles));
        // Passes come from the loops alone: always equal, and every one costs.
        CHECK(se.passes == ae.passes);
        CHECK(se.psum_chain == ae.psum_chain);
        CHECK(se.pes_used == ae.pes_used);
        CHECK(nc.overheads.serial_cycles > 0);
        CHECK(ev.counts.total_cycles == nc.total_cycles);
        CHECK(run.total_cycles > run.array.cycles);
        CHECK(run.total_cycles <= nc.total_cycles);
        CHECK(se.psums_received <= ae.psums_received);
        CHECK(se.single_port_writes <= ae.single_port_writes);
        for (int o = 0; o < arch::kOperands; ++o) CHECK(se.bus_bits[o] <= ae.bus_bits[o]);
        CHECK(se.psum_in_bits <= ae.psum_in_bits);
        const auto overheads = dataflow::array_overheads(acc, se);
        bus_bound +=
            overheads.bus_cycles > static_cast<double>(run.array.cycles) + overheads.serial_cycles
                ? 1
                : 0;
        if (!exact_coverage(layer, m)) continue;
        ++exact_cases;
        CHECK(se.psums_received == ae.psums_received);
        CHECK(se.single_port_writes == ae.single_port_writes);
        CHECK(se.bus_bits[static_cast<int>(Operand::filter)] ==
              ae.bus_bits[static_cast<int>(Operand::filter)]);
        CHECK(se.bus_bits[static_cast<int>(Operand::ofmap)] ==
              ae.bus_bits[static_cast<int>(Operand::ofmap)]);
        CHECK(se.psum_in_bits == ae.psum_in_bits);
        // The ifmap bus: the analysis refetches revisited windows and counts padding.
        const bool ifmap_equal = se.bus_bits[0] == ae.bus_bits[0];
        if (ifmap_equal) CHECK(run.total_cycles == nc.total_cycles);
      }
      CHECK(found.size() == 5);
    }
  }
  CHECK(cases == 40);
  CHECK(exact_cases >= 3);  // the equalities above are exercised
  CHECK(bus_bound >= 1);    // and so is the bus bound
}

TEST_CASE("Eyeriss with its microarchitecture: CONV5 simulated within 1% of the analytical model") {
  // The chip's values (preset eyeriss_micro) with its DRAM channel: the array's overheads delay
  // every refill in the simulator as they do in the analysis's serial term.
  auto acc = arch::load_accelerator("eyeriss_micro");
  for (auto& l : acc.levels) l.compression = arch::MemoryLevel::Compression::none;
  acc.array.pe.zero_gating = false;
  auto layer = loom_test::conv(1, 192, 128, 15, 3, 1, 1, 1, 1);  // AlexNet CONV5, one group
  const auto p = dataflow::resolve_precision(layer, acc);
  const dataflow::SpatialMapSpace space(layer, acc, p);
  std::mt19937_64 rng(5);
  dataflow::Mapping m;
  for (bool found = false; !found;) {
    std::vector<std::uint32_t> g;
    for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    m = space.decode(g);
    found = dataflow::evaluate_spatial_mapping(layer, acc, m, p).valid;
  }
  const auto ev = dataflow::evaluate_spatial_mapping(layer, acc, m, p);
  sim::SpatialSimulation simulation({.clock_period_ns = 5.0});
  const auto run = simulation.run(layer, acc, m, sim::random_layer_data(layer.shape, 16, 16, 2));
  CHECK(run.array.mismatches == 0);
  CHECK(ev.counts.array.serial_cycles > 0);
  const double err = std::abs(static_cast<double>(run.total_cycles) -
                              static_cast<double>(ev.counts.total_cycles)) /
                     static_cast<double>(ev.counts.total_cycles);
  INFO("simulated " << run.total_cycles << " analytical " << ev.counts.total_cycles);
  CHECK(err <= 0.01);
}

// GLB banks given whole to one operand (bank_layout: blocked): each operand's stream to and
// from the PEs has one bank's port, so with narrow banks some mappings are bank-bound. The
// simulator's bank bound comes from its own bus counts, the analysis's from its closed form:
// equal where those are, and the analysis bounds the simulation everywhere.
TEST_CASE("blocked GLB banks bound the cycles the same in the simulator and the analysis") {
  using loom_test::conv;
  sim::SpatialSimulation simulation({.clock_period_ns = 1.0});
  std::mt19937_64 rng(13);
  int cases = 0, exact_cases = 0, bank_bound = 0;
  auto acc = arch::load_accelerator("eyeriss");
  for (auto& l : acc.levels) {
    l.compression = arch::MemoryLevel::Compression::none;
    if (l.kind == arch::LevelKind::dram) l.bandwidth_bytes_per_cycle = 0;  // DRAM never waits
    if (l.name != "glb") continue;
    l.word_bits = 16;  // one word per bank and cycle: streams of 168 PEs outrun it
    l.ports = 1;
    l.bank_layout = arch::MemoryLevel::BankLayout::blocked;
  }
  acc.array.pe.zero_gating = false;
  auto interleaved = acc;
  for (auto& l : interleaved.levels) l.bank_layout = arch::MemoryLevel::BankLayout::interleaved;
  for (const auto& layer : {conv(1, 3, 5, 7, 3, 1, 1, 1, 1), conv(2, 4, 6, 9, 3, 2, 0, 1, 1),
                            conv(1, 6, 4, 9, 3, 2, 1, 1, 2), conv(2, 3, 4, 6, 5, 1, 2, 1, 1)}) {
    const auto p = dataflow::resolve_precision(layer, acc);
    const auto data = sim::random_layer_data(layer.shape, 16, 16, rng());
    for (const auto& [m, ev] : loom_test::random_legal_spatial_mappings(layer, acc, p, 6, rng)) {
      ++cases;
      const auto nc = dataflow::analyze_nest(layer, acc, m, p);
      const auto run = simulation.run(layer, acc, m, data);
      const auto& se = run.array.events;
      INFO("layer C" << layer.shape.C << " M" << layer.shape.M << " R" << layer.shape.R);
      CHECK(run.array.mismatches == 0);
      CHECK(run.total_cycles <= nc.total_cycles);
      const auto base = dataflow::evaluate_spatial_mapping(layer, interleaved, m, p);
      CHECK(ev.counts.total_cycles >= base.counts.total_cycles);
      const double bank = dataflow::blocked_bank_cycles(acc, se);
      bank_bound += bank > static_cast<double>(run.array.cycles) ? 1 : 0;
      if (bank > static_cast<double>(run.array.cycles))
        CHECK(run.total_cycles == static_cast<std::int64_t>(std::ceil(bank)));
      if (!exact_coverage(layer, m)) continue;
      ++exact_cases;
      const auto& ae = nc.events;
      if (se.bus_bits == ae.bus_bits && se.psum_in_bits == ae.psum_in_bits)
        CHECK(run.total_cycles == nc.total_cycles);
    }
  }
  CHECK(cases == 24);
  CHECK(exact_cases >= 3);
  CHECK(bank_bound >= 3);
}
