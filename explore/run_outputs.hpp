// SPDX-License-Identifier: Apache-2.0
#pragma once
// A RunResult as the files and console text `loom run` produces, with the names and columns
// ../DESIGN.md fixes (other tools and tests read them): layers.csv, summary.json, results.h5.
#include <filesystem>
#include <string>

#include "explore/evaluate.hpp"
#include "reports/result_table.hpp"

namespace loom::explore {

// One row per MAC layer; required columns first, in the documented order, then
// bytes_<level>, energy_pj_<level> per level, then extra columns.
reports::ResultTable layers_table(const RunResult& r);
// One row of network totals (the `totals` of summary.json).
reports::ResultTable summary_table(const RunResult& r);
std::string summary_json_text(const RunResult& r);

// Creates `dir` if needed and writes layers.csv, summary.json and results.h5 there, together:
// on failure none of them replaces the previous run's file. Throws loom::Error naming the path.
void write_run_outputs(const RunResult& r, const std::filesystem::path& dir);

// The per-layer table and totals printed by `loom run`; without the table (`-q`) only the
// heading line and the totals lines.
std::string format_run_console(const RunResult& r, bool layer_table = true);

}  // namespace loom::explore
