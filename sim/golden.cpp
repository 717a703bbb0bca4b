// SPDX-License-Identifier: Apache-2.0
#include "sim/golden.hpp"

#include <Eigen/Core>
#include <string>

#include "core/error.hpp"

namespace loom::sim {
namespace {

// Unsigned so that sums wrap modulo 2^64 with defined behaviour; two's-complement products and
// sums agree with the signed ones modulo 2^64.
using Matrix = Eigen::Matrix<std::uint64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Sign-extends the low `bits` bits of x (bits in 1..64).
std::int64_t wrap(std::int64_t x, int bits) {
  if (bits >= 64) return x;
  const auto up = static_cast<std::uint64_t>(x) << (64 - bits);
  return static_cast<std::int64_t>(up) >> (64 - bits);
}

void check_dims(const char* name, const Tensor4& t, const std::array<std::int64_t, 4>& want) {
  if (t.dims != want || t.size() != want[0] * want[1] * want[2] * want[3])
    throw Error(Diagnostic{"", name, 0,
                           "expected dims " + dims_to_string(want) + " from the layer shape, got " +
                               dims_to_string(t.dims) + " with " + std::to_string(t.size()) +
                               " values"});
}

// Rows (c, r, s) and columns (p, q) of the im2col matrix for image n and channels
// [c0, c0 + rows/(R·S)); taps outside the input are the zero padding.
void im2col(const workloads::LayerShape& s, const Tensor4& in, std::int64_t n, std::int64_t c0,
            Matrix& a) {
  std::int64_t row = 0;
  for (std::int64_t c = c0; c < c0 + s.channels_per_group(); ++c)
    for (std::int64_t r = 0; r < s.R; ++r)
      for (std::int64_t t = 0; t < s.S; ++t, ++row) {
        std::uint64_t* out = a.row(row).data();
        for (std::int64_t p = 0; p < s.P; ++p) {
          const std::int64_t h = p * s.stride_h - s.pad_h + r * s.dilation_h;
          const bool h_in = h >= 0 && h < s.H;
          for (std::int64_t q = 0; q < s.Q; ++q, ++out) {
            const std::int64_t w = q * s.stride_w - s.pad_w + t * s.dilation_w;
            *out = h_in && w >= 0 && w < s.W
                       ? static_cast<std::uint64_t>(std::int64_t{in.data[in.offset(n, c, h, w)]})
                       : 0;
          }
        }
      }
}

}  // namespace

void check_output_format(const OutputFormat& f) {
  Diagnostics diags;
  const auto range = [&](const char* key, int v, int lo, int hi) {
    if (v < lo || v > hi)
      diags.add({"", key, 0,
                 "expected " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                     std::to_string(v)});
  };
  range("accumulator_bits", f.accumulator_bits, 1, 64);
  range("product_shift", f.product_shift, 0, 62);
  range("shift", f.shift, 0, 63);
  range("output_bits", f.output_bits, 0, 32);
  if (f.output_bits == 0 && f.accumulator_bits > 32)
    diags.add({"", "accumulator_bits", 0,
               "outputs are stored as int32: with output_bits = 0 expected at most 32, got " +
                   std::to_string(f.accumulator_bits)});
  if (f.output_bits == 0 && (f.shift != 0 || f.saturate))
    diags.add({"", "output_bits", 0, "shift and saturate need output_bits > 0"});
  diags.throw_if_any();
}

std::int32_t format_output(std::int64_t sum, const OutputFormat& f) {
  std::int64_t v = wrap(sum, f.accumulator_bits);
  if (f.output_bits == 0) return static_cast<std::int32_t>(v);
  v >>= f.shift;  // arithmetic in C++20
  if (!f.saturate) return static_cast<std::int32_t>(wrap(v, f.output_bits));
  const std::int64_t hi = (std::int64_t{1} << (f.output_bits - 1)) - 1;
  return static_cast<std::int32_t>(v > hi ? hi : v < -hi - 1 ? -hi - 1 : v);
}

Tensor4 golden_conv(const workloads::LayerShape& s, const LayerData& d, const OutputFormat& f) {
  check_layer_shape(s);
  check_output_format(f);
  check_dims("ifmap", d.ifmap, ifmap_dims(s));
  check_dims("weights", d.weights, weight_dims(s));

  const std::int64_t k = s.channels_per_group() * s.R * s.S;  // im2col rows
  const std::int64_t m_per_group = s.M / s.groups;
  const std::int64_t pq = s.P * s.Q;
  // The M × C/groups × R × S weights are already the stacked M × k filter matrices.
  const Matrix weights =
      Eigen::Map<
          const Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          d.weights.data.data(), s.M, k)
          .cast<std::int64_t>()
          .cast<std::uint64_t>();

  Tensor4 out = Tensor4::zeros(ofmap_dims(s));
  Matrix a(k, pq);
  Matrix sums(m_per_group, pq);
  for (std::int64_t n = 0; n < s.N; ++n)
    for (std::int64_t g = 0; g < s.groups; ++g) {
      im2col(s, d.ifmap, n, g * s.channels_per_group(), a);
      if (f.product_shift == 0) {
        sums.noalias() = weights.middleRows(g * m_per_group, m_per_group) * a;
      } else {
        // Each product windowed before the sum: not a matrix product any more, one dot
        // product per output of shifted element-wise products.
        const auto shifted = [sh = f.product_shift](std::uint64_t v) {
          return static_cast<std::uint64_t>(static_cast<std::int64_t>(v) >> sh);
        };
        for (std::int64_t m = 0; m < m_per_group; ++m)
          for (std::int64_t j = 0; j < pq; ++j)
            sums(m, j) = weights.row(g * m_per_group + m)
                             .transpose()
                             .cwiseProduct(a.col(j))
                             .unaryExpr(shifted)
                             .sum();
      }
      // Output channels g·m_per_group.. of image n are contiguous, in the same order as sums.
      std::int32_t* o = out.data.data() + out.offset(n, g * m_per_group, 0, 0);
      for (std::int64_t i = 0; i < sums.size(); ++i)
        o[i] = format_output(static_cast<std::int64_t>(sums.data()[i]), f);
    }
  return out;
}

}  // namespace loom::sim
