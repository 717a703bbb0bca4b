// SPDX-License-Identifier: Apache-2.0
// Lower bounds on the counts of every completion of a prefix of a spatial mapspace's genes
// (mapper/bounds.hpp's contract; docs/mapping.md, "Exact search", gives the argument for each;
// tests/mapper/test_exact_spaces.cpp checks them against evaluated points and enumeration).
//
// Compulsory traffic, register accesses per MAC and what crosses into the PEs bound each link
// from below whatever the outer loops do. Refetches come from the loops outside a tile, which
// decoding chooses last, and from how they are ordered; the refetch bound (refetch()) says what
// every such choice must cost: take a set S of loops outside every tile of some links (the
// loops of the levels not yet tiled, or of the outermost level with loops). Each dimension
// indexes all operands but one (nest_tiles.hpp kIndexes), so the innermost loop of S leaves at
// most one operand unindexed; for every other operand, that loop is a refetching loop, and
// every loop of S that does not index the operand sits outside it and repeats the operand's
// tile, once per iteration with work — at least ceil(bound / the dimension's loops outside S)
// times per dimension (nest_tiles.cpp repeats_with_work). Which operand is spared is unknown
// until the orders are, so each is an alternative, and the cheapest bounds the cost.
#include <algorithm>
#include <cmath>

#include "dataflow/capacity.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/nest_tiles.hpp"
#include "dataflow/precision.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/spatial_mapspace.hpp"

namespace loom::dataflow {
namespace {

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Saturating: a prefix with no legal completion may ask for more than 64 bits.
std::int64_t sat_mul(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kCap = std::int64_t{1} << 62;
  std::int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) || r > kCap ? kCap : r;
}

// Input rows (or columns) some output position reads: the window's taps that land inside the
// image (padding is generated, never moved; a stride above the window skips rows).
std::int64_t rows_read(std::int64_t out, std::int64_t taps, std::int64_t stride,
                       std::int64_t dilation, std::int64_t pad, std::int64_t in) {
  std::vector<bool> read(static_cast<std::size_t>(in), false);
  for (std::int64_t p = 0; p < out; ++p)
    for (std::int64_t r = 0; r < taps; ++r) {
      const std::int64_t row = p * stride + r * dilation - pad;
      if (row >= 0 && row < in) read[static_cast<std::size_t>(row)] = true;
    }
  return std::count(read.begin(), read.end(), true);
}

// How many operands a set of them (bits) holds: std::popcount is a library call without
// -mpopcnt, and the bound runs for every child the exact search weighs.
constexpr int operands_in(unsigned set) {
  return static_cast<int>((set & 1U) + (set >> 1 & 1U) + (set >> 2 & 1U));
}

// The operand a dimension does not index.
int unindexed(int d) {
  for (int o = 0; o < arch::kOperands; ++o)
    if (!kIndexes[static_cast<std::size_t>(o)][static_cast<std::size_t>(d)]) return o;
  return -1;
}

}  // namespace

void SpatialMapSpace::init_compulsory() {
  // The whole layer's distinct elements of each operand, per group: one nest of exact bounds;
  // for the ifmap, the rows and columns some window reads.
  Mapping m;
  m.levels.resize(levels_);
  m.levels[0].factors = bounds_;
  const Nest n = build_nest(m, *acc_);
  for (int o = 0; o < arch::kOperands; ++o)
    compulsory_[o] = footprint(n, 0, static_cast<arch::Operand>(o), shape_, bounds_);
  const auto& s = shape_;
  compulsory_[0] = bounds_[static_cast<int>(Dim::N)] * bounds_[static_cast<int>(Dim::C)] *
                   rows_read(s.P, s.R, s.stride_h, s.dilation_h, s.pad_h, s.H) *
                   rows_read(s.Q, s.S, s.stride_w, s.dilation_w, s.pad_w, s.W);
}

void SpatialMapSpace::init_links() {
  for (int o = 0; o < arch::kOperands; ++o) {
    int parent = -1;
    for (std::size_t l = 0; l < levels_; ++l) {
      if (!acc_->levels[l].holds[o]) continue;
      if (parent >= 0) link_tiles_[o] |= 1U << l;
      parent = static_cast<int>(l);
    }
  }
}

