// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "common/error_of.hpp"
#include "core/error.hpp"
#include "sim/tensor.hpp"

using loom::sim::LayerData;
using loom::sim::random_layer_data;
using loom::sim::Tensor4;
using loom::workloads::LayerShape;

namespace {

// 3×3 conv, 2 groups, batch 2: ifmap 2 × 8 × 20 × 20 = 6400 values.
LayerShape small_conv() {
  return LayerShape{
      .N = 2, .M = 6, .C = 8, .H = 20, .W = 20, .P = 18, .Q = 18, .R = 3, .S = 3, .groups = 2};
}

}  // namespace

TEST_CASE("random layer data has the layer's dims in NCHW and M × C/groups × R × S order") {
  const LayerData d = random_layer_data(small_conv(), 8, 8, 1);
  CHECK(d.ifmap.dims == std::array<std::int64_t, 4>{2, 8, 20, 20});
  CHECK(d.ifmap.size() == 6400);
  CHECK(d.weights.dims == std::array<std::int64_t, 4>{6, 4, 3, 3});
  CHECK(d.weights.size() == 216);
  CHECK(d.ifmap.at(1, 7, 19, 19) == d.ifmap.data.back());
  CHECK(d.ifmap.at(0, 0, 0, 1) == d.ifmap.data[1]);
  CHECK(d.ifmap.at(0, 1, 0, 0) == d.ifmap.data[400]);
  CHECK_THROWS_AS(d.ifmap.at(0, 8, 0, 0), std::out_of_range);
  CHECK_THROWS_AS(d.ifmap.at(-1, 0, 0, 0), std::out_of_range);
}

TEST_CASE("random layer data is the same for the same seed and differs for another") {
  const LayerData a = random_layer_data(small_conv(), 8, 4, 42);
  CHECK(random_layer_data(small_conv(), 8, 4, 42) == a);
  const LayerData b = random_layer_data(small_conv(), 8, 4, 43);
  CHECK(b.ifmap != a.ifmap);
  CHECK(b.weights != a.weights);
}

TEST_CASE("random layer data takes the top bits of the standard mt19937_64 stream") {
  // The C++ standard fixes mt19937_64's stream; seeded with 5489 its first two outputs are
  // 14514284786278117030 and 4620546740167642908. Their top 8 bits are 201 and 64 (201 − 256 =
  // −55 as int8); the weights come after every ifmap value.
  const LayerShape one{};  // a single MAC: one ifmap value, one weight
  const LayerData d = random_layer_data(one, 8, 8, 5489);
  CHECK(d.ifmap.data == std::vector<std::int32_t>{-55});
  CHECK(d.weights.data == std::vector<std::int32_t>{64});
  // Top bit of the first draw (1): −1 as a 1-bit signed value; top 32 bits 3379370268 − 2^32.
  CHECK(random_layer_data(one, 1, 32, 5489).ifmap.data == std::vector<std::int32_t>{-1});
  CHECK(random_layer_data(one, 32, 1, 5489).ifmap.data ==
        std::vector<std::int32_t>{static_cast<std::int32_t>(3379370268LL - 4294967296LL)});
}

TEST_CASE("random values cover the full signed range of their width") {
  LayerShape s{.C = 64, .H = 64, .W = 64};  // 262,144 ifmap values
  for (const int bits : {1, 4, 8}) {
    const LayerData d = random_layer_data(s, bits, bits, 7);
    const auto [lo, hi] = std::minmax_element(d.ifmap.data.begin(), d.ifmap.data.end());
    CHECK(*lo == -(1 << (bits - 1)));
    CHECK(*hi == (1 << (bits - 1)) - 1);
  }
  const LayerData d = random_layer_data(s, 32, 32, 7);
  const auto [lo, hi] = std::minmax_element(d.ifmap.data.begin(), d.ifmap.data.end());
  CHECK(*lo < -(1 << 30));  // reaches far into both halves of the int32 range
  CHECK(*hi > (1 << 30));
}

