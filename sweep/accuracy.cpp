// SPDX-License-Identifier: Apache-2.0
#include "sweep/accuracy.hpp"

namespace loom::sweep {
namespace {

std::optional<double> from_table(const SweepSpec& spec, const std::string& workload,
                                 const std::vector<std::size_t>& choice) {
  for (const auto& row : spec.accuracy.table) {
    if (row.workload != workload) continue;
    bool match = true;
    for (std::size_t a = 0; a < spec.axes.size() && match; ++a) {
      const Axis& axis = spec.axes[a];
      if (axis.kind == AxisKind::arch) continue;
      const auto it = row.variants.find(axis.name);
      match = it != row.variants.end() && it->second == axis.label(choice[a]);
    }
    if (match) return row.top1_pct;
  }
  return std::nullopt;
}

std::optional<double> from_sensitivity(const SweepSpec& spec, const std::string& workload,
                                       const workloads::Network& net) {
  const auto& acc = spec.accuracy;
  for (const auto& a : spec.axes)
    if (a.kind == AxisKind::density) return std::nullopt;  // the proxy covers bit widths only
  const auto base = acc.baseline_pct.find(workload);
  const auto sens = acc.sensitivity.find(workload);
  if (base == acc.baseline_pct.end() || sens == acc.sensitivity.end()) return std::nullopt;
  double top1 = base->second;
  for (const auto& l : net.layers) {
    if (!workloads::does_macs(l.op)) continue;
    const int bits = l.precision.weight_bits;
    if (bits == 0 || bits == acc.baseline_bits) continue;
    const auto layer = sens->second.find(l.name);
    if (layer == sens->second.end()) return std::nullopt;
    const auto drop = layer->second.find(bits);
    if (drop == layer->second.end()) return std::nullopt;
    top1 -= drop->second;
  }
  return top1;
}

}  // namespace

std::optional<double> point_accuracy(const SweepSpec& spec, std::size_t w,
                                     const workloads::Network& net,
                                     const std::vector<std::size_t>& choice) {
  const std::string& name = spec.networks.at(w).name;
  if (auto t = from_table(spec, name, choice)) return t;
  return from_sensitivity(spec, name, net);
}

std::string accuracy_source_kind(const SweepSpec& spec) {
  std::string out;
  if (!spec.accuracy.table.empty()) out = "table of measured accuracies";
  if (!spec.accuracy.sensitivity.empty())
    out += std::string(out.empty() ? "" : " and ") + "per-layer sensitivity proxy";
  return out;
}

}  // namespace loom::sweep
