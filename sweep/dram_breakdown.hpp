// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where a run's DRAM traffic went under its schedule (docs/schedule.md, docs/sweep.md "Outputs"):
// the bytes that still moved — weights, and spilled activations (the network input, layer
// outputs and partial sums that went through DRAM) — and the bytes the graph schedule kept on
// chip against the same layers run layerwise, by whole tensors that stayed resident and by fused
// groups (their `dram_bytes_saved`). Under `layerwise` nothing is kept. Bytes are whole-batch, as
// in summary.json's `schedule` block; dram = weights + spilled, and
// layerwise = dram + kept resident + kept fused.
#include <cstdint>
#include <string>
#include <vector>

#include "explore/evaluate.hpp"
#include "reports/result_table.hpp"

namespace loom::sweep {

struct DramBreakdown {
  std::string schedule;  // schedule::kScheduleKinds name
  double dram_bytes = 0;
  double layerwise_dram_bytes = 0;
  double weight_bytes = 0;
  double spilled_bytes = 0;
  double resident_saved_bytes = 0;
  double fused_saved_bytes = 0;
  // Activation tensors by where they lived, as summary.json's lists (graph schedule only; all 0
  // under layerwise).
  std::int64_t tensors_resident = 0;  // activation tensors kept whole on chip
  std::int64_t tensors_spilled = 0;   // activation tensors through DRAM (network outputs too)
  std::int64_t tensors_fused = 0;     // intermediate tensors that lived on chip as tiles only
  std::int64_t fused_groups = 0;
};

[[nodiscard]] DramBreakdown dram_breakdown(const explore::RunResult& run);

// results.h5's /pareto_dram: one row per (point, workload) of `runs` (a point's runs in the
// sweep's workload order), columns point, workload, schedule, then DramBreakdown's fields.
struct PointRuns {
  std::uint64_t point = 0;
  const std::vector<explore::RunResult>* runs = nullptr;
};
[[nodiscard]] reports::ResultTable dram_table(const std::vector<PointRuns>& points);

}  // namespace loom::sweep
