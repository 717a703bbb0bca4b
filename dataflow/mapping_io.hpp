// SPDX-License-Identifier: Apache-2.0
#pragma once
// Mappings as text: YAML that `loom map` writes and `loom run --mapping` reads back (one file
// per layer), and a readable loop nest for the console. The writer is deterministic (same
// mapping, same bytes); the reader validates against the accelerator (one entry per memory
// level, by name and in order) and reports every problem at once, like every Loom loader.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"

namespace loom::dataflow {

// Where each factor of a mapping file was written (1-based lines; a factor left out points at
// the line of its loops' entry), so a check after parsing can name the line it faults.
using DimLines = std::array<int, kDims>;
struct MappingLines {
  int levels = 0;               // the `levels:` key
  std::vector<DimLines> level;  // one per entry of `levels`
  DimLines spatial_rows{}, spatial_cols{}, pe{};
};

// How a mapping was found, for the record (`loom map` writes it; readers ignore it): the
// search's counts and, from the exact search, its certificate in the objective's unit.
struct SearchRecord {
  std::string strategy;   // the one that ran: exhaustive, random, genetic or exact
  std::string objective;  // energy, latency, edp or weighted
  std::string unit;       // of lower_bound: pJ, cycles, pJ x cycles, or empty (weighted)
  std::uint64_t evaluated = 0, valid = 0, pruned = 0;
  std::optional<double> lower_bound, optimality_gap_pct;
};

struct MappingFile {
  std::string layer;          // the layer this mapping is for
  std::string workload;       // informational
  std::string view = "gemm";  // "gemm": a systolic GEMM view (systolic_mapping.hpp); "conv"
  Mapping mapping;
  std::optional<SearchRecord> search;  // written as `search:` when set; never read
  MappingLines lines;                  // filled by parse_mapping_yaml
};

[[nodiscard]] std::string mapping_to_yaml(const MappingFile& f, const arch::Accelerator& acc);
MappingFile parse_mapping_yaml(std::string_view text, const std::string& file_name,
                               const arch::Accelerator& acc);

// "dram | ofmap_sram  for C in 0..18  for M in 0..2 | spatial rows C×32, cols M×32 | pe ..."
// one line per level, factors of 1 omitted.
[[nodiscard]] std::string format_loop_nest(const Mapping& m, const arch::Accelerator& acc);

}  // namespace loom::dataflow
