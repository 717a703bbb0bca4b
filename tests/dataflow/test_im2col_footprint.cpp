// SPDX-License-Identifier: Apache-2.0
// The exact raw footprint of im2col tiles against brute-force enumeration of the tile's entries.
#include <catch2/catch.hpp>

#include <random>
#include <set>
#include <tuple>

#include "dataflow/im2col_footprint.hpp"

using namespace loom;

namespace {

workloads::LayerShape conv(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w,
                           std::int64_t r, std::int64_t s, std::int64_t stride, std::int64_t pad,
                           std::int64_t dil = 1) {
  workloads::LayerShape x;
  x.N = n, x.C = c, x.M = 4, x.H = h, x.W = w, x.R = r, x.S = s;
  x.stride_h = x.stride_w = stride;
  x.pad_h = x.pad_w = pad;
  x.dilation_h = x.dilation_w = dil;
  x.P = workloads::conv_output_size(h, r, stride, pad, dil);
  x.Q = workloads::conv_output_size(w, s, stride, pad, dil);
  return x;
}

std::int64_t brute(const workloads::LayerShape& s, std::int64_t px0, std::int64_t px_len,
                   std::int64_t k0, std::int64_t k_len) {
  std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>> seen;
  const std::int64_t mpx = s.N * s.P * s.Q, kk = s.C * s.R * s.S;
  for (std::int64_t px = px0; px < std::min(mpx, px0 + px_len); ++px)
    for (std::int64_t k = k0; k < std::min(kk, k0 + k_len); ++k) {
      const std::int64_t n = px / (s.P * s.Q), p = px / s.Q % s.P, q = px % s.Q;
      const std::int64_t c = k / (s.R * s.S), r = k / s.S % s.R, t = k % s.S;
      const std::int64_t h = p * s.stride_h - s.pad_h + r * s.dilation_h;
      const std::int64_t w = q * s.stride_w - s.pad_w + t * s.dilation_w;
      if (h >= 0 && h < s.H && w >= 0 && w < s.W) seen.insert({n, c, h, w});
    }
  return static_cast<std::int64_t>(seen.size());
}

}  // namespace

TEST_CASE("a whole-layer im2col tile needs exactly the unpadded ifmap") {
  const auto s = conv(2, 3, 9, 7, 3, 3, 1, 1);
  CHECK(dataflow::raw_ifmap_elems(s, 0, s.N * s.P * s.Q, 0, s.C * 9) == 2 * 3 * 9 * 7);
  // Stride 2 with a 1x1 window skips every other row and column.
  const auto t = conv(1, 2, 8, 8, 1, 1, 2, 0);
  CHECK(dataflow::raw_ifmap_elems(t, 0, 16, 0, 2) == 2 * 4 * 4);
}

TEST_CASE("random im2col tiles match brute-force enumeration") {
  std::mt19937_64 rng(7);
  const workloads::LayerShape shapes[] = {
      conv(2, 3, 11, 9, 3, 3, 1, 1), conv(1, 4, 13, 13, 5, 5, 2, 2), conv(3, 2, 8, 10, 3, 2, 3, 0),
      conv(1, 3, 12, 12, 3, 3, 1, 2, 2), conv(4, 5, 1, 1, 1, 1, 1, 0), conv(1, 2, 7, 7, 7, 7, 1, 3)};
  for (const auto& s : shapes) {
    const std::int64_t mpx = s.N * s.P * s.Q, kk = s.C * s.R * s.S;
    for (int trial = 0; trial < 60; ++trial) {
      const auto px0 = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(mpx));
      const auto len = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(mpx));
      const auto k0 = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kk));
      const auto klen = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kk));
      INFO("px " << px0 << "+" << len << " k " << k0 << "+" << klen);
      REQUIRE(dataflow::raw_ifmap_elems(s, px0, len, k0, klen) == brute(s, px0, len, k0, klen));
    }
  }
}

TEST_CASE("the tile sum adds each tile's footprint once") {
  const auto s = conv(1, 3, 10, 10, 3, 3, 1, 1);
  std::int64_t expect = 0;
  for (std::int64_t px = 0; px < 100; px += 16)
    for (std::int64_t k = 0; k < 27; k += 8) expect += brute(s, px, 16, k, 8);
  CHECK(dataflow::raw_ifmap_tile_sum(s, 16, 8) == expect);
}
