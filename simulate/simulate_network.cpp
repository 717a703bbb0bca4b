// SPDX-License-Identifier: Apache-2.0
#include "simulate/simulate_network.hpp"

#include <chrono>

#include "core/error.hpp"
#include "explore/map_network.hpp"
#include "reports/csv_writer.hpp"
#include "reports/result_table.hpp"
#include "sim/layer_data_h5.hpp"

namespace loom::simulate {

std::vector<SimulatedLayer> simulate_network(const workloads::Network& net,
                                             const arch::Accelerator& acc,
                                             const SimulateOptions& options) {
  if (!arch::is_systolic(acc.dataflow))
    throw Error(Diagnostic{acc.source, "dataflow", 0,
                           "the cycle-level simulator models systolic arrays (os, ws, is); " +
                               std::string(arch::dataflow_info(acc.dataflow).name) +
                               " arrays are evaluated by `loom run`"});
  if (acc.compat == arch::Compat::scalesim)
    throw Error(Diagnostic{acc.source, "compat", 0,
                           "compat: scalesim serializes folds as bookkeeping; simulate the "
                           "hardware with compat: none"});
  explore::MapNetworkOptions mo;
  mo.mapper = options.mapper;
  mo.only_layer = options.only_layer;
  const auto mapped = explore::map_network(net, acc, mo);

  const std::unique_ptr<sim::PeModel> pe =
      options.make_pe ? options.make_pe() : std::make_unique<sim::CppPe>();
  sim::ArraySimulation array({.rows = acc.array.rows,
                              .cols = acc.array.cols,
                              .dataflow = acc.dataflow,
                              .accumulator_bits = acc.array.pe.accumulator_bits,
                              .clock_period_ns = 1e9 / acc.clock_hz,
                              .vcd_path = options.vcd},
                             *pe);
  std::vector<SimulatedLayer> out;
  std::uint64_t index = 0;
  for (const auto& m : mapped) {
    const auto& layer = m.layer;
    const auto& p = m.mapped.counts.precision;
    const auto data = options.data.empty()
                          ? sim::random_layer_data(layer.shape, p.activation_bits, p.weight_bits,
                                                   options.seed + index)
                          : sim::load_layer_data(options.data, layer.name, layer.shape);
    ++index;
    SimulatedLayer s;
    s.layer = layer;
    s.analytical = m.mapped.counts;
    const auto t0 = std::chrono::steady_clock::now();
    s.sim = sim::simulate_systolic_layer(layer, acc, m.mapped.mapping, data, array);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (options.on_layer) options.on_layer(s);
    out.push_back(std::move(s));
  }
  return out;
}

void write_sim_outputs(const std::vector<SimulatedLayer>& layers,
                       const std::filesystem::path& dir) {
  using reports::ColumnType;
  reports::ResultTable t;
  const auto I = ColumnType::Int64;
  t.add_column("layer", "", ColumnType::String);
  t.add_column("macs", "MAC", I);
  t.add_column("compute_cycles", "cycles", I);
  t.add_column("analytical_compute_cycles", "cycles", I);
  t.add_column("analytical_total_cycles", "cycles", I);  // with DRAM stalls, not simulated yet
  t.add_column("folds", "", I);
  t.add_column("analytical_folds", "", I);
  for (const char* n : {"sram_ifmap_reads", "sram_filter_reads", "sram_ofmap_writes",
                        "sram_ofmap_reads"}) {
    t.add_column(n, "elements", I);
    t.add_column(std::string("analytical_") + n, "elements", I);
  }
  t.add_column("pe_cycles", "PE-cycles", I);
  t.add_column("elements_checked", "", I);
  t.add_column("mismatches", "", I);
  t.add_column("sim_seconds", "s", ColumnType::Double);
  for (const auto& l : layers) {
    const auto& a = l.analytical;
    const auto& s = l.sim;
    t.add_row()
        .set("layer", l.layer.name)
        .set("macs", l.layer.macs())
        .set("compute_cycles", s.array.cycles)
        .set("analytical_compute_cycles", a.compute_cycles)
        .set("analytical_total_cycles", a.total_cycles)
        .set("folds", s.folds)
        .set("analytical_folds", a.folds)
        .set("sram_ifmap_reads", s.sram_ifmap_reads)
        .set("analytical_sram_ifmap_reads", a.sram_ifmap_reads)
        .set("sram_filter_reads", s.sram_filter_reads)
        .set("analytical_sram_filter_reads", a.sram_filter_reads)
        .set("sram_ofmap_writes", s.sram_ofmap_writes)
        .set("analytical_sram_ofmap_writes", a.sram_ofmap_writes)
        .set("sram_ofmap_reads", s.sram_ofmap_reads)
        .set("analytical_sram_ofmap_reads", a.sram_ofmap_reads)
        .set("pe_cycles", s.array.pe_cycles)
        .set("elements_checked", s.elements_checked)
        .set("mismatches", s.mismatches)
        .set("sim_seconds", l.seconds);
  }
  std::filesystem::create_directories(dir);
  reports::write_csv(t, dir / "layers.csv");
}

}  // namespace loom::simulate
