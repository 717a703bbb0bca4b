// SPDX-License-Identifier: Apache-2.0
#include "sweep/algorithm.hpp"

namespace loom::sweep {

std::vector<std::size_t> layers_named(const workloads::Network& net, const std::string& key) {
  std::vector<std::size_t> macs;
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (workloads::does_macs(net.layers[i].op)) macs.push_back(i);
  if (macs.empty()) return {};
  if (key == "first") return {macs.front()};
  if (key == "last") return {macs.back()};
  for (std::size_t i : macs)
    if (net.layers[i].name == key) return {i};
  return {};
}

namespace {

void set_bits(workloads::Layer& l, const LayerBits& b) {
  if (b.weight_bits > 0) l.precision.weight_bits = b.weight_bits;
  if (b.activation_bits > 0) l.precision.activation_bits = b.activation_bits;
}

void set_density(workloads::Layer& l, const DensitySet& d) {
  if (d.ifmap) l.density.ifmap = *d.ifmap;
  if (d.weight) l.density.weight = *d.weight;
  if (d.ofmap) l.density.ofmap = *d.ofmap;
}

}  // namespace

void apply_precision(workloads::Network& net, const PrecisionVariant& v) {
  for (auto& l : net.layers)
    if (workloads::does_macs(l.op)) set_bits(l, v.uniform);
  for (const auto& [key, bits] : v.layers)
    for (std::size_t i : layers_named(net, key)) set_bits(net.layers[i], bits);
}

void apply_density(workloads::Network& net, const DensityVariant& v) {
  for (auto& l : net.layers)
    if (workloads::does_macs(l.op)) set_density(l, v.uniform);
  for (const auto& [key, d] : v.layers)
    for (std::size_t i : layers_named(net, key)) set_density(net.layers[i], d);
}

workloads::Network apply_algorithms(const workloads::Network& net, const SweepSpec& spec,
                                    const std::vector<std::size_t>& choice) {
  workloads::Network out = net;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const Axis& axis = spec.axes[a];
    if (axis.kind == AxisKind::precision) apply_precision(out, axis.precision[choice[a]]);
    if (axis.kind == AxisKind::density) apply_density(out, axis.density[choice[a]]);
  }
  return out;
}

}  // namespace loom::sweep
