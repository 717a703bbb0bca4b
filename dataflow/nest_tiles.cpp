// SPDX-License-Identifier: Apache-2.0
#include "dataflow/nest_tiles.hpp"

#include <algorithm>

namespace loom::dataflow {
namespace {

using arch::Operand;
constexpr int kMaxLoops = Nest::kMaxLoops;

// Which dimensions index each operand (ifmap rows and columns depend on P with R and Q with S).
constexpr std::array<std::array<bool, kDims>, arch::kOperands> kRelevant{{
    {true, false, true, true, true, true, true},    // ifmap: N, C, P, Q, R, S
    {false, true, true, false, false, true, true},  // filter: M, C, R, S
    {true, true, false, true, true, false, false},  // ofmap: N, M, P, Q
}};

}  // namespace

Nest build_nest(const Mapping& m, const arch::Accelerator& acc) {
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

// The iterations of dimension d's repeating loops (those outside the tile that do not index
// the operand) that have work: a combination has work if its smallest coordinate, every other
// loop of d at 0, is inside the bound. Enumerated (few combinations); the closed form
// ceil(bound / inner extent) holds only when the repeating loops are d's outermost.
template <class Inside, class Skipped>
std::int64_t repeats_with_work(const Nest& n, int d, std::int64_t bound, std::int64_t rep, int last,
                               int slide, const Inside& inside, const Skipped& skipped,
                               const std::array<bool, kDims>& rel) {
  std::array<std::int64_t, kMaxLoops> stride{}, size{};
  int k = 0;
  std::int64_t below = 1;  // product of d's loops inside the one being visited
  bool outermost = true;   // the repeating loops are d's outermost ones
  for (int i = n.count - 1; i >= 0; --i) {
    if (static_cast<int>(n.loops[i].dim) != d) continue;
    const bool repeating =
        !skipped(i) && !inside(i) && i != slide && i <= last && !rel[static_cast<std::size_t>(d)];
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

}  // namespace

std::int64_t moves(const Nest& n, Operand o, const workloads::LayerShape& s,
                   const DimFactors& bounds, const TileQuery& q) {
  const auto& rel = kRelevant[static_cast<int>(o)];
  const bool stream = q.stream;
  const auto skipped = [&](int i) { return q.per_pe && i >= n.spatial_start && i < n.spatial_end; };
  const auto inside = [&](int i) {
    return (i >= q.loops.begin && i < q.loops.end) || (i >= q.also.begin && i < q.also.end);
  };
  int last = -1;
  for (int i = 0; i < n.count; ++i)
    if (!inside(i) && !skipped(i) && (stream || rel[static_cast<int>(n.loops[i].dim)])) last = i;
  // The window slides only along an axis the array does not spread over PEs: with output
  // rows (P) or filter rows (R) unrolled, the overlapping input rows of the next step sit in
  // other PEs, and no PE-to-PE path carries inputs. Likewise Q and S for columns.
  int slide = -1;
  if (q.sliding && o == Operand::ifmap && !stream && last >= 0 &&
      (n.loops[last].dim == Dim::P || n.loops[last].dim == Dim::Q)) {
    const Dim window = n.loops[last].dim == Dim::P ? Dim::R : Dim::S;
    bool spread = false;
    for (int i = n.spatial_start; i < n.spatial_end; ++i)
      spread = spread || n.loops[i].dim == n.loops[last].dim || n.loops[i].dim == window;
    if (!spread) slide = last;
  }
  DimFactors inner = kUnitFactors, outer = kUnitFactors, rep = kUnitFactors, all = kUnitFactors;
  for (int i = 0; i < n.count; ++i) {
    const auto d = static_cast<int>(n.loops[i].dim);
    all[d] *= n.loops[i].bound;
    if (skipped(i)) continue;
    if (inside(i) || i == slide)
      inner[d] *= n.loops[i].bound;
    else if (i <= last && rel[d])
      outer[d] *= n.loops[i].bound;
    else if (i <= last)
      rep[d] *= n.loops[i].bound;
  }
  // Loops that do not index the operand repeat its tile once per iteration that has work:
  // where loops over-cover a dimension, the iterations past its bound are empty and issue
  // nothing.
  std::int64_t repeats = 1;
  for (int d = 0; d < kDims; ++d) {
    if (rep[d] == 1) continue;
    if (all[d] <= bounds[d]) {  // no iteration is empty
      repeats *= rep[d];
      continue;
    }
    repeats *= repeats_with_work(n, d, bounds[d], rep[d], last, slide, inside, skipped, rel);
  }
  const auto covered = [&](Dim dim) {
    const auto d = static_cast<int>(dim);
    return std::min(outer[d] * inner[d], bounds[d]);
  };
  const auto ext = [&](Dim dim) {
    const auto d = static_cast<int>(dim);
    return std::min(inner[d], bounds[d]);
  };
  const auto at = [&](Dim dim) { return outer[static_cast<int>(dim)]; };
  const auto gap_of = [&](Dim dim) {
    std::int64_t g = 1;
    bool seen_inside = false;
    for (int i = 0; i < n.count; ++i) {
      if (n.loops[i].dim != dim || skipped(i)) continue;
      if (inside(i) || i == slide)
        seen_inside = true;
      else if (seen_inside)
        g *= n.loops[i].bound;
    }
    return g;
  };
  switch (o) {
    case Operand::filter:
      return repeats * covered(Dim::M) * covered(Dim::C) * covered(Dim::R) * covered(Dim::S);
    case Operand::ofmap:
      return repeats * covered(Dim::N) * covered(Dim::M) * covered(Dim::P) * covered(Dim::Q);
    case Operand::ifmap: {
      // Rows summed over the tiles: each P tile of p rows with an R window spans
      // (p − 1)·stride + (r − 1)·dilation + 1 input rows, clipped to the input.
      // Rows (or columns) moved along one spatial axis: pq_total output positions in pq_tiles
      // tiles, each with a window of rs_ext filter taps, rs_tiles times. `pad` and the output
      // size `out` locate the image's edges: zero padding is generated, never moved, so a sweep
      // over the whole axis with whole windows (all `taps`) drops the rows its edge tiles hang
      // past the image (only where windows overlap, stride <= window, so the rows form one run).
      // `gap`: a tile's positions lie `gap` apart when loops outside the tile are less
      // significant than loops inside it (per-PE loops below the array's spatial ones).
      const auto span = [](std::int64_t pq_total, std::int64_t pq_tiles, std::int64_t rs_ext,
                           std::int64_t rs_tiles, std::int64_t rs_total, std::int64_t stride,
                           std::int64_t dil, std::int64_t in, std::int64_t pad, std::int64_t out,
                           std::int64_t taps, std::int64_t gap) {
        // Loops that over-cover a dimension have empty last iterations: at most one tile per
        // row or filter row is non-empty.
        pq_tiles = std::min(pq_tiles, pq_total);
        rs_tiles = std::min(rs_tiles, rs_total);
        // Consecutive positions overlap only when the stride is below the window; the rows
        // needed never exceed one window per position.
        const std::int64_t window = (rs_ext - 1) * dil + 1;
        std::int64_t per_rs =
            std::min((pq_total - pq_tiles) * gap * stride + pq_tiles * window, pq_total * window);
        if (pq_total == out && rs_ext == taps && gap * stride <= window) {
          const std::int64_t top = std::min(pad, window);
          const std::int64_t bottom =
              std::clamp((out - 1) * stride - pad + window - in, std::int64_t{0}, window);
          per_rs = std::max<std::int64_t>(pq_tiles, per_rs - top - bottom);
        }
        return std::min(per_rs * rs_tiles, pq_tiles * rs_tiles * in);
      };
      const std::int64_t h =
          span(covered(Dim::P), at(Dim::P), ext(Dim::R), at(Dim::R), covered(Dim::R), s.stride_h,
               s.dilation_h, s.H, s.pad_h, bounds[static_cast<int>(Dim::P)], s.R, gap_of(Dim::P));
      const std::int64_t w =
          span(covered(Dim::Q), at(Dim::Q), ext(Dim::S), at(Dim::S), covered(Dim::S), s.stride_w,
               s.dilation_w, s.W, s.pad_w, bounds[static_cast<int>(Dim::Q)], s.S, gap_of(Dim::Q));
      return repeats * covered(Dim::N) * covered(Dim::C) * h * w;
    }
  }
  return 0;
}

}  // namespace loom::dataflow