TEST_CASE("ifmap density zeroes values without changing the nonzero ones or the weights") {
  LayerShape s{.C = 16, .H = 100, .W = 100};  // 160,000 values
  const LayerData dense = random_layer_data(s, 16, 8, 3);
  const LayerData d30 = random_layer_data(s, 16, 8, 3, 0.3);
  const LayerData d60 = random_layer_data(s, 16, 8, 3, 0.6);
  CHECK(d30.weights == dense.weights);
  std::int64_t zeros30 = 0;
  std::int64_t zeros60 = 0;
  bool nested = true;
  bool same_values = true;
  for (std::size_t i = 0; i < dense.ifmap.data.size(); ++i) {
    zeros30 += d30.ifmap.data[i] == 0;
    zeros60 += d60.ifmap.data[i] == 0;
    if (d60.ifmap.data[i] == 0 && dense.ifmap.data[i] != 0 && d30.ifmap.data[i] != 0)
      nested = false;
    if (d30.ifmap.data[i] != 0 && d30.ifmap.data[i] != dense.ifmap.data[i]) same_values = false;
  }
  CHECK(nested);
  CHECK(same_values);
  // 160,000 draws: the zero fraction's standard deviation is about 0.0012.
  CHECK(static_cast<double>(zeros30) / 160000.0 == Approx(0.7).margin(0.01));
  CHECK(static_cast<double>(zeros60) / 160000.0 == Approx(0.4).margin(0.01));
}

TEST_CASE("random layer data reports every bad argument at once") {
  const std::string e = error_of([] { (void)random_layer_data(LayerShape{}, 0, 33, 1, 0.0); });
  CHECK_THAT(e, Catch::Contains("activation_bits: expected a width of 1 to 32 bits, got 0"));
  CHECK_THAT(e, Catch::Contains("weight_bits: expected a width of 1 to 32 bits, got 33"));
  CHECK_THAT(e, Catch::Contains("ifmap_density: expected a fraction of nonzero values in (0, 1]"));
  CHECK_THAT(error_of([] {
               (void)random_layer_data(LayerShape{}, 8, 8, 1,
                                       std::numeric_limits<double>::quiet_NaN());
             }),
             Catch::Contains("ifmap_density"));
  CHECK_THAT(error_of([] { (void)random_layer_data(LayerShape{}, 8, 8, 1, 1.5); }),
             Catch::Contains("ifmap_density"));
}

TEST_CASE("layer shapes that cannot hold real data are rejected with every reason") {
  const std::string e = error_of([] {
    loom::sim::check_layer_shape(LayerShape{.M = 0, .P = -1, .stride_h = 0, .pad_w = -1});
  });
  CHECK_THAT(e, Catch::Contains("M: expected an integer >= 1, got 0"));
  CHECK_THAT(e, Catch::Contains("P: expected an integer >= 1, got -1"));
  CHECK_THAT(e, Catch::Contains("stride_h: expected an integer >= 1, got 0"));
  CHECK_THAT(e, Catch::Contains("pad_w: expected an integer >= 0, got -1"));
  CHECK_THAT(
      error_of([] { loom::sim::check_layer_shape(LayerShape{.M = 4, .C = 6, .groups = 4}); }),
      Catch::Contains("groups: expected a divisor of both C (6) and M (4), got 4"));
  CHECK_THAT(error_of([] {
               loom::sim::check_layer_shape(LayerShape{.N = 1000, .C = 1000, .H = 1000, .W = 1000});
             }),
             Catch::Contains("ifmap: dims (1000, 1000, 1000, 1000) exceed 2^31 elements"));
  CHECK_NOTHROW(loom::sim::check_layer_shape(small_conv()));
}

TEST_CASE("zero-operand MACs count every read of a zero value, never a padding tap") {
  // A 3x3 image with zeros on its diagonal under two 3x3 filters, padding 1: a corner value is
  // read by 2 x 2 output positions, the centre by 3 x 3, so 4 + 9 + 4 = 17 reads per filter.
  LayerShape s{.M = 2, .C = 1, .H = 3, .W = 3, .R = 3, .S = 3, .pad_h = 1, .pad_w = 1};
  s.P = s.Q = 3;
  LayerData d{Tensor4::zeros({1, 1, 3, 3}), Tensor4::zeros({2, 1, 3, 3})};
  d.ifmap.data = {0, 1, 2, 3, 0, 4, 5, 6, 0};
  CHECK(zero_ifmap_macs(s, d) == 34);
  d.ifmap.data = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  CHECK(zero_ifmap_macs(s, d) == 0);  // padding is not a value
  d.ifmap = Tensor4::zeros({1, 2, 3, 3});
  CHECK_THROWS_WITH(zero_ifmap_macs(s, d), Catch::Contains("expected dims"));
}
