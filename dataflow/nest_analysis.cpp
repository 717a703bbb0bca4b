// SPDX-License-Identifier: Apache-2.0
#include "dataflow/nest_analysis.hpp"

#include <algorithm>

#include "dataflow/layer_timing.hpp"
#include "dataflow/precision.hpp"

namespace loom::dataflow {
namespace {

using arch::Operand;

constexpr int kMaxLoops = arch::kMaxLevels * kDims + 3 * kDims;
constexpr int kSpatial = -1;
constexpr int kPe = -2;

struct Loop {
  Dim dim;
  std::int64_t bound;
  int level;  // memory level index, kSpatial or kPe
};

// Which dimensions index each operand (ifmap rows and columns depend on P with R and Q with S).
constexpr std::array<std::array<bool, kDims>, arch::kOperands> kRelevant{{
    {true, false, true, true, true, true, true},    // ifmap: N, C, P, Q, R, S
    {false, true, true, false, false, true, true},  // filter: M, C, R, S
    {true, true, false, true, true, false, false},  // ofmap: N, M, P, Q
}};

struct Nest {
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

Nest build_nest(const Mapping& m, const arch::Accelerator& acc) {
  Nest n;
  bool spatial_done = false;
  const auto push_spatial = [&] {
    n.spatial_start = n.count;
    for (int d = 0; d < kDims; ++d) n.push(static_cast<Dim>(d), m.spatial_rows[d], kSpatial);
    for (int d = 0; d < kDims; ++d) n.push(static_cast<Dim>(d), m.spatial_cols[d], kSpatial);
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
  for (Dim d : m.pe.order) n.push(d, m.pe.factors[static_cast<int>(d)], kPe);
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
      const std::int64_t h = std::min(
          s.H, (at(Dim::P) - 1) * s.stride_h + (at(Dim::R) - 1) * s.dilation_h + 1);
      const std::int64_t w = std::min(
          s.W, (at(Dim::Q) - 1) * s.stride_w + (at(Dim::S) - 1) * s.dilation_w + 1);
      return at(Dim::N) * at(Dim::C) * h * w;
    }
  }
  return 0;
}

// Elements of `o` moved into (or, for outputs, out of) the tile formed by loops [begin, end),
// over the whole nest: the tile is brought in again each time a loop outside it that indexes
// `o` advances; loops outside it that do not index `o` multiply only if some indexing loop sits
// inside them. Partial last tiles are counted exactly (the tiles along a dimension sum to its
// size), except where an input window is clipped at the tensor's edge.
// With `stream` the tile is not kept between steps (a systolic array's streamed operands), so
// every outer loop brings it in again.
// With `per_pe` the tile is one PE's (a per-PE level): the spatial loops are left out and the
// caller multiplies by the PEs.
// With `sliding` (an ifmap tile kept in a shift register), a refetch along output rows or
// columns brings in only the new input rows or columns: the innermost refetching loop, if it
// walks P or Q, then counts as part of the tile for the input span.
// `also` adds a second range of loops to the tile: the spatial loops, when counting what the
// shared side sends to a per-PE level (its tile across the array, refetched whenever that
// level refetches).
struct Range {
  int begin = 0, end = 0;
};

// The iterations of dimension d's repeating loops (those outside the tile that do not index
// the operand) that have work: a combination has work if its smallest coordinate, every other
// loop of d at 0, is inside the bound. Enumerated (few combinations); the closed form
// ceil(bound / inner extent) holds only when the repeating loops are d's outermost.
template <class Inside, class Skipped>
std::int64_t repeats_with_work(const Nest& n, int d, std::int64_t bound, std::int64_t rep,
                               int last, int slide, const Inside& inside, const Skipped& skipped,
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

std::int64_t moves(const Nest& n, int begin, int end, Operand o, const workloads::LayerShape& s,
                   const DimFactors& bounds, bool stream = false, bool per_pe = false,
                   bool sliding = false, Range also = {}) {
  const auto& rel = kRelevant[static_cast<int>(o)];
  const auto skipped = [&](int i) {
    return per_pe && i >= n.spatial_start && i < n.spatial_end;
  };
  const auto inside = [&](int i) {
    return (i >= begin && i < end) || (i >= also.begin && i < also.end);
  };
  int last = -1;
  for (int i = 0; i < n.count; ++i)
    if (!inside(i) && !skipped(i) && (stream || rel[static_cast<int>(n.loops[i].dim)]))
      last = i;
  // The window slides only along an axis the array does not spread over PEs: with output
  // rows (P) or filter rows (R) unrolled, the overlapping input rows of the next step sit in
  // other PEs, and no PE-to-PE path carries inputs. Likewise Q and S for columns.
  int slide = -1;
  if (sliding && o == Operand::ifmap && !stream && last >= 0 &&
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
    if (inside(i) || i == slide) inner[d] *= n.loops[i].bound;
    else if (i <= last && rel[d]) outer[d] *= n.loops[i].bound;
    else if (i <= last) rep[d] *= n.loops[i].bound;
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
      if (inside(i) || i == slide) seen_inside = true;
      else if (seen_inside) g *= n.loops[i].bound;
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
                           std::int64_t dil, std::int64_t in, std::int64_t pad,
                           std::int64_t out, std::int64_t taps, std::int64_t gap) {
        // Loops that over-cover a dimension have empty last iterations: at most one tile per
        // row or filter row is non-empty.
        pq_tiles = std::min(pq_tiles, pq_total);
        rs_tiles = std::min(rs_tiles, rs_total);
        // Consecutive positions overlap only when the stride is below the window; the rows
        // needed never exceed one window per position.
        const std::int64_t window = (rs_ext - 1) * dil + 1;
        std::int64_t per_rs = std::min((pq_total - pq_tiles) * gap * stride + pq_tiles * window,
                                       pq_total * window);
        if (pq_total == out && rs_ext == taps && gap * stride <= window) {
          const std::int64_t top = std::min(pad, window);
          const std::int64_t bottom =
              std::clamp((out - 1) * stride - pad + window - in, std::int64_t{0}, window);
          per_rs = std::max<std::int64_t>(pq_tiles, per_rs - top - bottom);
        }
        return std::min(per_rs * rs_tiles, pq_tiles * rs_tiles * in);
      };
      const std::int64_t h = span(covered(Dim::P), at(Dim::P), ext(Dim::R), at(Dim::R),
                                  covered(Dim::R), s.stride_h, s.dilation_h, s.H, s.pad_h,
                                  bounds[static_cast<int>(Dim::P)], s.R, gap_of(Dim::P));
      const std::int64_t w = span(covered(Dim::Q), at(Dim::Q), ext(Dim::S), at(Dim::S),
                                  covered(Dim::S), s.stride_w, s.dilation_w, s.W, s.pad_w,
                                  bounds[static_cast<int>(Dim::Q)], s.S, gap_of(Dim::Q));
      return repeats * covered(Dim::N) * covered(Dim::C) * h * w;
    }
  }
  return 0;
}

int operand_bits(Operand o, const ResolvedPrecision& p) {
  return o == Operand::ifmap ? p.activation_bits
                             : o == Operand::filter ? p.weight_bits : p.psum_bits;
}

// Moves `elems` of output values over one link: `final_elems` of them at output precision.
void move_outputs(arch::AccessCell& from, arch::AccessCell& to, std::int64_t elems,
                  std::int64_t final_elems, const ResolvedPrecision& p) {
  const std::int64_t partial = std::max<std::int64_t>(0, elems - final_elems);
  const std::int64_t fin = elems - partial;
  from.read(fin, p.output_bits);
  from.read(partial, p.psum_bits);
  to.write(fin, p.output_bits);
  to.write(partial, p.psum_bits);
}

}  // namespace

