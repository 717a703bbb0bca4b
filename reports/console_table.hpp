// SPDX-License-Identifier: Apache-2.0
#pragma once
// A ResultTable as aligned text for a terminal, e.g. `loom run`'s per-layer table and totals:
//
//   layer         macs  energy [pJ]
//   -----  -----------  -----------
//   conv1  105,415,200     1,234.57
//   -----  -----------  -----------
//   total  105,415,200     1,234.57
//
// Numbers are right-aligned, strings left-aligned; a unit shows in the header as `label [unit]`,
// the label being the column name unless options.labels says otherwise ("energy_pj" → "energy").
// Doubles are printed fixed-point with a per-column number of decimals; integers exactly.
// Formatting only: it never changes the table. Every line ends in "\n" with no trailing spaces.
#include <map>
#include <string>
#include <vector>

#include "reports/result_table.hpp"

namespace loom::reports {

struct ConsoleTableOptions {
  int precision = 2;                          // decimals of double columns not listed below
  std::map<std::string, int> precisions;      // per column: {"utilization_pct", 1}
  std::map<std::string, std::string> labels;  // header text per column: {"energy_pj", "energy"}
  bool thousands = true;                      // group integer digits: 1,234,567
  std::size_t footer_rows = 0;                // rule drawn above the last N rows (e.g. totals)
};

// `columns` chooses and orders the columns shown; empty means all, in table order. An unknown
// name throws loom::Error listing the table's columns.
[[nodiscard]] std::string format_console_table(const ResultTable& table,
                                               const std::vector<std::string>& columns = {},
                                               const ConsoleTableOptions& options = {});

// One cell as format_console_table prints it (no padding).
[[nodiscard]] std::string format_cell(const Cell& cell, int precision, bool thousands);

}  // namespace loom::reports
