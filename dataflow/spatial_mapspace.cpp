// SPDX-License-Identifier: Apache-2.0
#include "dataflow/spatial_mapspace.hpp"

#include <algorithm>

#include "dataflow/layer_timing.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/precision.hpp"
#include "dataflow/systolic_mapspace.hpp"

namespace loom::dataflow {
namespace {

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// How many of `cands` (ascending) are not above `limit`.
std::size_t count_fitting(const std::vector<std::int64_t>& cands, std::int64_t limit) {
  return static_cast<std::size_t>(std::upper_bound(cands.begin(), cands.end(), limit) -
                                  cands.begin());
}

// A factor gene's values (docs/mapping.md, "The spatial-array mapspace"): kFractionSteps
// fractions of the candidate list, as always, repeated 2·extra times, then `extra` values for
// the candidates no fraction picks, of which a list longer than kFractionSteps has (its length
// − 16). Repeating the fractions keeps a random value's factor distributed almost as it was
// (32/33 of the values; a ±1 mutation still moves one fraction) where a uniform pick over
// hundreds of candidates would almost never propose factor 1, and most random points of
// VGG's fc layers would overflow their buffers.
constexpr std::uint32_t kSteps = SpatialMapSpace::kFractionSteps;

// The values of a gene whose candidate lists hold at most `most` entries: 16 when they all fit
// in the fractions (the space is what it always was), else 33 · (most − 16).
constexpr std::size_t kRepeats = 2;  // fraction rounds per extra value
std::uint32_t fraction_domain(std::size_t most) {
  return most <= kSteps ? kSteps
                        : static_cast<std::uint32_t>((kRepeats * kSteps + 1) * (most - kSteps));
}

std::size_t extra_values(std::uint32_t domain) {
  return domain == kSteps ? 0 : domain / (kRepeats * kSteps + 1);
}

}  // namespace

std::size_t SpatialMapSpace::fraction_index(std::uint32_t v, std::size_t n, std::uint32_t domain) {
  const std::size_t extra = extra_values(domain), repeated = domain - extra;
  if (v < repeated) return (v % kSteps) * n / kSteps;
  const std::size_t j = v - repeated;
  if (n <= kSteps) return (j * kSteps / extra) * n / kSteps;  // every candidate is a fraction's
  // The k-th candidate between the fractions' picks p_f = floor(f·n/16), which are distinct
  // here (n > 16), so n − 16 lie between them.
  std::size_t k = j * (n - kSteps) / extra;
  for (std::size_t f = 0; f < kSteps; ++f) {
    const std::size_t pick = f * n / kSteps, next = (f + 1) * n / kSteps;
    if (k < next - pick - 1) return pick + 1 + k;
    k -= next - pick - 1;
  }
  return n - 1;  // not reached: the gaps hold n − 16 candidates
}

void SpatialMapSpace::fraction_values(std::size_t n, std::uint32_t domain,
                                      std::vector<std::uint32_t>& out) {
  // The first value of each candidate index, ascending: fraction f is value f; the k-th
  // candidate between them the first j with floor(j·(n−16)/extra) = k, ceil(k·extra/(n−16)).
  out.clear();
  for (std::uint32_t f = 0; f < kSteps && f < domain; ++f) out.push_back(f);
  if (n <= kSteps) return;
  const std::size_t extra = extra_values(domain), between = n - kSteps;
  for (std::size_t k = 0; k < between; ++k)
    out.push_back(static_cast<std::uint32_t>(domain - extra + (k * extra + between - 1) / between));
}

namespace {

std::array<Dim, kDims> compute_order(std::uint32_t index) {
  std::array<Dim, kDims> pool = kCanonicalOrder;
  std::array<Dim, kDims> out{};
  int left = kDims;
  std::uint32_t fact = 720;  // 6!
  for (int i = 0; i < kDims; ++i) {
    const std::uint32_t k = index / fact;
    index %= fact;
    out[i] = pool[k];
    std::copy(pool.begin() + k + 1, pool.begin() + left, pool.begin() + k);
    --left;
    if (left > 0) fact /= static_cast<std::uint32_t>(left);
  }
  return out;
}

}  // namespace

std::array<Dim, kDims> order_from_index(std::uint32_t index) {
  // Decoding runs in the mapper's inner loop: the 5040 orders are computed once (35 KB).
  static const auto table = [] {
    std::array<std::array<Dim, kDims>, 5040> t{};
    for (std::uint32_t i = 0; i < 5040; ++i) t[i] = compute_order(i);
    return t;
  }();
  return table[index];
}

SpatialMapSpace::SpatialMapSpace(const workloads::Layer& layer, const arch::Accelerator& acc,
                                 const ResolvedPrecision& p)
    : bounds_(problem_bounds(layer.shape)),
      shape_(layer.shape),
      acc_(&acc),
      p_(p),
      rows_(acc.array.rows),
      cols_(acc.array.cols),
      levels_(acc.levels.size()) {
  for (int d = 0; d < kDims; ++d)
    for (std::int64_t v : factor_candidates(bounds_[d])) {
      cands_[d].emplace_back(v, factor_candidates(v));
      // Decoding looks candidates up in its inner loop: index them by value directly.
      if (static_cast<std::int64_t>(index_[d].size()) <= v)
        index_[d].resize(static_cast<std::size_t>(v) + 1, 0);
      index_[d][static_cast<std::size_t>(v)] = static_cast<std::uint32_t>(cands_[d].size() - 1);
    }
  rules_ = spatial_rules(acc.dataflow);
  for (const auto* axis : {&rules_.rows, &rules_.cols})
    for (const auto& slot : *axis) {
      if (slot.dims == 0) continue;
      Slot s;
      s.whole = slot.whole;
      s.on_rows = axis == &rules_.rows;
      for (int d = 0; d < kDims; ++d)
        if (slot.dims & dim_bit(static_cast<Dim>(d))) s.dims.push_back(d);
      // The factor gene reaches every candidate of every dimension the slot may unroll (no
      // more than the axis holds).
      std::size_t most = 1;
      for (int d : s.dims)
        most = std::max(most, count_fitting(cands_[d].back().second, s.on_rows ? rows_ : cols_));
      domains_.push_back(static_cast<std::uint32_t>(s.dims.size()));
      domains_.push_back(s.whole ? 1 : fraction_domain(most));
      slots_.push_back(std::move(s));
    }
  spatial_genes_ = domains_.size();
  for (int o = 0; o < arch::kOperands; ++o)
    for (const auto& l : acc.levels)
      if (l.per_pe && l.holds[o]) keeps_[o] = true;
  const std::size_t slots = levels_;  // the PE's loops plus every level inside DRAM
  // A remainder's candidates are candidates of the whole dimension (ceil(ceil(n/a)/b) =
  // ceil(n/(a·b))), so the dimension's own list is the longest a slot meets.
  for (int d = 0; d < kDims; ++d)
    for (std::size_t slot = 0; slot < slots; ++slot)
      domains_.push_back(fraction_domain(cands_[d].back().second.size()));
  for (std::size_t l = 0; l < levels_; ++l) domains_.push_back(5040);
  init_search();
}

const std::vector<std::int64_t>& SpatialMapSpace::candidates(int dim, std::int64_t value) const {
  // Every remainder is some ceil(bound / k), so it is in the list.
  return cands_[dim][index_[dim][static_cast<std::size_t>(value)]].second;
}

// Whether the per-PE tiles with per-PE extents `ext` fit every per-PE level at or inside
// `outermost_level` (the levels whose tiles those loops belong to).
bool SpatialMapSpace::per_pe_fits(const DimFactors& ext, std::size_t outermost_level) const {
  const auto at = [&](Dim d) { return ext[static_cast<int>(d)]; };
  const std::int64_t h =
      (at(Dim::P) - 1) * shape_.stride_h + (at(Dim::R) - 1) * shape_.dilation_h + 1;
  const std::int64_t w =
      (at(Dim::Q) - 1) * shape_.stride_w + (at(Dim::S) - 1) * shape_.dilation_w + 1;
  const std::int64_t elems[3] = {
      at(Dim::N) * at(Dim::C) * std::min(h, shape_.H) * std::min(w, shape_.W),
      at(Dim::M) * at(Dim::C) * at(Dim::R) * at(Dim::S),
      at(Dim::N) * at(Dim::M) * at(Dim::P) * at(Dim::Q)};
  const int bits[3] = {p_.activation_bits, p_.weight_bits, p_.psum_bits};
  for (std::size_t l = outermost_level; l < levels_; ++l) {
    const auto& lvl = acc_->levels[l];
    if (!lvl.per_pe) continue;
    std::int64_t need = 0;
    for (int o = 0; o < 3; ++o)
      if (lvl.holds[o]) need += elems[o] * bits[o];
    if (!tiles_fit(need, lvl, Buffering::single)) return false;
  }
  return true;
}

void SpatialMapSpace::begin(Partial& s) const {
  s.m = Mapping{};
  s.m.levels.resize(levels_);
  s.rows_used = s.cols_used = 1;
  s.ext = kUnitFactors;
}

std::pair<int, std::int64_t> SpatialMapSpace::spatial_factor(const Partial& s, std::size_t i,
                                                             std::uint32_t dim_gene,
                                                             std::uint32_t fraction) const {
  const Slot& slot = slots_[i];
  const int d = slot.dims[dim_gene];
  const std::int64_t left = ceil_div(bounds_[d], s.m.spatial_rows[d] * s.m.spatial_cols[d]);
  const std::int64_t used = slot.on_rows ? s.rows_used : s.cols_used;
  const std::int64_t room = std::max<std::int64_t>(1, (slot.on_rows ? rows_ : cols_) / used);
  if (slot.whole) {
    // A whole slot runs all of what is left, or, when that exceeds the axis (ViT's 16 filter
    // rows on Eyeriss's 12), the fewest equal passes that fit, whose partial sums accumulate
    // through the buffers. Eyeriss maps filters up to its height (JSSC 2017, Sec. III); the
    // passes are Loom's extension, and leave every mapping that fits as it was.
    const std::int64_t passes = ceil_div(left, slot.on_rows ? rows_ : cols_);
    return {d, ceil_div(left, passes)};
  }
  const auto& c = candidates(d, left);
  return {d, c[fraction_index(fraction, count_fitting(c, room), domains_[2 * i + 1])]};
}

void SpatialMapSpace::apply_spatial(Partial& s, std::size_t i, int d, std::int64_t f) const {
  const bool rows = slots_[i].on_rows;
  (rows ? s.m.spatial_rows : s.m.spatial_cols)[d] *= f;
  (rows ? s.rows_used : s.cols_used) *= f;
}

void SpatialMapSpace::start_temporal(Partial& s) const {
  for (int d = 0; d < kDims; ++d)
    s.rem[d] = ceil_div(bounds_[d], s.m.spatial_rows[d] * s.m.spatial_cols[d]);
}

std::int64_t SpatialMapSpace::temporal_factor(const Partial& s, std::size_t slot, int d,
                                              std::uint32_t v) const {
  const std::size_t level = levels_ - slot;  // == levels_ for the PE's own loops
  if (level < levels_ && acc_->levels[level].kind == arch::LevelKind::noc) return 1;  // no loops
  if (s.rem[d] == 1) return 1;  // nothing left of this dimension: factor 1
  const bool per_pe = level == levels_ || acc_->levels[level].per_pe;
  const auto& c = candidates(d, s.rem[d]);
  std::size_t i = fraction_index(v, c.size(), domains_[fraction_gene(slot, d)]);
  // Lowers i to the largest candidate for which `fits` holds; fit shrinks monotonically with
  // the factor, so bisect (c[0] == 1 always fits what fitted before).
  const auto shrink = [&](const auto& fits) {
    if (fits(i)) return;
    std::size_t lo = 0, hi = i;  // fits(lo), !fits(hi)
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      (fits(mid) ? lo : hi) = mid;
    }
    i = lo;
  };
  const std::size_t fit_level = std::min(level, levels_ - 1);
  if (slot == 0 && (rules_.whole_in_pe & dim_bit(static_cast<Dim>(d)))) {
    // The whole remainder (the largest candidate) runs in the PE. One that cannot fit the PE's
    // scratchpads even alone (ViT's 16-wide filter rows in Eyeriss's 12-entry ifmap
    // scratchpad) would leave no legal mapping: the largest part that fits alone runs instead,
    // the rest in passes outside the PE. Every remainder that fits alone stays whole.
    i = c.size() - 1;
    shrink([&](std::size_t j) {
      DimFactors alone = kUnitFactors;
      alone[d] = c[j];
      return per_pe_fits(alone, fit_level);
    });
  } else if (per_pe && i > 0) {
    // Lower the factor to the largest that keeps the per-PE tiles fitting.
    shrink([&](std::size_t j) {
      DimFactors trial = s.ext;
      trial[d] *= c[j];
      return per_pe_fits(trial, fit_level);
    });
  }
  return c[i];
}

