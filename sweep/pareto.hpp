// SPDX-License-Identifier: Apache-2.0
#pragma once
// Pareto dominance over objective vectors where lower is better in every component (accuracy
// enters negated, see objective_value). A point dominates another when it is no worse in every
// objective and better in at least one; points with equal vectors do not dominate each other,
// so both stay on the front.
#include <array>
#include <cstddef>
#include <vector>

#include "sweep/point.hpp"

namespace loom::sweep {

[[nodiscard]] bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// The objective vector of a point under `objectives`.
[[nodiscard]] std::vector<double> objective_vector(const PointResult& p,
                                                   const std::vector<Metric>& objectives);

// Indices into `points` of the feasible points no other feasible point dominates, in the
// order of `points`. Points with an unknown objective value are not candidates.
[[nodiscard]] std::vector<std::size_t> pareto_front(const std::vector<PointResult>& points,
                                                    const std::vector<Metric>& objectives);

// Area dominated by `points` (2 objectives, lower is better) and bounded by `ref`; points not
// strictly below `ref` in both objectives add nothing.
[[nodiscard]] double hypervolume_2d(std::vector<std::array<double, 2>> points,
                                    std::array<double, 2> ref);

}  // namespace loom::sweep
