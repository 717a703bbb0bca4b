// SPDX-License-Identifier: Apache-2.0
#include "schedule/liveness.hpp"

#include <algorithm>

#include "workloads/graph.hpp"

namespace loom::schedule {

Liveness compute_liveness(const workloads::Network& net, const std::vector<int>& element_bits) {
  Liveness out;
  out.producers = workloads::producer_indices(net);
  const std::size_t n = net.layers.size();
  out.tensors.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    Tensor& t = out.tensors[i];
    t.producer = t.first = t.last = i;
    t.bits = net.layers[i].shape.ofmap_elems() * element_bits.at(i);
  }
  for (std::size_t j = 0; j < n; ++j)
    for (const std::size_t p : out.producers[j]) {
      Tensor& t = out.tensors[p];
      // A layer reading the same tensor twice (x + x) is one consumer.
      if (t.consumers.empty() || t.consumers.back() != j) t.consumers.push_back(j);
      t.last = std::max(t.last, j);
    }
  return out;
}

}  // namespace loom::schedule
