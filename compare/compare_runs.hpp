// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom compare`: runs side by side, one row per layer (matched by name; the first run's order,
// then layers only later runs have) and a last row of totals. For each metric (energy, latency)
// the value of every run, then for every run after the first its difference from the first,
// absolute and in percent ((run - first) / first x 100). A layer a run lacks is NaN there.
#include <string>
#include <vector>

#include "compare/run_file.hpp"
#include "reports/result_table.hpp"

namespace loom::compare {

// Columns: layer, then per metric m in {energy_pj, latency_s}: m_1 .. m_n, and for k >= 2
// d_m_k (k minus 1) and d_m_pct_k. Runs are numbered from 1 in the order given.
[[nodiscard]] reports::ResultTable compare_table(const std::vector<RunFile>& runs);

// The same in uJ and us for the console, with a legend naming each numbered run.
[[nodiscard]] std::string format_compare_console(const std::vector<RunFile>& runs);

}  // namespace loom::compare
