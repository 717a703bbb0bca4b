// SPDX-License-Identifier: Apache-2.0
#include "sweep/pareto.hpp"

#include <algorithm>
#include <cmath>

namespace loom::sweep {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    better = better || a[i] < b[i];
  }
  return better;
}

std::vector<double> objective_vector(const PointResult& p, const std::vector<Metric>& objectives) {
  std::vector<double> v;
  v.reserve(objectives.size());
  for (auto m : objectives) v.push_back(objective_value(p, m));
  return v;
}

std::vector<std::size_t> pareto_front(const std::vector<PointResult>& points,
                                      const std::vector<Metric>& objectives) {
  std::vector<std::size_t> cand;
  std::vector<std::vector<double>> vec(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].feasible) continue;
    vec[i] = objective_vector(points[i], objectives);
    if (std::all_of(vec[i].begin(), vec[i].end(), [](double x) { return std::isfinite(x); }))
      cand.push_back(i);
  }
  // Sorted lexicographically, a point can only be dominated by one before it.
  std::vector<std::size_t> order = cand;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return vec[a] < vec[b]; });
  std::vector<std::size_t> front;
  for (std::size_t i : order) {
    bool dominated = false;
    for (std::size_t j : front)
      if (dominates(vec[j], vec[i])) {
        dominated = true;
        break;
      }
    if (!dominated) front.push_back(i);
  }
  std::sort(front.begin(), front.end());
  return front;
}

double hypervolume_2d(std::vector<std::array<double, 2>> points, std::array<double, 2> ref) {
  std::sort(points.begin(), points.end());
  double volume = 0;
  double best_y = ref[1];
  for (const auto& p : points) {
    if (!(p[0] < ref[0]) || !(p[1] < best_y)) continue;
    volume += (ref[0] - p[0]) * (best_y - p[1]);
    best_y = p[1];
  }
  return volume;
}

}  // namespace loom::sweep