DimFactors problem_bounds(const workloads::LayerShape& s) {
  return {s.N, s.M / s.groups, s.C / s.groups, s.P, s.Q, s.R, s.S};
}

namespace {

// Saturating product: mappings come from files, and callers only compare these with limits.
// No division: this runs dozens of times per mapping the search prices.
std::int64_t sat_mul(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kCap = std::int64_t{1} << 62;
  std::int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) || r > kCap ? kCap : r;
}

}  // namespace

std::int64_t coverage(const Mapping& m, Dim d) {
  const int i = static_cast<int>(d);
  std::int64_t c = sat_mul(sat_mul(m.spatial_rows[i], m.spatial_cols[i]), m.pe.factors[i]);
  for (const auto& l : m.levels) c = sat_mul(c, l.factors[i]);
  return c;
}

std::string_view check_mapping_shape(const workloads::Layer& layer, const arch::Accelerator& acc,
                                     const Mapping& m) {
  if (m.levels.size() != acc.levels.size()) return "one loop set per memory level";
  for (std::size_t l = 0; l < m.levels.size(); ++l)
    if (acc.levels[l].kind == arch::LevelKind::noc && m.levels[l].factors != kUnitFactors)
      return "no loops at a noc level";
  const DimFactors b = problem_bounds(layer.shape);
  std::int64_t rows = 1, cols = 1;
  for (int d = 0; d < kDims; ++d) {
    for (const auto& l : m.levels)
      if (l.factors[d] < 1) return "factors >= 1";
    if (m.pe.factors[d] < 1 || m.spatial_rows[d] < 1 || m.spatial_cols[d] < 1)
      return "factors >= 1";
    const std::int64_t c = coverage(m, static_cast<Dim>(d));
    if (c < b[d]) return "loops cover every dimension";
    // A dimension covered twice over has a loop with an empty iteration: a wasteful mapping,
    // and the bound that keeps every count inside 64 bits.
    if (c >= 2 * b[d] && c > 1) return "loops cover a dimension less than twice";
    rows = sat_mul(rows, m.spatial_rows[d]);
    cols = sat_mul(cols, m.spatial_cols[d]);
  }
  if (rows > acc.array.rows) return "spatial rows fit the PE array";
  if (cols > acc.array.cols) return "spatial columns fit the PE array";
  return {};
}

