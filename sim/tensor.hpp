// SPDX-License-Identifier: Apache-2.0
#pragma once
// Integer tensors for cycle-level simulation and the golden convolution. A Tensor4 is a plain
// value: four extents and row-major data (the last index varies fastest). Layouts used here:
// ifmap N × C × H × W (unpadded), weights M × C/groups × R × S, ofmap N × M × P × Q.
// Values are signed two's complement held in int32, so widths up to 32 bits fit.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/layer.hpp"

namespace loom::sim {

struct Tensor4 {
  std::array<std::int64_t, 4> dims{};
  std::vector<std::int32_t> data;  // dims[0]·dims[1]·dims[2]·dims[3] values

  // All zeros; throws loom::Error if an extent is negative or the size is unreasonably large.
  [[nodiscard]] static Tensor4 zeros(std::array<std::int64_t, 4> dims);

  [[nodiscard]] std::int64_t size() const { return static_cast<std::int64_t>(data.size()); }
  // Row-major position of (i0, i1, i2, i3), unchecked: for loops that stay inside dims.
  [[nodiscard]] std::int64_t offset(std::int64_t i0, std::int64_t i1, std::int64_t i2,
                                    std::int64_t i3) const {
    return ((i0 * dims[1] + i1) * dims[2] + i2) * dims[3] + i3;
  }
  // Checked like std::vector::at: throws std::out_of_range for an index outside dims.
  std::int32_t& at(std::int64_t i0, std::int64_t i1, std::int64_t i2, std::int64_t i3);
  [[nodiscard]] std::int32_t at(std::int64_t i0, std::int64_t i1, std::int64_t i2,
                                std::int64_t i3) const;

  friend bool operator==(const Tensor4&, const Tensor4&) = default;
};

struct LayerData {
  Tensor4 ifmap;    // N × C × H × W
  Tensor4 weights;  // M × C/groups × R × S
  friend bool operator==(const LayerData&, const LayerData&) = default;
};

// "(1, 3, 224, 224)", for messages.
[[nodiscard]] std::string dims_to_string(const std::array<std::int64_t, 4>& dims);

// Extents of each tensor of a layer, in the layouts above.
[[nodiscard]] std::array<std::int64_t, 4> ifmap_dims(const workloads::LayerShape& s);
[[nodiscard]] std::array<std::int64_t, 4> weight_dims(const workloads::LayerShape& s);
[[nodiscard]] std::array<std::int64_t, 4> ofmap_dims(const workloads::LayerShape& s);

// Throws loom::Error listing every problem of a shape that cannot be simulated with real data:
// extents, strides, dilations, groups >= 1, pads >= 0, groups dividing C and M, tensors small
// enough to hold in memory. P and Q only need to be >= 1: taps outside the padded input read
// zero, so both the floor convention (workload YAML) and SCALE-Sim's ceil convention work.
void check_layer_shape(const workloads::LayerShape& s);

// Random ifmap and weights, bit-identical on every platform for a given seed. Values are
// uniform over the full signed range of their width (8 bits: −128..127). With ifmap_density
// < 1 each ifmap value is zero with probability 1 − density. Draw order (docs/sim.md): one
// std::mt19937_64 seeded with `seed` gives the ifmap values (row-major), then the weights,
// then, only when density < 1, one keep-or-zero draw per ifmap value — so the nonzero values
// do not depend on the density, and a lower density zeroes a superset of positions.
// Throws loom::Error for bits outside 1..32, density outside (0, 1] or a bad shape.
[[nodiscard]] LayerData random_layer_data(const workloads::LayerShape& s, int activation_bits,
                                          int weight_bits, std::uint64_t seed,
                                          double ifmap_density = 1.0);

// MACs of the layer whose ifmap operand is a zero value of `d`'s ifmap (padding taps are not
// values and not counted, as the analytical sparsity model does not count them): each im2col
// entry meets every filter of its group once, whatever the dataflow. What a zero-gating PE
// gates on this data. Throws loom::Error if d does not fit the shape.
[[nodiscard]] std::int64_t zero_ifmap_macs(const workloads::LayerShape& s, const LayerData& d);

}  // namespace loom::sim
