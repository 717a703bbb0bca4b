// SPDX-License-Identifier: Apache-2.0
#include "sweep/spec_check.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "sweep/accuracy.hpp"
#include "sweep/algorithm.hpp"
#include "sweep/arch_patch.hpp"
#include "sweep/space.hpp"

namespace loom::sweep {
namespace {

using core::ConfigNode;

// Coverage of accuracy is checked over every algorithm-variant combination up to this many.
constexpr std::uint64_t kMaxCoverageCombos = 100'000;

void load_networks(const ConfigNode& root, SweepSpec& spec, const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& w : spec.workloads) {
    try {
      const std::string where = workloads::zoo_has(w) ? w : (dir / w).string();
      spec.networks.push_back(workloads::load_workload(where).with_batch(spec.batch));
      if (!names.insert(spec.networks.back().name).second)
        root.error_at("workloads", "two workloads are named '" + spec.networks.back().name + "'");
    } catch (const Error& e) {
      root.error_at("workloads", e.what());
    }
  }
  if (spec.workloads.empty()) root.error_at("workloads", "expected at least one workload");
}

void check_bases(const ConfigNode& root, const SweepSpec& spec) {
  const auto check = [&](const BaseArch& b, std::string_view key) {
    try {
      (void)arch::parse_accelerator_yaml(b.text, b.file);
    } catch (const Error& e) {
      root.error_at(key, std::string("base accelerator: ") + e.what());
    }
  };
  check(spec.base, "accelerator");
  for (const auto& [df, b] : spec.dataflow_bases) check(b, "dataflow_bases");
}

// Every value of every architecture axis, alone, on every base it can meet.
void check_arch_axes(const ConfigNode& root, const SweepSpec& spec) {
  bool sets_dataflow = false;
  const auto axes = root.child("axes").items();
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const Axis& axis = spec.axes[a];
    bool is_df = false;
    for (const auto& t : axis.targets)
      is_df = is_df || (t.path.size() == 1 && t.path[0] == "dataflow");
    sets_dataflow = sets_dataflow || is_df;
    if (is_df && axis.targets.size() != 1)
      axes[a].error_at("set", "an axis setting dataflow sets nothing else");
    for (const auto& value : axis.values) {
      std::vector<const BaseArch*> bases;
      if (is_df)
        bases.push_back(&base_for_dataflow(spec, value));
      else {
        bases.push_back(&spec.base);
        for (const auto& [df, b] : spec.dataflow_bases) bases.push_back(&b);
      }
      for (const BaseArch* b : bases) {
        std::vector<ArchEdit> edits;
        for (const auto& t : axis.targets) edits.emplace_back(&t, value);
        try {
          (void)arch::parse_accelerator_yaml(patch_accelerator(b->text, edits), b->file);
        } catch (const Error& e) {
          std::string why;
          for (const auto& d : e.diagnostics())
            why += (why.empty() ? "" : "; ") + (d.key.empty() ? "" : d.key + ": ") + d.message;
          axes[a].error(fmt::format("value '{}' on {}: {}", value, b->file, why));
        }
      }
    }
  }
  if (!spec.dataflow_bases.empty() && !sets_dataflow)
    root.error_at("dataflow_bases", "no axis sets dataflow, so these bases are never used");
}

// mapper.search: false evaluates the closed form; families without one are always searched.
void check_search(const ConfigNode& root, const SweepSpec& spec) {
  if (spec.search) return;
  const auto base = arch::parse_accelerator_yaml(spec.base.text, spec.base.file);
  std::vector<std::string> dataflows{std::string(arch::dataflow_info(base.dataflow).name)};
  for (const auto& [df, b] : spec.dataflow_bases) dataflows.push_back(df);
  for (const auto& a : spec.axes)
    for (const auto& t : a.targets)
      if (t.path.size() == 1 && t.path[0] == "dataflow")
        dataflows.insert(dataflows.end(), a.values.begin(), a.values.end());
  std::string closed;  // the dataflows a closed form covers, for the message
  for (const auto& info : arch::kDataflowInfo)
    if (dataflow::family_of(info.dataflow).has_closed_form())
      closed += (closed.empty() ? "" : ", ") + std::string(info.name);
  for (const auto& df : dataflows) {
    const auto d = core::parse_enum(arch::kDataflows, df);
    if (d && !dataflow::family_of(*d).has_closed_form()) {
      root.error_at("mapper", "search: false covers the dataflows with a closed form (" + closed +
                                  ") only; the sweep includes " + df +
                                  ", whose mappings come from the mapper");
      return;
    }
  }
}

