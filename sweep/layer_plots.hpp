// SPDX-License-Identifier: Apache-2.0
#pragma once
// Inline SVG plots of one evaluated accelerator's layers (a layers.csv table with any extra
// leading `workload` column): energy per layer stacked by MAC and memory level, utilization and
// latency per layer, and a roofline (peak MAC/s, DRAM bandwidth) with the layers placed by MACs
// per DRAM byte. Used by the sweep report (its chosen point) and the run report. Each plot's
// element id ends in `id_suffix`, so several runs' plots can share a page.
#include <string>
#include <string_view>
#include <vector>

#include "reports/result_table.hpp"

namespace loom::sweep {

struct LayerPlotData {
  const reports::ResultTable& layers;  // columns layer, macs, total_cycles, latency_s,
                                       // overall_util_pct, energy_pj, energy_pj_<level>,
                                       // bytes_<dram_level>
  std::vector<std::string> levels;     // the energy_pj_<level> columns stacked, in order
  std::string dram_level;
  double clock_hz = 0;
  double peak_macs_per_cycle = 0;
  double dram_bytes_per_cycle = 0;  // 0: no DRAM roof
  std::string id_suffix;
};

// Table cells for plots and reports: a number cell as double (NaN for text), any cell as text.
[[nodiscard]] double number_cell(const reports::ResultTable& t, std::size_t row,
                                 std::string_view column);
[[nodiscard]] std::string text_cell(const reports::ResultTable& t, std::size_t row,
                                    std::string_view column);
// "a,b,c" -> {"a", "b", "c"}: the list attributes of results.h5.
[[nodiscard]] std::vector<std::string> split_commas(const std::string& list);

[[nodiscard]] std::string energy_plot(const LayerPlotData& d);
[[nodiscard]] std::string util_plot(const LayerPlotData& d);
[[nodiscard]] std::string latency_plot(const LayerPlotData& d);
[[nodiscard]] std::string roofline_plot(const LayerPlotData& d);

}  // namespace loom::sweep
