// SPDX-License-Identifier: Apache-2.0
#pragma once
// The files of a finished sweep, written by rank 0, which appear together or not at all
// (reports::FileSet: a failure part-way leaves the previous sweep's four files):
//   points.csv  — one row per evaluated point, by point id: point, feasible, energy_pj,
//                 latency_s, edp_js, area_mm2, power_w, buffer_kib, [accuracy_pct,
//                 accuracy_drop_pp], one column per axis, per-workload energy/latency
//                 [accuracy], reason ("nan" marks a metric not computed or not known), then
//                 the mapper settings (search, mapper_budget, mapper_seed, mapper_objective,
//                 mapper_strategy);
//   pareto.csv  — the same columns, the non-dominated feasible points;
//   results.h5  — /points, /pareto, /chosen_layers (per-layer results of the chosen point: the
//                 Pareto point of lowest EDP), /layers_point_<id> for every point whose
//                 hardware ran (the same per-layer table), /pareto_dram (each Pareto
//                 point's DRAM bytes moved vs kept on chip, per workload: dram_breakdown.hpp)
//                 and attributes the report needs;
//   pareto/point_<id>/ — each Pareto point's accelerator, workloads and `loom run` command
//                 (point_files.hpp);
//   report.html — built from results.h5 alone (html_report.hpp), as `loom report` does.
#include <filesystem>
#include <vector>

#include "reports/result_table.hpp"
#include "sweep/evaluate_point.hpp"
#include "sweep/runner.hpp"

namespace loom::sweep {

[[nodiscard]] reports::ResultTable points_table(const SweepSpec& spec,
                                                const std::vector<PointResult>& points);

void write_sweep_outputs(const SweepSpec& spec, const SweepOutcome& outcome,
                         const PointEvaluator& evaluator, const std::filesystem::path& dir);

}  // namespace loom::sweep
