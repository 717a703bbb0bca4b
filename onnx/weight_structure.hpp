// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal to loom::onnx: which weights of a MAC layer are nonzero, laid out filter by filter,
// and the structure found in them (workloads::WeightSparsity). `compact` removes the all-zero
// filters and input channels of an imported network through workloads::prune_channels and
// recounts every density and structure over the weights that remain.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "workloads/network.hpp"

namespace loom::onnx::detail {

// nonzero[(f · channels + c) · window + k]: filter f, input channel c of its group, window
// position k (R·S of a conv; 1 for a matrix product, whose channels are the reduction K).
struct WeightMask {
  std::int64_t filters = 0, channels = 0, window = 1, groups = 1;
  std::vector<bool> nonzero;
  [[nodiscard]] bool at(std::int64_t f, std::int64_t c, std::int64_t k) const {
    return nonzero[static_cast<std::size_t>((f * channels + c) * window + k)];
  }
  [[nodiscard]] double density() const;
};

// All-zero filters, all-zero input channels (of the whole input: channels × groups) and the
// tightest N:M pattern along the channels for M in 4, 8, 16 (M must divide the channels).
workloads::WeightSparsity weight_sparsity(const WeightMask& w);

// Per layer, whether each output channel (filter) is all zero, and whether each input channel
// is read by no nonzero weight.
std::vector<bool> zero_filters(const WeightMask& w);
std::vector<bool> zero_channels(const WeightMask& w);

// `net` with every removable all-zero filter and input channel removed (docs/workloads.md,
// "Compacting"): `masks` holds the weights of the MAC layers, by layer name; `outputs` names
// the layers writing the model's outputs, whose channels are kept unless they are all zero. What
// cannot be removed consistently stays (nothing removable: `net` unchanged). Every layer that lost
// weights has its weight density and sparsity recounted over the rest.
workloads::Network compact(const workloads::Network& net,
                           const std::map<std::string, WeightMask>& masks,
                           const std::set<std::string>& outputs, const std::string& file);

}  // namespace loom::onnx::detail