SpatialMapSpace::Refetch SpatialMapSpace::refetch(const Partial& s,
                                                  std::span<const std::uint32_t> g,
                                                  std::size_t depth) const {
  Refetch r;
  if (!refetch_bound_ || depth < spatial_genes_) return r;
  const std::size_t pos = depth - spatial_genes_;
  // Levels at or outside `open` have factors still to choose (-1: none); the PE's loops
  // (slot 0) still open leave every level open, and no tile closed.
  int open = -1;
  if (pos < kDims * levels_) {
    const std::size_t slot = pos / kDims;
    if (slot == 0) return r;
    open = static_cast<int>(levels_ - slot);
  }
  const std::size_t orders = pos < kDims * levels_ ? 0 : pos - kDims * levels_;
  const auto has_loops = [&](std::size_t l) {
    for (int d = 0; d < kDims; ++d)
      if (s.m.levels[l].factors[d] > 1) return true;
    return false;
  };
  // Group L: S is the loops at levels 0..L, where L is open or the innermost of them with
  // loops, so S's innermost loop is at L (or, open, somewhere in S).
  const auto build = [&](int L) {
    RefetchGroup& grp = r.at[static_cast<std::size_t>(L)];
    int innermost = -1;  // its dimension, once L's order is known
    if (L > open && static_cast<std::size_t>(L) < orders)
      for (const Dim d : order_from_index(g[order_gene(static_cast<std::size_t>(L))]))
        if (s.m.levels[static_cast<std::size_t>(L)].factors[static_cast<int>(d)] > 1)
          innermost = static_cast<int>(d);
    for (int d = 0; d < kDims; ++d) {
      // The dimension's loops outside S, all known: repeats >= ceil(bound / them).
      std::int64_t rest = s.m.spatial_rows[d] * s.m.spatial_cols[d] * s.m.pe.factors[d];
      for (std::size_t l = static_cast<std::size_t>(L) + 1; l < levels_; ++l)
        rest *= s.m.levels[l].factors[d];
      const std::int64_t need = ceil_div(bounds_[d], rest);
      if (need == 1) continue;  // S has no loop over d
      const int o = unindexed(d);
      grp.repeats[o] = sat_mul(grp.repeats[o], need);
      // S's innermost loop: at L (with a factor above 1 there) unless L is open.
      if (innermost < 0 && (L <= open || s.m.levels[static_cast<std::size_t>(L)].factors[d] > 1))
        grp.spared |= 1U << o;
    }
    if (innermost >= 0) grp.spared = 1U << unindexed(innermost);
  };
  r.open = open;
  for (int L = std::max(open, 0); L < static_cast<int>(levels_); ++L)
    if (L == open || has_loops(static_cast<std::size_t>(L))) {
      build(L);
      r.groups |= 1U << L;
    }
  return r;
}

void SpatialMapSpace::lower_bounds(const workloads::Layer& layer, std::span<const std::uint32_t> g,
                                   std::size_t depth, std::vector<LayerCounts>& out) const {
  out.clear();
  Partial s;
  replay(g, depth, s);
  const bool unrolled = depth >= spatial_genes_;
  // A gene that left the decoded prefix as it was (a factor 1: nothing left of its dimension)
  // leaves its bound as it was too, within one tiling slot: the exact search asks for long
  // chains of them, so the last bound is kept (per thread).
  const std::size_t pos = depth - std::min(depth, spatial_genes_);
  if (pos < kDims * levels_) {
    thread_local struct {
      std::uint64_t owner = 0;
      std::vector<std::int64_t> key, now;
      std::vector<LayerCounts> out;
    } memo;
    memo.now.assign({unrolled ? static_cast<std::int64_t>(pos / kDims) : -1});
    for (const auto& l : s.m.levels)
      memo.now.insert(memo.now.end(), l.factors.begin(), l.factors.end());
    for (const auto* f : {&s.m.pe.factors, &s.m.spatial_rows, &s.m.spatial_cols, &s.rem})
      memo.now.insert(memo.now.end(), f->begin(), f->end());
    if (memo.owner == id_ && memo.key == memo.now) {
      out = memo.out;
      return;
    }
    lower_bounds_of(layer, g, depth, s, out);
    memo.owner = id_;
    memo.key.swap(memo.now);
    memo.out = out;
    return;
  }
  lower_bounds_of(layer, g, depth, s, out);
}

