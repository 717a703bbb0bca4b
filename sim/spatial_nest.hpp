// SPDX-License-Identifier: Apache-2.0
#pragma once
// The loop nest of a dataflow::Mapping as the spatial-array simulator walks it, in the order
// the nest analysis reads it (dataflow/nest_tiles.hpp, build_nest): the shared levels'
// loops, outermost level first and each in its `order`; then the spatial loops (rows, then
// columns, each in N M C P Q R S order), placed just above the first per-PE level; then the
// per-PE levels' loops; then the PE's own loops. Loops of bound 1 are left out.
// A dimension's index is Σ over its loops of (loop index × `stride`), where a loop's stride is
// the product of the bounds of the same dimension's loops inside it. Plain values.
#include <cstdint>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"
#include "workloads/layer.hpp"

namespace loom::sim {

inline constexpr int kSpatialLoop = -1;  // NestLoop::level of a spatial loop
inline constexpr int kPeLoop = -2;       // NestLoop::level of a loop inside the PE

struct NestLoop {
  dataflow::Dim dim = dataflow::Dim::N;
  std::int64_t bound = 1;
  int level = kPeLoop;  // memory level index, kSpatialLoop or kPeLoop
  std::int64_t stride = 1;
};

struct SpatialNest {
  std::vector<NestLoop> loops;   // outermost first
  std::vector<int> level_start;  // per memory level: position of its first loop
  int spatial_start = 0;
  int spatial_end = 0;
};

[[nodiscard]] SpatialNest spatial_nest(const dataflow::Mapping& m, const arch::Accelerator& acc);

using Coord = dataflow::DimFactors;  // (n, m, c, p, q, r, s) within one group

[[nodiscard]] inline bool inside(const Coord& c, const dataflow::DimFactors& bounds) {
  for (int d = 0; d < dataflow::kDims; ++d)
    if (c[d] >= bounds[d]) return false;
  return true;
}

// Group-local index of the element of `o` the MAC at `c` uses (ifmap: N × C/g × H × W,
// unpadded; filter: M/g × C/g × R × S; ofmap: N × M/g × P × Q), or −1 for a padding tap.
[[nodiscard]] std::int64_t operand_key(arch::Operand o, const Coord& c,
                                       const workloads::LayerShape& s);

// The elements of `o` (sorted, distinct) used by the MACs at base + every iteration of the
// loops from position `from` inward; coordinates past a bound do no MAC and add nothing.
void tile_elements(const SpatialNest& n, int from, const Coord& base, arch::Operand o,
                   const workloads::LayerShape& s, const dataflow::DimFactors& bounds,
                   std::vector<std::int64_t>& out);

}  // namespace loom::sim
