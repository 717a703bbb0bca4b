// SPDX-License-Identifier: Apache-2.0
#pragma once
// What "best" means. An Objective reduces a Cost to one score; lower is better. Strategies see
// only scores (never the Cost or the Objective), so every strategy serves every objective.
//
// `weighted` multiplies powers of the metrics: score = energy^we x cycles^wc, i.e. the weights
// act on log metrics (ln score = we ln E + wc ln C). Log weights are scale-free — the ranking
// does not change when energy is counted in pJ or nJ, which a weighted sum of raw or normalised
// metrics cannot promise without knowing the range of the space in advance. we = wc = 1 ranks
// exactly like EDP; we = 1, wc = 0 like energy.
//
// energy, latency and edp use only multiplication, so scores are identical on every machine;
// weighted with weights other than 0 and 1 calls std::pow, whose last bit may differ between C
// libraries (results stay deterministic on one platform).
//
// total_energy and total_edp count the energy a layer's duration costs besides its work:
// energy + static_pj_per_cycle x cycles (leakage and clock power, energy/static_power.hpp), so
// a slower mapping pays for its idle PEs. The caller that knows the accelerator fills
// static_pj_per_cycle (explore::priced_objective); at 0 they rank like energy and edp.
//
// Ties on the score are broken by the other metric (latency ties by energy, energy ties by
// cycles, since many mappings share the compute-bound cycle count), then by genome order.
#include <array>
#include <string>
#include <string_view>

#include "core/enum_table.hpp"
#include "mapper/evaluator.hpp"

namespace loom::mapper {

enum class ObjectiveKind { energy, latency, edp, weighted, total_energy, total_edp };
inline constexpr std::array<core::EnumName<ObjectiveKind>, 6> kObjectiveKinds{
    {{ObjectiveKind::energy, "energy"},
     {ObjectiveKind::latency, "latency"},
     {ObjectiveKind::edp, "edp"},
     {ObjectiveKind::weighted, "weighted"},
     {ObjectiveKind::total_energy, "total_energy"},
     {ObjectiveKind::total_edp, "total_edp"}}};

struct Objective {
  ObjectiveKind kind = ObjectiveKind::edp;
  double energy_weight = 1.0;   // `weighted` only: exponent of energy, >= 0
  double latency_weight = 1.0;  // `weighted` only: exponent of cycles, >= 0
  // total_energy and total_edp only: static (leakage + clock) energy per cycle, pJ, >= 0.
  double static_pj_per_cycle = 0;

  // Throws loom::Error for negative, non-finite or all-zero weights.
  void validate() const;
  // Whether the score counts static energy (total_energy, total_edp).
  [[nodiscard]] bool counts_static() const {
    return kind == ObjectiveKind::total_energy || kind == ObjectiveKind::total_edp;
  }
  [[nodiscard]] double score(const Cost& c) const;
  // The tie-break metric when two scores are equal.
  [[nodiscard]] double secondary(const Cost& c) const;
  // "edp", or "weighted(energy^0.5 x cycles^1)".
  [[nodiscard]] std::string describe() const;
};

// "energy" -> {energy}; an unknown name throws loom::Error listing the valid ones.
[[nodiscard]] Objective parse_objective(std::string_view name);

}  // namespace loom::mapper
