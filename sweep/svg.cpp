// SPDX-License-Identifier: Apache-2.0
#include "sweep/svg.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace loom::sweep::svg {

double Scale::operator()(double v) const {
  const double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                       : (v - lo) / (hi - lo);
  return px_lo + t * (px_hi - px_lo);
}

std::vector<double> Scale::ticks() const {
  std::vector<double> out;
  if (log) {
    for (double p = std::floor(std::log10(lo)); p <= std::ceil(std::log10(hi)); ++p)
      for (double m : {1.0, 2.0, 5.0}) {
        const double v = m * std::pow(10.0, p);
        if (v >= lo && v <= hi) out.push_back(v);
      }
    if (out.size() > 8)
      std::erase_if(out, [](double v) {
        const double m = v / std::pow(10.0, std::floor(std::log10(v)));
        return std::fabs(m - 1.0) > 1e-9;
      });
    return out;
  }
  const double raw = (hi - lo) / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-12 * step; v += step) out.push_back(v);
  return out;
}

Scale fit(const std::vector<double>& values, double px_lo, double px_hi, bool log) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v) && (!log || v > 0)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!std::isfinite(lo)) lo = 1, hi = 10;
  if (log) {
    const double l = std::log10(lo), h = std::log10(hi), pad = std::max(0.05 * (h - l), 0.05);
    return {std::pow(10.0, l - pad), std::pow(10.0, h + pad), px_lo, px_hi, true};
  }
  const double pad =
      std::max(0.05 * (hi - lo), hi == lo ? std::max(std::fabs(hi) * 0.1, 1.0) : 0.0);
  return {std::min(lo - pad, lo >= 0 && lo - pad < 0 ? 0.0 : lo - pad), hi + pad, px_lo, px_hi,
          false};
}

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double v) { return fmt::format("{:.3g}", v); }

std::string frame(const Scale& x, const Scale& y, std::string_view xlabel,
                  std::string_view ylabel) {
  std::string s;
  const double x0 = std::min(x.px_lo, x.px_hi), x1 = std::max(x.px_lo, x.px_hi);
  const double y0 = std::min(y.px_lo, y.px_hi), y1 = std::max(y.px_lo, y.px_hi);
  s += fmt::format(
      "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='none' "
      "stroke='#444'/>\n",
      x0, y0, x1 - x0, y1 - y0);
  for (double t : x.ticks()) {
    const double px = x(t);
    s += fmt::format(
        "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1:.1f}' y2='{2:.1f}' stroke='#ddd'/>"
        "<text x='{0:.1f}' y='{3:.1f}' font-size='11' text-anchor='middle'>{4}</text>\n",
        px, y0, y1, y1 + 14, num(t));
  }
  // Category plots (no y label) label their rows themselves.
  const std::vector<double> yticks = ylabel.empty() ? std::vector<double>{} : y.ticks();
  for (double t : yticks) {
    const double py = y(t);
    s += fmt::format(
        "<line x1='{0:.1f}' x2='{1:.1f}' y1='{2:.1f}' y2='{2:.1f}' stroke='#ddd'/>"
        "<text x='{3:.1f}' y='{4:.1f}' font-size='11' text-anchor='end'>{5}</text>\n",
        x0, x1, py, x0 - 4, py + 4, num(t));
  }
  s += fmt::format("<text x='{:.1f}' y='{:.1f}' font-size='12' text-anchor='middle'>{}</text>\n",
                   (x0 + x1) / 2, y1 + 32, escape(xlabel));
  s += fmt::format(
      "<text x='{0:.1f}' y='{1:.1f}' font-size='12' text-anchor='middle' "
      "transform='rotate(-90 {0:.1f} {1:.1f})'>{2}</text>\n",
      x0 - 48, (y0 + y1) / 2, escape(ylabel));
  return s;
}

std::string ramp(double t) {
  static constexpr std::array<std::array<double, 3>, 5> k{
      {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 4;
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), 3);
  const double f = t - static_cast<double>(i);
  std::array<int, 3> c{};
  for (std::size_t j = 0; j < 3; ++j)
    c[j] = static_cast<int>(std::lround(k[i][j] + f * (k[i + 1][j] - k[i][j])));
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

std::string category_color(std::size_t i) {
  // Okabe & Ito's colour-blind-safe palette, then greys.
  static constexpr std::array<std::string_view, 8> k{"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                     "#56B4E9", "#D55E00", "#F0E442", "#999999"};
  return std::string(k[i % k.size()]);
}

}  // namespace loom::sweep::svg
