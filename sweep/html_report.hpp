// SPDX-License-Identifier: Apache-2.0
#pragma once
// The sweep report: one self-contained HTML page (inline SVG, no scripts, no network) built
// from results.h5 alone, so `loom report` rebuilds it anywhere: the sweep's settings and
// accuracy source, the Pareto front (energy vs latency, coloured by area, a hover title per
// point), the front as a table, each Pareto point's DRAM bytes kept on chip vs moved
// (dram_plot.hpp; a file without /pareto_dram, from an older Loom, says so instead), and for the
// chosen point per-layer energy by memory level,
// per-layer utilization and a roofline of its accelerator with its layers.
#include <filesystem>
#include <string>

namespace loom::sweep {

// Throws loom::Error naming the file if it is not a sweep's results.h5.
[[nodiscard]] std::string sweep_report_html(const std::filesystem::path& results_h5);
// The Pareto plot alone, as a standalone SVG document (for the README).
[[nodiscard]] std::string pareto_svg(const std::filesystem::path& results_h5);

}  // namespace loom::sweep
