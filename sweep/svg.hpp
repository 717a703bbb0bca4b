// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small helpers for the report's inline SVG plots: linear and logarithmic scales with tick
// marks, a frame with axis labels, a perceptual colour ramp and XML escaping. No state.
#include <string>
#include <string_view>
#include <vector>

namespace loom::sweep::svg {

struct Scale {
  double lo = 0, hi = 1;        // data range (lo < hi; > 0 when log)
  double px_lo = 0, px_hi = 1;  // pixel range (px_lo may exceed px_hi for y)
  bool log = false;
  [[nodiscard]] double operator()(double v) const;
  [[nodiscard]] std::vector<double> ticks() const;
};

// A scale over the data values (finite, and > 0 for log), padded by 5% of the span.
Scale fit(const std::vector<double>& values, double px_lo, double px_hi, bool log);

[[nodiscard]] std::string escape(std::string_view s);
[[nodiscard]] std::string num(double v);  // tick labels: 3 significant digits
// Axes box, ticks and labels of a plot area; an empty ylabel leaves the y axis unticked.
[[nodiscard]] std::string frame(const Scale& x, const Scale& y, std::string_view xlabel,
                                std::string_view ylabel);
// Viridis-like ramp (anchors from matplotlib's viridis at 0, .25, .5, .75, 1), t in [0, 1].
[[nodiscard]] std::string ramp(double t);
// A fixed qualitative palette for categories.
[[nodiscard]] std::string category_color(std::size_t i);

}  // namespace loom::sweep::svg
