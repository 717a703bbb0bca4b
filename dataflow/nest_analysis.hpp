// SPDX-License-Identifier: Apache-2.0
#pragma once
// Generic analysis of a loop-nest Mapping (see mapping.hpp) on any accelerator whose memory
// levels form a chain (outermost first; an operand skips levels that do not hold it). For every
// level and operand it counts elements moved, from the footprints of the tiles and from which
// loops force a tile to be refetched:
//  - the tile an operand occupies at level l is its footprint over every loop at l and below
//    (input rows and columns span (P−1)·stride + (R−1)·dilation + 1);
//  - a tile is refetched whenever a loop outside it that indexes the operand advances; loops
//    that do not index the operand and sit inside the innermost one that does leave it in place
//    (stationarity). Sliding-window overlap between consecutive input tiles is not reused;
//  - below the innermost level, data for the PE array is read once per distinct element across
//    the array (multicast to PEs that share it) and partial sums of PEs that differ only in
//    reduction dimensions are added inside the array (spatial reduction); an operand the PEs
//    do not keep (Mapping::pe_keeps) is delivered again at every step;
//  - outputs move as partial sums until their last reduction step: a tile drained to the parent
//    and needed again is read back.
// Compute takes one step per temporal iteration (one MAC per active PE; a PE that does k MACs
// per cycle, dataflow/precision.hpp, runs its own innermost loops k iterations per cycle); a
// level whose traffic outlasts the compute at its bandwidth sets the cycle count instead. Closed
// forms over at most ~80 loops; no allocation.
#include <array>
#include <cstdint>
#include <functional>
#include <string_view>

#include "arch/accelerator.hpp"
#include "arch/access_counts.hpp"
#include "dataflow/capacity.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "dataflow/spatial_micro.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

struct NestOptions {
  bool check_capacity = true;
  Buffering buffering = Buffering::single;  // how much of each buffer tiles may use (capacity.hpp)
  // Inputs above the PE array held in a denser form than the view the nest iterates: a
  // systolic array's GEMM view iterates im2col rows, while buffers and DRAM hold the raw
  // ifmap. Scales ifmap tiles and traffic between memory levels (not the array's reads).
  double ifmap_storage_scale = 1.0;
  // MACs a PE completes per cycle: the PE's own loops (Mapping::pe) take ceil(iterations / k)
  // cycles per tile.
  int macs_per_pe_cycle = 1;
  // Exact instead of scaled: for a GEMM view (P = output pixels, C = taps), the raw ifmap
  // elements summed over the tiles of (pixels, taps) that cover one group
  // (dataflow/im2col_footprint.hpp). Slower; used for a layer's final evaluation.
  std::function<std::int64_t(std::int64_t pixels, std::int64_t taps)> ifmap_tile_sum;
  // Count the DRAM transfers no prefetch hides (NestCounts::exposed_*). A systolic evaluation
  // times its DRAM itself (systolic_dram.hpp) and skips them.
  bool count_exposed = true;
};

struct NestCounts {
  bool valid = true;
  std::string_view invalid_reason;  // static text naming the violated constraint
  int invalid_level = -1;           // level whose capacity is exceeded, if any
  std::int64_t compute_steps = 0;   // cycles of the whole nest's temporal iterations, all groups
  std::int64_t pes_used = 0;        // PEs the spatial loops occupy
  std::int64_t total_cycles = 0;
  std::int64_t pe_operand_accesses = 0;  // per operand: one register access per MAC step
  // Elements the PE array exchanges with the innermost level holding each operand: reads of
  // inputs; for outputs, partial sums written (reads back are these minus the outputs).
  std::array<std::int64_t, arch::kOperands> array_moves{};
  std::array<std::array<std::int64_t, arch::kOperands>, arch::kMaxLevels> tile_elems{};
  arch::AccessCounts access;
  // Per level: the share of its transfer time that waits for the buffers it fills.
  std::array<double, arch::kMaxLevels> fill_wait{};
  // DRAM bits no prefetch can hide: the first tile of every input at the levels DRAM feeds
  // (all PEs' distinct elements at once for a per-PE level), fetched before the first MAC, and
  // the last output tile, written back after the last.
  double exposed_input_bits = 0, exposed_output_bits = 0;
  // The array's passes, bus traffic and per-word costs (spatial_micro.hpp), and what they add.
  ArrayEvents events;
  ArrayOverheads overheads;
};

// Checks that the mapping has one entry per level, covers every dimension and fits the array
// (spatial products <= rows, cols). Returns a static reason, or an empty view if well formed.
std::string_view check_mapping_shape(const workloads::Layer& layer, const arch::Accelerator& acc,
                                     const Mapping& m);

// Counts for a well-formed mapping (check_mapping_shape first). `valid` is false when a tile
// does not fit its level (invalid_level names it); such a mapping is pruned before its traffic
// is counted, so its counts stay empty.
NestCounts analyze_nest(const workloads::Layer& layer, const arch::Accelerator& acc,
                        const Mapping& m, const ResolvedPrecision& p,
                        const NestOptions& options = {});

}  // namespace loom::dataflow
