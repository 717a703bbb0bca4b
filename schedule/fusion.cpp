// SPDX-License-Identifier: Apache-2.0
#include "schedule/fusion.hpp"

#include <algorithm>
#include <cmath>

#include "dataflow/layer_timing.hpp"
#include "dataflow/systolic_dram.hpp"
#include "workloads/graph.hpp"

namespace loom::schedule {
namespace {

using arch::Operand;
using workloads::OpKind;

struct Rows {
  std::int64_t begin = 0, end = 0;
  [[nodiscard]] std::int64_t size() const { return std::max<std::int64_t>(0, end - begin); }
};

// The input rows a sliding window reads to produce output rows `out` (padding rows excluded).
Rows input_rows(const workloads::LayerShape& s, Rows out) {
  if (out.size() == 0) return {};
  const std::int64_t lo = out.begin * s.stride_h - s.pad_h;
  const std::int64_t hi = (out.end - 1) * s.stride_h - s.pad_h + (s.R - 1) * s.dilation_h + 1;
  return {std::clamp<std::int64_t>(lo, 0, s.H), std::clamp<std::int64_t>(hi, 0, s.H)};
}

bool row_tileable(const workloads::Layer& l) {
  switch (l.op) {
    case OpKind::conv:
    case OpKind::depthwise:
    case OpKind::pointwise:
    case OpKind::maxpool:
    case OpKind::avgpool:
    case OpKind::activation:
    case OpKind::batchnorm:
      return l.shape.P > 1;
    default:
      return false;
  }
}

// Rows computed and held per layer of a group over its tiles.
struct RowStats {
  std::int64_t sum = 0;      // over all tiles (recomputed rows counted again)
  std::int64_t max = 0;      // the largest tile
  std::int64_t overlap = 0;  // the most rows a tile shares with the previous one
  void add(Rows r, Rows prev) {
    sum += r.size();
    max = std::max(max, r.size());
    overlap = std::max(overlap, std::min(prev.end, r.end) - r.begin);
  }
};

std::int64_t scaled(std::int64_t x, double f) {
  return static_cast<std::int64_t>(std::llround(static_cast<double>(x) * f));
}

void scale_cell(arch::AccessCell& cell, double f) {
  cell.reads = scaled(cell.reads, f);
  cell.writes = scaled(cell.writes, f);
  cell.read_bits = scaled(cell.read_bits, f);
  cell.write_bits = scaled(cell.write_bits, f);
}

// The level weights would stay in for a group: the largest shared on-chip level holding them.
int filter_level(const arch::Accelerator& acc) {
  int best = -1;
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l) {
    const auto& lvl = acc.levels[static_cast<std::size_t>(l)];
    if (lvl.kind != arch::LevelKind::sram || lvl.per_pe || !lvl.holds_operand(Operand::filter))
      continue;
    if (best < 0 || lvl.size_bytes > acc.levels[static_cast<std::size_t>(best)].size_bytes)
      best = l;
  }
  return best;
}

}  // namespace

bool fusable_link(const FusionContext& ctx, std::size_t i) {
  const auto& ls = ctx.net.layers;
  if (i + 1 >= ls.size()) return false;
  const auto& ps = ctx.live.producers[i + 1];
  const auto& a = ls[i].shape;
  const auto& b = ls[i + 1].shape;
  return ps.size() == 1 && ps.front() == i && row_tileable(ls[i]) && row_tileable(ls[i + 1]) &&
         a.N == b.N && a.P == b.H;
}

