// SPDX-License-Identifier: Apache-2.0
#pragma once
// Tensor lifetimes of a network graph. Every layer writes one tensor (its output); the tensor
// lives from its producer's step through its last consumer's step, in execution order (the
// order of Network::layers). Non-MAC layers (add, concat, pool, ...) are tensors too: they read
// their producers' tensors and write their own, as the graph's edges (Layer::inputs) say. A
// tensor nobody reads is a network output. Layers without inputs read the network input, which
// is not a layer's tensor and lives in DRAM. Sizes in bits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/network.hpp"

namespace loom::schedule {

struct Tensor {
  std::size_t producer = 0;            // index of the writing layer in Network::layers
  std::vector<std::size_t> consumers;  // indices of the reading layers, ascending
  std::size_t first = 0, last = 0;     // steps (layer indices) it occupies, inclusive
  std::int64_t bits = 0;               // whole tensor, all of the batch
  [[nodiscard]] bool network_output() const { return consumers.empty(); }
};

struct Liveness {
  std::vector<Tensor> tensors;                      // tensors[i]: output of layer i
  std::vector<std::vector<std::size_t>> producers;  // producers[i]: layers whose tensors i reads
};

// `element_bits[i]`: the width of one element of layer i's output. Throws loom::Error for an
// input naming no earlier layer (workloads::producer_indices).
Liveness compute_liveness(const workloads::Network& net, const std::vector<int>& element_bits);

}  // namespace loom::schedule
