// SPDX-License-Identifier: Apache-2.0
#pragma once
// The sweep report's DRAM breakdown, from results.h5's /pareto_dram table (dram_breakdown.hpp):
// one stacked bar per Pareto point (its workloads summed) of the bytes that moved — weights,
// spilled activations — and the bytes the graph schedule kept on chip — resident tensors, fused
// groups — so that a bar's length is the layerwise traffic; then the chosen point's rows, one
// per workload, with the tensor counts. HTML with inline SVG, no state.
#include <string>

#include "reports/result_table.hpp"

namespace loom::sweep {

// The columns dram_section reads (the report refuses a /pareto_dram table without them).
inline constexpr const char* kDramByteColumns[] = {"dram_bytes",           "layerwise_dram_bytes",
                                                   "weight_dram_bytes",    "spilled_dram_bytes",
                                                   "resident_saved_bytes", "fused_saved_bytes"};
inline constexpr const char* kDramCountColumns[] = {"tensors_resident", "tensors_spilled",
                                                    "tensors_fused", "fused_groups"};

// `chosen_point`: the chosen point's id as text (results.h5's chosen_point attribute); empty or
// absent from the table: no per-workload table.
[[nodiscard]] std::string dram_section(const reports::ResultTable& pareto_dram,
                                       const std::string& chosen_point);

}  // namespace loom::sweep