void check_layer_keys(const ConfigNode& root, const SweepSpec& spec) {
  const auto axes = root.child("axes").items();
  const auto check = [&](std::size_t a, const std::string& key) {
    for (const auto& net : spec.networks)
      if (!layers_named(net, key).empty()) return;
    axes[a].error("layer '" + key +
                  "' is not a MAC layer of any workload (use a layer name, "
                  "first or last)");
  };
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    for (const auto& v : spec.axes[a].precision)
      for (const auto& [k, b] : v.layers) check(a, k);
    for (const auto& v : spec.axes[a].density)
      for (const auto& [k, d] : v.layers) check(a, k);
  }
}

// Every pattern of every pruning rule matches a layer of some workload, and every variant
// prunes every workload consistently (residual adds keep equal operands, grouped layers stay
// divisible): checked by pruning each workload now, so no point fails on it later.
void check_prune(const ConfigNode& root, const SweepSpec& spec) {
  const auto axes = root.child("axes").items();
  std::string names;
  for (const auto& net : spec.networks) names += (names.empty() ? "" : ", ") + net.name;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    if (spec.axes[a].kind != AxisKind::prune) continue;
    const auto variants = axes[a].child("prune").items();
    for (std::size_t v = 0; v < spec.axes[a].prune.size(); ++v) {
      const PruneVariant& pv = spec.axes[a].prune[v];
      const auto rule_nodes =
          pv.rules.empty() ? std::vector<ConfigNode>{} : variants[v].child("rules").items();
      bool matched_all = true;
      for (std::size_t r = 0; r < pv.rules.size(); ++r)
        for (const auto& pattern : pv.rules[r].layers) {
          bool any = false;
          for (const auto& net : spec.networks)
            for (const auto& l : net.layers) any = any || workloads::name_matches(pattern, l.name);
          if (!any) {
            rule_nodes[r].error_at(
                "layers", "'" + pattern + "' matches no layer of any workload (" + names + ")");
            matched_all = false;
          }
        }
      if (!matched_all) continue;
      for (const auto& net : spec.networks) {
        try {
          (void)apply_prune(net, pv);
        } catch (const Error& e) {
          for (const auto& d : e.diagnostics()) {
            const std::string msg = "workload " + net.name + ": " + d.message;
            bool placed = false;
            for (const auto& n : rule_nodes)
              if (!placed && n.line() == d.line && n.path() == d.key) n.error(msg), placed = true;
            if (!placed) variants[v].error(msg);
          }
        }
      }
    }
  }
}

// Each per_layer_bits axis becomes one precision axis per layer (spec.hpp, PerLayerBits).
void expand_per_layer(const ConfigNode& root, SweepSpec& spec) {
  const auto axes = root.child("axes").items();
  std::vector<Axis> out;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    if (!spec.axes[a].per_layer) {
      out.push_back(std::move(spec.axes[a]));
      continue;
    }
    const PerLayerBits& p = *spec.axes[a].per_layer;
    std::vector<std::string> layers = p.layers;
    if (layers.empty())
      for (const auto& net : spec.networks)
        for (const auto& l : net.layers)
          if (workloads::does_macs(l.op) &&
              std::find(layers.begin(), layers.end(), l.name) == layers.end())
            layers.push_back(l.name);
    for (const auto& layer : layers) {
      bool found = false;
      for (const auto& net : spec.networks) found = found || !layers_named(net, layer).empty();
      if (!found) axes[a].error("layer '" + layer + "' is not a MAC layer of any workload");
      Axis x;
      x.name = spec.axes[a].name + "." + layer;
      x.kind = AxisKind::precision;
      x.line = spec.axes[a].line;
      for (int b : p.bits) {
        PrecisionVariant v;
        v.name = std::to_string(b);
        v.layers[layer] = {b, p.activations ? b : 0};
        x.precision.push_back(std::move(v));
      }
      out.push_back(std::move(x));
    }
  }
  spec.axes = std::move(out);
}

bool needs_accuracy(const SweepSpec& spec) {
  for (auto m : spec.objectives)
    if (m == Metric::accuracy) return true;
  return spec.constraints.accuracy_drop_max.has_value();
}

