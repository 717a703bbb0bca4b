// SPDX-License-Identifier: Apache-2.0
// golden_conv against an independent reference: the textbook seven nested loops in int64,
// with padding and dilation applied index by index. Shapes cover every feature the golden
// convolution claims; the output-format cases use hand-computed values.
#include <catch2/catch.hpp>
#include <random>

#include "common/error_of.hpp"
#include "core/error.hpp"
#include "sim/golden.hpp"

using loom::sim::format_output;
using loom::sim::golden_conv;
using loom::sim::LayerData;
using loom::sim::OutputFormat;
using loom::sim::random_layer_data;
using loom::sim::Tensor4;
using loom::workloads::LayerShape;

namespace {

// Exact sums, N × M × P × Q, row-major.
std::vector<std::int64_t> naive_conv(const LayerShape& s, const LayerData& d) {
  std::vector<std::int64_t> out;
  const std::int64_t cg = s.C / s.groups;
  const std::int64_t mg = s.M / s.groups;
  for (std::int64_t n = 0; n < s.N; ++n)
    for (std::int64_t m = 0; m < s.M; ++m)
      for (std::int64_t p = 0; p < s.P; ++p)
        for (std::int64_t q = 0; q < s.Q; ++q) {
          std::int64_t sum = 0;
          for (std::int64_t c = 0; c < cg; ++c)
            for (std::int64_t r = 0; r < s.R; ++r)
              for (std::int64_t t = 0; t < s.S; ++t) {
                const std::int64_t h = p * s.stride_h + r * s.dilation_h - s.pad_h;
                const std::int64_t w = q * s.stride_w + t * s.dilation_w - s.pad_w;
                if (h < 0 || h >= s.H || w < 0 || w >= s.W) continue;
                sum +=
                    std::int64_t{d.ifmap.at(n, (m / mg) * cg + c, h, w)} * d.weights.at(m, c, r, t);
              }
          out.push_back(sum);
        }
  return out;
}

// Two's-complement wrap to 32 bits written as modular arithmetic, not as a shift pair.
std::int64_t wrap32(std::int64_t x) {
  const std::int64_t m = std::int64_t{1} << 32;
  return ((x + (m / 2)) % m + m) % m - m / 2;
}

LayerShape with_output_size(LayerShape s) {
  s.P = loom::workloads::conv_output_size(s.H, s.R, s.stride_h, s.pad_h, s.dilation_h);
  s.Q = loom::workloads::conv_output_size(s.W, s.S, s.stride_w, s.pad_w, s.dilation_w);
  return s;
}

void check_against_naive(const LayerShape& s, int bits, std::uint64_t seed) {
  CAPTURE(s.N, s.M, s.C, s.H, s.W, s.P, s.Q, s.R, s.S, s.stride_h, s.stride_w, s.dilation_h,
          s.dilation_w, s.pad_h, s.pad_w, s.groups, bits, seed);
  const LayerData d = random_layer_data(s, bits, bits, seed, 0.8);
  const Tensor4 out = golden_conv(s, d);
  REQUIRE(out.dims == std::array<std::int64_t, 4>{s.N, s.M, s.P, s.Q});
  const std::vector<std::int64_t> ref = naive_conv(s, d);
  std::vector<std::int64_t> got(out.data.begin(), out.data.end());
  std::vector<std::int64_t> want;
  for (const std::int64_t v : ref) want.push_back(wrap32(v));
  CHECK(got == want);
}

}  // namespace

