// SPDX-License-Identifier: Apache-2.0
#pragma once
// The network as a graph: each layer's producers (Layer::inputs) resolved to indices, and the
// channel bookkeeping that ties producers to consumers. Layers are stored in execution order,
// so every producer precedes its consumers (the loaders enforce it).
#include <cstddef>
#include <string>
#include <vector>

#include "workloads/network.hpp"

namespace loom::workloads {

// producers[i] = indices of layer i's inputs; throws loom::Error on an unknown or later name.
std::vector<std::vector<std::size_t>> producer_indices(const Network& net);

// How many input channels `consumer` sees from producers with these output channel counts:
// the sum for a concat, the common count for element-wise ops, else the first producer's,
// multiplied by H·W for layers that flatten (fc). Returns 0 if the counts do not fit the
// consumer's C (see channel_problems), or if there are no producers.
std::int64_t expected_input_channels(const Layer& consumer,
                                     const std::vector<std::int64_t>& producer_channels);

// Whether `consumer` takes the tensor `producer` writes, as a layer listed without `inputs:`
// after `producer` must (workload YAML): its C×H×W equal to the producer's M×P×Q, or for a
// flattening layer (fc, flatten, reshape, transpose) the same element count. GEMM layers state
// no tensor shape and always do.
[[nodiscard]] bool reads_output_of(const Layer& producer, const Layer& consumer);

// A layer whose input channels C disagree with what its producers write.
struct ChannelProblem {
  std::size_t layer = 0;  // index into Network::layers
  std::string message;    // "layer X: C = ... does not match ..."
};
// Every such layer; empty for a consistent network.
std::vector<ChannelProblem> channel_problems(const Network& net);

}  // namespace loom::workloads
