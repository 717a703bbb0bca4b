// SPDX-License-Identifier: Apache-2.0
#include "explore/layer_mapper.hpp"

#include <fmt/core.h>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "energy/static_power.hpp"
#include "explore/space_evaluator.hpp"

namespace loom::explore {
namespace {

// The layer's reported evaluation: the mapping at final fidelity, priced; none if the mapping
// is not legal here (`ev` then says why).
std::optional<MappedLayer> evaluate_final(const workloads::Layer& layer,
                                          const arch::Accelerator& acc,
                                          const energy::EnergyTable& table,
                                          const dataflow::Mapping& m,
                                          dataflow::MappingEvaluation& ev) {
  const auto p = dataflow::resolve_precision(layer, acc);
  ev = dataflow::family_of(acc).evaluate(layer, acc, m, p, dataflow::Fidelity::final);
  if (!ev.valid) return std::nullopt;
  MappedLayer out;
  out.counts = std::move(ev.counts);
  out.mapping = m;
  out.energy = energy::price(out.counts.access, dataflow::performed_macs(out.counts), p.weight_bits,
                             p.activation_bits, table);
  return out;
}

MappedLayer finish(const workloads::Layer& layer, const arch::Accelerator& acc,
                   const energy::EnergyTable& table, const dataflow::Mapping& m) {
  dataflow::MappingEvaluation ev;
  auto out = evaluate_final(layer, acc, table, m, ev);
  if (!out) {
    std::string where;
    if (ev.invalid_level >= 0)
      where = " at level '" + acc.levels[static_cast<std::size_t>(ev.invalid_level)].name + "'";
    throw Error("layer '" + layer.name + "': the mapping is not legal here" + where + " (" +
                std::string(ev.invalid_reason) + ")");
  }
  return std::move(*out);
}

double score_of(const mapper::Objective& objective, const MappedLayer& m) {
  return objective.score({m.energy.total_pj, static_cast<double>(m.counts.total_cycles)});
}

// Searches `space`. The search ranks at search fidelity; what `loom run` reports is the final
// evaluation, so the search's best and the family's baseline (if legal) are compared as
// reported, and the better is kept: never worse than the baseline as reported.
MappedLayer search_layer(const workloads::Layer& layer, const arch::Accelerator& acc,
                         const energy::EnergyTable& table, const mapper::MapperOptions& options,
                         const dataflow::MapSpace& space, const dataflow::ResolvedPrecision& p) {
  const SpaceEvaluator evaluator(space, table, p);
  mapper::SearchSpace ss;
  ss.domains = space.domains();
  ss.names = space.gene_names();
  const auto result = mapper::search(ss, evaluator, options);
  std::optional<MappedLayer> out;
  if (result.best) out = finish(layer, acc, table, space.decode(*result.best));
  if (const auto baseline = space.baseline()) {
    dataflow::MappingEvaluation ev;
    auto base = evaluate_final(layer, acc, table, space.decode(*baseline), ev);
    if (base && (!out || score_of(options.objective, *base) < score_of(options.objective, *out)))
      out = std::move(base);
  }
  if (!out) {
    // A search stopped by its budget saw only part of the space: on a spatial array the exact
    // search's first points are its genetic warm-up, so a small budget may hold no legal point.
    const std::string hint =
        result.stop == mapper::StopReason::budget
            ? "; the search stopped at its budget of " + std::to_string(options.budget) +
                  " points: a larger --budget (or none: the default) may find one"
            : "";
    throw Error("layer '" + layer.name + "': no legal mapping on '" + acc.name +
                "' (every candidate violated: " + result.empty_reason + ")" + hint);
  }
  out->evaluated = result.evaluated;
  out->valid = result.valid;
  out->searched = true;
  out->strategy = result.strategy;
  out->pruned = result.pruned;
  out->lower_bound = result.lower_bound;
  out->optimality_gap_pct = result.optimality_gap_pct;
  return std::move(*out);
}

}  // namespace

std::string layer_key(const workloads::Layer& l) {
  const auto& s = l.shape;
  // Densities too: on hardware that exploits zeros, equal shapes at different densities cost
  // differently (exact decimal round trip, so equal keys mean equal densities).
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}", s.N, s.M,
                     s.C, s.H, s.W, s.P, s.Q, s.R, s.S, s.stride_h, s.stride_w, s.dilation_h,
                     s.dilation_w, s.pad_h, s.pad_w, s.groups, l.precision.weight_bits,
                     l.precision.activation_bits, l.precision.output_bits, l.density.ifmap,
                     l.density.weight, l.density.ofmap);
}

MappedLayer evaluate_mapping(const workloads::Layer& layer, const arch::Accelerator& acc,
                             const energy::EnergyTable& table, const dataflow::Mapping& m) {
  return finish(layer, acc, table, m);
}

mapper::Objective priced_objective(mapper::Objective objective, const arch::Accelerator& acc) {
  if (objective.counts_static())
    objective.static_pj_per_cycle = energy::static_power(acc).energy_pj(1, acc.clock_hz);
  return objective;
}

MappedLayer map_layer(const workloads::Layer& layer, const arch::Accelerator& acc,
                      const energy::EnergyTable& table, const mapper::MapperOptions& options) {
  const auto p = dataflow::resolve_precision(layer, acc);
  const auto space = dataflow::family_of(acc).mapspace(layer, acc, p);
  if (const auto pinned = space->pinned()) return finish(layer, acc, table, space->decode(*pinned));
  if (!options.objective.counts_static())
    return search_layer(layer, acc, table, options, *space, p);
  auto priced = options;
  priced.objective = priced_objective(options.objective, acc);
  return search_layer(layer, acc, table, priced, *space, p);
}

}  // namespace loom::explore
