// SPDX-License-Identifier: Apache-2.0
#include "dataflow/dram_timing.hpp"

#include <algorithm>
#include <cmath>

namespace loom::dataflow {
namespace {

using arch::Operand;

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Runs in elements, then scaled to bytes (packed words round up), merging runs that touch.
DramRuns in_bytes(DramRuns r, int bits) {
  const auto b = [bits](std::int64_t e) { return ceil_div(e * bits, 8); };
  r.len = b(r.len);
  r.inner_stride = b(r.inner_stride);
  r.outer_stride = b(r.outer_stride);
  if (r.inner > 1 && r.inner_stride == r.len) {
    r.len *= r.inner;
    r.inner = 1;
  }
  if (r.inner == 1 && r.outer > 1 && r.outer_stride == r.len) {
    r.len *= r.outer;
    r.outer = 1;
  }
  return r;
}

DramRuns ifmap_runs(const workloads::LayerShape& s, const GemmBox& b) {
  const std::int64_t rs = s.R * s.S, pq = s.P * s.Q, hw = s.H * s.W;
  const std::int64_t channels = (b.k0 + b.k - 1) / rs - b.k0 / rs + 1;
  const std::int64_t n0 = b.px0 / pq, n1 = (b.px0 + b.px - 1) / pq;
  if (n1 > n0)  // whole images: each a block of the group's channels
    return {channels * hw, n1 - n0 + 1, s.C * hw, 1, 0};
  const std::int64_t first = b.px0 % pq, last = (b.px0 + b.px - 1) % pq;
  const std::int64_t p0 = first / s.Q, p1 = last / s.Q;
  const std::int64_t h_lo = std::max<std::int64_t>(0, p0 * s.stride_h - s.pad_h);
  const std::int64_t h_hi = std::min(s.H - 1, p1 * s.stride_h - s.pad_h + (s.R - 1) * s.dilation_h);
  const std::int64_t rows = std::max<std::int64_t>(1, h_hi - h_lo + 1);
  if (p1 > p0)  // several output rows: whole input rows, contiguous within a channel
    return {rows * s.W, channels, hw, 1, 0};
  const std::int64_t w_lo = std::max<std::int64_t>(0, first % s.Q * s.stride_w - s.pad_w);
  const std::int64_t w_hi =
      std::min(s.W - 1, last % s.Q * s.stride_w - s.pad_w + (s.S - 1) * s.dilation_w);
  return {std::max<std::int64_t>(1, w_hi - w_lo + 1), rows, s.W, channels, hw};
}

// Rows of `row` bytes that `n` runs of `len` bytes, `stride` apart, touch.
std::int64_t rows_touched(std::int64_t n, std::int64_t len, std::int64_t stride, std::int64_t row) {
  if (n == 1 || stride >= row) return n * ceil_div(len, row);
  return ceil_div((n - 1) * stride + len, row);
}

}  // namespace

DramRuns tile_runs(const workloads::LayerShape& s, Operand o, const GemmBox& b, int bits) {
  const std::int64_t pq = s.P * s.Q;
  switch (o) {
    case Operand::ifmap:
      return in_bytes(ifmap_runs(s, b), bits);
    case Operand::filter:  // filter m's taps k0.. lie at m * K + k
      return in_bytes({b.k, b.m, s.channels_per_group() * s.R * s.S, 1, 0}, bits);
    case Operand::ofmap: {
      const std::int64_t images = (b.px0 + b.px - 1) / pq - b.px0 / pq + 1;
      if (images == 1) return in_bytes({b.px, b.m, pq, 1, 0}, bits);
      return in_bytes({pq, b.m, pq, images, s.M * pq}, bits);
    }
  }
  return {};
}

std::int64_t transfer_cycles(const arch::MemoryLevel& dram, std::int64_t bits, const DramRuns& r) {
  const arch::DramTiming& t = dram.dram_timing;
  double bytes = static_cast<double>(bits) / 8.0;
  if (t.burst_bytes > 0)
    bytes = std::max(bytes, static_cast<double>(r.outer * r.inner * ceil_div(r.len, t.burst_bytes) *
                                                t.burst_bytes));
  const double bw = dram.bandwidth_bytes_per_cycle;
  std::int64_t cycles = bw > 0 ? static_cast<std::int64_t>(std::ceil(bytes / bw - 1e-9)) : 0;
  if (t.row_bytes == 0 || bits == 0) return cycles;
  const std::int64_t group = rows_touched(r.inner, r.len, r.inner_stride, t.row_bytes);
  const std::int64_t span = (r.inner - 1) * r.inner_stride + r.len;
  const std::int64_t rows = r.outer == 1 || r.outer_stride >= t.row_bytes
                                ? r.outer * group
                                : rows_touched(r.outer, span, r.outer_stride, t.row_bytes);
  // The first row opens before any data moves; the others open in other banks while data
  // moves, no faster than one activate per activate_cycles.
  return t.row_miss_cycles + std::max(cycles, (rows - 1) * t.activate_cycles);
}

double dram_bus_factor(const workloads::Layer& layer, const arch::Accelerator& acc,
                       const std::array<GemmBox, arch::kOperands>& tiles, double ifmap_tile_elems,
                       const arch::AccessCounts& access, const ResolvedPrecision& p) {
  const int d = acc.dram_level();
  const auto& dram = acc.levels[static_cast<std::size_t>(d)];
  const double bw = dram.bandwidth_bytes_per_cycle;
  if (dram.dram_timing.ideal() || bw <= 0) return 1.0;
  const auto& s = layer.shape;
  double ideal = 0, real = 0;
  // Outputs at output width: final write-backs dominate unless partial sums spill.
  const int bits[3] = {p.activation_bits, p.weight_bits, p.output_bits};
  for (int o = 0; o < arch::kOperands; ++o) {
    const auto op = static_cast<Operand>(o);
    const auto& cell = access.at(d, op);
    const double moved = static_cast<double>(cell.read_bits + cell.write_bits);
    if (moved <= 0) continue;
    const GemmBox& b = tiles[static_cast<std::size_t>(o)];
    const std::int64_t elems = o == 0   ? static_cast<std::int64_t>(ifmap_tile_elems)
                               : o == 1 ? b.k * b.m
                                        : b.px * b.m;
    const std::int64_t tile_bits = std::max<std::int64_t>(1, elems * bits[o]);
    const double tiles_moved = moved / static_cast<double>(tile_bits);
    ideal += moved / 8.0 / bw;
    real += tiles_moved *
            static_cast<double>(transfer_cycles(dram, tile_bits, tile_runs(s, op, b, bits[o])));
    if (o == 2)
      real += 2.0 * static_cast<double>(dram.dram_timing.turnaround_cycles) *
              static_cast<double>(cell.write_bits) / static_cast<double>(tile_bits);
  }
  return ideal > 0 ? std::max(1.0, real / ideal) : 1.0;
}

}  // namespace loom::dataflow
