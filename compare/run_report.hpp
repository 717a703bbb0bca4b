// SPDX-License-Identifier: Apache-2.0
#pragma once
// The run report: one self-contained HTML page (inline SVG, no scripts, no network) of one or
// more `loom run` results, side by side — per run its accelerator, workload, settings and
// totals, then per layer the energy stacked by MAC and memory level, the latency, the
// utilization, and a roofline of the accelerator with the layers placed on it.
#include <string>
#include <vector>

#include "compare/run_file.hpp"

namespace loom::compare {

[[nodiscard]] std::string run_report_html(const std::vector<RunFile>& runs);

}  // namespace loom::compare
