// SPDX-License-Identifier: Apache-2.0
// The row-stationary array in SystemC with its DRAM channel, on a real layer of the chip it
// models: Eyeriss (12 x 14 PEs, 0.72 GB/s at 200 MHz) running AlexNet CONV5 under the mapping
// `loom run` picks. Outputs are exact and the simulated run lasts within 5% of the analytical
// model's for the same mapping (issue 5's band for row-stationary arrays).
// A process holds several simulations, built and run in any order: two spatial ones and a
// systolic one, each exact against the golden convolution.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "energy/energy_table.hpp"
#include "explore/layer_mapper.hpp"
#include "sim/array_module.hpp"
#include "sim/golden.hpp"
#include "sim/spatial_module.hpp"
#include "sim/systolic_layer.hpp"
#include "sim_fixtures.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

// The first random mapping of `layer` on `acc` that the analytical model finds legal.
dataflow::Mapping legal_spatial_mapping(const workloads::Layer& layer, const arch::Accelerator& acc,
                                        std::uint64_t seed) {
  const auto p = dataflow::resolve_precision(layer, acc);
  const dataflow::SpatialMapSpace space(layer, acc, p);
  std::mt19937_64 rng(seed);
  while (true) {
    std::vector<std::uint32_t> g;
    for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    const auto m = space.decode(g);
    if (dataflow::evaluate_spatial_mapping(layer, acc, m, p).valid) return m;
  }
}

// The golden convolution at the partial-sum width and product window of `acc`'s PE.
sim::Tensor4 spatial_golden(const workloads::Layer& layer, const arch::Accelerator& acc,
                            const sim::LayerData& data) {
  const auto& pe = acc.array.pe;
  return sim::golden_conv(
      layer.shape, data,
      {.accumulator_bits = pe.psum_bits > 0 ? pe.psum_bits : pe.accumulator_bits,
       .product_shift = pe.product_shift});
}

}  // namespace

TEST_CASE("row-stationary AlexNet CONV5 on Eyeriss lasts within 5% of the analytical model") {
  // Without the chip's run-length coding and zero-gating: the simulator moves every value
  // (`loom sim` applies those to its counts as `loom run` does).
  auto acc = arch::load_accelerator("eyeriss");
  for (auto& l : acc.levels) l.compression = arch::MemoryLevel::Compression::none;
  acc.array.pe.zero_gating = false;
  const auto net = workloads::zoo_load("alexnet");
  const auto& layer = *std::find_if(net.layers.begin(), net.layers.end(),
                                    [](const auto& l) { return l.name == "conv5"; });
  mapper::MapperOptions opt;
  opt.budget = 20000;
  const auto mapped = explore::map_layer(layer, acc, energy::make_energy_table(acc), opt);
  const auto data = sim::random_layer_data(layer.shape, 16, 16, 1);
  sim::SpatialSimulation simulation({.clock_period_ns = 5.0});
  const auto run = simulation.run(layer, acc, mapped.mapping, data);
  CHECK(run.array.mismatches == 0);
  CHECK(run.array.misses == 0);
  CHECK(run.array.elements_checked == layer.shape.ofmap_elems());
  CHECK(run.array.macs == layer.macs());
  CHECK(run.array.cycles == mapped.counts.compute_cycles);
  const auto d = acc.dram_level();
  for (auto o : {arch::Operand::ifmap, arch::Operand::filter, arch::Operand::ofmap}) {
    CHECK(run.array.access.at(d, o).reads <= mapped.counts.access.at(d, o).reads);
    CHECK(run.array.access.at(d, o).writes == mapped.counts.access.at(d, o).writes);
  }
  const double err = std::abs(static_cast<double>(run.total_cycles) -
                              static_cast<double>(mapped.counts.total_cycles)) /
                     static_cast<double>(mapped.counts.total_cycles);
  INFO("simulated " << run.total_cycles << " analytical " << mapped.counts.total_cycles);
  CHECK(err <= 0.05);
  // With the first and last tiles charged (nest_total_cycles), the model lands far inside the
  // band: about 0.1% on this layer. A regression of the channel or of the model shows here.
  CHECK(err <= 0.01);
  CHECK(run.stall_cycles > 0);  // the first tiles cannot be prefetched
}

TEST_CASE("one process runs two spatial simulations and a systolic one all exact") {
  const sc_core::sc_time period(2.0, sc_core::SC_NS);
  const auto spatial_run = [&](sim::SpatialSimulation& simulation, const char* preset,
                               const workloads::Layer& layer, std::uint64_t seed) {
    const auto acc = arch::load_accelerator(preset);
    const auto m = legal_spatial_mapping(layer, acc, seed);
    const auto data = sim::random_layer_data(layer.shape, 8, 8, seed);
    const auto start = sc_core::sc_time_stamp();
    const auto run = simulation.run(layer, acc, m, data);
    INFO(preset << " layer C" << layer.shape.C << " M" << layer.shape.M);
    CHECK(run.array.ofmap.data == spatial_golden(layer, acc, data).data);
    CHECK(run.array.mismatches == 0);
    CHECK(run.array.macs == layer.macs());
    // SystemC time is the layer's run time, and the bare engine moves the same data.
    CHECK(sc_core::sc_time_stamp() - start == period * static_cast<double>(run.total_cycles));
    const auto bare = sim::simulate_spatial_array(layer, acc, m, data);
    CHECK(run.array.cycles == bare.cycles);
    CHECK(run.array.access.at(0, arch::Operand::ifmap).reads ==
          bare.access.at(0, arch::Operand::ifmap).reads);
  };
  sim::SpatialSimulation first({.clock_period_ns = 2.0});
  spatial_run(first, "eyeriss", loom_test::conv(1, 6, 8, 9, 3, 1, 1, 1, 2), 3);

  // Built after the kernel has run.
  sim::CppPe pe;
  sim::ArraySimulation systolic({.rows = 4, .cols = 3, .dataflow = arch::Dataflow::ws}, pe);
  const auto layer = loom_test::conv(1, 5, 7, 8, 3, 1, 1, 1, 1);
  const auto acc = loom_test::systolic_acc(4, 3, arch::Dataflow::ws);
  const dataflow::SystolicMapSpace space(layer, acc);
  const auto data = sim::random_layer_data(layer.shape, 8, 8, 4);
  const auto r = sim::simulate_systolic_layer(layer, acc, space.decode(space.scalesim_genes()),
                                              data, systolic);
  CHECK(r.ofmap.data ==
        sim::golden_conv(layer.shape, data, {.accumulator_bits = acc.array.pe.accumulator_bits})
            .data);
  CHECK(r.mismatches == 0);

  sim::SpatialSimulation second({.clock_period_ns = 2.0});
  spatial_run(second, "isca16_rs_256", loom_test::conv(2, 4, 6, 7, 3, 2, 1, 1, 1), 5);
  spatial_run(first, "isca16_spatial_os_256", loom_test::conv(1, 3, 5, 6, 1, 1, 0, 1, 1), 6);
  // A trace needs signals, which SystemC creates only before it first runs.
  CHECK_THROWS_AS(sim::SpatialSimulation({.vcd_path = "unused.vcd"}), Error);
  CHECK_THROWS_AS(sim::ArraySimulation({.vcd_path = "unused.vcd"}, pe), Error);
}
