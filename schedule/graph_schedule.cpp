// SPDX-License-Identifier: Apache-2.0
#include "schedule/graph_schedule.hpp"

#include <algorithm>

#include "dataflow/family.hpp"
#include "workloads/graph.hpp"

namespace loom::schedule {

ScheduleKind schedule_kind(std::optional<ScheduleKind> requested, const arch::Accelerator& acc) {
  return requested.value_or(acc.schedule == arch::ControllerSchedule::layerwise
                                ? ScheduleKind::layerwise
                                : ScheduleKind::graph);
}
namespace {

using arch::Operand;

double bytes_of(std::int64_t bits) { return static_cast<double>(bits) / 8.0; }

// Width of one element of each layer's output: a MAC layer's resolved output width; a non-MAC
// layer passes its first input's width on (the PE's activation width for the network input).
std::vector<int> element_bits(const workloads::Network& net, const arch::Accelerator& acc,
                              const std::vector<const dataflow::LayerCounts*>& counts,
                              const std::vector<std::vector<std::size_t>>& producers) {
  std::vector<int> bits(net.layers.size(), acc.array.pe.activation_bits);
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (counts[i])
      bits[i] = counts[i]->precision.output_bits;
    else if (!producers[i].empty())
      bits[i] = bits[producers[i].front()];
  }
  return bits;
}

// The group's layers' energy and cycles under the residency's cut of its input and output.
LayerCost group_cost(const PricedGroup& g, const Residency& r, const PriceLayer& price) {
  const bool in = r.input_on_chip[g.plan.first];
  const bool out = r.resident[g.plan.last] && !r.dram_needed[g.plan.last];
  LayerCost sum{0, 0};
  for (const auto& c : g.counts)
    if (c) {
      const LayerCost lc = price((*c)[in][out]);
      sum.energy_pj += lc.energy_pj;
      sum.cycles += lc.cycles;
    }
  return sum;
}

// Whether every MAC step of `e` has the mapping it was priced with: a tile shape whose default
// (SCALE-Sim's) mapping overflows a buffer is priced by its closed form, which no hardware, and
// no simulator, runs.
bool every_step_mapped(const FusedExecution& e) {
  for (const auto& tile : e.tiles)
    for (const auto& st : tile.steps)
      if (workloads::does_macs(st.layer.op) && st.mapping.levels.empty()) return false;
  return true;
}

// Each chosen group priced again with `ctx.eval_tile`'s mappings (the mapper's, per tile shape),
// kept where the schedule scores no worse with it than with the default mappings the search
// priced: the mapper ranks a tile's mappings alone, with every operand through DRAM, so in the
// group its choice can cost more. The result is never worse than what the search found, except
// where a default mapping did not fit its buffers: then the mapper's mappings are taken.
void remap_groups(const FusionContext& ctx, FusedSchedule& f,
                  const std::vector<std::optional<CutCosts>>& costs, const PriceLayer& price,
                  const ScheduleScore& score) {
  const Residency& r = f.residency;
  std::vector<bool> grouped(costs.size(), false);
  double energy = 0, cycles = 0;
  for (const auto& g : f.priced) {
    for (std::size_t k = g.plan.first; k <= g.plan.last; ++k) grouped[k] = true;
    const LayerCost c = group_cost(g, r, price);
    energy += c.energy_pj;
    cycles += c.cycles;
  }
  for (std::size_t k = 0; k < costs.size(); ++k)
    if (costs[k] && !grouped[k]) {
      const LayerCost& c = (*costs[k])[r.input_on_chip[k]][r.resident[k] && !r.dram_needed[k]];
      energy += c.energy_pj;
      cycles += c.cycles;
    }
  for (auto& g : f.priced) {
    auto mapped = price_group(ctx, g.plan, true);
    if (!mapped) continue;
    const LayerCost was = group_cost(g, r, price), now = group_cost(*mapped, r, price);
    const double e = energy - was.energy_pj + now.energy_pj;
    const double c = cycles - was.cycles + now.cycles;
    if (every_step_mapped(g.execution) && score(e, c) > score(energy, cycles)) continue;
    g = std::move(*mapped);
    energy = e;
    cycles = c;
  }
}

}  // namespace

