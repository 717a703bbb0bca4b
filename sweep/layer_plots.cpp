// SPDX-License-Identifier: Apache-2.0
#include "sweep/layer_plots.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "sweep/svg.hpp"

namespace loom::sweep {

using reports::ResultTable;

double number_cell(const ResultTable& t, std::size_t r, std::string_view c) {
  const auto& cell = t.at(r, c);
  if (const auto* v = std::get_if<double>(&cell)) return *v;
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return static_cast<double>(*i);
  return NAN;
}

std::string text_cell(const ResultTable& t, std::size_t r, std::string_view c) {
  const auto& cell = t.at(r, c);
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&cell)) return std::to_string(*i);
  return fmt::format("{}", std::get<double>(cell));
}

std::vector<std::string> split_commas(const std::string& list) {
  std::vector<std::string> out;
  for (std::size_t b = 0, e; b < list.size(); b = e + 1) {
    e = list.find(',', b);
    if (e == std::string::npos) e = list.size();
    out.push_back(list.substr(b, e - b));
  }
  return out;
}

namespace {

// Rows of the layer table, labelled (by workload too when it holds several).
std::vector<std::string> layer_labels(const LayerPlotData& d) {
  std::vector<std::string> out;
  bool several = false;
  const bool named = d.layers.find_column("workload").has_value();
  for (std::size_t r = 1; named && r < d.layers.row_count(); ++r)
    several = several || text_cell(d.layers, r, "workload") != text_cell(d.layers, 0, "workload");
  for (std::size_t r = 0; r < d.layers.row_count(); ++r)
    out.push_back((several ? text_cell(d.layers, r, "workload") + "/" : "") +
                  text_cell(d.layers, r, "layer"));
  return out;
}

}  // namespace

std::string energy_plot(const LayerPlotData& d) {
  std::vector<std::string> parts{"mac"};
  for (const auto& level : d.levels) parts.push_back(level);
  const auto labels = layer_labels(d);
  const double row = 13, L = 170, R = 640, T = 40;
  double max_e = 0;
  for (std::size_t r = 0; r < d.layers.row_count(); ++r)
    max_e = std::max(max_e, number_cell(d.layers, r, "energy_pj"));
  const svg::Scale x{0, max_e > 0 ? max_e * 1.02 : 1, L, R, false};
  const double B = T + row * static_cast<double>(labels.size());
  std::string s = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' id='energy-plot{}' "
      "width='720' height='{:.0f}' font-family='sans-serif'>\n",
      d.id_suffix, B + 50);
  for (std::size_t i = 0; i < parts.size(); ++i)
    s += fmt::format(
        "<rect x='{}' y='6' width='10' height='10' fill='{}'/><text x='{}' y='15' "
        "font-size='11'>{}</text>\n",
        L + 90.0 * static_cast<double>(i), svg::category_color(i),
        L + 90.0 * static_cast<double>(i) + 13, svg::escape(parts[i]));
  s += svg::frame(x, svg::Scale{0, 1, B, T, false}, "energy (pJ)", "");
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const double y = T + row * static_cast<double>(r);
    double total = number_cell(d.layers, r, "energy_pj"), levels = 0, at = 0;
    std::vector<double> seg{0};
    for (std::size_t i = 1; i < parts.size(); ++i) {
      seg.push_back(number_cell(d.layers, r, "energy_pj_" + parts[i]));
      levels += seg.back();
    }
    seg[0] = std::max(0.0, total - levels);
    s += fmt::format("<text x='{}' y='{:.1f}' font-size='10' text-anchor='end'>{}</text>\n", L - 4,
                     y + row - 3, svg::escape(labels[r]));
    for (std::size_t i = 0; i < seg.size(); ++i) {
      if (!(seg[i] > 0)) continue;
      s += fmt::format(
          "<rect class='energy-bar' x='{:.1f}' y='{:.1f}' width='{:.2f}' height='{:.1f}'"
          " fill='{}'><title>{}: {} {:.4g} pJ of {:.4g}</title></rect>\n",
          x(at), y + 1, x(at + seg[i]) - x(at), row - 2, svg::category_color(i),
          svg::escape(labels[r]), svg::escape(parts[i]), seg[i], total);
      at += seg[i];
    }
  }
  return s + "</svg>\n";
}

