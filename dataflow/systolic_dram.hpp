// SPDX-License-Identifier: Apache-2.0
#pragma once
// The fold schedule of a systolic layer and its DRAM traffic — Loom's own model in both compat
// modes (it is not SCALE-Sim's working-set bookkeeping). Each operand streams through its
// double-buffered SRAM (half the capacity usable per tile). Candidate schedules:
//  - row folds outer or column folds outer: an operand indexed by the outer fold only is fetched
//    once if its slice fits, else once per inner fold; one indexed by the inner fold only is
//    fetched once if it fits whole, else once per outer fold; one indexed by both once. Partial
//    sums accumulated across row folds (ws, is) stay on chip if they fit, else spill to DRAM
//    and come back at accumulator precision;
//  - (compat: none only, ws and is) the time dimension T cut into chunks whose partial sums fit
//    the ofmap buffer, each chunk running all its column and row folds (row folds innermost):
//    no spills, at the price of reloading the stationary tiles once per chunk.
// The schedule moving the fewest DRAM bits wins (ties: the earlier candidate).
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
};

struct SystolicSchedule {
  DramTraffic dram;
  std::int64_t t_chunk = 0;   // time steps per fold (T unless chunked)
  std::int64_t t_chunks = 1;  // chunks of the time dimension (1 unless chunked)
};

// The GEMM of one group as placed on the array: rows Sr, columns Sc, time T, and its folds.
struct FoldGrid {
  std::int64_t sr, sc, t, row_folds, col_folds;
};

SystolicSchedule plan_systolic_schedule(const workloads::Layer& layer,
                                        const arch::Accelerator& acc, const ResolvedPrecision& p,
                                        const FoldGrid& grid);

// What cannot overlap compute: the first tiles' inputs, fetched before the first fold starts,
// and the last output tile, written back after the last fold ends (bits). Negative: unknown,
// taken as one fold's average share of the inputs and of the outputs.
struct ExposedTransfers {
  double first_input_bits = -1;
  double last_output_bits = -1;
};

// Stall cycles when DRAM bandwidth cannot keep up: transfers overlap compute (double buffering)
// except the exposed ones; a layer whose transfers outlast its compute is bandwidth-bound, and
// then the last output tile's write-back still follows the transfers before it. Zero when the
// DRAM level has no bandwidth limit. `bus_factor` (>= 1) stretches every transfer for the
// channel's bursts, row misses and turnarounds (dram_timing.hpp, dram_bus_factor).
std::int64_t dram_stall_cycles(const arch::Accelerator& acc, std::int64_t compute_cycles,
                               std::int64_t folds, const arch::AccessCounts& access,
                               const ExposedTransfers& exposed = {}, double bus_factor = 1.0);

// Given compute cycles, folds, MACs, mapping efficiency and accesses: adds the DRAM stalls and
// fills total cycles, overall utilization and the time-averaged active PEs.
void finish_with_dram_stalls(LayerCounts& r, const arch::Accelerator& acc,
                             const ExposedTransfers& exposed = {});
// The same from a known total (>= compute cycles).
void finish_with_total(LayerCounts& r, const arch::Accelerator& acc, std::int64_t total_cycles);

}  // namespace loom::dataflow
