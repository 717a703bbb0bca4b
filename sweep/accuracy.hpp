// SPDX-License-Identifier: Apache-2.0
#pragma once
// Accuracy of a design point, only from what the user supplied (AccuracySpec): a measured row
// of `accuracy.table` matching the point's algorithm variants, else the per-layer sensitivity
// proxy (baseline minus the summed drops of layers whose weights leave baseline_bits). Loom
// never estimates accuracy itself: without a matching row or complete sensitivities the
// accuracy is unknown (nullopt), and the loader refuses a sweep whose objectives or
// constraints need an unknown accuracy.
#include <optional>
#include <string>
#include <vector>

#include "sweep/spec.hpp"
#include "workloads/network.hpp"

namespace loom::sweep {

// Top-1 accuracy (%) of workload `w` (index into spec.networks) at the point, `net` being that
// workload after the point's algorithm transforms.
std::optional<double> point_accuracy(const SweepSpec& spec, std::size_t w,
                                     const workloads::Network& net,
                                     const std::vector<std::size_t>& choice);

// Which source answered: "table", "sensitivity" or "" (unknown), for the report.
std::string accuracy_source_kind(const SweepSpec& spec);

}  // namespace loom::sweep
