// SPDX-License-Identifier: Apache-2.0
#include "simulate/simulate_network.hpp"

#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/systolic.hpp"
#include "energy/energy_table.hpp"
#include "explore/evaluate.hpp"
#include "explore/map_network.hpp"
#include "explore/run_outputs.hpp"
#include "reports/atomic_file.hpp"
#include "reports/csv_writer.hpp"
#include "reports/result_table.hpp"
#include "sim/layer_data_h5.hpp"
#include "sim/pe_model.hpp"
#include "simulate/array_simulator.hpp"
#include "simulate/sim_schedule.hpp"
#include "simulate/simulate_group.hpp"

namespace loom::simulate {

void check_simulable(const arch::Accelerator& acc, const SimulateOptions& options) {
  if (acc.compat == arch::Compat::scalesim)
    throw Error(Diagnostic{acc.source, "compat", 0,
                           "compat: scalesim serializes folds as bookkeeping; simulate the "
                           "hardware with compat: none"});
  // The simulated PEs do one dense MAC per cycle at the native width; hardware that fuses
  // narrow MACs or skips zeros would run on a different schedule than the one simulated.
  if (acc.array.pe.precision_scalable)
    throw Error(Diagnostic{acc.source, "pe.precision_scalable", 0,
                           "the cycle-level simulator runs one MAC per PE per cycle; simulate "
                           "with precision_scalable: false (`loom cosim --bits 4|2` checks the "
                           "Bit Fusion PE's RTL)"});
  if (acc.array.pe.zero_skipping)
    throw Error(Diagnostic{acc.source, "pe.zero_skipping", 0,
                           "the cycle-level simulator does not skip zero operands; simulate with "
                           "zero_skipping: false"});
  simulator_for(dataflow::family_of(acc)).check(acc, options);
}

namespace {

[[noreturn]] void refuse_size(const std::string& layer, const std::string& estimate,
                              const SimulateOptions& options) {
  throw Error(fmt::format(
      "layer '{}': simulating it would take {}, more than the limit of {} PE-cycles per layer "
      "(the simulator clocks {}); raise the limit with --max-pe-cycles N",
      layer, estimate, options.max_pe_cycles,
      options.make_pe ? "about 1.3 million a second with the RTL PE" : "12-148 million a second"));
}

// Cycles x PEs of the mapped layer: what the simulator will clock (docs/sim.md: `pe_cycles`).
void check_mapped_size(const explore::LayerMappingResult& m, const arch::Accelerator& acc,
                       const SimulateOptions& options) {
  const auto& c = m.mapped.counts;
  const long double pe_cycles =
      static_cast<long double>(c.total_cycles) * static_cast<long double>(acc.array.pes());
  if (pe_cycles > static_cast<long double>(options.max_pe_cycles))
    refuse_size(
        m.layer.name,
        fmt::format("about {:.3g} PE-cycles ({} cycles on the {}x{} array)",
                    static_cast<double>(pe_cycles), c.total_cycles, acc.array.rows, acc.array.cols),
        options);
}

// Before the mapper: a layer's MACs stand for its PE-cycles (a PE does at most one MAC a cycle,
// so they can only be more), which refuses a huge layer before the mapper spends its time on it.
void check_macs(const workloads::Network& net, const SimulateOptions& options) {
  for (const auto& layer : net.layers) {
    if (!workloads::does_macs(layer.op)) continue;
    if (!options.only_layer.empty() && layer.name != options.only_layer) continue;
    if (layer.macs() > options.max_pe_cycles)
      refuse_size(layer.name,
                  fmt::format("at least {:.3g} PE-cycles (its {} MACs)",
                              static_cast<double>(layer.macs()), layer.macs()),
                  options);
  }
}

}  // namespace

namespace {

// The tensors of layer `layer` for a simulation: random (seed + index) or the HDF5 file's.
sim::LayerData layer_data(const workloads::Layer& layer, const arch::Accelerator& acc,
                          const SimulateOptions& options, std::uint64_t index) {
  const auto p = dataflow::resolve_precision(layer, acc);
  if (options.data.empty())
    return sim::random_layer_data(layer.shape, p.activation_bits, p.weight_bits,
                                  options.seed + index, layer.density.ifmap);
  auto data = sim::load_layer_data(options.data, layer.name, layer.shape);
  sim::check_data_bits(options.data, layer.name, data, p.activation_bits, p.weight_bits);
  return data;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::vector<SimulatedLayer> simulate_network(const workloads::Network& net,
                                             const arch::Accelerator& acc,
                                             const SimulateOptions& options) {
  check_simulable(acc, options);
  check_macs(net, options);
  const FamilySimulator& simulator = simulator_for(dataflow::family_of(acc));
  const bool graph = sim_schedule_kind(acc, options) == schedule::ScheduleKind::graph;
  explore::MapNetworkOptions mo;
  mo.mapper = options.mapper;
  if (!graph) mo.only_layer = options.only_layer;  // the graph schedule plans the whole network
  const auto mapped = explore::map_network(net, acc, mo);
  std::optional<explore::RunResult> run;
  if (graph) {
    run = scheduled_run(net, acc, mapped, options);
    check_schedule_simulable(*run, acc);
  }
  // By network layer: its index in `mapped` and, under the graph schedule, its fused group.
  std::vector<std::size_t> at(net.layers.size(), mapped.size());
  for (std::size_t i = 0, k = 0; i < net.layers.size() && k < mapped.size(); ++i)
    if (net.layers[i].name == mapped[k].layer.name) at[i] = k++;
  const auto group_of = [&](std::size_t i) { return run ? run->schedule->group_of[i] : -1; };
  const auto wanted = [&](std::size_t i) {
    if (at[i] == mapped.size()) return false;
    if (options.only_layer.empty() || net.layers[i].name == options.only_layer) return true;
    const int g = group_of(i);  // a fused layer runs with its whole group
    if (g < 0) return false;
    const auto& plan = run->schedule->groups[static_cast<std::size_t>(g)];
    for (std::size_t j = plan.first; j <= plan.last; ++j)
      if (net.layers[j].name == options.only_layer) return true;
    return false;
  };
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (wanted(i)) check_mapped_size(mapped[at[i]], acc, options);
  if (run && options.on_schedule) options.on_schedule(*run);

  // Only the array this accelerator has is built.
  const std::unique_ptr<sim::PeModel> pe =
      options.make_pe ? options.make_pe() : std::make_unique<sim::CppPe>();
  const std::unique_ptr<ArraySimulator> array = simulator.open(acc, options, *pe);
  std::vector<SimulatedLayer> out;
  const auto emit = [&](SimulatedLayer s) {
    if (options.on_layer) options.on_layer(s);
    out.push_back(std::move(s));
  };
  std::uint64_t index = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (!wanted(i)) continue;
    const auto& m = mapped[at[i]];
    const auto& layer = m.layer;
    const int g = group_of(i);
    if (g >= 0) {
      const auto& plan = run->schedule->groups[static_cast<std::size_t>(g)];
      if (i != plan.first) continue;  // the group ran with its first layer
      const auto e = group_execution(*run->schedule, static_cast<std::size_t>(g), acc);
      const auto input = layer_data(layer, acc, options, index).ifmap;
      std::vector<sim::Tensor4> weights;
      for (std::size_t k = 0; k < e.layers.size(); ++k)
        weights.push_back(layer_data(e.layers[k], acc, options, index + k).weights);
      index += e.layers.size();
      const auto t0 = std::chrono::steady_clock::now();
      const auto bits = dataflow::resolve_precision(layer, acc).activation_bits;
      auto r = array->run_group(e, input, weights, between_layers(acc, bits));
      const double seconds = seconds_since(t0);
      for (std::size_t k = 0; k < e.layers.size(); ++k) {
        SimulatedLayer s;
        s.layer = e.layers[k];
        s.analytical = run->layers[at[plan.first + k]].counts;
        s.cut = run->schedule->cuts[plan.first + k];
        s.group = g + 1;
        s.sim = std::move(r.layers[k]);
        // The first layer reads the group input; the later ones the requantized activations
        // of the chain, priced as dense.
        s.sim.zero_ifmap_macs =
            k == 0 ? sim::zero_ifmap_macs(layer.shape, {input, weights.front()}) : 0;
        s.seconds = seconds / static_cast<double>(e.layers.size());
        if (k + 1 == e.layers.size()) s.group_price = schedule::price_fused_execution(e, acc);
        emit(std::move(s));
      }
      continue;
    }
    const auto data = layer_data(layer, acc, options, index++);
    SimulatedLayer s;
    s.layer = layer;
    s.analytical = run ? run->layers[at[i]].counts : m.mapped.counts;
    s.mapping = m.mapped.mapping;
    if (run) s.cut = run->schedule->cuts[i];
    const auto t0 = std::chrono::steady_clock::now();
    s.sim = array->run(layer, m.mapped.mapping, data,
                       {s.cut.input_on_chip, false, s.cut.output_on_chip});
    s.sim.zero_ifmap_macs = sim::zero_ifmap_macs(layer.shape, data);
    s.seconds = seconds_since(t0);
    emit(std::move(s));
  }
  return out;
}

dataflow::LayerCounts simulated_counts(const SimulatedLayer& l, const arch::Accelerator& acc) {
  const auto& a = l.analytical;
  const auto& s = l.sim;
  const double pes = static_cast<double>(acc.array.pes());
  dataflow::LayerCounts c;
  c.macs = l.layer.macs();
  c.precision = a.precision;
  c.compute_cycles = s.compute_cycles;
  c.total_cycles = s.total_cycles;
  c.stall_cycles = s.total_cycles - s.compute_cycles;
  c.port_stall_cycles = s.port_stall_cycles;
  // How many PE slots the mapping fills is a property of the mapping, not of time.
  c.mapping_efficiency_pct = a.mapping_efficiency_pct;
  c.compute_util_pct =
      100.0 * static_cast<double>(c.macs) / (static_cast<double>(c.compute_cycles) * pes);
  c.overall_util_pct =
      100.0 * static_cast<double>(c.macs) / (static_cast<double>(c.total_cycles) * pes);
  c.active_pes =
      a.mapping_efficiency_pct / 100.0 * pes *
      std::min(1.0, static_cast<double>(c.compute_cycles) / static_cast<double>(c.total_cycles));
  // A simulator that issues no folds of its own (spatial arrays) reports the mapping's.
  c.folds = s.folds.value_or(a.folds);
  c.sram_ifmap_reads = s.sram_ifmap_reads;
  c.sram_filter_reads = s.sram_filter_reads;
  c.sram_ofmap_writes = s.sram_ofmap_writes;
  c.sram_ofmap_reads = s.sram_ofmap_reads;
  c.access = s.access;
  // Gating and coding follow the simulated data: its share of MACs with a zero ifmap value
  // stands in for the layer's declared ifmap density (dataflow/sparsity.hpp then gates exactly
  // that many MACs, and codes the DRAM transfers at that density -- the tensor's own, up to
  // how often border values are reused).
  workloads::Layer measured = l.layer;
  if (c.macs > 0)
    measured.density.ifmap =
        std::max(1e-6, 1.0 - static_cast<double>(s.zero_ifmap_macs) / static_cast<double>(c.macs));
  dataflow::apply_sparsity(c, measured, acc);
  return c;
}

void write_sim_outputs(const std::vector<SimulatedLayer>& layers, const workloads::Network& net,
                       const arch::Accelerator& acc, const std::filesystem::path& dir,
                       const explore::RunResult* schedule) {
  const energy::EnergyTable table = energy::make_energy_table(acc);
  std::vector<explore::LayerResult> results;
  for (const auto& l : layers) {
    explore::LayerResult r{l.layer, simulated_counts(l, acc), {}};
    const auto& p = r.counts.precision;
    r.energy = energy::price(r.counts.access, dataflow::performed_macs(r.counts), p.weight_bits,
                             p.activation_bits, table);
    results.push_back(std::move(r));
  }
  auto run = explore::assemble_run(net, acc, std::move(results));
  if (schedule) {
    run.schedule = schedule->schedule;
    run.settings = schedule->settings;
  }
  auto t = explore::layers_table(run);
  using reports::ColumnType;
  const auto I = ColumnType::Int64;
  for (const char* n : {"analytical_total_cycles", "analytical_compute_cycles",
                        "analytical_stall_cycles", "analytical_port_stall_cycles"})
    t.add_column(n, "cycles", I);
  for (const char* n : {"analytical_sram_ifmap_reads", "analytical_sram_filter_reads",
                        "analytical_sram_ofmap_writes", "analytical_sram_ofmap_reads",
                        "analytical_dram_ifmap_reads", "analytical_dram_filter_reads",
                        "analytical_dram_ofmap_writes", "analytical_dram_ofmap_reads"})
    t.add_column(n, "elements", I);
  for (const char* n :
       {"wait_ifmap_cycles", "wait_filter_cycles", "wait_ofmap_cycles", "dram_busy_cycles"})
    t.add_column(n, "cycles", I);
  t.add_column("zero_ifmap_macs", "MAC", I);
  t.add_column("pe_cycles", "PE-cycles", I);
  t.add_column("elements_checked", "", I);
  t.add_column("mismatches", "", I);
  t.add_column("sim_seconds", "s", ColumnType::Double);
  const int d = acc.dram_level();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& a = layers[i].analytical;
    const auto& s = layers[i].sim;
    using arch::Operand;
    t.set(i, "analytical_total_cycles", a.total_cycles);
    t.set(i, "analytical_compute_cycles", a.compute_cycles);
    t.set(i, "analytical_stall_cycles", a.stall_cycles);
    t.set(i, "analytical_port_stall_cycles", a.port_stall_cycles);
    t.set(i, "analytical_sram_ifmap_reads", a.sram_ifmap_reads);
    t.set(i, "analytical_sram_filter_reads", a.sram_filter_reads);
    t.set(i, "analytical_sram_ofmap_writes", a.sram_ofmap_writes);
    t.set(i, "analytical_sram_ofmap_reads", a.sram_ofmap_reads);
    t.set(i, "analytical_dram_ifmap_reads", a.access.at(d, Operand::ifmap).reads);
    t.set(i, "analytical_dram_filter_reads", a.access.at(d, Operand::filter).reads);
    t.set(i, "analytical_dram_ofmap_writes", a.access.at(d, Operand::ofmap).writes);
    t.set(i, "analytical_dram_ofmap_reads", a.access.at(d, Operand::ofmap).reads);
    t.set(i, "wait_ifmap_cycles", s.wait_cycles[0]);
    t.set(i, "wait_filter_cycles", s.wait_cycles[1]);
    t.set(i, "wait_ofmap_cycles", s.wait_cycles[2]);
    t.set(i, "dram_busy_cycles", s.dram_busy_cycles);
    t.set(i, "zero_ifmap_macs", s.zero_ifmap_macs);
    t.set(i, "pe_cycles", s.pe_cycles);
    t.set(i, "elements_checked", s.elements_checked);
    t.set(i, "mismatches", s.mismatches);
    t.set(i, "sim_seconds", reports::Cell{layers[i].seconds});
  }
  std::filesystem::create_directories(dir);
  reports::write_csv(t, dir / "layers.csv");
  reports::write_file_atomically(dir / "summary.json", explore::summary_json_text(run));
}

}  // namespace loom::simulate
