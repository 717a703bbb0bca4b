// SPDX-License-Identifier: Apache-2.0
#include "sim/tensor.hpp"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace loom::sim {
namespace {

// 2^31 int32 values (8 GiB): beyond this a "tensor" is almost surely a shape typo, and the
// error is clearer than std::bad_alloc.
constexpr std::int64_t kMaxTensorElems = std::int64_t{1} << 31;

// Number of elements, or -1 if an extent is negative or the product passes kMaxTensorElems
// (checked step by step so the product itself cannot overflow).
std::int64_t checked_count(const std::array<std::int64_t, 4>& d) {
  std::int64_t n = 1;
  for (const std::int64_t e : d) {
    if (e < 0) return -1;
    if (e > 0 && n > kMaxTensorElems / e) return -1;
    n *= e;
  }
  return n;
}

// The top `bits` bits of a raw 64-bit draw, read as a two's-complement number: every value of
// the width is equally likely because mt19937_64 output bits are uniform.
std::int32_t signed_from_draw(std::uint64_t draw, int bits) {
  const std::uint64_t u = draw >> (64 - bits);
  const std::int64_t half = std::int64_t{1} << (bits - 1);
  const auto v = static_cast<std::int64_t>(u);
  return static_cast<std::int32_t>(v >= half ? v - 2 * half : v);
}

void fill_signed(std::vector<std::int32_t>& out, int bits, std::mt19937_64& rng) {
  for (auto& v : out) v = signed_from_draw(rng(), bits);
}

// Keeps a value when the draw's top 53 bits, as a fraction of 2^53, fall below the density.
// Both sides are exact in IEEE double (53-bit integers; density times a power of two), so the
// decision is the same on every platform.
void zero_out(std::vector<std::int32_t>& out, double density, std::mt19937_64& rng) {
  const double threshold = std::ldexp(density, 53);
  for (auto& v : out)
    if (static_cast<double>(rng() >> 11) >= threshold) v = 0;
}

void check_bits(Diagnostics& diags, const char* key, int bits) {
  if (bits < 1 || bits > 32)
    diags.add({"", key, 0, "expected a width of 1 to 32 bits, got " + std::to_string(bits)});
}

std::size_t checked_offset(const Tensor4& t, const std::array<std::int64_t, 4>& i) {
  for (std::size_t k = 0; k < 4; ++k)
    if (i[k] < 0 || i[k] >= t.dims[k])
      throw std::out_of_range("Tensor4::at" + dims_to_string(i) + " outside dims " +
                              dims_to_string(t.dims));
  return static_cast<std::size_t>(t.offset(i[0], i[1], i[2], i[3]));
}

// The LayerShape fields that must be >= 1 (the pads may be 0).
using ShapeField = std::pair<const char*, std::int64_t workloads::LayerShape::*>;
constexpr std::array<ShapeField, 14> kPositiveFields{{
    {"N", &workloads::LayerShape::N},
    {"M", &workloads::LayerShape::M},
    {"C", &workloads::LayerShape::C},
    {"H", &workloads::LayerShape::H},
    {"W", &workloads::LayerShape::W},
    {"P", &workloads::LayerShape::P},
    {"Q", &workloads::LayerShape::Q},
    {"R", &workloads::LayerShape::R},
    {"S", &workloads::LayerShape::S},
    {"stride_h", &workloads::LayerShape::stride_h},
    {"stride_w", &workloads::LayerShape::stride_w},
    {"dilation_h", &workloads::LayerShape::dilation_h},
    {"dilation_w", &workloads::LayerShape::dilation_w},
    {"groups", &workloads::LayerShape::groups},
}};

}  // namespace

Tensor4 Tensor4::zeros(std::array<std::int64_t, 4> dims) {
  const std::int64_t n = checked_count(dims);
  if (n < 0)
    throw Error("tensor dims " + dims_to_string(dims) +
                ": expected extents >= 0 and at most 2^31 elements");
  return Tensor4{dims, std::vector<std::int32_t>(static_cast<std::size_t>(n), 0)};
}

std::int32_t& Tensor4::at(std::int64_t i0, std::int64_t i1, std::int64_t i2, std::int64_t i3) {
  return data[checked_offset(*this, {i0, i1, i2, i3})];
}

std::int32_t Tensor4::at(std::int64_t i0, std::int64_t i1, std::int64_t i2, std::int64_t i3) const {
  return data[checked_offset(*this, {i0, i1, i2, i3})];
}

