// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which on-chip tile of each operand every fold of a systolic layer works on, from the layer's
// loop-nest mapping (of its GEMM view). The loops at an operand's buffer level and below form
// its tile; the loops above it walk the tiles, so a fold at GEMM offset x along a dimension d
// lies in tile x / u_d, u_d being the product of d's factors at that level and below. A buffer
// is refilled whenever the tile indices of the dimensions that index its operand change from
// one fold to the next (loops that do not index it leave it in place); an output tile left
// before its reduction is over is written back as partial sums and read back when revisited.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "dataflow/systolic_folds.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// A box of one group's GEMM: pixels [px0, px0 + px) by taps [k0, k0 + k) by filters [m0, m0 + m);
// an operand's tile spans the dimensions that index it (ifmap: px, k; filter: k, m; ofmap:
// px, m), the others are left at their full extent.
struct GemmBox {
  std::int64_t group = 0;
  std::int64_t px0 = 0, px = 0, k0 = 0, k = 0, m0 = 0, m = 0;
};

struct TileVisit {
  GemmBox box;
  std::size_t first_fold = 0, last_fold = 0;
  bool revisit = false;     // outputs: this tile's partial sums were written back before
  bool final_visit = true;  // outputs: the reduction ends in this visit
};

struct TilePlan {
  // Per operand (ifmap, filter, ofmap): the buffer level, its visits in order, and for every
  // fold the visit it uses.
  std::array<int, arch::kOperands> level{};
  std::array<std::vector<TileVisit>, arch::kOperands> visits;
  std::array<std::vector<std::size_t>, arch::kOperands> visit_of_fold;
  // Operands whose tensor is already on chip (a fused group's intermediate tile, weights kept
  // across its tiles): their input tiles are copied from it, not fetched from DRAM, and final
  // outputs are left in it, not written back (partial sums still spill). Default: none.
  std::array<bool, arch::kOperands> on_chip{};
};

// The GEMM box of a fold (array coordinates mapped back to pixels, taps, filters).
[[nodiscard]] GemmBox box_of_fold(const Fold& f, arch::Dataflow df);

// The on-chip buffer of each operand (ifmap, filter, ofmap) a tile plan uses, or nullopt with
// a reason if an operand is not held by exactly one shared SRAM level below DRAM.
[[nodiscard]] std::optional<std::array<int, arch::kOperands>> tile_buffers(
    const arch::Accelerator& acc, std::string* why = nullptr);

// `folds` are the layer's folds for all groups in issue order (layer_folds).
// Throws loom::Error if an operand is not held by exactly one on-chip buffer below DRAM.
TilePlan plan_tiles(const workloads::Layer& layer, const arch::Accelerator& acc,
                    const dataflow::Mapping& m, const std::vector<Fold>& folds);

// What a double-buffered controller moves between DRAM and the buffers for a plan, in
// elements: every input visit fetches its tile (ifmap: the distinct raw elements its im2col
// entries read, padding never stored), every output visit but the first of its tile reads its
// partial sums back, and every output visit ends with a write-back (partial sums, or final
// outputs after the tile's last one). Exact where a loop nest's closed form is not: at the edge
// of a dimension that loops over-cover, the empty iterations issue no folds, so a tile can stay
// on chip across an outer loop that the nest analysis counts as refetching it.
struct TileTransfers {
  std::int64_t ifmap_reads = 0, filter_reads = 0;
  std::int64_t psum_reads = 0, psum_writes = 0, final_writes = 0;
};
[[nodiscard]] TileTransfers tile_transfers(const workloads::Layer& layer, const TilePlan& plan);

// Array-side traffic at the buffers (LayerCounts' sram_* columns), in elements.
struct ArraySideTraffic {
  std::int64_t ifmap_reads = 0, filter_reads = 0, ofmap_writes = 0, ofmap_reads = 0;
};

// A systolic layer's accesses per level and operand, from its buffers' DRAM transfers and its
// array-side traffic: final outputs at output width, partial sums at partial-sum width. The
// closed form (systolic.hpp), the analytical final evaluation and the simulator all book their
// counts through this. `buffers`: each operand's on-chip buffer level.
[[nodiscard]] arch::AccessCounts systolic_access(const arch::Accelerator& acc,
                                                 const ResolvedPrecision& p,
                                                 const std::array<int, arch::kOperands>& buffers,
                                                 const TileTransfers& t,
                                                 const ArraySideTraffic& array,
                                                 std::int64_t outputs);
[[nodiscard]] inline arch::AccessCounts systolic_access(
    const arch::Accelerator& acc, const ResolvedPrecision& p, const TilePlan& plan,
    const TileTransfers& t, const ArraySideTraffic& array, std::int64_t outputs) {
  return systolic_access(acc, p, plan.level, t, array, outputs);
}

}  // namespace loom::dataflow