void SpatialMapSpace::lower_bounds_of(const workloads::Layer& layer,
                                      std::span<const std::uint32_t> g, std::size_t depth,
                                      const Partial& s, std::vector<LayerCounts>& out) const {
  if (overflows(s.m)) return;  // no legal completion
  const bool unrolled = depth >= spatial_genes_;
  if (unrolled && (s.rows_used > rows_ || s.cols_used > cols_)) return;
  const Refetch r = refetch(s, g, depth);
  const BoundBase base = bound_base(layer, s, unrolled);
  // A link into a tile at level t > r.open is outside every group L < t: it repeats as the
  // deepest of them whose innermost loop indexes its operand says.
  const auto outside = [&](std::size_t L, std::size_t t) {
    return (r.groups >> L & 1U) && L < t && r.open < static_cast<int>(t);
  };
  // Per group, the operands it may spare that its links make pay (each an alternative); the
  // alternatives of different groups combine, up to a cap past which a group spares all of
  // them at once (a weaker bound, but a bound).
  constexpr std::size_t kMaxAlternatives = 24;
  constexpr unsigned kAll = 1U << arch::kOperands;
  std::array<unsigned, arch::kMaxLevels> choices{};
  std::size_t combos = 1;
  for (std::size_t L = 0; L < levels_; ++L) {
    unsigned pay = 0;
    for (int o = 0; o < arch::kOperands; ++o)
      for (std::size_t t = 0; t < levels_; ++t)
        if ((link_tiles_[o] >> t & 1U) && outside(L, t) && r.at[L].repeats[o] > 1) pay |= 1U << o;
    choices[L] = r.at[L].spared & pay;
    const auto n = static_cast<std::size_t>(operands_in(choices[L]));
    if (n > 1 && combos * n <= kMaxAlternatives)
      combos *= n;
    else if (n > 1)
      choices[L] |= kAll;  // spares them all
  }
  for (std::size_t k = 0; k < combos; ++k) {
    // Combination k, in mixed radix over the groups with a choice.
    std::array<unsigned, arch::kMaxLevels> spared{};
    std::size_t digits = k;
    for (std::size_t L = 0; L < levels_; ++L) {
      const unsigned c = choices[L] & (kAll - 1);
      const auto n = static_cast<std::size_t>(operands_in(c));
      if ((choices[L] & kAll) || n <= 1) {
        spared[L] = c;
        continue;
      }
      std::size_t pick = digits % n;
      digits /= n;
      for (int o = 0; o < arch::kOperands; ++o)
        if ((c >> o & 1U) && pick-- == 0) spared[L] = 1U << o;
    }
    LinkRepeats rep;
    for (auto& row : rep) row.fill(1);
    for (std::size_t t = 0; t < levels_; ++t)
      for (std::size_t L = 0; L < levels_; ++L)
        if (outside(L, t))
          for (int o = 0; o < arch::kOperands; ++o)
            if (!(spared[L] >> o & 1U)) rep[o][t] = std::max(rep[o][t], r.at[L].repeats[o]);
    out.push_back(bound_counts(layer, base, rep));
  }
}

