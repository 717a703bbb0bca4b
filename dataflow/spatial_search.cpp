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
  init_links();
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

}  // namespace loom::dataflow
