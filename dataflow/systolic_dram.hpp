// SPDX-License-Identifier: Apache-2.0
#pragma once
// DRAM traffic and stalls of a folded systolic layer, Loom's own model (both compat modes; it is
// not SCALE-Sim's working-set bookkeeping). Each operand is a tensor streamed through its
// double-buffered SRAM (half the capacity usable per tile). Folds run in one of two orders —
// row folds outer or column folds outer — and Loom takes the one moving fewer DRAM bits. Per
// order, an operand indexed by the outer fold only is fetched once if its slice fits, an operand
// indexed by the inner fold only is fetched once if it fits whole (else once per outer fold),
// and an operand indexed by both is fetched once. Partial sums accumulated across row folds stay
// on chip if they fit, else spill (written and read back at accumulator precision).
#include <cstdint>

#include "arch/access_counts.hpp"
#include "dataflow/layer_counts.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

struct DramTraffic {  // elements
  std::int64_t ifmap_reads = 0;
  std::int64_t filter_reads = 0;
  std::int64_t ofmap_writes = 0;  // final outputs, at output precision
  std::int64_t psum_writes = 0;   // spilled partial sums, at psum precision
  std::int64_t psum_reads = 0;
  bool row_folds_outer = true;
};

DramTraffic systolic_dram_traffic(const workloads::Layer& layer, const arch::Accelerator& acc,
                                  const ResolvedPrecision& p, std::int64_t row_folds,
                                  std::int64_t col_folds);

// Stall cycles when DRAM bandwidth cannot keep up: transfers overlap compute (double buffering)
// except the first fold's inputs and the last fold's outputs; a layer whose transfers outlast
// its compute is bandwidth-bound. Zero when the DRAM level has no bandwidth limit.
std::int64_t dram_stall_cycles(const arch::Accelerator& acc,
                               std::int64_t compute_cycles, std::int64_t folds,
                               const arch::AccessCounts& access);

}  // namespace loom::dataflow
