// SPDX-License-Identifier: Apache-2.0
#pragma once
// The loop nest of a Mapping as the nest analysis reads it (nest_analysis.hpp) and the two
// quantities it is built from: the footprint of a tile and the elements moved into a tile over
// the whole nest. Internal to the analysis (and mirrored by sim/spatial_nest.hpp); plain values,
// closed forms over at most Nest::kMaxLoops loops, no allocation.
#include <algorithm>
#include <array>
#include <cstdint>

#include "arch/accelerator.hpp"
#include "arch/access_counts.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// Which dimensions index each operand (ifmap rows and columns depend on P with R and Q with S).
// Each dimension leaves exactly one operand unindexed: M the ifmap, N P Q the filter, C R S the
// ofmap.
inline constexpr std::array<std::array<bool, kDims>, arch::kOperands> kIndexes{{
    {true, false, true, true, true, true, true},    // ifmap: N, C, P, Q, R, S
    {false, true, true, false, false, true, true},  // filter: M, C, R, S
    {true, true, false, true, true, false, false},  // ofmap: N, M, P, Q
}};

// Every loop of the mapping with a bound above 1, outermost first: the shared levels' loops
// (each level in its `order`), the spatial loops (rows, then columns, N M C P Q R S order)
// just above the first per-PE level, the per-PE levels' loops, then the PE's own loops.
struct Nest {
  static constexpr int kMaxLoops = arch::kMaxLevels * kDims + 3 * kDims;
  static constexpr int kSpatial = -1;  // Loop::level of a spatial loop
  static constexpr int kPe = -2;       // Loop::level of a loop inside the PE
  struct Loop {
    Dim dim;
    std::int64_t bound;
    int level;  // memory level index, kSpatial or kPe
  };

  std::array<Loop, kMaxLoops> loops{};
  int count = 0;
  std::array<int, arch::kMaxLevels + 1> level_start{};
  int spatial_start = 0;
  int spatial_end = 0;  // per-PE levels' loops, then the PE's own loops, follow
  int pe_start = 0;

  void push(Dim d, std::int64_t bound, int level) {
    if (bound > 1) loops[count++] = Loop{d, bound, level};
  }
};

// Inline: built once per mapping the search prices; out of line it costs 1.7% of a spatial
// evaluation's instructions (callgrind, Eyeriss, AlexNet CONV2).
[[nodiscard]] inline Nest build_nest(const Mapping& m, const arch::Accelerator& acc) {
  Nest n;
  bool spatial_done = false;
  const auto push_spatial = [&] {
    n.spatial_start = n.count;
    for (int d = 0; d < kDims; ++d) n.push(static_cast<Dim>(d), m.spatial_rows[d], Nest::kSpatial);
    for (int d = 0; d < kDims; ++d) n.push(static_cast<Dim>(d), m.spatial_cols[d], Nest::kSpatial);
    n.spatial_end = n.count;
    spatial_done = true;
  };
  for (std::size_t l = 0; l < m.levels.size(); ++l) {
    if (acc.levels[l].per_pe && !spatial_done) push_spatial();
    n.level_start[l] = n.count;
    for (Dim d : m.levels[l].order)
      n.push(d, m.levels[l].factors[static_cast<int>(d)], static_cast<int>(l));
  }
  if (!spatial_done) push_spatial();
  n.pe_start = n.count;
  for (Dim d : m.pe.order) n.push(d, m.pe.factors[static_cast<int>(d)], Nest::kPe);
  return n;
}

// Elements of operand `o` touched by the loops from index `from` inward.
[[nodiscard]] std::int64_t footprint(const Nest& n, int from, arch::Operand o,
                                     const workloads::LayerShape& s, const DimFactors& bounds);

// Loops [begin, end) of a Nest.
struct LoopRange {
  int begin = 0, end = 0;
};

// Which tile `moves` counts, and how its operand behaves there.
struct TileQuery {
  LoopRange loops;  // the loops forming the tile
  // A second range of loops counted as part of the tile: the spatial loops, when counting what
  // the shared side sends to a per-PE level (its tile across the array, refetched whenever that
  // level refetches).
  LoopRange also{};
  // The tile is not kept between steps (a systolic array's streamed operands): every outer
  // loop brings it in again.
  bool stream = false;
  // The tile is one PE's (a per-PE level): the spatial loops are left out and the caller
  // multiplies by the PEs.
  bool per_pe = false;
  // An ifmap tile kept in a shift register: a refetch along output rows or columns brings in
  // only the new input rows or columns, so the innermost refetching loop, if it walks P or Q,
  // counts as part of the tile for the input span.
  bool sliding = false;
};

// Elements of `o` moved into (or, for outputs, out of) the tile `q` describes, over the whole
// nest: the tile is brought in again each time a loop outside it that indexes `o` advances;
// loops outside it that do not index `o` multiply only if some indexing loop sits inside them.
// Partial last tiles are counted exactly (the tiles along a dimension sum to its size), except
// where an input window is clipped at the tensor's edge.
[[nodiscard]] std::int64_t moves(const Nest& n, arch::Operand o, const workloads::LayerShape& s,
                                 const DimFactors& bounds, const TileQuery& q);

// One link between an outer and an inner side: inputs leave the outer side `at_outer` times
// (once per element when multicast) and arrive `at_inner` times (once per holder); outputs
// drain `at_inner` partial sums that arrive reduced as `at_outer`, and all but the first visit
// of each of the `total` outputs are read back. Finished values move at output precision, the
// rest as partial sums. Shared by the nest analysis and the exact search's bounds, which must
// count a link alike.
inline void count_link(arch::Operand o, std::int64_t total, int bits, const ResolvedPrecision& p,
                       arch::AccessCell& outer, arch::AccessCell& inner, std::int64_t at_outer,
                       std::int64_t at_inner) {
  if (o != arch::Operand::ofmap) {
    outer.read(at_outer, bits);
    inner.write(at_inner, bits);
    return;
  }
  inner.read(std::min(at_inner, total), p.output_bits);
  inner.read(std::max<std::int64_t>(0, at_inner - total), p.psum_bits);
  outer.write(std::min(at_outer, total), p.output_bits);
  outer.write(std::max<std::int64_t>(0, at_outer - total), p.psum_bits);
  // Read back: every visit of an output after its first, as a partial sum (a negative
  // remainder, which no nest produces, is kept as the model always counted it).
  const std::int64_t back = at_outer - total;
  const std::int64_t partial = std::max<std::int64_t>(0, back);
  outer.read(back - partial, p.output_bits);
  outer.read(partial, p.psum_bits);
  inner.write(back - partial, p.output_bits);
  inner.write(partial, p.psum_bits);
}

}  // namespace loom::dataflow