SpatialMapSpace::BoundBase SpatialMapSpace::bound_base(const workloads::Layer& layer,
                                                       const Partial& s, bool unrolled) const {
  const std::int64_t groups = shape_.groups;
  const int m = macs_per_pe_cycle(acc_->array.pe, p_);
  // Temporal steps: a dimension's temporal factors cover what its spatial factors leave, and
  // the factors chosen so far times what is left of it bound their product from below.
  double steps = 1, pes = 1;
  if (unrolled) {
    for (int d = 0; d < kDims; ++d) {
      double chosen = static_cast<double>(s.m.pe.factors[d] * s.rem[d]);
      for (std::size_t l = 1; l < levels_; ++l)
        chosen *= static_cast<double>(s.m.levels[l].factors[d]);
      steps *= chosen;
      pes *= static_cast<double>(s.m.spatial_rows[d] * s.m.spatial_cols[d]);
    }
  } else {
    for (int d = 0; d < kDims; ++d) steps *= static_cast<double>(bounds_[d]);
    pes = static_cast<double>(rows_ * cols_);
    steps /= pes;  // PE-steps >= the MACs: at best every PE works every step
  }
  const double g_d = static_cast<double>(groups);
  // Every MAC reads each operand from its innermost per-PE level (and writes its psum there):
  // g x steps x PEs >= the MACs.
  const auto pe_accesses =
      static_cast<std::int64_t>(std::max(g_d * steps * pes, static_cast<double>(layer.macs())));

  BoundBase base;
  LayerCounts& c = base.counts;
  c.precision = p_;
  c.macs = layer.macs();
  c.macs_per_pe_cycle = m;
  c.access.levels = static_cast<int>(levels_);
  c.compute_cycles = static_cast<std::int64_t>(std::floor(g_d * steps / m));
  const int bits[3] = {p_.activation_bits, p_.weight_bits, p_.psum_bits};
  // Each PE receives at least the elements its own loops touch: per dimension its temporal
  // extent (the factors chosen times what is left, at most the dimension), over the
  // dimensions indexing the operand, times the PEs (nest_tiles.cpp `moves`, per PE). Unknown
  // before the unrolling is: then the operand's distinct elements.
  const auto extent = [&](Dim dim) {
    const auto d = static_cast<int>(dim);
    double e = static_cast<double>(s.m.pe.factors[d] * s.rem[d]);
    for (std::size_t l = 1; l < levels_; ++l) e *= static_cast<double>(s.m.levels[l].factors[d]);
    return std::min(e, static_cast<double>(bounds_[d]));
  };
  // A PE's input rows along one axis (nest_tiles.cpp input_span): its `out` positions span at
  // least min((out - 1) stride + window, out x window) rows, the window at least the PE's own
  // taps; less the rows an edge tile may drop into the padding, at most the input.
  const auto input_rows = [&](Dim pq, Dim rs, std::int64_t stride, std::int64_t dilation,
                              std::int64_t pad, std::int64_t in) {
    const double out = extent(pq);
    const auto taps = std::min(s.m.pe.factors[static_cast<int>(rs)], bounds_[static_cast<int>(rs)]);
    const auto window = static_cast<double>((taps - 1) * dilation + 1);
    const std::int64_t full = (bounds_[static_cast<int>(rs)] - 1) * dilation + 1;
    const std::int64_t edge =
        std::min(pad, full) +
        std::clamp((bounds_[static_cast<int>(pq)] - 1) * stride - pad + full - in, std::int64_t{0},
                   full);
    const double rows = std::min((out - 1) * static_cast<double>(stride) + window, out * window);
    return std::min(static_cast<double>(in), std::max(1.0, rows - static_cast<double>(edge)));
  };
  // Without the span bound, a PE's input rows are its output rows only for a pointwise window
  // (1x1, stride 1 or a single output row, no padding); otherwise the ifmap keeps its distinct
  // elements.
  const auto pointwise = [](std::int64_t out, std::int64_t taps, std::int64_t stride,
                            std::int64_t pad) {
    return taps == 1 && pad == 0 && (stride == 1 || out == 1);
  };
  const bool spans =
      refetch_bound_ || (pointwise(shape_.P, shape_.R, shape_.stride_h, shape_.pad_h) &&
                         pointwise(shape_.Q, shape_.S, shape_.stride_w, shape_.pad_w));
  const auto per_pe_elems = [&](arch::Operand o, std::int64_t total) {
    if (!unrolled || (o == arch::Operand::ifmap && !spans)) return total;
    double e = g_d * pes;
    if (o == arch::Operand::ifmap) {
      e *= extent(Dim::N) * extent(Dim::C) *
           input_rows(Dim::P, Dim::R, shape_.stride_h, shape_.dilation_h, shape_.pad_h, shape_.H) *
           input_rows(Dim::Q, Dim::S, shape_.stride_w, shape_.dilation_w, shape_.pad_w, shape_.W);
    } else {
      for (int d = 0; d < kDims; ++d)
        if (kIndexes[static_cast<std::size_t>(o)][static_cast<std::size_t>(d)])
          e *= extent(static_cast<Dim>(d));
    }
    return std::max(total, static_cast<std::int64_t>(e));
  };
  const int noc = noc_level();
  for (int o = 0; o < arch::kOperands; ++o) {
    const auto op = static_cast<arch::Operand>(o);
    const std::int64_t total = groups * compulsory_[o];
    base.total[o] = total;
    base.per_pe[o] = per_pe_elems(op, total);
    int innermost = -1;
    for (int l = 0; l < static_cast<int>(levels_); ++l)
      if (acc_->levels[l].holds[o]) innermost = l;
    if (innermost < 0) continue;
    auto& cell = c.access.at(innermost, op);
    if (acc_->levels[innermost].per_pe) {
      // Every MAC reads each operand from its innermost per-PE level (and writes its psum).
      cell.read(pe_accesses, bits[o]);
      if (op == arch::Operand::ofmap) cell.write(pe_accesses, p_.psum_bits);
      continue;
    }
    // The array exchanges every element with the innermost level holding the operand; an
    // operand no PE keeps crosses the NoC at every MAC.
    arch::AccessCell pe;
    count_link(op, total, bits[o], p_, cell, pe, total, total);
    if (noc < 0) continue;
    if (!keeps_[o])
      c.access.at(noc, op).read(pe_accesses, op == arch::Operand::ofmap ? p_.psum_bits : bits[o]);
    else if (op == arch::Operand::ofmap)
      c.access.at(noc, op).read(total, p_.output_bits);
    else
      c.access.at(noc, op).read(total, bits[o]);
  }
  return base;
}

