// SPDX-License-Identifier: Apache-2.0
// `loom import --compact`: all-zero filters and input channels leave the network. A filter whose
// weights are all zero writes a channel of zeros (its bias, if any, is a constant that a
// pruning tool folds into the next layer), so it and every weight reading that channel can go;
// an input channel no weight reads can go with the filter writing it. The shapes change through
// workloads::prune_channels, which carries them through pass-through layers, concats,
// depthwise layers and residual adds; this file decides what to remove and recounts the
// weights that remain.
#include <algorithm>
#include <numeric>
#include <optional>

#include "core/error.hpp"
#include "onnx/weight_structure.hpp"
#include "workloads/graph.hpp"
#include "workloads/transforms.hpp"

namespace loom::onnx::detail {
namespace {

using workloads::Layer;
using workloads::Network;
using workloads::OpKind;
using Keep = std::vector<bool>;

bool is_depthwise(const Layer& l) {
  return does_macs(l.op) && l.shape.groups > 1 && l.shape.groups == l.shape.C;
}

// One-input layers that keep their input's channels, one for one.
bool follows_channels(const Layer& l) {
  const OpKind op = l.op;
  return !does_macs(op) && l.shape.M == l.shape.C &&
         (op == OpKind::activation || op == OpKind::batchnorm || op == OpKind::maxpool ||
          op == OpKind::avgpool || op == OpKind::global_avgpool || op == OpKind::pad ||
          op == OpKind::resize || op == OpKind::flatten);
}

// Layers whose input channels may shrink with their producers' without losing track of which
// channel is which.
bool may_shrink(const Layer& l) {
  if (does_macs(l.op)) return l.shape.groups == 1 || is_depthwise(l);
  return follows_channels(l) || l.op == OpKind::concat || workloads::is_elementwise(l.op);
}

struct Graph {
  const Network& net;
  const std::map<std::string, WeightMask>& masks;
  const std::set<std::string>& outputs;
  std::vector<std::vector<std::size_t>> producers, consumers;

