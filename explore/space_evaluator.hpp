// SPDX-License-Identifier: Apache-2.0
#pragma once
// The mapper's view of a family's mapspace: each point scored as its family evaluates it at
// search fidelity, priced for energy (pJ) with cycles as latency; and, for the exact search,
// the family's gene order, equivalent values and lower-bound counts priced the same way
// (pricing is monotone in every count, so priced bounds bound the priced costs). Keeps
// references: the space and table must outlive it.
#include <algorithm>
#include <limits>
#include <vector>

#include "dataflow/family.hpp"
#include "energy/energy_table.hpp"
#include "energy/price.hpp"
#include "mapper/bounds.hpp"
#include "mapper/evaluator.hpp"

namespace loom::explore {

class SpaceEvaluator final : public mapper::Evaluator, public mapper::PrefixBounds {
 public:
  SpaceEvaluator(const dataflow::MapSpace& space, const energy::EnergyTable& table,
                 const dataflow::ResolvedPrecision& p)
      : space_(space), table_(table), p_(p) {}

  [[nodiscard]] mapper::Evaluation evaluate(mapper::GenomeView g) const override {
    const auto ev = space_.evaluate(g);
    if (!ev.valid) return {false, {}, ev.invalid_reason};
    return {true, cost(ev.counts), {}};
  }
  [[nodiscard]] const mapper::PrefixBounds* bounds() const override { return this; }

  [[nodiscard]] std::vector<std::size_t> order() const override { return space_.search_order(); }
  void candidates(mapper::GenomeView g, std::size_t depth,
                  std::vector<std::uint32_t>& out) const override {
    space_.search_candidates(g, depth, out);
  }
  // The cheapest alternative in each metric (every completion is above one of them).
  [[nodiscard]] mapper::Cost lower_bound(mapper::GenomeView g, std::size_t depth) const override {
    thread_local std::vector<dataflow::LayerCounts> alternatives;
    space_.lower_bounds(g, depth, alternatives);
    mapper::Cost lb{kNoPoint, kNoPoint};
    for (const auto& c : alternatives) {
      const auto a = cost(c);
      lb = {std::min(lb.energy_pj, a.energy_pj), std::min(lb.cycles, a.cycles)};
    }
    return lb;
  }

 private:
  static constexpr double kNoPoint = std::numeric_limits<double>::infinity();
  [[nodiscard]] mapper::Cost cost(const dataflow::LayerCounts& c) const {
    const auto e = energy::price(c.access, dataflow::performed_macs(c), p_.weight_bits,
                                 p_.activation_bits, table_);
    return {e.total_pj, static_cast<double>(c.total_cycles)};
  }

  const dataflow::MapSpace& space_;
  const energy::EnergyTable& table_;
  dataflow::ResolvedPrecision p_;
};

}  // namespace loom::explore
