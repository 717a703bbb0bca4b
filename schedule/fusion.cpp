// SPDX-License-Identifier: Apache-2.0
#include "schedule/fusion.hpp"

#include <algorithm>

#include "workloads/graph.hpp"

namespace loom::schedule {
namespace {

using arch::Operand;
using workloads::OpKind;

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

// Rows held per layer of a group over its tiles.
struct RowStats {
  std::int64_t max = 0;      // the largest tile
  std::int64_t overlap = 0;  // the most rows a tile shares with the previous one
  void add(Rows r, Rows prev) {
    max = std::max(max, r.size());
    overlap = std::max(overlap, std::min(prev.end, r.end) - r.begin);
  }
};

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

Rows input_rows(const workloads::LayerShape& s, Rows out) {
  if (out.size() == 0) return {};
  const std::int64_t lo = out.begin * s.stride_h - s.pad_h;
  const std::int64_t hi = (out.end - 1) * s.stride_h - s.pad_h + (s.R - 1) * s.dilation_h + 1;
  return {std::clamp<std::int64_t>(lo, 0, s.H), std::clamp<std::int64_t>(hi, 0, s.H)};
}

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
  if (lvl.holds_operand(Operand::filter)) {
    buffer += weights_resident ? weights : 2 * max_weights;
    g.working_bits += weights_resident ? 0 : 2 * max_weights;
  }
  if (lvl.holds_operand(Operand::ofmap)) {
    buffer += 2 * max_out_tile;
    g.working_bits += 2 * max_out_tile;
  }
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

}  // namespace loom::schedule
