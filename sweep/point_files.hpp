// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a sweep writes for each point of its Pareto front, so any of them can be inspected and
// repeated outside the sweep. In DIR/pareto/point_<id>/:
//   accelerator.yaml — the point's accelerator (the base with the point's edits);
//   <workload>.yaml  — each workload with the point's algorithm variants applied (batch 1: the
//                      command sets the sweep's batch);
//   run.sh           — one `loom run` line per workload with the sweep's mapper settings
//                      (budget, seed, objective, strategy, --no-search), which reproduces the
//                      point's per-workload energy and latency exactly (a test checks it).
// And in results.h5 (outputs.hpp), /layers_point_<id> for every point that ran, Pareto or not:
// per-layer results (layers.csv's columns after a `workload` column), one dataset per point
// since levels differ between bases.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "explore/evaluate.hpp"
#include "reports/atomic_file.hpp"
#include "reports/result_table.hpp"
#include "sweep/spec.hpp"

namespace loom::sweep {

// The `loom run` options that repeat the sweep's mapper settings (no --arch/--workload/-o).
[[nodiscard]] std::string run_settings_args(const SweepSpec& spec);

// Adds the point's three kinds of file to `files`, under `dir`/pareto/point_<id>.
void add_point_files(reports::FileSet& files, const SweepSpec& spec, std::uint64_t id,
                     const std::filesystem::path& dir);

// Per-layer rows of every workload's run at one point, after a `workload` column.
[[nodiscard]] reports::ResultTable point_layers(const std::vector<explore::RunResult>& runs);

// Removes DIR/pareto/point_* folders of points not on `front` (an earlier sweep's, replaced by
// --force), so the folder lists exactly this front.
void remove_stale_point_folders(const std::filesystem::path& dir,
                                const std::vector<std::uint64_t>& front);

}  // namespace loom::sweep
