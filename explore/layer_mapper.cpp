// SPDX-License-Identifier: Apache-2.0
#include "explore/layer_mapper.hpp"

#include <fmt/core.h>

#include "core/error.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_timing.hpp"

namespace loom::explore {
namespace {

class SystolicEvaluator final : public mapper::Evaluator {
 public:
  SystolicEvaluator(const workloads::Layer& layer, const arch::Accelerator& acc,
                    const energy::EnergyTable& table, const dataflow::SystolicMapSpace& space,
                    const dataflow::ResolvedPrecision& p)
      : layer_(layer), acc_(acc), table_(table), space_(space), p_(p) {}

  [[nodiscard]] mapper::Evaluation evaluate(mapper::GenomeView g) const override {
    const auto ev = dataflow::evaluate_systolic_mapping(layer_, acc_, space_.decode(g), p_);
    if (!ev.valid) return {false, {}, ev.invalid_reason};
    const auto e = energy::price(ev.counts.access, ev.counts.macs, p_.weight_bits,
                                 p_.activation_bits, table_);
    return {true, {e.total_pj, static_cast<double>(ev.counts.total_cycles)}, {}};
  }

 private:
  const workloads::Layer& layer_;
  const arch::Accelerator& acc_;
  const energy::EnergyTable& table_;
  const dataflow::SystolicMapSpace& space_;
  dataflow::ResolvedPrecision p_;
};

class SpatialEvaluator final : public mapper::Evaluator {
 public:
  SpatialEvaluator(const workloads::Layer& layer, const arch::Accelerator& acc,
                   const energy::EnergyTable& table, const dataflow::SpatialMapSpace& space,
                   const dataflow::ResolvedPrecision& p)
      : layer_(layer), acc_(acc), table_(table), space_(space), p_(p) {}

  [[nodiscard]] mapper::Evaluation evaluate(mapper::GenomeView g) const override {
    const auto ev = dataflow::evaluate_spatial_mapping(layer_, acc_, space_.decode(g), p_);
    if (!ev.valid) return {false, {}, ev.invalid_reason};
    const auto e = energy::price(ev.counts.access, ev.counts.macs, p_.weight_bits,
                                 p_.activation_bits, table_);
    return {true, {e.total_pj, static_cast<double>(ev.counts.total_cycles)}, {}};
  }

 private:
  const workloads::Layer& layer_;
  const arch::Accelerator& acc_;
  const energy::EnergyTable& table_;
  const dataflow::SpatialMapSpace& space_;
  dataflow::ResolvedPrecision p_;
};

MappedLayer finish(const workloads::Layer& layer, const arch::Accelerator& acc,
                   const energy::EnergyTable& table, const dataflow::Mapping& m) {
  const auto p = dataflow::resolve_precision(layer, acc);
  MappedLayer out;
  if (!arch::is_systolic(acc.dataflow)) {
    const auto ev = dataflow::evaluate_spatial_mapping(layer, acc, m, p);
    if (!ev.valid)
      throw Error("layer '" + layer.name + "': the mapping is not legal here (" +
                  std::string(ev.invalid_reason) + ")");
    out.counts = ev.counts;
  } else {
    const auto ev = dataflow::evaluate_systolic_mapping(layer, acc, m, p);
    if (!ev.valid)
      throw Error("layer '" + layer.name + "': the mapping's tiles do not fit level '" +
                  acc.levels[static_cast<std::size_t>(ev.invalid_level)].name + "' (" +
                  std::string(ev.invalid_reason) + ")");
    out.counts = ev.counts;
  }
  out.mapping = m;
  out.energy = energy::price(out.counts.access, out.counts.macs, p.weight_bits,
                             p.activation_bits, table);
  return out;
}

}  // namespace

std::string layer_key(const workloads::Layer& l) {
  const auto& s = l.shape;
  return fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}", s.N, s.M, s.C,
                     s.H, s.W, s.P, s.Q, s.R, s.S, s.stride_h, s.stride_w, s.dilation_h,
                     s.dilation_w, s.pad_h, s.pad_w, s.groups, l.precision.weight_bits,
                     l.precision.activation_bits, l.precision.output_bits);
}

MappedLayer evaluate_mapping(const workloads::Layer& layer, const arch::Accelerator& acc,
                             const energy::EnergyTable& table, const dataflow::Mapping& m) {
  return finish(layer, acc, table, m);
}

MappedLayer map_spatial_layer(const workloads::Layer& layer, const arch::Accelerator& acc,
                              const energy::EnergyTable& table,
                              const mapper::MapperOptions& options) {
  const auto p = dataflow::resolve_precision(layer, acc);
  const dataflow::SpatialMapSpace space(layer, acc, p);
  const SpatialEvaluator evaluator(layer, acc, table, space, p);
  mapper::SearchSpace ss;
  ss.domains = space.domains();
  const auto result = mapper::search(ss, evaluator, options);
  if (!result.best)
    throw Error("layer '" + layer.name + "': no legal mapping on '" + acc.name +
                "' (every candidate violated: " + result.empty_reason + ")");
  MappedLayer out = finish(layer, acc, table, space.decode(*result.best));
  out.evaluated = result.evaluated;
  out.valid = result.valid;
  out.searched = true;
  return out;
}

MappedLayer map_layer(const workloads::Layer& layer, const arch::Accelerator& acc,
                      const energy::EnergyTable& table, const mapper::MapperOptions& options) {
  if (!arch::is_systolic(acc.dataflow)) return map_spatial_layer(layer, acc, table, options);
  const dataflow::SystolicMapSpace space(layer, acc);
  const auto fixed = space.decode(space.scalesim_genes());
  if (acc.compat == arch::Compat::scalesim) return finish(layer, acc, table, fixed);

  const auto p = dataflow::resolve_precision(layer, acc);
  dataflow::check_systolic_fit(acc, p);
  const SystolicEvaluator evaluator(layer, acc, table, space, p);
  mapper::SearchSpace ss;
  ss.domains = space.domains();
  ss.names = {"dram row folds", "dram column folds", "time per fold", "chunks at dram",
              "dram loop order", "on-chip loop order", "on-chip level"};
  const auto result = mapper::search(ss, evaluator, options);
  // Never worse than SCALE-Sim's mapping on the objective, when that mapping is legal.
  const auto base = evaluator.evaluate(space.scalesim_genes());
  std::optional<std::vector<std::uint32_t>> best = result.best;
  if (base.valid && (!best || options.objective.score(base.cost) < result.best_score))
    best = space.scalesim_genes();
  if (!best)
    throw Error("layer '" + layer.name + "': no legal mapping on '" + acc.name +
                "' (every candidate violated: " + result.empty_reason + ")");
  MappedLayer out = finish(layer, acc, table, space.decode(*best));
  out.evaluated = result.evaluated;
  out.valid = result.valid;
  out.searched = true;
  return out;
}

}  // namespace loom::explore
