// SPDX-License-Identifier: Apache-2.0
#pragma once
// How the mapper learns what a point costs. The mapper knows costs only through an Evaluator it
// is handed (it never links the dataflow, energy or sim libraries); the caller's evaluator turns
// a Genome into a mapping, checks it, and prices it.
//
// Contract for implementers:
// - evaluate() is called concurrently from several threads on the same object: it must be
//   const in fact, not only in name (no caches or counters without their own synchronisation).
// - It is a pure function of the genome: the same genome always gives the same Evaluation,
//   bit for bit, so results cannot depend on thread count or timing.
// - A point that breaks a constraint (a tile that does not fit its buffer, more spatial
//   lanes than PEs) returns valid = false and names the constraint in invalid_reason. The
//   view must point to storage that outlives the search (a string literal, or a name owned by
//   the evaluator): the mapper keeps it without copying, since copying a string per invalid
//   point would cost more than the evaluation. Reasons are compared by content.
// - Costs are finite and >= 0; energy in pJ, latency in cycles. A non-finite cost is treated
//   as an invalid point (reason "non-finite cost").
#include <string_view>

#include "mapper/search_space.hpp"

namespace loom::mapper {

struct Cost {
  double energy_pj = 0;
  double cycles = 0;
  // Energy-delay product, in pJ x cycles.
  [[nodiscard]] double edp() const { return energy_pj * cycles; }
};

struct Evaluation {
  bool valid = false;
  Cost cost{};
  std::string_view invalid_reason{};  // empty when valid; see the contract above
};

class PrefixBounds;

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  [[nodiscard]] virtual Evaluation evaluate(GenomeView genome) const = 0;
  // Lower bounds and equivalent values on partial points, for the exact search (bounds.hpp);
  // none by default (the exact search then enumerates every point). Owned by the evaluator.
  [[nodiscard]] virtual const PrefixBounds* bounds() const { return nullptr; }
};

}  // namespace loom::mapper