TEST_CASE("golden convolution matches the naive loops on hand-picked shapes") {
  const LayerShape shapes[] = {
      {.M = 5, .C = 3, .H = 11, .W = 9, .R = 3, .S = 3},  // odd sizes, valid
      {.M = 4,
       .C = 3,
       .H = 13,
       .W = 12,
       .R = 3,
       .S = 2,
       .stride_h = 2,  // stride 2 and 3,
       .stride_w = 3,
       .pad_h = 1,
       .pad_w = 2},  // uneven padding
      {.M = 2,
       .C = 2,
       .H = 17,
       .W = 17,
       .R = 5,
       .S = 5,
       .stride_h = 4,
       .stride_w = 4,
       .pad_h = 2,
       .pad_w = 2},  // stride 4
      {.M = 3,
       .C = 4,
       .H = 10,
       .W = 11,
       .R = 3,
       .S = 3,
       .dilation_h = 2,
       .dilation_w = 2,
       .pad_h = 2,
       .pad_w = 2},  // dilation 2
      {.M = 6,
       .C = 4,
       .H = 8,
       .W = 8,
       .R = 3,
       .S = 3,
       .pad_h = 1,
       .pad_w = 1,
       .groups = 2},  // groups
                      // 2
      {.M = 8,
       .C = 8,
       .H = 9,
       .W = 7,
       .R = 3,
       .S = 3,
       .stride_h = 2,
       .stride_w = 2,
       .pad_h = 1,
       .pad_w = 1,
       .groups = 8},  // depthwise
      {.M = 16,
       .C = 16,
       .H = 9,
       .W = 9,
       .R = 3,
       .S = 3,
       .pad_h = 1,
       .pad_w = 1,
       .groups = 16},                    // depthwise, more
      {.M = 7, .C = 5, .H = 6, .W = 5},  // 1×1
      {.M = 10, .C = 33},                // FC
      {.N = 2, .M = 4, .C = 3, .H = 7, .W = 7, .R = 3, .S = 3, .pad_h = 1, .pad_w = 1},  // batch
      {.N = 2, .M = 10, .C = 20},                        // FC, batch 2
      {.M = 3, .C = 2, .H = 4, .W = 4, .R = 4, .S = 4},  // filter = input
  };
  std::uint64_t seed = 1;
  for (const LayerShape& s : shapes) check_against_naive(with_output_size(s), 8, seed++);
}

TEST_CASE("golden convolution matches the naive loops on 300 random shapes") {
  std::mt19937_64 pick(2024);
  const auto in = [&](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(pick() % static_cast<std::uint64_t>(hi - lo + 1));
  };
  int checked = 0;
  while (checked < 300) {
    LayerShape s{.N = in(1, 2),
                 .H = in(1, 12),
                 .W = in(1, 12),
                 .R = in(1, 4),
                 .S = in(1, 4),
                 .stride_h = in(1, 4),
                 .stride_w = in(1, 4),
                 .dilation_h = in(1, 2),
                 .dilation_w = in(1, 2),
                 .pad_h = in(0, 2),
                 .pad_w = in(0, 2),
                 .groups = in(1, 3)};
    s.C = s.groups * in(1, 3);
    s.M = s.groups * in(1, 3);
    if (in(0, 4) == 0) s.M = s.C = s.groups = in(1, 6);  // depthwise
    s = with_output_size(s);
    if (s.P < 1 || s.Q < 1) continue;
    check_against_naive(s, 8, static_cast<std::uint64_t>(checked));
    ++checked;
  }
}

TEST_CASE("golden convolution wraps 16-bit sums that pass 2^31 like a 32-bit accumulator") {
  // 16-bit operands and 288-term sums: many exceed ±2^31 and must wrap exactly.
  const LayerShape s =
      with_output_size({.M = 4, .C = 32, .H = 6, .W = 6, .R = 3, .S = 3, .pad_h = 1, .pad_w = 1});
  check_against_naive(s, 16, 99);
}

TEST_CASE("a product sum above 2^31 wraps negative with a 32-bit accumulator") {
  const LayerShape fc{.M = 1, .C = 3};
  LayerData d{Tensor4::zeros({1, 3, 1, 1}), Tensor4::zeros({1, 3, 1, 1})};
  d.ifmap.data = {32767, 32767, 32767};
  d.weights.data = {32767, 32767, 32767};
  // 3 · 32767² = 3,221,028,867 = 2^32 − 1,073,938,429.
  CHECK(golden_conv(fc, d).data == std::vector<std::int32_t>{-1073938429});
  // A 16-bit accumulator keeps the low 16 bits: 3,221,028,867 mod 2^16 = 3 → 3.
  CHECK(golden_conv(fc, d, {.accumulator_bits = 16}).data == std::vector<std::int32_t>{3});
  // A 40-bit accumulator holds the sum; the top 32 of its bits (shift 8) are 12,582,144.
  CHECK(golden_conv(fc, d, {.accumulator_bits = 40, .shift = 8, .output_bits = 32}).data ==
        std::vector<std::int32_t>{12582144});
}