GraphSchedule plan_graph_schedule(const workloads::Network& net, const arch::Accelerator& acc,
                                  const std::vector<const dataflow::LayerCounts*>& counts,
                                  const std::vector<std::optional<CutCosts>>* costs,
                                  const ScheduleScore* score, const PriceLayer* price,
                                  const EvalTile& eval_tile) {
  GraphSchedule s;
  const int d = acc.dram_level();
  for (const auto* c : counts)
    if (c) s.layerwise_dram_bytes += c->access.bytes(d);
  const auto producers = workloads::producer_indices(net);
  s.liveness = compute_liveness(net, element_bits(net, acc, counts, producers));
  const int level = residency_level(acc);
  std::vector<Footprint> footprints(net.layers.size());
  if (level >= 0) {
    s.level = acc.levels[level].name;
    for (std::size_t i = 0; i < footprints.size(); ++i)
      if (counts[i])
        footprints[i] = layer_footprint(net.layers[i], counts[i]->precision, acc.levels[level]);
  }
  const std::int64_t capacity = level >= 0 ? acc.levels[level].size_bytes * 8 : 0;
  s.group_of.assign(net.layers.size(), -1);
  if (costs && score && price) {
    // The searches price tiles on their default mappings where the family has them (cheap);
    // the groups chosen are then priced again with `eval_tile`'s (the mapper's) where it maps
    // every tile shape in what the group leaves free.
    const auto& family = dataflow::family_of(acc);
    const bool has_default =
        &family == &dataflow::systolic_family() || family.has_closed_form() || !eval_tile;
    const FusionContext ctx{net,    acc,   s.liveness,
                            counts, level, has_default ? default_tile_eval(acc) : eval_tile};
    FusedSchedule f = search_fusion(ctx, capacity, footprints, *costs, *price, *score);
    if (eval_tile && has_default) {
      FusionContext mapped = ctx;
      mapped.eval_tile = eval_tile;
      remap_groups(mapped, f, *costs, *price, *score);
    }
    s.residency = std::move(f.residency);
    s.search = f.search;
    s.fusion = f.fusion;
    s.groups = std::move(f.groups);
    s.priced = std::move(f.priced);
    for (std::size_t g = 0; g < s.groups.size(); ++g)
      for (std::size_t k = s.groups[g].first; k <= s.groups[g].last; ++k)
        s.group_of[k] = static_cast<int>(g);
  } else {
    s.residency = costs && score ? search_residency(s.liveness, net, capacity, footprints, *costs,
                                                    *score, &s.search)
                                 : plan_residency(s.liveness, net, capacity, footprints);
  }
  s.cuts.resize(net.layers.size());
  for (std::size_t i = 0; i < s.cuts.size(); ++i) {
    if (!counts[i]) continue;
    s.cuts[i].input_on_chip = s.residency.input_on_chip[i];
    s.cuts[i].output_on_chip = s.residency.resident[i] && !s.residency.dram_needed[i];
  }
  s.group_extra_macs.assign(s.groups.size(), 0);
  s.group_dram_saved_bytes.assign(s.groups.size(), 0);
  for (std::size_t i = 0; i < s.cuts.size(); ++i) {
    if (s.group_of[i] < 0 || !counts[i]) continue;
    const auto g = static_cast<std::size_t>(s.group_of[i]);
    dataflow::LayerCounts whole = *counts[i];
    apply_cut(whole, s.cuts[i], acc);
    const dataflow::LayerCounts fused = scheduled_counts(s, i, *counts[i], acc);
    s.group_extra_macs[g] += fused.macs - whole.macs;
    s.group_dram_saved_bytes[g] += whole.access.bytes(d) - fused.access.bytes(d);
  }
  return s;
}

dataflow::LayerCounts scheduled_counts(const GraphSchedule& s, std::size_t i,
                                       const dataflow::LayerCounts& c,
                                       const arch::Accelerator& acc) {
  if (s.group_of[i] >= 0) {
    const auto k = static_cast<std::size_t>(s.group_of[i]);
    const GroupPlan& g = s.groups[k];
    const auto& cc = *s.priced[k].counts[i - g.first];
    return cc[s.cuts[g.first].input_on_chip][s.cuts[g.last].output_on_chip];
  }
  dataflow::LayerCounts out = c;
  apply_cut(out, s.cuts[i], acc);
  return out;
}

void record_tensors(GraphSchedule& s, const workloads::Network& net, const arch::Accelerator& acc,
                    const std::vector<const dataflow::LayerCounts*>& counts) {
  const int d = acc.dram_level();
  const auto& live = s.liveness;
  const std::size_t n = net.layers.size();
  TensorRecord input{.name = "input", .kind = TensorKind::input};
  std::vector<TensorRecord> acts(n), weights;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& l = net.layers[i];
    const Tensor& t = live.tensors[i];
    TensorRecord& a = acts[i];
    a = {.name = l.name, .bytes = t.bits / 8, .first = l.name, .last = net.layers[t.last].name};
    if (s.residency.resident[i]) a.resident_in = s.level;
    const int g = s.group_of.empty() ? -1 : s.group_of[i];
    if (g >= 0 && i < s.groups[static_cast<std::size_t>(g)].last) a.group = g + 1;
    const auto* c = counts[i];
    if (!c) continue;
    const auto& of = c->access.at(d, Operand::ofmap);
    const std::int64_t finals = final_output_write_bits(*c, d);
    a.dram_write_bytes = bytes_of(finals);
    a.dram_psum_bytes = bytes_of(of.write_bits + of.read_bits - finals);
    const auto& fl = c->access.at(d, Operand::filter);
    const double filter_read = bytes_of(fl.read_bits + fl.write_bits);
    if (workloads::has_weights(l.op))
      weights.push_back({.name = l.name + ".weights",
                         .kind = TensorKind::weights,
                         .bytes = l.shape.weight_elems() * c->precision.weight_bits / 8,
                         .dram_read_bytes = filter_read});
    const auto& in = c->access.at(d, Operand::ifmap);
    const double read = bytes_of(in.read_bits + in.write_bits);
    const auto& from = live.producers[i];
    if (from.empty()) {
      input.bytes = std::max(input.bytes, l.shape.ifmap_elems() * c->precision.activation_bits / 8);
      input.dram_read_bytes += read;
    } else {
      acts[from.front()].dram_read_bytes += read;
    }
    // An act_matmul's filter slot is its second producer's tensor (the input's, with none).
    if (!workloads::has_weights(l.op)) {
      if (from.size() > 1)
        acts[from[1]].dram_read_bytes += filter_read;
      else
        input.dram_read_bytes += filter_read;
    }
  }
  s.tensors.clear();
  if (input.bytes > 0) s.tensors.push_back(std::move(input));
  for (auto& a : acts) s.tensors.push_back(std::move(a));
  for (auto& w : weights) s.tensors.push_back(std::move(w));
}

}  // namespace loom::schedule
