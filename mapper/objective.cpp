// SPDX-License-Identifier: Apache-2.0
#include "mapper/objective.hpp"

#include <cmath>

#include "core/error.hpp"

namespace loom::mapper {

void Objective::validate() const {
  if (!(static_pj_per_cycle >= 0) || !std::isfinite(static_pj_per_cycle))
    throw Error("static energy per cycle must be finite and >= 0 (got " +
                std::to_string(static_pj_per_cycle) + ")");
  if (kind != ObjectiveKind::weighted) return;
  const auto ok = [](double w) { return std::isfinite(w) && w >= 0; };
  if (!ok(energy_weight) || !ok(latency_weight) || (energy_weight == 0 && latency_weight == 0))
    throw Error("objective weights must be finite, >= 0 and not both 0 (got energy " +
                std::to_string(energy_weight) + ", latency " + std::to_string(latency_weight) +
                ")");
}

double Objective::score(const Cost& c) const {
  const auto total_pj = [&] { return c.energy_pj + static_pj_per_cycle * c.cycles; };
  switch (kind) {
    case ObjectiveKind::energy:
      return c.energy_pj;
    case ObjectiveKind::latency:
      return c.cycles;
    case ObjectiveKind::edp:
      return c.edp();
    case ObjectiveKind::total_energy:
      return total_pj();
    case ObjectiveKind::total_edp:
      return total_pj() * c.cycles;
    case ObjectiveKind::weighted:
      break;
  }
  // Weights 0 and 1 skip pow(): its last bit may differ between C libraries, and these are
  // the common cases. A zero weight drops its metric entirely (pow(0, 0) would be 1 too).
  const auto power = [](double x, double w) { return w == 0 ? 1.0 : w == 1 ? x : std::pow(x, w); };
  return power(c.energy_pj, energy_weight) * power(c.cycles, latency_weight);
}

double Objective::secondary(const Cost& c) const {
  const bool energy_only = kind == ObjectiveKind::energy || kind == ObjectiveKind::total_energy;
  return energy_only ? c.cycles : c.energy_pj;
}

std::string Objective::describe() const {
  std::string out(core::enum_name(kObjectiveKinds, kind));
  if (kind == ObjectiveKind::weighted) {
    auto num = [](double w) {
      std::string s = std::to_string(w);
      s.erase(s.find_last_not_of('0') + 1);
      if (s.back() == '.') s.pop_back();
      return s;
    };
    out += "(energy^" + num(energy_weight) + " x cycles^" + num(latency_weight) + ")";
  }
  return out;
}

Objective parse_objective(std::string_view name) {
  const auto kind = core::parse_enum(kObjectiveKinds, name);
  if (!kind)
    throw Error("unknown objective '" + std::string(name) + "'; expected one of " +
                core::enum_choices(kObjectiveKinds));
  return Objective{.kind = *kind};
}

}  // namespace loom::mapper
