// SPDX-License-Identifier: Apache-2.0
#pragma once
// Compression transforms on a Network, each a pure function returning a new Network:
//  - ghost modules (Han et al., "GhostNet", CVPR 2020, Sec. 3.1): a conv becomes a primary conv
//    making ceil(M/ratio) channels, a cheap depthwise conv making the rest, and a concat;
//  - channel pruning (Luo et al., "ThiNet", ICCV 2017): a layer keeps a fraction of its output
//    channels and every consumer's input channels shrink to match, through pass-through ops,
//    concats (channel counts add up), depthwise layers (which follow their input) and
//    element-wise ops (whose operands must keep agreeing: see prune_channels);
//  - per-layer precision and densities (overrides of Layer::precision / Layer::density).
// Rules select layers by name patterns (`*` matches any run of characters). Every rule carries
// where it was written (`at`), so a rule that matches nothing or cannot be applied throws a
// loom::Error naming that file, key and line.
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "workloads/network.hpp"

namespace loom::core {
class ConfigNode;
}

namespace loom::workloads {

struct GhostRule {
  std::vector<std::string> layers;  // name patterns
  std::int64_t ratio = 2;           // s in the paper: output channels / primary channels
  std::int64_t kernel = 3;          // d: the cheap depthwise conv's window (d×d)
  Diagnostic at;
};

struct PruneRule {
  std::vector<std::string> layers;
  double ratio = 0.0;  // fraction of output channels removed, in [0, 1)
  Diagnostic at;
};

struct PrecisionRule {
  std::vector<std::string> layers;
  Precision precision;  // 0 = leave that operand's width as it is
  Diagnostic at;
};

struct DensityRule {
  std::vector<std::string> layers;
  std::optional<double> ifmap, weight, ofmap;  // unset = leave as it is
  Diagnostic at;
};

// Applied in this order: ghost, prune, precision, density (later rules of a kind win).
struct Transforms {
  std::vector<GhostRule> ghost;
  std::vector<PruneRule> prune;
  std::vector<PrecisionRule> precision;
  std::vector<DensityRule> density;
  [[nodiscard]] bool empty() const {
    return ghost.empty() && prune.empty() && precision.empty() && density.empty();
  }
};

// `*` matches any (possibly empty) run of characters; everything else matches itself.
[[nodiscard]] bool name_matches(std::string_view pattern, std::string_view name);

Network expand_ghost_modules(const Network& net, const std::vector<GhostRule>& rules);

// Output channels kept: round(M·(1 − ratio)), at least 1, rounded up to a multiple of the
// layer's groups for grouped convs. Element-wise operands must agree after pruning: every
// producer feeding one residual stream has to be pruned by the same ratio (then a real
// implementation removes one shared channel set); otherwise the add is named in the error.
Network prune_channels(const Network& net, const std::vector<PruneRule>& rules);

Network set_precision(const Network& net, const std::vector<PrecisionRule>& rules);
Network set_density(const Network& net, const std::vector<DensityRule>& rules);

Network apply_transforms(const Network& net, const Transforms& t);

// The `transforms:` section of a workload YAML (docs/configuration.md); problems are recorded
// on the node's document and thrown by its finish().
Transforms read_transforms(const core::ConfigNode& node);

}  // namespace loom::workloads
