// SPDX-License-Identifier: Apache-2.0
// The `transforms:` section of a workload YAML → Transforms. Each rule remembers its file, key
// and line so that applying it can name where it was written.
#include "core/config.hpp"
#include "workloads/transforms.hpp"

namespace loom::workloads {
namespace {

using core::ConfigNode;

Diagnostic where(const ConfigNode& n) { return Diagnostic{n.file(), n.path(), n.line(), ""}; }

std::vector<std::string> read_layers(const ConfigNode& n) {
  if (!n.has("layers")) {
    n.error_at("layers", "missing required key (expected a list of layer names or patterns)");
    return {};
  }
  auto v = n.get_string_list("layers");
  if (v.empty()) n.error_at("layers", "expected at least one layer name or pattern");
  return v;
}

template <class Rule, class ReadOne>
std::vector<Rule> read_rules(const ConfigNode& t, std::string_view key, ReadOne read_one) {
  std::vector<Rule> out;
  if (!t.has(key)) return out;
  const ConfigNode list = t.child(key);
  if (!list.is_sequence()) {
    list.error("expected a list of rules, each {layers: [...], ...}");
    return out;
  }
  for (const auto& item : list.items()) {
    if (!item.expect_map()) continue;
    Rule r;
    r.layers = read_layers(item);
    r.at = where(item);
    read_one(item, r);
    out.push_back(std::move(r));
  }
  return out;
}

double read_fraction(const ConfigNode& n, std::string_view key) {
  const double d = n.get_double(key, 1.0, 0.0);
  if (d > 1.0) n.error_at(key, "expected a fraction of nonzero values in (0, 1]");
  return d;
}

}  // namespace

Transforms read_transforms(const ConfigNode& node) {
  Transforms t;
  if (!node.allow_keys({"ghost", "prune", "precision", "density"})) return t;
  t.ghost = read_rules<GhostRule>(node, "ghost", [](const ConfigNode& n, GhostRule& r) {
    n.allow_keys({"layers", "ratio", "kernel"});
    r.ratio = n.get_int("ratio", 2, 2, 64);
    r.kernel = n.get_int("kernel", 3, 1, 15);
    if (r.kernel % 2 == 0) n.error_at("kernel", "expected an odd window (it keeps the size)");
  });
  t.prune = read_rules<PruneRule>(node, "prune", [](const ConfigNode& n, PruneRule& r) {
    n.allow_keys({"layers", "ratio"});
    if (!n.has("ratio")) n.error_at("ratio", "missing required key (fraction removed, [0, 1))");
    r.ratio = n.get_double("ratio", 0.0, -1.0);
    if (r.ratio < 0.0 || r.ratio >= 1.0)
      n.error_at("ratio", "expected the fraction of output channels removed, in [0, 1)");
  });
  t.precision =
      read_rules<PrecisionRule>(node, "precision", [](const ConfigNode& n, PrecisionRule& r) {
        n.allow_keys({"layers", "weight_bits", "activation_bits", "output_bits"});
        r.precision.weight_bits = static_cast<int>(n.get_int("weight_bits", 0, 1, 32));
        r.precision.activation_bits = static_cast<int>(n.get_int("activation_bits", 0, 1, 32));
        r.precision.output_bits = static_cast<int>(n.get_int("output_bits", 0, 1, 32));
      });
  t.density = read_rules<DensityRule>(node, "density", [](const ConfigNode& n, DensityRule& r) {
    n.allow_keys({"layers", "ifmap_density", "weight_density", "ofmap_density"});
    if (n.has("ifmap_density")) r.ifmap = read_fraction(n, "ifmap_density");
    if (n.has("weight_density")) r.weight = read_fraction(n, "weight_density");
    if (n.has("ofmap_density")) r.ofmap = read_fraction(n, "ofmap_density");
  });
  return t;
}

}  // namespace loom::workloads
