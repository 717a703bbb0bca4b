// SPDX-License-Identifier: Apache-2.0
#include "fuzz/run_invariants.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "explore/run_outputs.hpp"
#include "fuzz/fuzz_input.hpp"

namespace loom::fuzz {
namespace {

bool finite_nonnegative(double v) { return std::isfinite(v) && v >= 0; }

// nlohmann writes NaN and infinities as null: a null anywhere means a number went wrong.
bool has_null(const nlohmann::json& j) {
  if (j.is_null()) return true;
  if (j.is_structured())
    for (const auto& v : j)
      if (has_null(v)) return true;
  return false;
}

void check_layer(const explore::LayerResult& r, const arch::Accelerator& acc) {
  const auto& c = r.counts;
  const std::string where = " (layer " + r.layer.name + ")";
  require(c.macs >= 1, "a MAC layer has MACs" + where);
  require(c.gated_macs >= 0 && c.skipped_macs >= 0 && c.gated_macs + c.skipped_macs <= c.macs,
          "gated and skipped MACs are a part of the MACs" + where);
  require(c.compute_cycles >= 1 && c.total_cycles >= c.compute_cycles,
          "total cycles >= compute cycles >= 1" + where);
  require(c.stall_cycles >= 0 && c.port_stall_cycles >= 0, "stall cycles >= 0" + where);
  // The array cannot do more MAC slots than it has PE cycles (1e-9: the busy count is a double).
  const double pe_cycles =
      static_cast<double>(c.compute_cycles) * static_cast<double>(acc.array.pes());
  require(dataflow::pe_cycles_busy(c) <= pe_cycles * (1 + 1e-9),
          "MACs fit in PEs x compute cycles" + where);
  for (double u : {c.overall_util_pct, c.mapping_efficiency_pct, c.compute_util_pct})
    require(u >= 0 && u <= 100 + 1e-9, "utilizations within 0..100%" + where);
  require(c.active_pes >= 0 && c.active_pes <= static_cast<double>(acc.array.pes()) + 1e-9,
          "active PEs within the array" + where);
  for (int l = 0; l < c.access.levels; ++l)
    for (const auto& cell : c.access.cells[static_cast<std::size_t>(l)])
      require(cell.reads >= 0 && cell.writes >= 0 && cell.read_bits >= 0 && cell.write_bits >= 0,
              "access counts >= 0" + where);
  require(finite_nonnegative(r.energy.total_pj) && finite_nonnegative(r.energy.mac_pj),
          "energy finite and >= 0" + where);
}

}  // namespace

void check_run(const explore::RunResult& run) {
  std::int64_t cycles = 0;
  for (const auto& l : run.layers) {
    check_layer(l, run.accelerator);
    cycles += l.counts.total_cycles;
  }
  const auto& t = run.totals;
  require(t.cycles == cycles, "total cycles are the layers' sum");
  for (double v : {t.latency_s, t.inferences_per_s, t.energy_pj, t.power_w, t.area_mm2, t.edp_js,
                   t.utilization_pct, t.active_pes_avg, t.effective_tops, t.pj_per_mac})
    require(finite_nonnegative(v), "network totals finite and >= 0");
  require(!has_null(nlohmann::json::parse(explore::summary_json_text(run))),
          "summary.json has no null (NaN or infinity)");
}

}  // namespace loom::fuzz
