// SPDX-License-Identifier: Apache-2.0
#include "dataflow/nest_tiles.hpp"

#include <algorithm>

namespace loom::dataflow {
namespace {

using arch::Operand;
constexpr int kMaxLoops = Nest::kMaxLoops;

}  // namespace

// Elements of operand `o` touched by the loops from index `from` inward.
std::int64_t footprint(const Nest& n, int from, Operand o, const workloads::LayerShape& s,
                       const DimFactors& bounds) {
  DimFactors e = kUnitFactors;
  for (int i = from; i < n.count; ++i) e[static_cast<int>(n.loops[i].dim)] *= n.loops[i].bound;
  for (int d = 0; d < kDims; ++d) e[d] = std::min(e[d], bounds[d]);
  const auto at = [&](Dim d) { return e[static_cast<int>(d)]; };
  switch (o) {
    case Operand::filter:
      return at(Dim::M) * at(Dim::C) * at(Dim::R) * at(Dim::S);
    case Operand::ofmap:
      return at(Dim::N) * at(Dim::M) * at(Dim::P) * at(Dim::Q);
    case Operand::ifmap: {
      const std::int64_t h =
          std::min(s.H, (at(Dim::P) - 1) * s.stride_h + (at(Dim::R) - 1) * s.dilation_h + 1);
      const std::int64_t w =
          std::min(s.W, (at(Dim::Q) - 1) * s.stride_w + (at(Dim::S) - 1) * s.dilation_w + 1);
      return at(Dim::N) * at(Dim::C) * h * w;
    }
  }
  return 0;
}

namespace {

// Where the nest's loops sit relative to the tile `q` describes: inside it, left out (the
// spatial loops, for one PE's tile) or outside it. `last` is the innermost outside loop that
// brings the tile in again, `slide` the one a sliding window absorbs (-1: none).
struct TileLoops {
  const Nest& n;
  const TileQuery& q;
  int last = -1, slide = -1;

