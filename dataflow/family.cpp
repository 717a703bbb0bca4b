// SPDX-License-Identifier: Apache-2.0
#include "dataflow/family.hpp"

#include <array>
#include <stdexcept>

#include "dataflow/sparsity.hpp"

namespace loom::dataflow {

MappingEvaluation Family::evaluate(const workloads::Layer& layer, const arch::Accelerator& acc,
                                   const Mapping& m, const ResolvedPrecision& p,
                                   Fidelity fidelity) const {
  MappingEvaluation out = evaluate_dense(layer, acc, m, p, fidelity);
  // Zero-gating and compression change energy and traffic, so the search sees them too.
  if (out.valid) apply_sparsity(out.counts, layer, acc, Retime::yes);
  return out;
}

Mapping MapSpace::decode(std::span<const std::uint32_t> genes) const {
  Mapping m;
  decode(genes, m);
  return m;
}

MappingEvaluation MapSpace::evaluate(std::span<const std::uint32_t> genes) const {
  // Decoded in place into this thread's mapping: the mapper's inner loop allocates nothing
  // for it.
  thread_local Mapping m;
  decode(genes, m);
  return family_.evaluate(layer_, acc_, m, p_, Fidelity::search);
}

std::vector<std::size_t> MapSpace::search_order() const {
  std::vector<std::size_t> order(domains().size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  return order;
}

void MapSpace::search_candidates(std::span<const std::uint32_t> /*genes*/, std::size_t depth,
                                 std::vector<std::uint32_t>& out) const {
  out.resize(domains()[search_order()[depth]]);
  for (std::uint32_t v = 0; v < out.size(); ++v) out[v] = v;
}

void MapSpace::lower_bounds(std::span<const std::uint32_t> /*genes*/, std::size_t /*depth*/,
                            std::vector<LayerCounts>& out) const {
  out.assign(1, LayerCounts{});
  out[0].access.levels = static_cast<int>(acc_.levels.size());
}

LayerCounts Family::closed_form(const workloads::Layer& layer, const arch::Accelerator& acc) const {
  LayerCounts c = closed_form_dense(layer, acc);
  apply_sparsity(c, layer, acc, Retime::yes);
  return c;
}

std::span<const Family* const> families() {
  // The one registry: a new family is an implementation file and one line here.
  static const std::array<const Family*, 2> table{
      &systolic_family(),
      &spatial_family(),
  };
  return table;
}

const Family& family_of(arch::Dataflow d) {
  for (const Family* f : families())
    if (f->runs(d)) return *f;
  // Every dataflow has a family (tests/dataflow/test_family.cpp); reaching here is a Loom bug.
  throw std::logic_error("no dataflow family runs dataflow '" +
                         std::string(arch::dataflow_info(d).name) + "'");
}

}  // namespace loom::dataflow