std::optional<GroupPlan> plan_group(const FusionContext& ctx, std::size_t first, std::size_t last,
                                    std::int64_t tile_rows, HaloPolicy halo,
                                    bool weights_resident) {
  if (ctx.level < 0 || last <= first || tile_rows <= 0) return std::nullopt;
  const auto& ls = ctx.net.layers;
  const std::size_t n = last - first + 1;
  int macs = 0;
  for (std::size_t k = first; k <= last; ++k) {
    if (k < last && !fusable_link(ctx, k)) return std::nullopt;
    macs += ctx.counts[k] ? 1 : 0;
  }
  if (!ctx.counts[first] || !ctx.counts[last] || macs < 2) return std::nullopt;

  GroupPlan g{.first = first, .last = last, .tile_rows = tile_rows, .halo = halo};
  const std::int64_t rows = ls[last].shape.P;
  g.tiles = (rows + tile_rows - 1) / tile_rows;
  std::vector<RowStats> out(n);
  RowStats in;
  std::vector<Rows> prev(n + 1);
  for (std::int64_t t = 0; t < g.tiles; ++t) {
    Rows r{t * tile_rows, std::min(rows, (t + 1) * tile_rows)};
    for (std::size_t pos = n; pos-- > 0;) {
      out[pos].add(r, prev[pos + 1]);
      prev[pos + 1] = r;
      r = input_rows(ls[first + pos].shape, r);
    }
    in.add(r, prev[0]);
    prev[0] = r;
  }

  const auto& lvl = ctx.acc.levels[static_cast<std::size_t>(ctx.level)];
  const auto& p0 = ctx.counts[first]->precision;
  const auto& s0 = ls[first].shape;
  const std::int64_t in_row_bits = s0.N * s0.C * s0.W * p0.activation_bits;
  std::int64_t buffer = 0, weights = 0, max_weights = 0, max_out_tile = 0;
  for (std::size_t pos = 0; pos < n; ++pos) {
    const std::size_t k = first + pos;
    const auto& s = ls[k].shape;
    if (pos + 1 < n) {  // an intermediate tensor: its tile, and its halo if cached
      const std::int64_t row_bits = ctx.live.tensors[k].bits / s.P;
      buffer += out[pos].max * row_bits;
      if (halo == HaloPolicy::cache) buffer += out[pos].overlap * row_bits;
    }
    if (!ctx.counts[k]) continue;
    const auto& p = ctx.counts[k]->precision;
    const std::int64_t w = s.weight_elems() * p.weight_bits;
    weights += w;
    max_weights = std::max(max_weights, w);
    max_out_tile = std::max(max_out_tile,
                            out[pos].max * s.N * s.M * s.Q * std::max(p.output_bits, p.psum_bits));
  }
  if (halo == HaloPolicy::cache) buffer += in.overlap * in_row_bits;
  if (lvl.holds_operand(Operand::filter)) buffer += weights_resident ? weights : 2 * max_weights;
  if (lvl.holds_operand(Operand::ofmap)) buffer += 2 * max_out_tile;
  g.buffer_bits = buffer;
  g.input_tile_bits = 2 * in.max * in_row_bits;
  const std::int64_t capacity = lvl.size_bytes * 8;
  if (g.buffer_bits + g.input_tile_bits > capacity) return std::nullopt;
  if (weights_resident && !lvl.holds_operand(Operand::filter)) {
    const int fl = filter_level(ctx.acc);
    if (fl < 0 || weights > ctx.acc.levels[static_cast<std::size_t>(fl)].size_bytes * 8)
      return std::nullopt;
  }
  g.weights_resident = weights_resident;

  g.compute_factor.assign(n, 1.0);
  if (halo == HaloPolicy::recompute) {
    for (std::size_t pos = 0; pos < n; ++pos)
      g.compute_factor[pos] = std::max(
          1.0, static_cast<double>(out[pos].sum) / static_cast<double>(ls[first + pos].shape.P));
    g.input_read_factor = std::max(1.0, static_cast<double>(in.sum) / static_cast<double>(s0.H));
  }
  // A tensor read outside the group is written to DRAM; through a non-MAC layer inside the
  // group, so is what that layer reads.
  g.output_to_dram.assign(n, false);
  for (std::size_t pos = n - 1; pos-- > 0;) {
    const std::size_t k = first + pos;
    bool needed = false;
    for (const std::size_t j : ctx.live.tensors[k].consumers)
      needed = needed || j < first || j > last || (!ctx.counts[j] && g.output_to_dram[j - first]);
    g.output_to_dram[pos] = needed || ctx.live.tensors[k].network_output();
  }
  return g;
}