void SpatialMapSpace::apply_temporal(Partial& s, std::size_t slot, int d, std::int64_t f) const {
  const std::size_t level = levels_ - slot;
  if (slot == 0)
    s.m.pe.factors[d] = f;
  else
    s.m.levels[level].factors[d] = f;
  if (level == levels_ || acc_->levels[level].per_pe) s.ext[d] *= f;
  s.rem[d] = ceil_div(s.rem[d], f);
}

void SpatialMapSpace::finish(Partial& s, std::span<const std::uint32_t> g) const {
  for (int d = 0; d < kDims; ++d) s.m.levels[0].factors[d] = s.rem[d];
  std::size_t k = order_gene(0);
  for (std::size_t l = 0; l < levels_; ++l, ++k) s.m.levels[l].order = order_from_index(g[k]);
  s.m.pe_keeps = keeps_;
}

Mapping SpatialMapSpace::decode(std::span<const std::uint32_t> g) const {
  Partial s;
  begin(s);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const auto [d, f] = spatial_factor(s, i, g[2 * i], g[2 * i + 1]);
    apply_spatial(s, i, d, f);
  }
  // Innermost slot first (the PE's loops, then levels L-1 .. 1); DRAM takes what remains.
  start_temporal(s);
  for (std::size_t slot = 0; slot < levels_; ++slot)
    for (int d = 0; d < kDims; ++d)
      apply_temporal(s, slot, d, temporal_factor(s, slot, d, g[fraction_gene(slot, d)]));
  finish(s, g);
  return std::move(s.m);
}

