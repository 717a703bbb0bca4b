// SPDX-License-Identifier: Apache-2.0
#pragma once
// One evaluated design point: network totals summed over the sweep's workloads, the
// accelerator's area and on-chip buffer, user-supplied accuracy, and feasibility under the
// sweep's constraints. Plain values; NaN marks a metric that was not computed (a point whose
// accelerator or mapping is impossible), nullopt an unknown accuracy.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sweep/spec.hpp"

namespace loom::sweep {

inline constexpr double kNotComputed = std::numeric_limits<double>::quiet_NaN();

struct WorkloadMetrics {
  double energy_pj = kNotComputed;
  double latency_s = kNotComputed;
  double power_w = kNotComputed;
  std::optional<double> accuracy_pct;
};

struct PointResult {
  std::uint64_t point = 0;
  bool feasible = false;
  std::string reason;  // why not feasible; empty when feasible
  // Totals over the workloads, each run once, one after another: energies and latencies add;
  // edp_js = total energy (J) x total latency (s); power_w is the highest workload's average.
  double energy_pj = kNotComputed;
  double latency_s = kNotComputed;
  double edp_js = kNotComputed;
  double area_mm2 = kNotComputed;
  double power_w = kNotComputed;
  double buffer_kib = kNotComputed;        // on-chip SRAM capacity (per-PE levels x PEs)
  std::optional<double> accuracy_pct;      // mean over workloads, when all are known
  std::optional<double> accuracy_drop_pp;  // largest baseline - accuracy over workloads
  std::vector<WorkloadMetrics> workloads;  // spec.networks order
};

// The value of `m` for Pareto ranking: lower is better (accuracy is negated). NaN if unknown.
double objective_value(const PointResult& p, Metric m);

}  // namespace loom::sweep
