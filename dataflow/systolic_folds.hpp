// SPDX-License-Identifier: Apache-2.0
#pragma once
// The folds a systolic array runs for a layer under a loop-nest mapping of its GEMM view
// (dataflow/systolic_mapping.hpp), in issue order: the loops above the array walk the tiles of
// the array's row, column and time dimensions; empty iterations (loops that over-cover a
// dimension) issue nothing. Shared by the cycle-level simulator, which runs them, and the
// analytical pipeline timing, which schedules them.
#include <cstdint>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// One fold in the array's own coordinates: which slice of the GEMM its rows, columns and time
// steps cover (os: rows over Mpx, columns over M, time over K; ws: rows over K, columns over M,
// time over Mpx; is: rows over K, columns over Mpx, time over M).
struct Fold {
  std::int64_t group = 0;  // which of the GEMM's groups (grouped convolutions run one per group)
  std::int64_t row0 = 0, rows = 0;
  std::int64_t col0 = 0, cols = 0;
  std::int64_t t0 = 0, steps = 0;
  // Set when the rows' or columns' tile changed since the previous fold even if this fold's
  // tile equals it (empty iterations skipped in between): the PEs then reload (ws, is) or
  // drain (os) instead of keeping the tile.
  bool new_tile = false;
};

// Whether fold `f`, issued right after `prev`, keeps `prev`'s tile in the PEs: same group, rows
// and columns, and not new_tile; os keeps accumulating its outputs only while K advances, ws
// and is keep their stationary tile whatever runs in time.
[[nodiscard]] bool keeps_tile(const Fold& prev, const Fold& f, bool outputs_stay);

// The folds `m` (a mapping of gemm_view(layer)) issues for one group, in order, in the array's
// coordinates. Throws loom::Error if the mapping places anything but the dataflow's row and
// column dimensions on the array, or PE loops on anything but its time dimension.
[[nodiscard]] std::vector<Fold> folds_of_mapping(const workloads::Layer& layer, const arch::Accelerator& acc,
                                   const dataflow::Mapping& m);

// Every group's folds, groups one after another (grouped convolutions run one group at a time).
[[nodiscard]] std::vector<Fold> layer_folds(const workloads::Layer& layer,
                                            const arch::Accelerator& acc, const Mapping& m);

}  // namespace loom::dataflow
