// SPDX-License-Identifier: Apache-2.0
#pragma once
// Layer tensors in HDF5, so a simulation can run on real data (e.g. exported from PyTorch with
// h5py) and its outputs can be inspected. Layout, one group per layer:
//   /<layer>/ifmap    int32, N × C × H × W
//   /<layer>/weights  int32, M × C/groups × R × S
//   /<layer>/ofmap    int32, N × M × P × Q (optional)
// Readers accept any integer dataset of at most 32 bits (numpy int8/int16/int32) and check its
// dims against the layer shape. Writes update the file in place (not atomically; the file holds
// inputs, not results). Every failure throws loom::Error naming the file and the dataset.
// Layer names must be non-empty and contain no '/'.
#include <filesystem>
#include <string>

#include "sim/tensor.hpp"
#include "workloads/layer.hpp"

namespace loom::sim {

[[nodiscard]] LayerData load_layer_data(const std::filesystem::path& path, const std::string& layer,
                                        const workloads::LayerShape& s);

// Throws loom::Error naming the file, the dataset, the first value outside the layer's signed
// two's-complement width (activation_bits for the ifmap, weight_bits for the weights) and the
// range: the PE would otherwise compute on bits its datapath does not have.
void check_data_bits(const std::filesystem::path& path, const std::string& layer,
                     const LayerData& d, int activation_bits, int weight_bits);

// Creates the file if needed and replaces the whole /<layer> group: an ofmap saved for
// earlier inputs would no longer belong to the new ones.
void save_layer_data(const std::filesystem::path& path, const std::string& layer,
                     const LayerData& d);

// Adds or replaces /<layer>/ofmap, creating the file and group if needed.
void save_ofmap(const std::filesystem::path& path, const std::string& layer, const Tensor4& ofmap);
[[nodiscard]] Tensor4 load_ofmap(const std::filesystem::path& path, const std::string& layer,
                                 const workloads::LayerShape& s);

}  // namespace loom::sim