LayerCounts SpatialMapSpace::bound_counts(const workloads::Layer& layer, const BoundBase& base,
                                          const LinkRepeats& repeats) const {
  LayerCounts c = base.counts;
  const int bits[3] = {p_.activation_bits, p_.weight_bits, p_.psum_bits};
  const int noc = noc_level();
  for (int o = 0; o < arch::kOperands; ++o) {
    const auto op = static_cast<arch::Operand>(o);
    const std::int64_t total = base.total[o];
    // The chain of levels holding the operand, outermost first: each link moves every
    // element at least once (outputs as finished values, at output precision), times the
    // repeats the refetch bound proves; the NoC carries what crosses into the PEs.
    int parent = -1;
    for (int l = 0; l < static_cast<int>(levels_); ++l) {
      if (!acc_->levels[l].holds[o]) continue;
      if (parent >= 0) {
        const bool crossing = acc_->levels[l].per_pe && !acc_->levels[parent].per_pe;
        const std::int64_t rep = repeats[o][l];
        arch::AccessCell in;
        count_link(op, total, bits[o], p_, c.access.at(parent, op), in, sat_mul(total, rep),
                   sat_mul(crossing ? base.per_pe[o] : total, rep));
        if (crossing && noc >= 0) {
          c.access.at(noc, op).read(in.reads + in.writes, 0);
          c.access.at(noc, op).read_bits += in.read_bits + in.write_bits;
        }
        auto& inner = c.access.at(l, op);
        inner.reads += in.reads;
        inner.writes += in.writes;
        inner.read_bits += in.read_bits;
        inner.write_bits += in.write_bits;
      }
      parent = l;
    }
  }
  apply_sparsity(c, layer, *acc_, Retime::no);
  // Cycles: compute, or the slowest level moving the bytes it must move.
  double cycles = static_cast<double>(c.compute_cycles);
  for (std::size_t l = 0; l < levels_; ++l) {
    const double bw = acc_->levels[l].bandwidth_bytes_per_cycle;
    if (bw > 0) cycles = std::max(cycles, c.access.bytes(static_cast<int>(l)) / bw);
  }
  c.total_cycles = static_cast<std::int64_t>(std::floor(cycles));
  return c;
}

}  // namespace loom::dataflow
