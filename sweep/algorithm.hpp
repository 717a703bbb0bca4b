// SPDX-License-Identifier: Apache-2.0
#pragma once
// The algorithm side of a design point: the workload transforms a point's algorithm axes choose
// (per-layer bit widths through workloads::Precision, per-layer densities through
// workloads::Density). Each kind is one function here; the hardware sees only the transformed
// Network. Layer keys name a MAC layer or are `first` / `last` (first / last MAC layer).
#include <string>
#include <vector>

#include "sweep/spec.hpp"
#include "workloads/network.hpp"

namespace loom::sweep {

// Indices of the MAC layers `key` names in `net` (empty if none).
std::vector<std::size_t> layers_named(const workloads::Network& net, const std::string& key);

void apply_precision(workloads::Network& net, const PrecisionVariant& v);
void apply_density(workloads::Network& net, const DensityVariant& v);

// `net` with every algorithm axis of `spec` at the point's choice applied, in axis order.
workloads::Network apply_algorithms(const workloads::Network& net, const SweepSpec& spec,
                                    const std::vector<std::size_t>& choice);

}  // namespace loom::sweep