  [[nodiscard]] const WeightMask* mask(std::size_t i) const {
    const auto it = masks.find(net.layers[i].name);
    return it == masks.end() ? nullptr : &it->second;
  }
  // An ungrouped MAC layer whose weights were read: its filters can be removed.
  [[nodiscard]] bool compactable(std::size_t i) const {
    const Layer& l = net.layers[i];
    const WeightMask* w = mask(i);
    return does_macs(l.op) && l.shape.groups == 1 && w != nullptr && w->filters == l.shape.M &&
           w->channels == l.shape.C && l.name.find('*') == std::string::npos;
  }
};

// The channels of layer i that every consumer ignores, when all of them (past pass-through
// layers) are ungrouped MAC layers reading exactly those channels; nullopt otherwise (the
// network's output, an add, a concat...).
std::optional<Keep> ignored(const Graph& g, std::size_t i) {
  const auto m = static_cast<std::size_t>(g.net.layers[i].shape.M);
  Keep all(m, true);
  std::vector<std::size_t> todo = g.consumers[i];
  if (todo.empty() || g.outputs.contains(g.net.layers[i].name)) return std::nullopt;
  while (!todo.empty()) {
    const std::size_t j = todo.back();
    todo.pop_back();
    const Layer& l = g.net.layers[j];
    if (follows_channels(l) && l.op != OpKind::flatten &&
        l.shape.C == static_cast<std::int64_t>(m)) {
      if (g.consumers[j].empty() || g.outputs.contains(l.name)) return std::nullopt;
      todo.insert(todo.end(), g.consumers[j].begin(), g.consumers[j].end());
    } else if (g.compactable(j) && g.producers[j].size() == 1 &&
               l.shape.C == static_cast<std::int64_t>(m)) {
      const Keep z = zero_channels(*g.mask(j));
      for (std::size_t c = 0; c < m; ++c) all[c] = all[c] && z[c];
    } else {
      return std::nullopt;
    }
  }
  return all;
}

// Union-find over layer indices: the layers whose channels meet in element-wise operators.
struct Streams {
  std::vector<std::size_t> parent;
  std::size_t root(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
};

// The compactable layers writing the channels that reach operand `p` of an element-wise
// operator, through pass-through, depthwise and concat layers; `fixed` when some of them come
// from elsewhere (the network's input, a grouped layer...), which no pruning removes.
void sources(const Graph& g, std::size_t p, std::vector<std::size_t>& out, bool& fixed) {
  const Layer& l = g.net.layers[p];
  if (workloads::is_elementwise(l.op) || g.compactable(p)) {
    out.push_back(p);
  } else if ((follows_channels(l) || is_depthwise(l) || l.op == OpKind::concat) &&
             !g.producers[p].empty()) {
    // A concat's channels are its operands' side by side: removing some from one operand of an
    // add would need the same positions removed in the other.
    if (l.op == OpKind::concat) fixed = true;
    for (auto q : g.producers[p]) sources(g, q, out, fixed);
  } else {
    fixed = true;
  }
}

// Groups of layers compacted together (one residual stream, or one layer), with the filters
// each group removes.
std::vector<std::vector<std::size_t>> candidate_groups(const Graph& g, std::vector<Keep>& remove) {
  const std::size_t n = g.net.layers.size();
  Streams s{std::vector<std::size_t>(n)};
  std::iota(s.parent.begin(), s.parent.end(), 0);
  std::vector<bool> fixed(n, false), in_stream(n, false);
  for (std::size_t e = 0; e < n; ++e) {
    const Layer& l = g.net.layers[e];
    if (!workloads::is_elementwise(l.op)) continue;
    in_stream[e] = true;
    for (auto p : g.producers[e]) {
      if (g.net.layers[p].out_channels() != l.shape.C) continue;  // a broadcast operand
      std::vector<std::size_t> src;
      bool f = false;
      sources(g, p, src, f);
      if (f) fixed[s.root(e)] = true;
      for (auto q : src) {
        in_stream[q] = true;
        const std::size_t a = s.root(e), b = s.root(q);
        if (a != b) {
          s.parent[b] = a;
          fixed[a] = fixed[a] || fixed[b];
        }
      }
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> streams;
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < n; ++i) {
    if (!g.compactable(i)) continue;
    if (in_stream[i]) {
      streams[s.root(i)].push_back(i);
      continue;
    }
    Keep r = zero_filters(*g.mask(i));
    if (const auto ign = ignored(g, i))
      for (std::size_t c = 0; c < r.size(); ++c) r[c] = r[c] || (*ign)[c];
    const auto k = std::count(r.begin(), r.end(), true);
    if (k == 0 || k == static_cast<std::int64_t>(r.size())) continue;
    remove[i] = std::move(r);
    groups.push_back({i});
  }
  // A residual stream loses the channels that every layer writing into it leaves all zero.
  for (auto& [root, members] : streams) {
    if (fixed[root]) continue;
    Keep common = zero_filters(*g.mask(members.front()));
    for (auto i : members) {
      const Keep z = zero_filters(*g.mask(i));
      if (z.size() != common.size()) common.assign(common.size(), false);
      for (std::size_t c = 0; c < common.size() && c < z.size(); ++c) common[c] = common[c] && z[c];
    }
    const auto k = std::count(common.begin(), common.end(), true);
    if (k == 0 || k == static_cast<std::int64_t>(common.size())) continue;
    for (auto i : members) remove[i] = common;
    groups.push_back(members);
  }
  return groups;
}

std::vector<workloads::PruneRule> rules(const Network& net, const std::vector<Keep>& remove,
                                        const std::string& file) {
  std::vector<workloads::PruneRule> out;
  for (std::size_t i = 0; i < remove.size(); ++i) {
    if (remove[i].empty()) continue;
    const auto k = std::count(remove[i].begin(), remove[i].end(), true);
    out.push_back({{net.layers[i].name},
                   static_cast<double>(k) / static_cast<double>(remove[i].size()),
                   Diagnostic{file, "--compact", 0, ""}});
  }
  return out;
}

// Pruned by `rules`, if the transform accepts them and every layer whose input shrank can
// say which channels it lost; nullopt otherwise.
std::optional<Network> try_prune(const Network& net,
                                 const std::vector<workloads::PruneRule>& rules) {
  Network out;
  try {
    out = workloads::prune_channels(net, rules);
  } catch (const Error&) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (out.layers[i].shape.C != net.layers[i].shape.C && !may_shrink(net.layers[i]))
      return std::nullopt;
  return out;
}

// Layer i's input channels that remain, from its first producer's `keep`: a flattening
// consumer (fc) reads C / (the producer's channels) features per channel.
Keep kept_inputs(const Graph& g, const std::vector<Keep>& keep, std::size_t i) {
  Keep in(static_cast<std::size_t>(g.net.layers[i].shape.C), true);
  if (g.producers[i].empty()) return in;
  const Keep& p = keep[g.producers[i].front()];
  if (!p.empty() && in.size() % p.size() == 0)
    for (std::size_t c = 0; c < in.size(); ++c) in[c] = p[c / (in.size() / p.size())];
  return in;
}

// The output channels of every layer that remain, as flags over its original channels.
std::vector<Keep> kept_channels(const Graph& g, const std::vector<Keep>& remove) {
  const auto& layers = g.net.layers;
  std::vector<Keep> keep(layers.size());
  const auto input = [&](std::size_t i) { return kept_inputs(g, keep, i); };
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    const auto m = static_cast<std::size_t>(l.out_channels());
    if (does_macs(l.op) && is_depthwise(l)) {
      const Keep in = input(i);
      keep[i].resize(m);
      for (std::size_t f = 0; f < m; ++f) keep[i][f] = in[f / (m / in.size())];
    } else if (does_macs(l.op)) {
      keep[i] = remove[i].empty() ? Keep(m, true) : remove[i];
      if (!remove[i].empty()) keep[i].flip();
    } else if (l.op == OpKind::concat) {
      for (auto p : g.producers[i]) keep[i].insert(keep[i].end(), keep[p].begin(), keep[p].end());
      if (keep[i].size() != m) keep[i] = Keep(m, true);
    } else if (workloads::is_elementwise(l.op)) {
      keep[i] = Keep(m, true);
      for (auto p : g.producers[i])
        if (keep[p].size() == m) {
          keep[i] = keep[p];
          break;
        }
    } else {
      keep[i] = l.shape.M == l.shape.C ? input(i) : Keep(m, true);
    }
  }
  return keep;
}

}  // namespace

Network compact(const Network& net, const std::map<std::string, WeightMask>& masks,
                const std::set<std::string>& outputs, const std::string& file) {
  Graph g{net, masks, outputs, workloads::producer_indices(net), {}};
  g.consumers.resize(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    for (auto p : g.producers[i]) g.consumers[p].push_back(i);
  std::vector<Keep> proposed(net.layers.size());
  const auto groups = candidate_groups(g, proposed);
  // Each group is kept only if the network stays consistent with it and every group kept before.
  std::vector<Keep> remove(net.layers.size());
  Network out = net;
  for (const auto& group : groups) {
    std::vector<Keep> trial = remove;
    for (auto i : group) trial[i] = proposed[i];
    if (auto pruned = try_prune(net, rules(net, trial, file))) {
      remove = std::move(trial);
      out = std::move(*pruned);
    }
  }
  // Recount each MAC layer's weights over the filters and input channels that remain.
  const std::vector<Keep> keep = kept_channels(g, remove);
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const WeightMask* w = g.mask(i);
    Layer& l = out.layers[i];
    if (w == nullptr || l.shape == net.layers[i].shape) continue;
    WeightMask r{0, 0, w->window, l.shape.groups, {}};  // a depthwise layer loses groups
    const Keep in = kept_inputs(g, keep, i);
    const std::int64_t per_group = w->filters / w->groups;
    for (std::int64_t f = 0; f < w->filters; ++f) {
      if (!keep[i][static_cast<std::size_t>(f)]) continue;
      ++r.filters;
      std::int64_t channels = 0;
      for (std::int64_t c = 0; c < w->channels; ++c) {
        if (!in[static_cast<std::size_t>(f / per_group * w->channels + c)]) continue;
        ++channels;
        for (std::int64_t k = 0; k < w->window; ++k) r.nonzero.push_back(w->at(f, c, k));
      }
      r.channels = channels;
    }
    if (r.filters != l.shape.M || r.channels != l.shape.channels_per_group())
      throw Error(Diagnostic{file, "layer '" + l.name + "'", 0,
                             "--compact lost track of which channels remain (a Loom bug)"});
    // Removing the channels of a zero filter upstream may remove all this layer's nonzero
    // weights; such a layer keeps the density it had (a density of 0 is not a layer).
    const bool any = std::find(r.nonzero.begin(), r.nonzero.end(), true) != r.nonzero.end();
    if (any) l.density.weight = r.density();
    l.sparsity = any ? weight_sparsity(r) : workloads::WeightSparsity{};
  }
  return out;
}

}  // namespace loom::onnx::detail
