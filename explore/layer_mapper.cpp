// SPDX-License-Identifier: Apache-2.0
#include "explore/layer_mapper.hpp"

#include <fmt/core.h>

#include "core/error.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_timing.hpp"

namespace loom::explore {
namespace {

// One mapping of a layer evaluated by its dataflow: systolic arrays take a GEMM-view mapping and
// their interconnect timing, spatial arrays the 7-dim nest as it is.
struct LayerEvaluation {
  bool valid = true;
  std::string_view invalid_reason;
  int invalid_level = -1;
  dataflow::LayerCounts counts;
};

// `final`: the layer's reported evaluation (exact raw-ifmap traffic on systolic arrays), not a
// search step.
LayerEvaluation evaluate_any(const workloads::Layer& layer, const arch::Accelerator& acc,
                             const dataflow::Mapping& m, const dataflow::ResolvedPrecision& p,
                             bool final = false) {
  LayerEvaluation out;
  if (!arch::is_systolic(acc.dataflow)) {
    auto ev = dataflow::evaluate_spatial_mapping(layer, acc, m, p);
    out = {ev.valid, ev.invalid_reason, -1, std::move(ev.counts)};
  } else {
    auto ev = dataflow::evaluate_systolic_mapping(
        layer, acc, m, p, final ? dataflow::Fidelity::final : dataflow::Fidelity::search);
    out = {ev.valid, ev.invalid_reason, ev.invalid_level, std::move(ev.counts)};
  }
  // Zero-gating and compression change energy and traffic, so the search sees them.
  if (out.valid) dataflow::apply_sparsity(out.counts, layer, acc, dataflow::Retime::yes);
  return out;
}

// Scores the points of a dataflow's mapspace (SystolicMapSpace or SpatialMapSpace) for the mapper.
template <class Space>
class SpaceEvaluator final : public mapper::Evaluator {
 public:
  SpaceEvaluator(const workloads::Layer& layer, const arch::Accelerator& acc,
                 const energy::EnergyTable& table, const Space& space,
                 const dataflow::ResolvedPrecision& p)
      : layer_(layer), acc_(acc), table_(table), space_(space), p_(p) {}

  [[nodiscard]] mapper::Evaluation evaluate(mapper::GenomeView g) const override {
    const auto ev = evaluate_any(layer_, acc_, space_.decode(g), p_);
    if (!ev.valid) return {false, {}, ev.invalid_reason};
    const auto e = energy::price(ev.counts.access, dataflow::performed_macs(ev.counts),
                                 p_.weight_bits, p_.activation_bits, table_);
    return {true, {e.total_pj, static_cast<double>(ev.counts.total_cycles)}, {}};
  }

 private:
  const workloads::Layer& layer_;
  const arch::Accelerator& acc_;
  const energy::EnergyTable& table_;
  const Space& space_;
  dataflow::ResolvedPrecision p_;
};

MappedLayer finish(const workloads::Layer& layer, const arch::Accelerator& acc,
                   const energy::EnergyTable& table, const dataflow::Mapping& m) {
  const auto p = dataflow::resolve_precision(layer, acc);
  auto ev = evaluate_any(layer, acc, m, p, true);
  if (!ev.valid) {
    std::string where;
    if (ev.invalid_level >= 0)
      where = " at level '" + acc.levels[static_cast<std::size_t>(ev.invalid_level)].name + "'";
    throw Error("layer '" + layer.name + "': the mapping is not legal here" + where + " (" +
                std::string(ev.invalid_reason) + ")");
  }
  MappedLayer out;
  out.counts = std::move(ev.counts);
  out.mapping = m;
  out.energy = energy::price(out.counts.access, dataflow::performed_macs(out.counts),
                             p.weight_bits, p.activation_bits, table);
  return out;
}

// Searches `space`; `baseline` (if legal) is kept when the search finds nothing better.
template <class Space>
MappedLayer search_layer(const workloads::Layer& layer, const arch::Accelerator& acc,
                         const energy::EnergyTable& table, const mapper::MapperOptions& options,
                         const Space& space, const dataflow::ResolvedPrecision& p,
                         std::vector<std::string> gene_names,
                         const std::optional<mapper::Genome>& baseline) {
  const SpaceEvaluator<Space> evaluator(layer, acc, table, space, p);
  mapper::SearchSpace ss;
  ss.domains = space.domains();
  ss.names = std::move(gene_names);
  const auto result = mapper::search(ss, evaluator, options);
  std::optional<mapper::Genome> best = result.best;
  if (baseline) {
    const auto base = evaluator.evaluate(*baseline);
    if (base.valid && (!best || options.objective.score(base.cost) < result.best_score))
      best = baseline;
  }
  if (!best)
    throw Error("layer '" + layer.name + "': no legal mapping on '" + acc.name +
                "' (every candidate violated: " + result.empty_reason + ")");
  MappedLayer out = finish(layer, acc, table, space.decode(*best));
  out.evaluated = result.evaluated;
  out.valid = result.valid;
  out.searched = true;
  return out;
}

}  // namespace

std::string layer_key(const workloads::Layer& l) {
  const auto& s = l.shape;
  // Densities too: on hardware that exploits zeros, equal shapes at different densities cost
  // differently (exact decimal round trip, so equal keys mean equal densities).
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}", s.N,
                     s.M, s.C, s.H, s.W, s.P, s.Q, s.R, s.S, s.stride_h, s.stride_w,
                     s.dilation_h, s.dilation_w, s.pad_h, s.pad_w, s.groups,
                     l.precision.weight_bits, l.precision.activation_bits,
                     l.precision.output_bits, l.density.ifmap, l.density.weight, l.density.ofmap);
}

MappedLayer evaluate_mapping(const workloads::Layer& layer, const arch::Accelerator& acc,
                             const energy::EnergyTable& table, const dataflow::Mapping& m) {
  return finish(layer, acc, table, m);
}

MappedLayer map_layer(const workloads::Layer& layer, const arch::Accelerator& acc,
                      const energy::EnergyTable& table, const mapper::MapperOptions& options) {
  const auto p = dataflow::resolve_precision(layer, acc);
  if (!arch::is_systolic(acc.dataflow)) {
    const dataflow::SpatialMapSpace space(layer, acc, p);
    return search_layer(layer, acc, table, options, space, p, {}, std::nullopt);
  }
  const dataflow::SystolicMapSpace space(layer, acc);
  if (acc.compat == arch::Compat::scalesim)
    return finish(layer, acc, table, space.decode(space.scalesim_genes()));
  dataflow::check_systolic_fit(acc, p);
  // Never worse than SCALE-Sim's mapping on the objective, when that mapping is legal.
  return search_layer(layer, acc, table, options, space, p,
                      {"dram row folds", "dram column folds", "time per fold", "chunks at dram",
                       "dram loop order", "on-chip loop order", "on-chip level"},
                      space.scalesim_genes());
}

}  // namespace loom::explore
