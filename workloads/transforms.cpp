// SPDX-License-Identifier: Apache-2.0
#include "workloads/transforms.hpp"

#include <cmath>
#include <map>
#include <set>

#include "workloads/graph.hpp"

namespace loom::workloads {
namespace {

[[noreturn]] void fail(const Diagnostic& at, const std::string& message) {
  Diagnostic d = at;
  d.message = message;
  throw Error(d);
}

bool is_depthwise(const Layer& l) {
  return has_weights(l.op) && l.shape.groups > 1 && l.shape.groups == l.shape.C;
}

// Layers selected by a rule's patterns, in network order; `usable` filters what a pattern
// with a wildcard may pick, while an exact name that is not usable is an error.
std::vector<std::size_t> select(const Network& net, const std::vector<std::string>& patterns,
                                const Diagnostic& at, bool (*usable)(const Layer&),
                                const std::string& what) {
  std::set<std::size_t> picked;
  for (const auto& pat : patterns) {
    bool any = false;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const Layer& l = net.layers[i];
      if (!name_matches(pat, l.name)) continue;
      if (!usable(l)) {
        if (pat.find('*') == std::string::npos)
          fail(at, "layer '" + l.name + "' cannot be selected here: " + what);
        continue;
      }
      picked.insert(i);
      any = true;
    }
    if (!any) fail(at, "'" + pat + "' matches no layer of " + net.name + " that " + what);
  }
  return {picked.begin(), picked.end()};
}

bool any_layer(const Layer&) { return true; }

bool ghostable(const Layer& l) {
  return (l.op == OpKind::conv || l.op == OpKind::pointwise) && l.shape.groups == 1;
}

bool prunable(const Layer& l) { return has_weights(l.op) && !is_depthwise(l); }

}  // namespace

bool name_matches(std::string_view pattern, std::string_view name) {
  // Iterative glob with `*` only: remember the last star and retry from one character further.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Network expand_ghost_modules(const Network& net, const std::vector<GhostRule>& rules) {
  std::map<std::size_t, const GhostRule*> chosen;
  for (const auto& r : rules)
    for (auto i : select(net, r.layers, r.at, ghostable, "is an ungrouped conv")) chosen[i] = &r;
  std::set<std::string> names;
  for (const auto& l : net.layers) names.insert(l.name);
  Network out = net;
  out.layers.clear();
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const auto it = chosen.find(i);
    if (it == chosen.end()) {
      out.layers.push_back(l);
      continue;
    }
    const GhostRule& r = *it->second;
    // Han et al. Sec. 3.1: m = n/s intrinsic maps from the primary conv, each giving s − 1
    // ghost maps through a d×d depthwise (channel multiplier s − 1); the concat has m·s
    // channels, cut back to n when s does not divide n (the official code's out[:, :oup]).
    const std::int64_t m = (l.shape.M + r.ratio - 1) / r.ratio;
    const std::string primary = l.name + ".primary_conv", cheap = l.name + ".cheap_conv";
    const bool cut = m * r.ratio != l.shape.M;
    const std::string concat = cut ? l.name + ".concat" : l.name;
    for (const auto& n : {primary, cheap, cut ? concat : std::string{}})
      if (!n.empty() && names.contains(n))
        fail(r.at, "expanding '" + l.name + "' would create '" + n + "', which exists already");
    Layer p = l;
    p.sparsity = {};  // counted on the layer being replaced
    p.name = primary;
    p.shape.M = m;
    p.op = p.shape.R == 1 && p.shape.S == 1 ? OpKind::pointwise : OpKind::conv;
    Layer c = p;
    c.name = cheap;
    c.op = OpKind::depthwise;
    c.inputs = {primary};
    c.shape = LayerShape{.N = l.shape.N,
                         .M = m * (r.ratio - 1),
                         .C = m,
                         .H = l.shape.P,
                         .W = l.shape.Q,
                         .P = l.shape.P,
                         .Q = l.shape.Q,
                         .R = r.kernel,
                         .S = r.kernel,
                         .pad_h = r.kernel / 2,
                         .pad_w = r.kernel / 2,
                         .groups = m};
    Layer cat = p;
    cat.name = concat;
    cat.op = OpKind::concat;
    cat.inputs = {primary, cheap};
    cat.shape = LayerShape{.N = l.shape.N,
                           .M = m * r.ratio,
                           .C = m * r.ratio,
                           .H = l.shape.P,
                           .W = l.shape.Q,
                           .P = l.shape.P,
                           .Q = l.shape.Q};
    out.layers.push_back(p);
    out.layers.push_back(c);
    out.layers.push_back(cat);
    if (cut) {
      Layer s = cat;
      s.name = l.name;
      s.op = OpKind::slice;
      s.inputs = {concat};
      s.shape.M = l.shape.M;
      out.layers.push_back(s);
    }
  }
  return out;
}