NestCounts analyze_nest(const workloads::Layer& layer, const arch::Accelerator& acc,
                        const Mapping& m, const ResolvedPrecision& p,
                        const NestOptions& options) {
  const auto& s = layer.shape;
  const DimFactors bounds = problem_bounds(s);
  const Nest n = build_nest(m, acc);
  const std::int64_t g = s.groups;
  const int levels = static_cast<int>(acc.levels.size());
  NestCounts r;
  r.access.levels = levels;

  std::int64_t steps = 1, pe_steps = 1;
  for (int i = 0; i < n.count; ++i) {
    if (n.loops[i].level == kPe) pe_steps *= n.loops[i].bound;
    else if (n.loops[i].level != kSpatial) steps *= n.loops[i].bound;
  }
  const std::int64_t mac_steps = steps * pe_steps;
  steps *= fused_cycles(pe_steps, options.macs_per_pe_cycle);
  r.pes_used = 1;
  for (int i = n.spatial_start; i < n.spatial_end; ++i) r.pes_used *= n.loops[i].bound;
  r.compute_steps = g * steps;
  r.pe_operand_accesses = g * mac_steps * r.pes_used;

  std::array<double, arch::kMaxLevels> tile_bits{};
  // Capacity first, so that illegal mappings cost only their tile footprints.
  for (int l = 0; l < levels; ++l) {
    const auto& lvl = acc.levels[l];
    if (lvl.kind != arch::LevelKind::sram || !options.check_capacity) continue;
    double bits = 0;
    for (int oi = 0; oi < arch::kOperands; ++oi) {
      if (!lvl.holds[oi]) continue;
      const auto o = static_cast<Operand>(oi);
      r.tile_elems[l][oi] = footprint(n, n.level_start[l], o, s, bounds);
      bits += static_cast<double>(r.tile_elems[l][oi] * operand_bits(o, p)) *
              (oi == 0 ? options.ifmap_storage_scale : 1.0);
    }
    tile_bits[l] = bits;
    if (!tiles_fit(bits, lvl, options.buffering) && r.valid) {
      r.valid = false;
      r.invalid_reason = "tiles fit their buffers";
      r.invalid_level = l;
      return r;  // pruned: a mapping whose tiles overflow a buffer is not costed further
    }
  }

  const double ifmap_scale = options.ifmap_storage_scale;
  int noc = -1;
  for (int l = 0; l < levels; ++l)
    if (acc.levels[l].kind == arch::LevelKind::noc) noc = l;
  for (int oi = 0; oi < arch::kOperands; ++oi) {
    const auto o = static_cast<Operand>(oi);
    const int bits = operand_bits(o, p);
    const std::int64_t total = g * footprint(n, 0, o, s, bounds);
    // Elements crossing into the tile of level l (or the PE array below the shared levels):
    // per PE for a per-PE level, times the PEs.
    // `to_array`: the link into the PE array (which reads the view's elements as they are).
    const auto into = [&](int begin, bool per_pe, bool stream = false, int end = -1,
                          bool sliding = false, Range also = {}, bool to_array = false) {
      std::int64_t v = g * moves(n, begin, end < 0 ? n.count : end, o, s, bounds, stream,
                                 per_pe, sliding, also);
      if (per_pe) v *= r.pes_used;
      if (o != Operand::ifmap || per_pe || to_array) return v;
      if (options.ifmap_tile_sum) {
        // Every tile is fetched `repeats` times; its raw footprint replaces its im2col size.
        const std::int64_t px = bounds[static_cast<int>(Dim::P)];
        const std::int64_t taps = bounds[static_cast<int>(Dim::C)];
        DimFactors u = kUnitFactors;
        for (int i = begin; i < n.count; ++i) u[static_cast<int>(n.loops[i].dim)] *= n.loops[i].bound;
        const std::int64_t repeats = v / g / (px * taps);
        return g * repeats *
               options.ifmap_tile_sum(std::min(u[static_cast<int>(Dim::P)], px),
                                      std::min(u[static_cast<int>(Dim::C)], taps));
      }
      if (ifmap_scale != 1.0) v = static_cast<std::int64_t>(static_cast<double>(v) * ifmap_scale + 0.5);
      return v;
    };
    // One link between an outer and an inner side: inputs leave the outer side `at_outer` times
    // (once per element when multicast) and arrive `at_inner` times (once per holder); outputs
    // drain `at_inner` partial sums that arrive reduced as `at_outer`, and all but the first
    // visit of each output are read back.
    const auto link = [&](arch::AccessCell& outer, arch::AccessCell& inner, std::int64_t at_outer,
                          std::int64_t at_inner) {
      if (o == Operand::ofmap) {
        inner.read(std::min(at_inner, total), p.output_bits);
        inner.read(std::max<std::int64_t>(0, at_inner - total), p.psum_bits);
        outer.write(std::min(at_outer, total), p.output_bits);
        outer.write(std::max<std::int64_t>(0, at_outer - total), p.psum_bits);
        move_outputs(outer, inner, at_outer - total, 0, p);
      } else {
        outer.read(at_outer, bits);
        inner.write(at_inner, bits);
      }
    };
    // Every word a PE receives from the network or sends into it, on the link that crosses
    // into the PEs: one NoC transfer each (the multicast fan-out and partial sums passed
    // between PEs included).
    const auto count_noc = [&](const arch::AccessCell& before, const arch::AccessCell& after) {
      if (noc < 0) return;
      r.access.at(noc, o).read(after.reads + after.writes - before.reads - before.writes, 0);
      r.access.at(noc, o).read_bits += after.read_bits + after.write_bits - before.read_bits -
                                       before.write_bits;
    };
    int parent = -1;
    for (int l = 0; l < levels; ++l) {
      if (!acc.levels[l].holds_operand(o)) continue;
      const bool per_pe = acc.levels[l].per_pe;
      if (parent >= 0) {
        const bool crossing = per_pe && !acc.levels[parent].per_pe;
        const bool sliding = acc.levels[l].sliding_window;
        // Crossing into the PEs, the shared side sends each element once (multicast) and
        // receives reduced partial sums; every PE holds and drains its own copy.
        const std::int64_t inner_side = into(n.level_start[l], per_pe, false, -1, sliding);
        // The shared side sends what the level's refills need across the array, each
        // distinct element once (multicast): the tile is the spatial loops plus the level's
        // own and inner loops, so loops of outer per-PE levels evict it (they refill it).
        // A sliding window shifts in only new columns, so only those are sent.
        const std::int64_t outer_side =
            crossing ? into(n.level_start[l], false, false, -1, sliding,
                            Range{n.spatial_start, n.spatial_end})
                     : inner_side;
        const arch::AccessCell before = r.access.at(l, o);
        link(r.access.at(parent, o), r.access.at(l, o), outer_side, inner_side);
        if (crossing) count_noc(before, r.access.at(l, o));
      }
      parent = l;
    }
    if (acc.levels[parent].per_pe) {
      // Every MAC reads its operands from the innermost per-PE level; outputs accumulate there.
      r.array_moves[oi] = r.pe_operand_accesses;
      r.access.at(parent, o).read(r.pe_operand_accesses, bits);
      if (o == Operand::ofmap) r.access.at(parent, o).write(r.pe_operand_accesses, p.psum_bits);
      continue;
    }
    // The PE array exchanges data with the innermost level holding the operand. An operand the
    // PEs keep is reused across the PE loops; one they only pass along (a systolic array's
    // streamed operands) is delivered afresh at every step.
    const bool kept = m.pe_keeps[oi];
    const std::int64_t array =
        into(n.spatial_start, false, !kept, kept ? n.count : n.spatial_end, false, {}, true);
    r.array_moves[oi] = array;
    arch::AccessCell pe;  // the array side is not a memory level
    link(r.access.at(parent, o), pe, array, array);
    if (kept) {
      count_noc(arch::AccessCell{}, pe);
    } else if (noc >= 0) {
      // Streamed through the PEs: every MAC takes its operand from the network (an input
      // multicast to it, or a partial sum passed on to the next PE or back to the buffer).
      const int word = o == Operand::ofmap ? p.psum_bits : bits;
      r.access.at(noc, o).read(r.pe_operand_accesses, word);
    }
  }

  // A level's transfers hide behind compute only as far as the buffers it fills have room to
  // prefetch: a child buffer of B bits holding tiles of T bits, T_in of them inputs this level
  // fills, has B − T free, so a share (B − T) / T_in of the next inputs arrives during compute
  // and the rest waits for the current tile to retire. Outputs stream out as they complete.
  // Inputs at most half of a buffer's room are fully hidden (double buffering); a buffer
  // filled to the brim serializes its fills with compute.
  for (int l = 0; l < levels; ++l) {
    const double bw = acc.levels[l].bandwidth_bytes_per_cycle;
    if (bw <= 0) continue;
    std::array<double, arch::kMaxLevels> fill_bits{};
    for (int oi = 0; oi < arch::kOperands && options.check_capacity; ++oi) {
      if (oi == static_cast<int>(Operand::ofmap)) continue;
      if (!acc.levels[l].holds[oi] && acc.levels[l].kind != arch::LevelKind::dram) continue;
      for (int c = l + 1; c < levels; ++c) {
        const auto& child = acc.levels[c];
        if (child.kind != arch::LevelKind::sram || !child.holds[oi]) continue;
        fill_bits[c] += static_cast<double>(r.tile_elems[c][oi] * operand_bits(static_cast<Operand>(oi), p)) *
                        (oi == 0 ? options.ifmap_storage_scale : 1.0);
        break;
      }
    }
    double waiting = 0;
    for (int c = l + 1; c < levels; ++c) {
      if (fill_bits[c] <= 0) continue;
      const double free_bits = static_cast<double>(acc.levels[c].size_bytes) * 8.0 - tile_bits[c];
      waiting = std::max(waiting, std::clamp(1.0 - free_bits / fill_bits[c], 0.0, 1.0));
    }
    r.fill_wait[l] = waiting;
  }
  // The first input tiles and the last output tile at the levels DRAM feeds.
  const int dram = acc.dram_level();
  for (int oi = 0; oi < arch::kOperands && options.count_exposed; ++oi) {
    const auto o = static_cast<Operand>(oi);
    for (int c = dram + 1; c < levels; ++c) {
      const auto& child = acc.levels[c];
      if (child.kind != arch::LevelKind::sram || !child.holds[oi]) continue;
      const int from = child.per_pe ? n.spatial_start : n.level_start[c];
      const auto elems = static_cast<double>(footprint(n, from, o, s, bounds));
      if (o == Operand::ofmap)
        r.exposed_output_bits = elems * p.output_bits;
      else
        r.exposed_input_bits +=
            elems * operand_bits(o, p) * (oi == 0 ? options.ifmap_storage_scale : 1.0);
      break;
    }
  }
  r.total_cycles = nest_total_cycles(acc, r.compute_steps, r.access, r.fill_wait,
                                     {r.exposed_input_bits, r.exposed_output_bits});
  return r;
}

}  // namespace loom::dataflow