MappingEvaluation evaluate_spatial_mapping(const workloads::Layer& layer,
                                           const arch::Accelerator& acc, const Mapping& m,
                                           const ResolvedPrecision& p) {
  MappingEvaluation ev;
  if (auto why = check_mapping_shape(layer, acc, m); !why.empty()) {
    ev.valid = false;
    ev.invalid_reason = why;
    return ev;
  }
  NestOptions options;
  options.macs_per_pe_cycle = macs_per_pe_cycle(acc.array.pe, p);
  const NestCounts nc = analyze_nest(layer, acc, m, p, options);
  if (!nc.valid) {
    ev.valid = false;
    ev.invalid_reason = nc.invalid_reason;
    return ev;
  }
  LayerCounts& r = ev.counts;
  r.precision = p;
  r.macs = layer.macs();
  r.macs_per_pe_cycle = options.macs_per_pe_cycle;
  r.access = nc.access;
  r.fill_wait = nc.fill_wait;
  r.exposed_input_bits = nc.exposed_input_bits;
  r.exposed_output_bits = nc.exposed_output_bits;
  r.array = nc.overheads;
  r.compute_cycles = nc.compute_steps;
  r.folds = 1;
  const double pes = static_cast<double>(acc.array.pes());
  r.mapping_efficiency_pct = 100.0 * static_cast<double>(nc.pes_used) / pes;
  r.compute_util_pct = 100.0 * pe_cycles_busy(r) / (static_cast<double>(r.compute_cycles) * pes);
  finish_timing(r, acc);
  // Array-side columns: reads and writes at the innermost shared level holding each operand.
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l) {
    if (acc.levels[l].per_pe || acc.levels[l].kind != arch::LevelKind::sram) continue;
    if (acc.levels[l].holds_operand(arch::Operand::ifmap))
      r.sram_ifmap_reads = nc.access.at(l, arch::Operand::ifmap).reads;
    if (acc.levels[l].holds_operand(arch::Operand::filter))
      r.sram_filter_reads = nc.access.at(l, arch::Operand::filter).reads;
    if (acc.levels[l].holds_operand(arch::Operand::ofmap)) {
      r.sram_ofmap_writes = nc.access.at(l, arch::Operand::ofmap).writes;
      r.sram_ofmap_reads = nc.access.at(l, arch::Operand::ofmap).reads;
    }
  }
  return ev;
}

}  // namespace loom::dataflow