namespace {

// One horizontal bar per layer of `column`'s value, on [0, max] (max <= 0: the largest value).
std::string bar_plot(const LayerPlotData& d, const char* kind, const char* column,
                     std::string_view xlabel, double max, const char* unit, double unit_scale) {
  const auto labels = layer_labels(d);
  const double row = 13, L = 170, R = 640, T = 14;
  const double B = T + row * static_cast<double>(labels.size());
  if (max <= 0) {
    for (std::size_t r = 0; r < labels.size(); ++r)
      max = std::max(max, number_cell(d.layers, r, column) * unit_scale);
    max = max > 0 ? max * 1.02 : 1;
  }
  const svg::Scale x{0, max, L, R, false};
  std::string s = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' id='{}-plot{}' width='720' "
      "height='{:.0f}' font-family='sans-serif'>\n",
      kind, d.id_suffix, B + 50);
  s += svg::frame(x, svg::Scale{0, 1, B, T, false}, xlabel, "");
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const double y = T + row * static_cast<double>(r),
                 u = number_cell(d.layers, r, column) * unit_scale;
    s += fmt::format(
        "<text x='{}' y='{:.1f}' font-size='10' text-anchor='end'>{}</text>"
        "<rect class='{}-bar' x='{}' y='{:.1f}' width='{:.2f}' height='{:.1f}' "
        "fill='#0072B2'><title>{}: {:.{}f}{}</title></rect>\n",
        L - 4, y + row - 3, svg::escape(labels[r]), kind, L, y + 1, x(std::clamp(u, 0.0, max)) - L,
        row - 2, svg::escape(labels[r]), u, unit[0] == '%' ? 1 : 4, unit);
  }
  return s + "</svg>\n";
}

}  // namespace

std::string util_plot(const LayerPlotData& d) {
  return bar_plot(d, "util", "overall_util_pct", "utilization (% of PE-cycles doing MACs)", 100,
                  "%", 1);
}

std::string latency_plot(const LayerPlotData& d) {
  return bar_plot(d, "latency", "latency_s", "latency (us)", 0, " us", 1e6);
}

std::string roofline_plot(const LayerPlotData& d) {
  const double clock = d.clock_hz;
  const double peak = d.peak_macs_per_cycle * clock;  // MAC/s
  const std::string& dram = d.dram_level;
  const double bw_cycle = d.dram_bytes_per_cycle;
  const double bw = bw_cycle * clock;  // B/s; 0 = unbounded
  const auto labels = layer_labels(d);
  std::vector<double> oi, perf;
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const double macs = number_cell(d.layers, r, "macs");
    oi.push_back(macs / number_cell(d.layers, r, "bytes_" + dram));
    perf.push_back(macs / (number_cell(d.layers, r, "total_cycles") / clock));
  }
  std::vector<double> xs = oi, ys = perf;
  ys.push_back(peak);
  if (bw > 0) xs.push_back(peak / bw);
  const double L = 80, R = 680, T = 20, B = 380;
  const auto x = svg::fit(xs, L, R, true);
  const auto y = svg::fit(ys, B, T, true);
  std::string s = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' id='roofline-plot{}' width='720' "
      "height='440' font-family='sans-serif'>\n",
      d.id_suffix);
  s += svg::frame(x, y, "operational intensity (MACs per DRAM byte)", "performance (MAC/s)");
  // The roof: min(peak, bandwidth x intensity), drawn inside the plot.
  const double knee = bw > 0 ? peak / bw : x.lo;
  const double x_start = std::max(x.lo, bw > 0 ? y.lo / bw : x.lo);
  std::string roof = fmt::format("M{:.1f},{:.1f}", x(std::min(x_start, knee)),
                                 y(bw > 0 ? std::min(peak, bw * x_start) : peak));
  if (knee > x.lo && knee < x.hi) roof += fmt::format(" L{:.1f},{:.1f}", x(knee), y(peak));
  roof += fmt::format(" L{:.1f},{:.1f}", x(x.hi), y(peak));
  s += fmt::format(
      "<path class='roof' d='{}' fill='none' stroke='#D55E00' stroke-width='2'>"
      "<title>peak {:.4g} MAC/s; DRAM {:.4g} GB/s</title></path>\n",
      roof, peak, bw / 1e9);
  for (std::size_t r = 0; r < labels.size(); ++r) {
    if (!std::isfinite(oi[r]) || !(oi[r] > 0) || !(perf[r] > 0)) continue;
    s += fmt::format(
        "<circle class='roofline-layer' cx='{:.1f}' cy='{:.1f}' r='3.5' "
        "fill='#0072B2' fill-opacity='0.7'><title>{}: {:.3g} MAC/B, {:.3g} MAC/s"
        "</title></circle>\n",
        x(oi[r]), y(perf[r]), svg::escape(labels[r]), oi[r], perf[r]);
  }
  return s + "</svg>\n";
}

}  // namespace loom::sweep
