// SPDX-License-Identifier: Apache-2.0
#pragma once
// The rows of an Eyeriss AlexNet CONV1-5 run (batch 4) against the chip's measurements (JSSC
// 2017): totals as check rows, each layer as info rows (its table is an image). Shared by the
// searched run and the run with the chip's own mappings, which differ only in how mappings are
// chosen and in how they count active PEs.
#include <string>
#include <vector>

#include "explore/evaluate.hpp"
#include "validate/row.hpp"

namespace loom::validate {

struct AlexNetRowsSpec {
  std::string prefix;        // of every total row's figure, e.g. "AlexNet CONV1-5, batch 4: "
  std::string layer_suffix;  // after a layer row's name, e.g. " (chip's mappings)"
  // Active PEs as the PEs a mapping occupies, weighted by each layer's latency (how the chip
  // counts them: 154 = 11 x 14 on CONV1), rather than busy PEs over Loom's cycles.
  bool footprint_pes = false;
  std::string source;  // of the total rows; empty: the chip's measurements (JSSC 2017, Sec. VI)
};

// Appends the rows of `r` (AlexNet's conv layers at batch 4 on an Eyeriss preset).
void add_eyeriss_alexnet_rows(std::vector<Row>& rows, const explore::RunResult& r,
                              const AlexNetRowsSpec& spec);

}  // namespace loom::validate