TEST_CASE("a product window shifts every product before the sum, rounding toward minus infinity") {
  const LayerShape fc{.M = 1, .C = 3};
  LayerData d{Tensor4::zeros({1, 3, 1, 1}), Tensor4::zeros({1, 3, 1, 1})};
  d.ifmap.data = {100, -7, 300};
  d.weights.data = {50, 9, -2};
  // 5000 >> 4 = 312, -63 >> 4 = -4, -600 >> 4 = -38; unwindowed the sum is 4337.
  CHECK(golden_conv(fc, d, {.accumulator_bits = 16, .product_shift = 4}).data ==
        std::vector<std::int32_t>{270});
  CHECK(golden_conv(fc, d, {.accumulator_bits = 16}).data == std::vector<std::int32_t>{4337});
  // Eyeriss-style: 16 x 16 -> 32-bit products, 8 fraction bits dropped, 16-bit partial sums.
  // 32767^2 >> 8 = 4,194,048; three of them, 12,582,144, wrap to 64,768 - 65,536 = -768.
  d.ifmap.data = {32767, 32767, 32767};
  d.weights.data = {32767, 32767, 32767};
  CHECK(golden_conv(fc, d, {.accumulator_bits = 16, .product_shift = 8}).data ==
        std::vector<std::int32_t>{-768});
  CHECK_THROWS_WITH(golden_conv(fc, d, {.product_shift = 63}),
                    Catch::Contains("product_shift") && Catch::Contains("0 to 62"));
}

TEST_CASE("output format shifts arithmetically, then wraps or saturates to the output width") {
  const OutputFormat window16{.shift = 4, .output_bits = 16};  // Eyeriss-style window
  const OutputFormat sat16{.shift = 4, .output_bits = 16, .saturate = true};
  CHECK(format_output(1000000, window16) == -3036);  // 62,500 − 65,536
  CHECK(format_output(-1000000, window16) == 3036);  // −62,500 + 65,536
  CHECK(format_output(1000000, sat16) == 32767);
  CHECK(format_output(-1000000, sat16) == -32768);
  CHECK(format_output(1000, sat16) == 62);   // inside the range: only the shift
  CHECK(format_output(-1, window16) == -1);  // shifts round toward −∞
  CHECK(format_output(-17, window16) == -2);
  CHECK(format_output(40000, {.accumulator_bits = 16}) == -25536);  // 40,000 − 65,536
  CHECK(format_output(std::int64_t{1} << 40,
                      {.accumulator_bits = 64, .output_bits = 32, .saturate = true}) == 2147483647);
  CHECK(format_output(-(std::int64_t{1} << 40),
                      {.accumulator_bits = 64, .output_bits = 8, .saturate = true}) == -128);
  CHECK(format_output(200, {.output_bits = 8}) == -56);
  CHECK(format_output(1, {.accumulator_bits = 1}) == -1);
}

TEST_CASE("output formats that cannot be stored as int32 are rejected with every reason") {
  const std::string e = error_of([] {
    loom::sim::check_output_format({.accumulator_bits = 65, .shift = -1, .output_bits = 33});
  });
  CHECK_THAT(e, Catch::Contains("accumulator_bits: expected 1 to 64, got 65"));
  CHECK_THAT(e, Catch::Contains("shift: expected 0 to 63, got -1"));
  CHECK_THAT(e, Catch::Contains("output_bits: expected 0 to 32, got 33"));
  CHECK_THAT(error_of([] { loom::sim::check_output_format({.accumulator_bits = 48}); }),
             Catch::Contains("with output_bits = 0 expected at most 32, got 48"));
  CHECK_THAT(error_of([] { loom::sim::check_output_format({.shift = 2}); }),
             Catch::Contains("shift and saturate need output_bits > 0"));
}

TEST_CASE("golden convolution rejects tensors whose dims differ from the layer shape") {
  const LayerShape s = with_output_size({.M = 2, .C = 3, .H = 5, .W = 5, .R = 3, .S = 3});
  LayerData d = random_layer_data(s, 8, 8, 1);
  d.weights = Tensor4::zeros({2, 3, 3, 2});
  CHECK_THAT(error_of([&] { (void)golden_conv(s, d); }),
             Catch::Contains("weights: expected dims (2, 3, 3, 3) from the layer shape, got "
                             "(2, 3, 3, 2) with 36 values"));
}