// Without measured rows, accuracy is the sensitivity proxy's: every layer width any variant
// sets (the last precision axis naming a layer decides it) needs a sensitivity, so checking
// each variant alone covers every combination, in time linear in the variants.
void check_sensitivity_coverage(const ConfigNode& root, const SweepSpec& spec) {
  const auto& acc = spec.accuracy;
  for (const auto& a : spec.axes)
    if (a.kind == AxisKind::density || a.kind == AxisKind::prune) {
      root.error_at("accuracy",
                    "axis '" + a.name + "' " +
                        (a.kind == AxisKind::density ? "changes densities" : "prunes channels") +
                        ", which the sensitivity proxy does not cover: give "
                        "measured accuracies (accuracy.table)");
      return;
    }
  for (const auto& net : spec.networks) {
    const std::string& w = net.name;
    if (!acc.baseline_pct.count(w)) {
      root.error_at("accuracy", "no accuracy.baseline for workload '" + w + "'");
      continue;
    }
    const auto sens = acc.sensitivity.find(w);
    std::set<std::pair<std::string, int>> missing;
    const auto check = [&](const workloads::Network& n) {
      for (const auto& l : n.layers) {
        const int b = l.precision.weight_bits;
        if (!workloads::does_macs(l.op) || b == 0 || b == acc.baseline_bits) continue;
        const bool known = sens != acc.sensitivity.end() && sens->second.count(l.name) &&
                           sens->second.at(l.name).count(b);
        if (!known) missing.insert({l.name, b});
      }
    };
    check(net);
    for (const auto& a : spec.axes)
      for (const auto& v : a.precision) {
        workloads::Network n = net;
        apply_precision(n, v);
        check(n);
      }
    for (const auto& [layer, b] : missing)
      root.error_at("accuracy", fmt::format("no sensitivity for workload '{}' layer '{}' at {} "
                                            "bits (accuracy.sensitivity.{}.{}.{})",
                                            w, layer, b, w, layer, b));
  }
}

// Every algorithm-variant combination of every workload has a known accuracy.
void check_accuracy_coverage(const ConfigNode& root, const SweepSpec& spec) {
  if (!needs_accuracy(spec)) return;
  if (spec.accuracy_told) {  // the caller tells accuracies; a drop needs the baselines
    if (spec.constraints.accuracy_drop_max)
      for (const auto& net : spec.networks)
        if (!spec.accuracy.baseline_pct.count(net.name))
          root.error_at("accuracy", "no accuracy.baseline for workload '" + net.name +
                                        "' (constraints.accuracy_drop_max needs it)");
    return;
  }
  if (spec.accuracy.empty()) {
    root.error(
        "the objectives or constraints use accuracy: give measured accuracies "
        "(accuracy.table) or a sensitivity proxy (accuracy.sensitivity); Loom does not "
        "estimate accuracy");
    return;
  }
  if (spec.accuracy.table.empty()) {
    check_sensitivity_coverage(root, spec);
    return;
  }
  std::vector<std::size_t> algo;
  std::uint64_t combos = 1;
  for (std::size_t a = 0; a < spec.axes.size(); ++a)
    if (spec.axes[a].kind != AxisKind::arch) algo.push_back(a), combos *= spec.axes[a].size();
  if (combos > kMaxCoverageCombos) {
    root.error_at("accuracy",
                  fmt::format("{} algorithm combinations are too many to check", combos));
    return;
  }
  std::vector<std::size_t> choice(spec.axes.size(), 0);
  for (std::size_t w = 0; w < spec.networks.size(); ++w) {
    if (!spec.accuracy.baseline_pct.count(spec.networks[w].name))
      root.error_at("accuracy",
                    "no accuracy.baseline for workload '" + spec.networks[w].name + "'");
    for (std::uint64_t c = 0; c < combos; ++c) {
      std::uint64_t rest = c;
      std::string label;
      for (std::size_t a : algo) {
        choice[a] = static_cast<std::size_t>(rest % spec.axes[a].size());
        rest /= spec.axes[a].size();
        label += fmt::format(" {}={}", spec.axes[a].name, spec.axes[a].label(choice[a]));
      }
      const auto net = apply_algorithms(spec.networks[w], spec, choice);
      if (!point_accuracy(spec, w, net, choice))
        root.error_at("accuracy", "no accuracy for workload '" + spec.networks[w].name + "' with" +
                                      (label.empty() ? " its own layers" : label) +
                                      " (add a table row or the layers' sensitivities)");
    }
  }
}

}  // namespace

