// SPDX-License-Identifier: Apache-2.0
// What the exact search needs from a spatial mapspace (mapper/bounds.hpp): genes in the order
// decode() reads them, the values of a gene that decode alike, and lower bounds on the counts
// of every completion of a prefix. docs/mapping.md, "Exact search", gives the argument for
// each bound; tests/mapper/test_exact_spaces.cpp checks them against evaluated points.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "dataflow/capacity.hpp"
#include "dataflow/nest_tiles.hpp"
#include "dataflow/precision.hpp"
#include "dataflow/sparsity.hpp"
#include "dataflow/spatial_mapspace.hpp"

namespace loom::dataflow {
namespace {

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Pushes v unless an earlier candidate decoded to the same `key`.
void add_class(std::vector<std::uint32_t>& out, std::vector<std::int64_t>& keys, std::uint32_t v,
               std::int64_t key) {
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return;
  keys.push_back(key);
  out.push_back(v);
}

// The smallest order index (order_from_index) whose loops over the dimensions in `mask` run in
// the relative order `seq` (outermost first): the others have factor 1 and leave no loop, so
// every such order gives the same nest. Orders are indexed lexicographically over the
// canonical ranks (N M C P Q R S = 0..6), so the smallest is built greedily.
std::uint32_t order_representative(const std::vector<int>& seq, unsigned mask) {
  std::array<int, kDims> order{};
  unsigned used = 0;
  std::size_t next = 0;
  for (int pos = 0; pos < kDims; ++pos) {
    int pick = -1;
    for (int d = 0; d < kDims && pick < 0; ++d) {
      if (used & (1U << d)) continue;
      if (!(mask & (1U << d)) || (next < seq.size() && seq[next] == d)) pick = d;
    }
    if (next < seq.size() && seq[next] == pick) ++next;
    used |= 1U << pick;
    order[pos] = pick;
  }
  std::uint32_t index = 0;
  for (int pos = 0; pos < kDims; ++pos) {
    int smaller = 0;
    for (int q = pos + 1; q < kDims; ++q) smaller += order[q] < order[pos];
    std::uint32_t fact = 1;
    for (int k = 2; k < kDims - pos; ++k) fact *= static_cast<std::uint32_t>(k);
    index += static_cast<std::uint32_t>(smaller) * fact;
  }
  return index;
}

}  // namespace

int SpatialMapSpace::noc_level() const {
  int noc = -1;
  for (std::size_t l = 0; l < levels_; ++l)
    if (acc_->levels[l].kind == arch::LevelKind::noc) noc = static_cast<int>(l);
  return noc;
}

bool SpatialMapSpace::overflows(const Mapping& m) const {
  // Factors not chosen yet are 1, and a footprint only grows with factors (each at least 1):
  // a buffer that overflows now overflows in every completion (nest_analysis.cpp tiles_fit).
  const Nest n = build_nest(m, *acc_);
  const int bits[3] = {p_.activation_bits, p_.weight_bits, p_.psum_bits};
  for (std::size_t l = 0; l < levels_; ++l) {
    const auto& lvl = acc_->levels[l];
    if (lvl.kind != arch::LevelKind::sram) continue;
    double tile = 0;
    for (int o = 0; o < arch::kOperands; ++o)
      if (lvl.holds[o])
        tile += static_cast<double>(
            footprint(n, n.level_start[l], static_cast<arch::Operand>(o), shape_, bounds_) *
            bits[o]);
    if (!tiles_fit(tile, lvl, Buffering::single)) return true;
  }
  return false;
}

void SpatialMapSpace::init_search() {
  for (std::size_t i = 0; i < spatial_genes_; ++i) order_.push_back(i);
  for (std::size_t slot = 0; slot < levels_; ++slot)
    for (int d = 0; d < kDims; ++d) order_.push_back(fraction_gene(slot, d));
  for (std::size_t l = 0; l < levels_; ++l) order_.push_back(order_gene(l));
  static std::atomic<std::uint64_t> spaces{0};
  id_ = ++spaces;
  init_compulsory();
}

void SpatialMapSpace::step(std::span<const std::uint32_t> g, std::size_t pos, Partial& s) const {
  if (pos < spatial_genes_) {
    if (pos % 2 == 1) {  // a slot's two genes are known
      const std::size_t i = pos / 2;
      const auto [d, f] = spatial_factor(s, i, g[2 * i], g[2 * i + 1]);
      apply_spatial(s, i, d, f);
    }
    if (pos + 1 == spatial_genes_) start_temporal(s);
    return;
  }
  const std::size_t t = pos - spatial_genes_;
  if (t >= kDims * levels_) return;  // a loop order: no factor
  const std::size_t slot = t / kDims;
  const int d = static_cast<int>(t % kDims);
  apply_temporal(s, slot, d, temporal_factor(s, slot, d, g[fraction_gene(slot, d)]));
  if (t + 1 == kDims * levels_)
    for (int k = 0; k < kDims; ++k) s.m.levels[0].factors[k] = s.rem[k];
}

namespace {

// The last node search_candidates() decoded, per thread: the exact search asks for a node's
// candidates and then for each child's bound, one gene further, so a child's decoding resumes
// from its parent's instead of starting over.
struct ReplayCache {
  std::uint64_t owner = 0;  // SpatialMapSpace::id_; 0: empty
  std::vector<std::uint32_t> prefix;
};

}  // namespace

void SpatialMapSpace::replay(std::span<const std::uint32_t> g, std::size_t depth, Partial& s,
                             bool remember) const {
  thread_local ReplayCache cache;
  thread_local Partial cached;
  std::size_t from = 0;
  const std::size_t known = cache.prefix.size();
  bool hit = cache.owner == id_ && known <= depth;
  for (std::size_t pos = 0; hit && pos < known; ++pos) hit = g[order_[pos]] == cache.prefix[pos];
  if (hit) {
    s = cached;
    from = known;
  } else {
    begin(s);
    if (spatial_genes_ == 0) start_temporal(s);
  }
  for (std::size_t pos = from; pos < depth; ++pos) step(g, pos, s);
  if (!remember) return;
  cache.owner = id_;
  cache.prefix.resize(depth);
  for (std::size_t pos = 0; pos < depth; ++pos) cache.prefix[pos] = g[order_[pos]];
  cached = s;
}

void SpatialMapSpace::search_candidates(std::span<const std::uint32_t> g, std::size_t depth,
                                        std::vector<std::uint32_t>& out) const {
  out.clear();
  Partial s;
  replay(g, depth, s, /*remember=*/true);
  std::vector<std::int64_t> keys;
  if (depth < spatial_genes_) {
    const std::size_t i = depth / 2;
    const Slot& slot = slots_[i];
    if (depth % 2 == 0) {
      // Dimensions left with a single legal factor (1) all leave the mapping as it is.
      for (std::uint32_t v = 0; v < slot.dims.size(); ++v) {
        const int d = slot.dims[v];
        const std::int64_t left = ceil_div(bounds_[d], s.m.spatial_rows[d] * s.m.spatial_cols[d]);
        const std::int64_t used = slot.on_rows ? s.rows_used : s.cols_used;
        const std::int64_t room = std::max<std::int64_t>(1, (slot.on_rows ? rows_ : cols_) / used);
        const bool moves = left > 1 && (slot.whole || room >= 2);
        add_class(out, keys, v, moves ? d : -1);
      }
    } else {
      for (std::uint32_t v = 0; v < domains_[depth]; ++v)
        add_class(out, keys, v, spatial_factor(s, i, g[depth - 1], v).second);
    }
    return;
  }
  const std::size_t pos = depth - spatial_genes_;
  if (pos < kDims * levels_) {
    const std::size_t slot = pos / kDims;
    const int d = static_cast<int>(pos % kDims);
    // The first value of each candidate index (the others repeat one); of those, the ones
    // whose factors per-PE fitting lowers to an earlier one's are dropped too.
    const std::size_t level = levels_ - slot;
    const bool loops = level == levels_ || acc_->levels[level].kind != arch::LevelKind::noc;
    const std::size_t n = loops && s.rem[d] > 1 ? candidates(d, s.rem[d]).size() : 1;
    std::vector<std::uint32_t> values;
    fraction_values(n, domains_[fraction_gene(slot, d)], values);
    for (const std::uint32_t v : values) add_class(out, keys, v, temporal_factor(s, slot, d, v));
    return;
  }
  // A loop order: one per relative order of the dimensions with a loop at this level.
  const std::size_t level = pos - kDims * levels_;
  std::vector<int> seq;
  unsigned mask = 0;
  for (int d = 0; d < kDims; ++d)
    if (s.m.levels[level].factors[d] > 1) {
      seq.push_back(d);
      mask |= 1U << d;
    }
  do out.push_back(order_representative(seq, mask));
  while (std::next_permutation(seq.begin(), seq.end()));
  std::sort(out.begin(), out.end());
}

void SpatialMapSpace::init_compulsory() {
  // The whole layer's distinct elements of each operand, per group: one nest of exact bounds.
  Mapping m;
  m.levels.resize(levels_);
  m.levels[0].factors = bounds_;
  const Nest n = build_nest(m, *acc_);
  for (int o = 0; o < arch::kOperands; ++o)
    compulsory_[o] = footprint(n, 0, static_cast<arch::Operand>(o), shape_, bounds_);
}

std::optional<LayerCounts> SpatialMapSpace::lower_bound(const workloads::Layer& layer,
                                                        std::span<const std::uint32_t> g,
                                                        std::size_t depth) const {
  Partial s;
  replay(g, depth, s);
  const std::int64_t groups = shape_.groups;
  const int m = macs_per_pe_cycle(acc_->array.pe, p_);
  // Temporal steps: a dimension's temporal factors cover what its spatial factors leave, and
  // the factors chosen so far times what is left of it bound their product from below.
  double steps = 1, pes = 1;
  if (overflows(s.m)) return std::nullopt;  // no legal completion
  if (depth >= spatial_genes_) {
    if (s.rows_used > rows_ || s.cols_used > cols_) return std::nullopt;
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

  LayerCounts c;
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
  const auto per_pe_elems = [&](arch::Operand o, std::int64_t total) {
    static constexpr std::array<std::array<Dim, 4>, 3> kIndexing{
        {{Dim::N, Dim::C, Dim::P, Dim::Q},
         {Dim::M, Dim::C, Dim::R, Dim::S},
         {Dim::N, Dim::M, Dim::P, Dim::Q}}};
    // A PE's input rows are its output rows only for a pointwise window (1x1, stride 1 or a
    // single output row, no padding); otherwise windows, halos and sliding are not bounded
    // here and the ifmap keeps its distinct elements.
    const auto pointwise = [](std::int64_t out, std::int64_t taps, std::int64_t stride,
                              std::int64_t pad) {
      return taps == 1 && pad == 0 && (stride == 1 || out == 1);
    };
    if (depth < spatial_genes_ || (o == arch::Operand::ifmap &&
                                   !(pointwise(shape_.P, shape_.R, shape_.stride_h, shape_.pad_h) &&
                                     pointwise(shape_.Q, shape_.S, shape_.stride_w, shape_.pad_w))))
      return total;
    double e = g_d * pes;
    for (Dim dim : kIndexing[static_cast<std::size_t>(o)]) {
      const auto d = static_cast<int>(dim);
      double extent = static_cast<double>(s.m.pe.factors[d] * s.rem[d]);
      for (std::size_t l = 1; l < levels_; ++l)
        extent *= static_cast<double>(s.m.levels[l].factors[d]);
      e *= std::min(extent, static_cast<double>(bounds_[d]));
    }
    return std::max(total, static_cast<std::int64_t>(e));
  };
  const int noc = noc_level();
  for (int o = 0; o < arch::kOperands; ++o) {
    const auto op = static_cast<arch::Operand>(o);
    const bool out = op == arch::Operand::ofmap;
    const std::int64_t total = groups * compulsory_[o];
    // `elems` outputs leave a tile: finished values at output precision, the rest psums.
    const auto drain = [&](arch::AccessCell& cell, std::int64_t elems) {
      cell.read(std::min(elems, total), p_.output_bits);
      cell.read(std::max<std::int64_t>(0, elems - total), p_.psum_bits);
    };
    // The chain of levels holding the operand, outermost first: each link moves every
    // element at least once (outputs as finished values, at output precision). The NoC
    // carries what crosses into the PEs.
    int parent = -1;
    for (int l = 0; l < static_cast<int>(levels_); ++l) {
      if (!acc_->levels[l].holds[o]) continue;
      auto& cell = c.access.at(l, op);
      if (parent >= 0) {
        auto& up = c.access.at(parent, op);
        const bool crossing = acc_->levels[l].per_pe && !acc_->levels[parent].per_pe;
        const std::int64_t inner = crossing ? per_pe_elems(op, total) : total;
        if (out) {
          up.write(total, p_.output_bits);
          drain(cell, inner);
          if (crossing && noc >= 0) drain(c.access.at(noc, op), inner);
        } else {
          up.read(total, bits[o]);
          cell.write(inner, bits[o]);
          if (crossing && noc >= 0) c.access.at(noc, op).read(inner, bits[o]);
        }
      }
      parent = l;
    }
    if (parent < 0) continue;
    auto& inner = c.access.at(parent, op);
    if (acc_->levels[parent].per_pe) {
      inner.read(pe_accesses, bits[o]);
      if (out) inner.write(pe_accesses, p_.psum_bits);
      continue;
    }
    // The array exchanges every element with the innermost level holding the operand; an
    // operand no PE keeps crosses the NoC at every MAC.
    if (out)
      inner.write(total, p_.output_bits);
    else
      inner.read(total, bits[o]);
    if (noc < 0) continue;
    if (!keeps_[o])
      c.access.at(noc, op).read(pe_accesses, out ? p_.psum_bits : bits[o]);
    else if (out)
      drain(c.access.at(noc, op), total);
    else
      c.access.at(noc, op).read(total, bits[o]);
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