std::string dims_to_string(const std::array<std::int64_t, 4>& d) {
  return "(" + std::to_string(d[0]) + ", " + std::to_string(d[1]) + ", " + std::to_string(d[2]) +
         ", " + std::to_string(d[3]) + ")";
}

std::array<std::int64_t, 4> ifmap_dims(const workloads::LayerShape& s) {
  return {s.N, s.C, s.H, s.W};
}
std::array<std::int64_t, 4> weight_dims(const workloads::LayerShape& s) {
  return {s.M, s.channels_per_group(), s.R, s.S};
}
std::array<std::int64_t, 4> ofmap_dims(const workloads::LayerShape& s) {
  return {s.N, s.M, s.P, s.Q};
}

void check_layer_shape(const workloads::LayerShape& s) {
  Diagnostics diags;
  const auto at_least = [&](const char* key, std::int64_t v, std::int64_t min) {
    if (v < min)
      diags.add({"", key, 0,
                 "expected an integer >= " + std::to_string(min) + ", got " + std::to_string(v)});
  };
  for (const auto& [key, member] : kPositiveFields) at_least(key, s.*member, 1);
  at_least("pad_h", s.pad_h, 0);
  at_least("pad_w", s.pad_w, 0);
  if (!diags.empty()) diags.throw_if_any();  // the checks below divide by these
  if (s.C % s.groups != 0 || s.M % s.groups != 0)
    diags.add({"", "groups", 0,
               "expected a divisor of both C (" + std::to_string(s.C) + ") and M (" +
                   std::to_string(s.M) + "), got " + std::to_string(s.groups)});
  const std::pair<const char*, std::array<std::int64_t, 4>> tensors[] = {
      {"ifmap", ifmap_dims(s)}, {"weights", weight_dims(s)}, {"ofmap", ofmap_dims(s)}};
  for (const auto& [name, dims] : tensors)
    if (checked_count(dims) < 0)
      diags.add({"", name, 0, "dims " + dims_to_string(dims) + " exceed 2^31 elements"});
  diags.throw_if_any();
}

LayerData random_layer_data(const workloads::LayerShape& s, int activation_bits, int weight_bits,
                            std::uint64_t seed, double ifmap_density) {
  Diagnostics diags;
  check_bits(diags, "activation_bits", activation_bits);
  check_bits(diags, "weight_bits", weight_bits);
  if (!(ifmap_density > 0.0 && ifmap_density <= 1.0))  // also rejects NaN
    diags.add(
        {"", "ifmap_density", 0,
         "expected a fraction of nonzero values in (0, 1], got " + std::to_string(ifmap_density)});
  diags.throw_if_any();
  check_layer_shape(s);

  LayerData d{Tensor4::zeros(ifmap_dims(s)), Tensor4::zeros(weight_dims(s))};
  std::mt19937_64 rng(seed);
  fill_signed(d.ifmap.data, activation_bits, rng);
  fill_signed(d.weights.data, weight_bits, rng);
  if (ifmap_density < 1.0) zero_out(d.ifmap.data, ifmap_density, rng);
  return d;
}

std::int64_t zero_ifmap_macs(const workloads::LayerShape& s, const LayerData& d) {
  check_layer_shape(s);
  if (d.ifmap.dims != ifmap_dims(s))
    throw Error(Diagnostic{"", "ifmap", 0,
                           "expected dims " + dims_to_string(ifmap_dims(s)) + ", got " +
                               dims_to_string(d.ifmap.dims)});
  std::int64_t zero_entries = 0;  // im2col entries (all groups) holding a zero value
  for (std::int64_t n = 0; n < s.N; ++n)
    for (std::int64_t c = 0; c < s.C; ++c)
      for (std::int64_t p = 0; p < s.P; ++p)
        for (std::int64_t r = 0; r < s.R; ++r) {
          const std::int64_t h = p * s.stride_h - s.pad_h + r * s.dilation_h;
          for (std::int64_t q = 0; q < s.Q; ++q)
            for (std::int64_t t = 0; t < s.S; ++t) {
              const std::int64_t w = q * s.stride_w - s.pad_w + t * s.dilation_w;
              const bool inside = h >= 0 && h < s.H && w >= 0 && w < s.W;
              zero_entries += inside && d.ifmap.at(n, c, h, w) == 0 ? 1 : 0;
            }
        }
  return zero_entries * (s.M / s.groups);
}

}  // namespace loom::sim