dataflow::LayerCounts fused_counts(const dataflow::LayerCounts& c, const GroupPlan& g,
                                   std::size_t pos, const DramCut& cut,
                                   const arch::Accelerator& acc) {
  const bool is_last = g.first + pos == g.last;
  const DramCut eff{pos > 0 || cut.input_on_chip,
                    is_last ? cut.output_on_chip : !g.output_to_dram[pos]};
  dataflow::LayerCounts out = c;
  apply_cut(out, eff, acc);
  const double f = g.compute_factor[pos];
  const double w = g.weights_resident ? 1.0 : static_cast<double>(g.tiles);
  const double in = pos == 0 && !eff.input_on_chip ? g.input_read_factor : 1.0;
  if (f == 1.0 && w == 1.0 && in == 1.0) return out;
  dataflow::LayerCounts before = out;
  dataflow::finish_timing(before, acc);
  const int d = acc.dram_level();
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l)
    if (l != d)
      for (auto& cell : out.access.cells[static_cast<std::size_t>(l)]) scale_cell(cell, f);
  scale_cell(out.access.at(d, Operand::filter), w);
  scale_cell(out.access.at(d, Operand::ifmap), in);
  // Recomputed rows are work the array does again: MACs, array-side accesses, compute cycles.
  out.macs = scaled(out.macs, f);
  out.gated_macs = scaled(out.gated_macs, f);
  out.skipped_macs = scaled(out.skipped_macs, f);
  out.compute_cycles = scaled(out.compute_cycles, f);
  out.port_stall_cycles = scaled(out.port_stall_cycles, f);
  out.sram_ifmap_reads = scaled(out.sram_ifmap_reads, f);
  out.sram_filter_reads = scaled(out.sram_filter_reads, f);
  out.sram_ofmap_writes = scaled(out.sram_ofmap_writes, f);
  out.sram_ofmap_reads = scaled(out.sram_ofmap_reads, f);
  dataflow::LayerCounts after = out;
  dataflow::finish_timing(after, acc);
  const std::int64_t total =
      std::max(out.compute_cycles, out.total_cycles + after.total_cycles - before.total_cycles);
  dataflow::finish_with_total(out, acc, total);
  return out;
}

std::optional<GroupPlan> choose_group(const FusionContext& ctx, std::size_t first, std::size_t last,
                                      const PriceLayer& price, const ScheduleScore& score) {
  if (last >= ctx.net.layers.size()) return std::nullopt;
  const std::int64_t rows = ctx.net.layers[last].shape.P;
  std::vector<std::int64_t> heights;
  for (std::int64_t t = 1; t < rows; t *= 2) heights.push_back(t);
  heights.push_back(rows);
  std::optional<GroupPlan> best;
  double best_score = 0;
  for (const std::int64_t t : heights)
    for (const HaloPolicy halo : {HaloPolicy::recompute, HaloPolicy::cache})
      for (const bool resident : {true, false}) {
        auto g = plan_group(ctx, first, last, t, halo, resident);
        if (!g) continue;
        double energy = 0, cycles = 0;
        for (std::size_t k = first; k <= last; ++k) {
          if (!ctx.counts[k]) continue;
          const LayerCost c = price(fused_counts(*ctx.counts[k], *g, k - first, {}, ctx.acc));
          energy += c.energy_pj;
          cycles += c.cycles;
        }
        const double s = score(energy, cycles);
        if (!best || s < best_score ||
            (s == best_score &&
             g->buffer_bits + g->input_tile_bits < best->buffer_bits + best->input_tile_bits)) {
          best = std::move(g);
          best_score = s;
        }
      }
  return best;
}

std::vector<std::optional<CutCosts>> group_costs(const FusionContext& ctx, const GroupPlan& g,
                                                 const PriceLayer& price) {
  std::vector<std::optional<CutCosts>> out(g.size());
  for (std::size_t k = g.first; k <= g.last; ++k) {
    if (!ctx.counts[k]) continue;
    auto& cc = out[k - g.first].emplace();
    for (const bool in : {false, true})
      for (const bool o : {false, true})
        cc[in][o] = price(fused_counts(*ctx.counts[k], g, k - g.first, {in, o}, ctx.acc));
  }
  return out;
}

}  // namespace loom::schedule