void read_accuracy(const ConfigNode& n, SweepSpec& spec) {
  auto& acc = spec.accuracy;
  if (!n.allow_keys({"source", "baseline", "baseline_bits", "table", "sensitivity"})) return;
  acc.source = n.require_string("source");
  acc.baseline_bits = static_cast<int>(n.get_int("baseline_bits", 8, 1, 32));
  const ConfigNode base = n.child("baseline");
  if (n.has("baseline") && base.expect_map())
    for (const auto& k : base.keys()) acc.baseline_pct[k] = base.get_double(k, 0.0, 0.0);
  std::set<std::string> algo_axes;
  bool per_layer = false;
  for (const auto& a : spec.axes) {
    if (a.kind != AxisKind::arch) algo_axes.insert(a.name);
    per_layer = per_layer || a.per_layer.has_value();
  }
  if (per_layer && n.has("table"))
    n.error_at("table",
               "a per_layer_bits axis takes accuracy from accuracy.sensitivity (one "
               "measured row per assignment would be needed otherwise)");
  if (n.has("table"))
    for (const auto& row : n.child("table").items()) {
      if (!row.expect_map()) continue;
      AccuracyRow r;
      r.workload = row.require_string("workload");
      r.top1_pct = row.require_double("top1_pct", 0.0);
      for (const auto& k : row.keys()) {
        if (k == "workload" || k == "top1_pct") continue;
        const Axis* axis = nullptr;
        for (const auto& a : spec.axes)
          if (a.name == k && a.kind != AxisKind::arch) axis = &a;
        if (axis == nullptr) {
          row.error_at(k, "not an algorithm axis (expected workload, top1_pct or an axis name)");
          continue;
        }
        r.variants[k] = row.get_string(k, "");
        bool found = false;
        for (std::size_t i = 0; i < axis->size(); ++i)
          found = found || axis->label(i) == r.variants[k];
        if (!found) row.error_at(k, "no variant named '" + r.variants[k] + "' on axis " + k);
      }
      for (const auto& a : algo_axes)
        if (!r.variants.count(a)) row.error("missing the variant of algorithm axis '" + a + "'");
      acc.table.push_back(std::move(r));
    }
  const ConfigNode sens = n.child("sensitivity");
  if (n.has("sensitivity") && sens.expect_map())
    for (const auto& w : sens.keys()) {
      const ConfigNode wl = sens.child(w);
      if (!wl.expect_map()) continue;
      for (const auto& layer : wl.keys()) {
        const ConfigNode bits = wl.child(layer);
        if (!bits.expect_map()) continue;
        for (const auto& b : bits.keys()) {
          const int nb = std::atoi(b.c_str());
          if (nb < 1 || nb > 32 || std::to_string(nb) != b)
            bits.error_at(b, "expected a bit width 1..32 as the key, got '" + b + "'");
          else
            acc.sensitivity[w][layer][nb] = bits.get_double(b, 0.0, -1e300);
        }
      }
    }
}

void check_spec(const ConfigNode& root, SweepSpec& spec, const std::filesystem::path& dir) {
  load_networks(root, spec, dir);
  check_bases(root, spec);
  if (!root.ok()) return;
  check_arch_axes(root, spec);
  check_search(root, spec);
  check_layer_keys(root, spec);
  check_prune(root, spec);
  if (!root.ok()) return;
  expand_per_layer(root, spec);
  std::set<std::string> names;
  for (const auto& n : spec.networks) names.insert(n.name);
  for (const auto& r : spec.accuracy.table)
    if (!names.count(r.workload))
      root.error_at("accuracy", "table row for '" + r.workload + "', which is not a workload");
  for (const auto& [w, s] : spec.accuracy.sensitivity)
    if (!names.count(w)) root.error_at("accuracy", "sensitivity for '" + w + "', not a workload");
  check_accuracy_coverage(root, spec);
  const auto& s = spec.strategy;
  if (s.kind == StrategyKind::random && s.samples > spec.point_count())
    root.error_at("strategy", fmt::format("samples {} exceed the {} points of the space", s.samples,
                                          spec.point_count()));
}

}  // namespace loom::sweep
