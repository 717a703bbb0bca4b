// SPDX-License-Identifier: Apache-2.0
#include "workloads/graph.hpp"

#include <map>

#include "core/error.hpp"

namespace loom::workloads {
namespace {

// Operators whose input may be a flattened view of the producer's C×H×W tensor.
bool flattens(OpKind op) {
  return op == OpKind::fc || op == OpKind::gemm || op == OpKind::flatten || op == OpKind::reshape ||
         op == OpKind::transpose;
}

}  // namespace

std::vector<std::vector<std::size_t>> producer_indices(const Network& net) {
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<std::vector<std::size_t>> out(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    for (const auto& in : l.inputs) {
      const auto it = index.find(in);
      if (it == index.end())
        throw Error(Diagnostic{net.name, "layers." + l.name + ".inputs", 0,
                               "'" + in + "' is not a layer listed before '" + l.name + "'"});
      out[i].push_back(it->second);
    }
    index.emplace(l.name, i);
  }
  return out;
}

std::int64_t expected_input_channels(const Layer& consumer,
                                     const std::vector<std::int64_t>& producer_channels) {
  if (producer_channels.empty()) return 0;
  const std::int64_t c = consumer.shape.C;
  if (consumer.op == OpKind::concat) {
    std::int64_t sum = 0;
    for (auto p : producer_channels) sum += p;
    return sum;
  }
  if (is_elementwise(consumer.op)) {
    // Operands broadcast: one may be a per-tensor scalar or, in squeeze-excitation, a per-channel
    // gate of C channels on a 1×1 map; all others carry the C channels of the output.
    std::int64_t common = 0;
    for (auto p : producer_channels) {
      if (p == 1 && c != 1) continue;
      if (common != 0 && p != common) return 0;
      common = p;
    }
    return common == 0 ? 1 : common;
  }
  const std::int64_t first = producer_channels.front();
  if (first > 0 && c != first && flattens(consumer.op) && c % first == 0) return c;
  return first;
}

bool reads_output_of(const Layer& producer, const Layer& consumer) {
  if (consumer.op == OpKind::gemm || producer.op == OpKind::gemm) return true;
  const auto& p = producer.shape;
  const auto& s = consumer.shape;
  const OpKind op = consumer.op;
  if (op == OpKind::fc || op == OpKind::flatten || op == OpKind::reshape || op == OpKind::transpose)
    return static_cast<long double>(s.C) * s.H * s.W ==
           static_cast<long double>(producer.out_channels()) * p.P * p.Q;
  return s.C == producer.out_channels() && s.H == p.P && s.W == p.Q;
}

std::vector<ChannelProblem> channel_problems(const Network& net) {
  const auto producers = producer_indices(net);
  std::vector<ChannelProblem> problems;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (producers[i].empty()) continue;
    const Layer& l = net.layers[i];
    std::vector<std::int64_t> channels;
    std::string names;
    for (auto p : producers[i]) {
      channels.push_back(net.layers[p].out_channels());
      names += (names.empty() ? "" : ", ") + net.layers[p].name + " (" +
               std::to_string(channels.back()) + ")";
    }
    const std::int64_t want = expected_input_channels(l, channels);
    if (want != l.shape.C)
      problems.push_back({i, "layer " + l.name + ": C = " + std::to_string(l.shape.C) +
                                 " does not match the channels its inputs write: " + names});
  }
  return problems;
}

}  // namespace loom::workloads
