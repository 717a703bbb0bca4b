// SPDX-License-Identifier: Apache-2.0
#include "explore/evaluate.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/sparsity.hpp"
#include "energy/energy_table.hpp"
#include "energy/static_power.hpp"
#include "explore/layer_mapper.hpp"
#include "explore/tile_mapper.hpp"
#include "mapper/strategy.hpp"

namespace loom::explore {
namespace {

// Layers with equal keys map alike: shape and precision (layer_key), plus the densities that
// zero-gating and compression read.
std::string search_key(const workloads::Layer& l) {
  const auto& d = l.density;
  return layer_key(l) + " " + fmt::format("{} {} {}", d.ifmap, d.weight, d.ofmap);
}

bool maps_by_search(const arch::Accelerator& acc, const RunOptions& options) {
  return dataflow::family_of(acc).mapping_source(acc, options.search) ==
         dataflow::MappingSource::search;
}

}  // namespace

std::vector<SearchTask> search_tasks(const workloads::Network& network,
                                     const arch::Accelerator& acc, const RunOptions& options) {
  std::vector<SearchTask> out;
  if (!maps_by_search(acc, options)) return out;
  for (const auto& layer : network.layers) {
    if (!workloads::does_macs(layer.op)) continue;
    if (options.mappings && options.mappings->count(layer.name)) continue;
    std::string key = options.cache_scope + "\n" + search_key(layer);
    if (std::none_of(out.begin(), out.end(), [&](const SearchTask& t) { return t.key == key; }))
      out.push_back({std::move(key), &layer});
  }
  return out;
}

RunResult evaluate_network(const workloads::Network& network, const arch::Accelerator& acc,
                           const RunOptions& options) {
  const MappingSet* mappings = options.mappings;
  const dataflow::Family& family = dataflow::family_of(acc);
  const bool search = maps_by_search(acc, options);
  const schedule::ScheduleKind schedule_kind = schedule::schedule_kind(options.schedule, acc);
  if (schedule_kind == schedule::ScheduleKind::graph &&
      acc.schedule == arch::ControllerSchedule::layerwise)
    throw Error(Diagnostic{acc.source, "schedule", 0,
                           "'" + acc.name +
                               "' runs one layer at a time (schedule: layerwise; SCALE-Sim "
                               "compatibility always does), so the graph schedule does not "
                               "apply: use --schedule layerwise"});
  std::map<std::string, MappedLayer> searched;  // by layer shape
  const energy::EnergyTable table = energy::make_energy_table(acc);
  std::vector<LayerResult> layers;
  std::vector<std::string> unmapped;
  std::size_t mac_layers = 0, index = 0;
  for (const auto& layer : network.layers) mac_layers += workloads::does_macs(layer.op) ? 1 : 0;
  for (const auto& layer : network.layers) {
    if (!workloads::does_macs(layer.op)) {
      unmapped.push_back(layer.name);
      continue;
    }
    if (options.on_layer) options.on_layer(layer, index, mac_layers);
    ++index;
    LayerResult lr{layer, {}, {}};
    const auto given = mappings ? mappings->find(layer.name) : MappingSet::const_iterator{};
    if (mappings && given != mappings->end()) {
      const MappedLayer ml = evaluate_mapping(layer, acc, table, given->second);
      lr.counts = ml.counts;
      lr.energy = ml.energy;
    } else if (search) {
      const std::string key = search_key(layer);
      auto it = searched.find(key);
      if (it == searched.end()) {
        const auto map = [&] { return map_layer(layer, acc, table, options.mapper); };
        it = searched
                 .emplace(key, options.cache ? options.cache->get_or_compute(
                                                   options.cache_scope + "\n" + key, map)
                                             : map())
                 .first;
      }
      lr.counts = it->second.counts;
      lr.energy = it->second.energy;
      lr.optimality_gap_pct = it->second.optimality_gap_pct;
    } else {
      try {
        lr.counts = family.closed_form(layer, acc);
      } catch (const Error& e) {
        std::vector<Diagnostic> ds = e.diagnostics();
        for (auto& d : ds) d.message = "layer '" + layer.name + "': " + d.message;
        throw Error(ds);
      }
      const auto& p = lr.counts.precision;
      lr.energy = energy::price(lr.counts.access, dataflow::performed_macs(lr.counts),
                                p.weight_bits, p.activation_bits, table);
    }
    layers.push_back(std::move(lr));
  }
  std::optional<schedule::GraphSchedule> plan;
  if (schedule_kind != schedule::ScheduleKind::layerwise)
    plan = schedule_graph(network, acc, layers, table,
                          priced_objective(options.mapper.objective, acc), options.fusion,
                          search ? tile_mapper(acc, table, options.mapper) : schedule::EvalTile{});
  RunResult out = assemble_run(network, acc, std::move(layers), std::move(unmapped));
  out.schedule = std::move(plan);
  auto& st = out.settings;
  st.search = options.search;
  st.given_mappings = mappings != nullptr && !mappings->empty();
  st.budget = options.mapper.budget;
  st.seed = options.mapper.seed;
  st.objective = options.mapper.objective.describe();
  st.strategy = core::enum_name(mapper::kStrategies, options.mapper.strategy);
  st.schedule = core::enum_name(schedule::kScheduleKinds, schedule_kind);
  return out;
}

schedule::GraphSchedule schedule_graph(const workloads::Network& network,
                                       const arch::Accelerator& acc,
                                       std::vector<LayerResult>& layers,
                                       const energy::EnergyTable& table,
                                       const mapper::Objective& objective, bool fusion,
                                       const schedule::EvalTile& eval_tile) {
  // The MAC layers are the network's, in order: index them by network position.
  std::vector<LayerResult*> by_layer(network.layers.size(), nullptr);
  std::size_t next = 0;
  for (std::size_t i = 0; i < network.layers.size() && next < layers.size(); ++i)
    if (layers[next].layer.name == network.layers[i].name) by_layer[i] = &layers[next++];
  std::vector<const dataflow::LayerCounts*> counts(by_layer.size(), nullptr);
  for (std::size_t i = 0; i < by_layer.size(); ++i)
    if (by_layer[i]) counts[i] = &by_layer[i]->counts;
  const schedule::PriceLayer price = [&table](const dataflow::LayerCounts& c) {
    const auto& p = c.precision;
    return schedule::LayerCost{energy::price(c.access, dataflow::performed_macs(c), p.weight_bits,
                                             p.activation_bits, table)
                                   .total_pj,
                               static_cast<double>(c.total_cycles)};
  };
  // Every MAC layer priced under each of its four cuts: the planner combines them.
  std::vector<std::optional<schedule::CutCosts>> costs(by_layer.size());
  for (std::size_t i = 0; i < by_layer.size(); ++i) {
    if (!counts[i]) continue;
    auto& cc = costs[i].emplace();
    for (const bool in : {false, true})
      for (const bool out : {false, true}) {
        dataflow::LayerCounts c = *counts[i];
        schedule::apply_cut(c, schedule::DramCut{in, out}, acc);
        cc[in][out] = price(c);
      }
  }
  const schedule::ScheduleScore score = [&objective](double energy_pj, double cycles) {
    return objective.score(mapper::Cost{energy_pj, cycles});
  };
  schedule::GraphSchedule plan = schedule::plan_graph_schedule(
      network, acc, counts, &costs, &score, fusion ? &price : nullptr, eval_tile);
  for (std::size_t i = 0; i < by_layer.size(); ++i) {
    LayerResult* lr = by_layer[i];
    if (!lr || (!plan.cuts[i].any() && plan.group_of[i] < 0)) continue;
    lr->counts = schedule::scheduled_counts(plan, i, lr->counts, acc);
    const auto& p = lr->counts.precision;
    lr->energy = energy::price(lr->counts.access, dataflow::performed_macs(lr->counts),
                               p.weight_bits, p.activation_bits, table);
  }
  schedule::record_tensors(plan, network, acc, counts);
  return plan;
}

RunResult assemble_run(const workloads::Network& network, const arch::Accelerator& acc,
                       std::vector<LayerResult> layers, std::vector<std::string> unmapped) {
  RunResult out;
  out.accelerator = acc;
  out.network = network;
  out.batch = network.layers.empty() ? 1 : network.layers.front().shape.N;
  out.area = energy::estimate_area(acc);
  out.unmapped = std::move(unmapped);
  RunTotals& t = out.totals;
  double active_weighted = 0;
  double busy_pe_cycles = 0;
  for (auto& lr : layers) {
    t.macs += lr.counts.macs;
    t.effective_macs += dataflow::performed_macs(lr.counts);
    busy_pe_cycles += dataflow::pe_cycles_busy(lr.counts);
    t.cycles += lr.counts.total_cycles;
    active_weighted += lr.counts.active_pes * static_cast<double>(lr.counts.total_cycles);
    out.energy.mac_pj += lr.energy.mac_pj;
    out.energy.total_pj += lr.energy.total_pj;
    for (int i = 0; i < arch::kMaxLevels; ++i) {
      out.energy.level_pj[i] += lr.energy.level_pj[i];
      out.level_bytes[i] += lr.counts.access.bytes(i);
    }
    for (int o = 0; o < arch::kOperands; ++o) out.energy.operand_pj[o] += lr.energy.operand_pj[o];
    out.layers.push_back(std::move(lr));
  }
  if (out.layers.empty())
    throw Error("workload '" + network.name + "' has no layer that does MACs (conv, fc, gemm)");

  t.latency_s = static_cast<double>(t.cycles) / acc.clock_hz;
  t.inferences_per_s = static_cast<double>(out.batch) / t.latency_s;
  t.effective_tops = 2.0 * static_cast<double>(t.macs) / t.latency_s / 1e12;
  t.energy_pj = out.energy.total_pj;
  t.pj_per_mac = t.energy_pj / static_cast<double>(t.macs);
  t.power_w = t.energy_pj * 1e-12 / t.latency_s;
  t.area_mm2 = out.area.total_mm2;
  t.edp_js = t.energy_pj * 1e-12 * t.latency_s;
  // Busy PE cycles over offered ones: MACs skipped take no slot, and a precision-scalable PE
  // offers several MACs per cycle (dataflow/layer_counts.hpp).
  t.utilization_pct = 100.0 * busy_pe_cycles /
                      (static_cast<double>(t.cycles) * static_cast<double>(acc.array.pes()));
  t.active_pes_avg = active_weighted / static_cast<double>(t.cycles);
  t.static_energy_pj = energy::static_power(acc).energy_pj(t.cycles, acc.clock_hz);
  t.total_energy_pj = t.energy_pj + t.static_energy_pj;
  t.total_power_w = t.total_energy_pj * 1e-12 / t.latency_s;
  return out;
}

}  // namespace loom::explore