  [[nodiscard]] bool skipped(int i) const {
    return q.per_pe && i >= n.spatial_start && i < n.spatial_end;
  }
  [[nodiscard]] bool inside(int i) const {
    return (i >= q.loops.begin && i < q.loops.end) || (i >= q.also.begin && i < q.also.end);
  }
  // Counted as part of the tile: its own loops and the loop its window slides along.
  [[nodiscard]] bool in_tile(int i) const { return inside(i) || i == slide; }
};

TileLoops place_tile(const Nest& n, Operand o, const TileQuery& q) {
  const auto& rel = kIndexes[static_cast<int>(o)];
  TileLoops t{n, q};
  for (int i = 0; i < n.count; ++i)
    if (!t.inside(i) && !t.skipped(i) && (q.stream || rel[static_cast<int>(n.loops[i].dim)]))
      t.last = i;
  // The window slides only along an axis the array does not spread over PEs: with output
  // rows (P) or filter rows (R) unrolled, the overlapping input rows of the next step sit in
  // other PEs, and no PE-to-PE path carries inputs. Likewise Q and S for columns.
  const int last = t.last;
  if (q.sliding && o == Operand::ifmap && !q.stream && last >= 0 &&
      (n.loops[last].dim == Dim::P || n.loops[last].dim == Dim::Q)) {
    const Dim window = n.loops[last].dim == Dim::P ? Dim::R : Dim::S;
    bool spread = false;
    for (int i = n.spatial_start; i < n.spatial_end; ++i)
      spread = spread || n.loops[i].dim == n.loops[last].dim || n.loops[i].dim == window;
    if (!spread) t.slide = last;
  }
  return t;
}

// Per dimension, the product of the loops in the tile (inner), of those outside it that index
// the operand and refetch it (outer), of those outside it that do not index it but sit outside
// a refetching one (rep: they repeat the tile), and of all loops.
struct TileExtents {
  DimFactors inner = kUnitFactors, outer = kUnitFactors, rep = kUnitFactors, all = kUnitFactors;
};

TileExtents tile_extents(const TileLoops& t, const std::array<bool, kDims>& rel) {
  TileExtents e;
  const Nest& n = t.n;
  for (int i = 0; i < n.count; ++i) {
    const auto d = static_cast<int>(n.loops[i].dim);
    e.all[d] *= n.loops[i].bound;
    if (t.skipped(i)) continue;
    if (t.in_tile(i))
      e.inner[d] *= n.loops[i].bound;
    else if (i <= t.last && rel[d])
      e.outer[d] *= n.loops[i].bound;
    else if (i <= t.last)
      e.rep[d] *= n.loops[i].bound;
  }
  return e;
}

// The iterations of dimension d's repeating loops (those outside the tile that do not index
// the operand) that have work: a combination has work if its smallest coordinate, every other
// loop of d at 0, is inside the bound. Enumerated (few combinations); the closed form
// ceil(bound / inner extent) holds only when the repeating loops are d's outermost.
std::int64_t repeats_with_work(const TileLoops& t, int d, std::int64_t bound, std::int64_t rep,
                               const std::array<bool, kDims>& rel) {
  const Nest& n = t.n;
  std::array<std::int64_t, kMaxLoops> stride{}, size{};
  int k = 0;
  std::int64_t below = 1;  // product of d's loops inside the one being visited
  bool outermost = true;   // the repeating loops are d's outermost ones
  for (int i = n.count - 1; i >= 0; --i) {
    if (static_cast<int>(n.loops[i].dim) != d) continue;
    const bool repeating =
        !t.skipped(i) && !t.in_tile(i) && i <= t.last && !rel[static_cast<std::size_t>(d)];
    if (repeating) {
      stride[k] = below;
      size[k] = n.loops[i].bound;
      ++k;
    } else if (k > 0) {
      outermost = false;
    }
    below *= n.loops[i].bound;
  }
  const std::int64_t rest = below / rep;  // extent of d's other loops
  if (outermost || rep > 4096) return std::min(rep, (bound + rest - 1) / rest);
  std::int64_t count = 0;
  std::array<std::int64_t, kMaxLoops> idx{};
  while (true) {
    std::int64_t coord = 0;
    for (int j = 0; j < k; ++j) coord += idx[j] * stride[j];
    if (coord < bound) ++count;
    int j = 0;
    while (j < k && ++idx[j] == size[j]) idx[j++] = 0;
    if (j == k) break;
  }
  return count;
}

// Loops that do not index the operand repeat its tile once per iteration that has work:
// where loops over-cover a dimension, the iterations past its bound are empty and issue
// nothing.
std::int64_t tile_repeats(const TileLoops& t, const TileExtents& e, const DimFactors& bounds,
                          const std::array<bool, kDims>& rel) {
  std::int64_t repeats = 1;
  for (int d = 0; d < kDims; ++d) {
    if (e.rep[d] == 1) continue;
    if (e.all[d] <= bounds[d]) {  // no iteration is empty
      repeats *= e.rep[d];
      continue;
    }
    repeats *= repeats_with_work(t, d, bounds[d], e.rep[d], rel);
  }
  return repeats;
}

// How far apart a tile's positions along `dim` lie: more than one when loops outside the tile
// are less significant than loops inside it (per-PE loops below the array's spatial ones).
std::int64_t position_gap(const TileLoops& t, Dim dim) {
  std::int64_t g = 1;
  bool seen_inside = false;
  for (int i = 0; i < t.n.count; ++i) {
    if (t.n.loops[i].dim != dim || t.skipped(i)) continue;
    if (t.in_tile(i))
      seen_inside = true;
    else if (seen_inside)
      g *= t.n.loops[i].bound;
  }
  return g;
}

// Input rows (or columns) moved along one spatial axis: pq_total output positions in pq_tiles
// tiles, each with a window of rs_ext filter taps, rs_tiles times. `pad` and the output size
// `out` locate the image's edges: zero padding is generated, never moved, so a sweep over the
// whole axis with whole windows (all `taps`) drops the rows its edge tiles hang past the image
// (only where windows overlap, stride <= window, so the rows form one run). A tile's positions
// lie `gap` apart (position_gap).
struct AxisSpan {
  std::int64_t pq_total = 0, pq_tiles = 0, rs_ext = 0, rs_tiles = 0, rs_total = 0;
  std::int64_t stride = 1, dilation = 1, in = 0, pad = 0, out = 0, taps = 0, gap = 1;
};

std::int64_t input_span(AxisSpan a) {
  // Loops that over-cover a dimension have empty last iterations: at most one tile per
  // row or filter row is non-empty.
  a.pq_tiles = std::min(a.pq_tiles, a.pq_total);
  a.rs_tiles = std::min(a.rs_tiles, a.rs_total);
  // Consecutive positions overlap only when the stride is below the window; the rows
  // needed never exceed one window per position.
  const std::int64_t window = (a.rs_ext - 1) * a.dilation + 1;
  std::int64_t per_rs = std::min((a.pq_total - a.pq_tiles) * a.gap * a.stride + a.pq_tiles * window,
                                 a.pq_total * window);
  if (a.pq_total == a.out && a.rs_ext == a.taps && a.gap * a.stride <= window) {
    const std::int64_t top = std::min(a.pad, window);
    const std::int64_t bottom =
        std::clamp((a.out - 1) * a.stride - a.pad + window - a.in, std::int64_t{0}, window);
    per_rs = std::max<std::int64_t>(a.pq_tiles, per_rs - top - bottom);
  }
  return std::min(per_rs * a.rs_tiles, a.pq_tiles * a.rs_tiles * a.in);
}

}  // namespace

std::int64_t moves(const Nest& n, Operand o, const workloads::LayerShape& s,
                   const DimFactors& bounds, const TileQuery& q) {
  const auto& rel = kIndexes[static_cast<int>(o)];
  const TileLoops t = place_tile(n, o, q);
  const TileExtents e = tile_extents(t, rel);
  const std::int64_t repeats = tile_repeats(t, e, bounds, rel);
  const auto covered = [&](Dim dim) {
    const auto d = static_cast<int>(dim);
    return std::min(e.outer[d] * e.inner[d], bounds[d]);
  };
  switch (o) {
    case Operand::filter:
      return repeats * covered(Dim::M) * covered(Dim::C) * covered(Dim::R) * covered(Dim::S);
    case Operand::ofmap:
      return repeats * covered(Dim::N) * covered(Dim::M) * covered(Dim::P) * covered(Dim::Q);
    case Operand::ifmap: {
      // Rows summed over the tiles: each P tile of p rows with an R window spans
      // (p − 1)·stride + (r − 1)·dilation + 1 input rows, clipped to the input.
      // The layer gives each axis's geometry; the loops give its tiles.
      const auto axis = [&](Dim pq, Dim rs, AxisSpan a) {
        const auto i = static_cast<int>(pq), j = static_cast<int>(rs);
        a.pq_total = covered(pq);
        a.pq_tiles = e.outer[i];
        a.rs_ext = std::min(e.inner[j], bounds[j]);
        a.rs_tiles = e.outer[j];
        a.rs_total = covered(rs);
        a.out = bounds[i];
        a.gap = position_gap(t, pq);
        return input_span(a);
      };
      const std::int64_t h = axis(
          Dim::P, Dim::R,
          {.stride = s.stride_h, .dilation = s.dilation_h, .in = s.H, .pad = s.pad_h, .taps = s.R});
      const std::int64_t w = axis(
          Dim::Q, Dim::S,
          {.stride = s.stride_w, .dilation = s.dilation_w, .in = s.W, .pad = s.pad_w, .taps = s.S});
      return repeats * covered(Dim::N) * covered(Dim::C) * h * w;
    }
  }
  return 0;
}

}  // namespace loom::dataflow
