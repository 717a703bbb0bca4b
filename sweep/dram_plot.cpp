// SPDX-License-Identifier: Apache-2.0
#include "sweep/dram_plot.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <vector>

#include "sweep/layer_plots.hpp"
#include "sweep/svg.hpp"

namespace loom::sweep {
namespace {

using reports::ResultTable;

// The bar's segments, in drawing order: what moved, then what stayed.
constexpr std::array<std::pair<const char*, const char*>, 4> kSegments{
    {{"weight_dram_bytes", "weights (DRAM)"},
     {"spilled_dram_bytes", "activations spilled (DRAM)"},
     {"resident_saved_bytes", "kept on chip: resident"},
     {"fused_saved_bytes", "kept on chip: fused"}}};

struct Bar {
  std::string point;
  std::array<double, kSegments.size()> seg{};
};

std::vector<Bar> bars(const ResultTable& t) {
  std::vector<Bar> out;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const std::string id = text_cell(t, r, "point");
    if (out.empty() || out.back().point != id) out.push_back({id, {}});
    for (std::size_t i = 0; i < kSegments.size(); ++i)
      out.back().seg[i] += number_cell(t, r, kSegments[i].first);
  }
  return out;
}

std::string plot(const std::vector<Bar>& bs) {
  const double row = 16, L = 90, R = 640, T = 40;
  double max = 0;
  for (const auto& b : bs) {
    double sum = 0;
    for (const double v : b.seg) sum += std::max(0.0, v);
    max = std::max(max, sum);
  }
  const svg::Scale x{0, max > 0 ? max * 1.02 / 1e6 : 1, L, R, false};
  const double B = T + row * static_cast<double>(bs.size());
  std::string s = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' id='dram-plot' width='720' height='{:.0f}' "
      "font-family='sans-serif'>\n",
      B + 50);
  for (std::size_t i = 0; i < kSegments.size(); ++i)
    s += fmt::format(
        "<rect x='{}' y='6' width='10' height='10' fill='{}'/><text x='{}' y='15' "
        "font-size='11'>{}</text>\n",
        10 + 175.0 * static_cast<double>(i), svg::category_color(i),
        23 + 175.0 * static_cast<double>(i), kSegments[i].second);
  s += svg::frame(x, svg::Scale{0, 1, B, T, false}, "DRAM bytes (MB, all workloads)", "");
  for (std::size_t r = 0; r < bs.size(); ++r) {
    const double y = T + row * static_cast<double>(r);
    s += fmt::format("<text x='{}' y='{:.1f}' font-size='10' text-anchor='end'>point {}</text>\n",
                     L - 4, y + row - 4, svg::escape(bs[r].point));
    double at = 0;
    for (std::size_t i = 0; i < kSegments.size(); ++i) {
      const double v = bs[r].seg[i] / 1e6;
      if (!(v > 0)) continue;
      s += fmt::format(
          "<rect class='dram-bar' x='{:.1f}' y='{:.1f}' width='{:.2f}' height='{:.1f}' "
          "fill='{}'><title>point {}: {} {:.6g} MB</title></rect>\n",
          x(at), y + 2, x(at + v) - x(at), row - 4, svg::category_color(i),
          svg::escape(bs[r].point), kSegments[i].second, v);
      at += v;
    }
  }
  return s + "</svg>\n";
}

std::string chosen_table(const ResultTable& t, const std::string& chosen) {
  std::string s =
      "<table><tr><th>workload</th><th>schedule</th><th>DRAM (MB)</th><th>layerwise (MB)</th>"
      "<th>weights (MB)</th><th>spilled (MB)</th><th>kept resident (MB)</th>"
      "<th>kept fused (MB)</th><th>tensors resident / spilled / fused</th><th>groups</th>"
      "</tr>\n";
  bool any = false;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (chosen.empty() || text_cell(t, r, "point") != chosen) continue;
    any = true;
    s += "<tr><td>" + svg::escape(text_cell(t, r, "workload")) + "</td><td>" +
         svg::escape(text_cell(t, r, "schedule")) + "</td>";
    for (const char* c : kDramByteColumns)
      s += fmt::format("<td>{:.4f}</td>", number_cell(t, r, c) / 1e6);
    s += fmt::format("<td>{} / {} / {}</td><td>{}</td></tr>\n", text_cell(t, r, "tensors_resident"),
                     text_cell(t, r, "tensors_spilled"), text_cell(t, r, "tensors_fused"),
                     text_cell(t, r, "fused_groups"));
  }
  return any ? s + "</table>\n" : "";
}

}  // namespace

std::string dram_section(const ResultTable& pareto_dram, const std::string& chosen_point) {
  std::string s =
      "<h2>Pareto points: DRAM bytes kept on chip vs moved</h2>\n<p>Per Pareto point, its "
      "workloads summed: the DRAM bytes that moved under its schedule (weights; activations "
      "spilled: the network input, layer outputs and partial sums through DRAM) and the bytes the "
      "graph schedule kept on chip against the same layers run layerwise (tensors resident "
      "whole; fused groups' intermediate tiles), so a bar's length is the layerwise traffic. "
      "Under <code>layerwise</code> nothing is kept.</p>\n";
  s += plot(bars(pareto_dram));
  const std::string table = chosen_table(pareto_dram, chosen_point);
  if (!table.empty()) s += "<h3>Chosen point: DRAM bytes by workload</h3>\n" + table;
  return s;
}

}  // namespace loom::sweep
