// SPDX-License-Identifier: Apache-2.0
#include "dataflow/im2col_footprint.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

namespace loom::dataflow {
namespace {

// A rectangle of a flattened (row, column) index space: rows [r0, r1), columns [c0, c1).
struct Rect {
  std::int64_t r0, r1, c0, c1;
};

// The rectangles a flat range [lo, hi) of a rows x cols space covers (at most three: a partial
// first row, whole middle rows, a partial last row).
struct Runs {
  std::array<Rect, 3> rect{};
  int count = 0;
};

Runs runs_of(std::int64_t lo, std::int64_t hi, std::int64_t cols) {
  Runs out;
  const std::int64_t r_lo = lo / cols, c_lo = lo % cols;
  const std::int64_t r_hi = (hi - 1) / cols, c_hi = (hi - 1) % cols;
  if (r_lo == r_hi) {
    out.rect[out.count++] = {r_lo, r_lo + 1, c_lo, c_hi + 1};
    return out;
  }
  out.rect[out.count++] = {r_lo, r_lo + 1, c_lo, cols};
  if (r_hi > r_lo + 1) out.rect[out.count++] = {r_lo + 1, r_hi, 0, cols};
  out.rect[out.count++] = {r_hi, r_hi + 1, 0, c_hi + 1};
  return out;
}

// The outer indices (images, or channels) a flat range [a, a + len) of outer x (rows x cols)
// touches, as at most three classes: a partial first one, whole middle ones (all alike), a
// partial last one.
struct OuterClass {
  std::int64_t mult;
  Runs runs;
};

std::vector<OuterClass> classes_of(std::int64_t a, std::int64_t len, std::int64_t rows,
                                   std::int64_t cols) {
  const std::int64_t size = rows * cols;
  const std::int64_t end = a + len;
  const std::int64_t first = a / size, last = (end - 1) / size;
  std::vector<OuterClass> out;
  if (first == last) {
    out.push_back({1, runs_of(a - first * size, end - first * size, cols)});
    return out;
  }
  out.push_back({1, runs_of(a - first * size, size, cols)});
  if (last - first > 1) out.push_back({last - first - 1, runs_of(0, size, cols)});
  out.push_back({1, runs_of(0, end - last * size, cols)});
  return out;
}

using Bits = std::vector<std::uint64_t>;

void set_bit(Bits& b, std::int64_t i) {
  b[static_cast<std::size_t>(i >> 6)] |= std::uint64_t{1} << (i & 63);
}
bool get_bit(const Bits& b, std::int64_t i) {
  return (b[static_cast<std::size_t>(i >> 6)] >> (i & 63)) & 1U;
}

// Input coordinates {o·stride − pad + t·dil : o in [o0, o1), t in [t0, t1)} inside [0, in).
Bits coords(std::int64_t o0, std::int64_t o1, std::int64_t t0, std::int64_t t1,
            std::int64_t stride, std::int64_t pad, std::int64_t dil, std::int64_t in) {
  Bits b(static_cast<std::size_t>((in + 63) / 64), 0);
  for (std::int64_t t = t0; t < t1; ++t) {
    // Positions o with 0 <= o·stride − pad + t·dil < in, then every one of them.
    const std::int64_t base = t * dil - pad;
    for (std::int64_t o = o0; o < o1; ++o) {
      const std::int64_t x = o * stride + base;
      if (x >= in) break;
      if (x >= 0) set_bit(b, x);
    }
  }
  return b;
}

// Distinct (h, w) one image's pixel runs read through one channel's tap runs.
std::int64_t plane_count(const workloads::LayerShape& s, const Runs& px, const Runs& taps) {
  struct Product {
    Bits rows, cols;
  };
  std::vector<Product> products;
  for (int i = 0; i < px.count; ++i)
    for (int j = 0; j < taps.count; ++j) {
      const Rect& p = px.rect[i];
      const Rect& t = taps.rect[j];
      products.push_back({coords(p.r0, p.r1, t.r0, t.r1, s.stride_h, s.pad_h, s.dilation_h, s.H),
                          coords(p.c0, p.c1, t.c0, t.c1, s.stride_w, s.pad_w, s.dilation_w, s.W)});
    }
  const std::size_t words = static_cast<std::size_t>((s.W + 63) / 64);
  Bits row(words);
  std::int64_t count = 0;
  for (std::int64_t h = 0; h < s.H; ++h) {
    std::fill(row.begin(), row.end(), 0);
    bool any = false;
    for (const auto& pr : products) {
      if (!get_bit(pr.rows, h)) continue;
      any = true;
      for (std::size_t w = 0; w < words; ++w) row[w] |= pr.cols[w];
    }
    if (!any) continue;
    for (auto w : row) count += std::popcount(w);
  }
  return count;
}

}  // namespace

std::int64_t raw_ifmap_elems(const workloads::LayerShape& s, std::int64_t px0,
                             std::int64_t px_len, std::int64_t k0, std::int64_t k_len) {
  const std::int64_t mpx = s.N * s.P * s.Q;
  const std::int64_t k = s.channels_per_group() * s.R * s.S;
  px_len = std::min(px_len, mpx - px0);
  k_len = std::min(k_len, k - k0);
  if (px_len <= 0 || k_len <= 0) return 0;
  const auto images = classes_of(px0, px_len, s.P, s.Q);
  const auto channels = classes_of(k0, k_len, s.R, s.S);
  std::int64_t total = 0;
  for (const auto& img : images)
    for (const auto& ch : channels) total += img.mult * ch.mult * plane_count(s, img.runs, ch.runs);
  return total;
}

std::int64_t raw_ifmap_tile_sum(const workloads::LayerShape& s, std::int64_t u_px,
                                std::int64_t u_k) {
  const std::int64_t mpx = s.N * s.P * s.Q;
  const std::int64_t k = s.channels_per_group() * s.R * s.S;
  std::int64_t total = 0;
  for (std::int64_t px = 0; px < mpx; px += u_px)
    for (std::int64_t kk = 0; kk < k; kk += u_k) total += raw_ifmap_elems(s, px, u_px, kk, u_k);
  return total;
}

}  // namespace loom::dataflow