Network prune_channels(const Network& net, const std::vector<PruneRule>& rules) {
  std::map<std::size_t, const PruneRule*> chosen;
  for (const auto& r : rules)
    for (auto i : select(net, r.layers, r.at, prunable,
                         "has weights and is not depthwise (depthwise layers follow their input)"))
      chosen[i] = &r;
  if (chosen.empty()) return net;
  const auto producers = producer_indices(net);
  Network out = net;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& old = net.layers[i];
    Layer& l = out.layers[i];
    // A problem at a layer no rule chose (an add, a consumer) is reported at the first rule.
    const Diagnostic at = chosen.contains(i) ? chosen.at(i)->at : rules.front().at;
    // Input channels follow the (already pruned) producers.
    if (!producers[i].empty()) {
      std::vector<std::int64_t> before, after;
      for (auto p : producers[i]) {
        before.push_back(net.layers[p].out_channels());
        after.push_back(out.layers[p].out_channels());
      }
      if (before != after) {
        // Its two operands' shared dimension and heads would both have to shrink alike.
        if (old.op == OpKind::act_matmul)
          fail(at, "cannot propagate pruning into act_matmul '" + old.name +
                       "': prune neither of the projections feeding it");
        const std::int64_t want = expected_input_channels(old, before);
        if (want != old.shape.C)
          fail(at, "cannot propagate pruning into layer '" + old.name +
                       "': its C = " + std::to_string(old.shape.C) +
                       " does not match what its inputs write (check its inputs:)");
        std::int64_t c = 0;
        if (old.op == OpKind::concat) {
          for (auto n : after) c += n;
        } else if (is_elementwise(old.op)) {
          // Operands carrying the C channels (not a broadcast scalar) must keep agreeing.
          bool agree = true;
          for (std::size_t k = 0; k < after.size(); ++k)
            if (before[k] == old.shape.C) {
              if (c != 0 && after[k] != c) agree = false;
              c = after[k];
            }
          if (!agree) {
            std::string ops;
            for (std::size_t j = 0; j < after.size(); ++j)
              ops += (j ? ", " : "") + net.layers[producers[i][j]].name + " (" +
                     std::to_string(after[j]) + " channels)";
            fail(at, "after pruning, the operands of '" + old.name + "' disagree: " + ops +
                         "; prune every layer feeding this residual stream by the same ratio");
          }
        } else {
          // A flattening consumer (fc after a pool) keeps its features per channel.
          c = old.shape.C / before.front() * after.front();
        }
        l.shape.C = c;
        if (is_depthwise(old)) {
          l.shape.groups = c;
          l.shape.M = c * (old.shape.M / old.shape.C);
        } else if (old.shape.groups > 1 && c % old.shape.groups != 0) {
          fail(at, "pruning leaves grouped layer '" + old.name + "' with C = " + std::to_string(c) +
                       ", not divisible by its groups = " + std::to_string(old.shape.groups));
        }
        if (!does_macs(old.op)) {
          if (old.shape.M == old.shape.C)
            l.shape.M = c;
          else if (old.shape.M > c)
            fail(at, "pruning leaves '" + old.name + "' selecting " + std::to_string(old.shape.M) +
                         " of only " + std::to_string(c) + " channels");
        }
      }
    }
    const auto it = chosen.find(i);
    if (it != chosen.end()) {
      const std::int64_t g = old.shape.groups;
      auto kept = static_cast<std::int64_t>(
          std::llround(static_cast<double>(old.shape.M) * (1.0 - it->second->ratio)));
      kept = std::max<std::int64_t>(kept, 1);
      kept = (kept + g - 1) / g * g;
      l.shape.M = std::min(kept, old.shape.M);
    }
  }
  // The zero weights' structure was counted on the old shape; a layer that lost channels has
  // lost some of its weights, which ones pruning does not say.
  for (std::size_t i = 0; i < out.layers.size(); ++i)
    if (out.layers[i].shape != net.layers[i].shape) out.layers[i].sparsity = {};
  // Whatever was inconsistent before (a hand-written file without inputs:) is the user's; what
  // pruning made inconsistent is an error.
  std::set<std::size_t> before;
  for (const auto& p : channel_problems(net)) before.insert(p.layer);
  for (const auto& p : channel_problems(out))
    if (!before.contains(p.layer)) fail(rules.front().at, "pruning left " + p.message);
  return out;
}

Network set_precision(const Network& net, const std::vector<PrecisionRule>& rules) {
  Network out = net;
  for (const auto& r : rules)
    for (auto i : select(net, r.layers, r.at, any_layer, "exists")) {
      Precision& p = out.layers[i].precision;
      // An act_matmul has no weights: a pattern's weight width passes over it.
      if (r.precision.weight_bits && has_weights(out.layers[i].op))
        p.weight_bits = r.precision.weight_bits;
      if (r.precision.activation_bits) p.activation_bits = r.precision.activation_bits;
      if (r.precision.output_bits) p.output_bits = r.precision.output_bits;
    }
  return out;
}

Network set_density(const Network& net, const std::vector<DensityRule>& rules) {
  Network out = net;
  for (const auto& r : rules)
    for (auto i : select(net, r.layers, r.at, any_layer, "exists")) {
      Density& d = out.layers[i].density;
      if (r.ifmap) d.ifmap = *r.ifmap;
      if (r.weight && has_weights(out.layers[i].op)) d.weight = *r.weight;
      if (r.ofmap) d.ofmap = *r.ofmap;
    }
  return out;
}

Network apply_transforms(const Network& net, const Transforms& t) {
  if (t.empty()) return net;
  Network out = expand_ghost_modules(net, t.ghost);
  out = prune_channels(out, t.prune);
  out = set_precision(out, t.precision);
  return set_density(out, t.density);
}

}  // namespace loom::workloads
