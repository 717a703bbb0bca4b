// SPDX-License-Identifier: Apache-2.0
#include "sweep/html_report.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "reports/hdf5_writer.hpp"
#include "sweep/dram_plot.hpp"
#include "sweep/layer_plots.hpp"
#include "sweep/svg.hpp"

namespace loom::sweep {
namespace {

using reports::ResultTable;

struct Data {
  ResultTable points, pareto, layers, dram;
  bool has_layers = false;
  bool has_dram = false;  // /pareto_dram: absent from files written before it was recorded
  std::map<std::string, std::string> attrs;
  std::vector<std::string> axes;
  double clock_hz = 0, peak_macs_per_cycle = 0, dram_bytes_per_cycle = 0;  // with layers only
  [[nodiscard]] std::string attr(const std::string& k) const {
    const auto it = attrs.find(k);
    return it == attrs.end() ? "" : it->second;
  }
};

// The report reads these columns and attributes; a file without them (another program's, or a
// damaged copy) is refused by name rather than failing deep inside a plot.
void need_column(const std::filesystem::path& h5, const ResultTable& t, const char* table,
                 const std::string& column, bool numeric) {
  const auto i = t.find_column(column);
  if (!i)
    throw Error(Diagnostic{h5.string(), table, 0,
                           "not a results.h5 Loom wrote: no column '" + column + "'"});
  if (numeric && t.columns()[*i].type == reports::ColumnType::String)
    throw Error(Diagnostic{h5.string(), std::string(table) + "." + column, 0,
                           "not a results.h5 Loom wrote: expected numbers, found text"});
}

double number_attr(const std::filesystem::path& h5, const Data& d, const std::string& key,
                   bool required) {
  const std::string s = d.attr(key);
  if (s.empty() && !required) return 0;
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(v) || v < 0)
    throw Error(Diagnostic{h5.string(), key, 0,
                           "not a results.h5 Loom wrote: expected a number >= 0 as this "
                           "attribute, got " +
                               (s.empty() ? "none" : "'" + s + "'")});
  return v;
}

void check_loom_file(const std::filesystem::path& h5, Data& d) {
  for (const char* c : {"energy_pj", "latency_s", "area_mm2"}) {
    need_column(h5, d.points, "points", c, true);
    need_column(h5, d.pareto, "pareto", c, true);
  }
  need_column(h5, d.points, "points", "point", false);
  need_column(h5, d.pareto, "pareto", "point", false);
  need_column(h5, d.pareto, "pareto", "edp_js", true);
  need_column(h5, d.points, "points", "feasible", true);
  if (d.points.columns()[*d.points.find_column("feasible")].type != reports::ColumnType::Int64)
    throw Error(Diagnostic{h5.string(), "points.feasible", 0,
                           "not a results.h5 Loom wrote: expected integers"});
  for (const auto& a : d.axes) need_column(h5, d.points, "points", a, false);
  if (d.has_dram) {
    need_column(h5, d.dram, "pareto_dram", "point", false);
    need_column(h5, d.dram, "pareto_dram", "workload", false);
    need_column(h5, d.dram, "pareto_dram", "schedule", false);
    for (const char* c : kDramByteColumns) need_column(h5, d.dram, "pareto_dram", c, true);
    for (const char* c : kDramCountColumns) need_column(h5, d.dram, "pareto_dram", c, true);
  }
  if (!d.has_layers) return;
  d.clock_hz = number_attr(h5, d, "clock_hz", true);
  d.peak_macs_per_cycle = number_attr(h5, d, "peak_macs_per_cycle", true);
  d.dram_bytes_per_cycle = number_attr(h5, d, "dram_bytes_per_cycle", false);
  if (d.clock_hz <= 0)
    throw Error(Diagnostic{h5.string(), "clock_hz", 0, "not a results.h5 Loom wrote: clock 0"});
  need_column(h5, d.layers, "chosen_layers", "workload", false);
  need_column(h5, d.layers, "chosen_layers", "layer", false);
  for (const char* c : {"energy_pj", "overall_util_pct", "macs", "total_cycles"})
    need_column(h5, d.layers, "chosen_layers", c, true);
  need_column(h5, d.layers, "chosen_layers", "bytes_" + d.attr("dram_level"), true);
  for (const auto& level : split_commas(d.attr("levels")))
    need_column(h5, d.layers, "chosen_layers", "energy_pj_" + level, true);
}

Data load(const std::filesystem::path& h5) {
  Data d;
  const auto tables = reports::list_hdf5_tables(h5);
  if (std::find(tables.begin(), tables.end(), "points") == tables.end())
    throw Error(Diagnostic{h5.string(), "", 0, "not a sweep's results.h5 (no /points table)"});
  d.points = reports::read_hdf5_table(h5, "points");
  d.pareto = reports::read_hdf5_table(h5, "pareto");
  d.has_layers = std::find(tables.begin(), tables.end(), "chosen_layers") != tables.end();
  if (d.has_layers) d.layers = reports::read_hdf5_table(h5, "chosen_layers");
  d.has_dram = std::find(tables.begin(), tables.end(), "pareto_dram") != tables.end();
  if (d.has_dram) d.dram = reports::read_hdf5_table(h5, "pareto_dram");
  d.attrs = reports::read_hdf5_attributes(h5);
  d.axes = split_commas(d.attr("axes"));
  check_loom_file(h5, d);
  return d;
}

double dbl(const ResultTable& t, std::size_t r, std::string_view c) { return number_cell(t, r, c); }

std::string text(const ResultTable& t, std::size_t r, std::string_view c) {
  return text_cell(t, r, c);
}

std::string hover(const Data& d, const ResultTable& t, std::size_t r) {
  std::string s = fmt::format("point {}: energy {:.4g} pJ, latency {:.4g} s, area {:.4g} mm2",
                              text(t, r, "point"), dbl(t, r, "energy_pj"), dbl(t, r, "latency_s"),
                              dbl(t, r, "area_mm2"));
  for (const auto& a : d.axes) s += fmt::format("; {}={}", a, text(t, r, a));
  return svg::escape(s);
}

std::string pareto_plot(const Data& d) {
  const double W = 720, H = 440, L = 80, R = 600, T = 20, B = 380;
  std::vector<double> xs, ys, areas;
  for (std::size_t r = 0; r < d.points.row_count(); ++r)
    if (d.points.get_int(r, "feasible") == 1)
      xs.push_back(dbl(d.points, r, "latency_s")), ys.push_back(dbl(d.points, r, "energy_pj"));
  for (std::size_t r = 0; r < d.pareto.row_count(); ++r)
    areas.push_back(dbl(d.pareto, r, "area_mm2"));
  const auto x = svg::fit(xs, L, R, true);
  const auto y = svg::fit(ys, B, T, true);
  std::string s = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' id='pareto-plot' "
      "width='{}' height='{}' font-family='sans-serif'>\n",
      W, H);
  s += svg::frame(x, y, "latency (s, all workloads)", "energy (pJ, all workloads)");
  for (std::size_t r = 0; r < d.points.row_count(); ++r) {
    if (d.points.get_int(r, "feasible") != 1) continue;
    s += fmt::format(
        "<circle class='sweep-point' cx='{:.1f}' cy='{:.1f}' r='2.5' fill='#bbb'>"
        "<title>{}</title></circle>\n",
        x(dbl(d.points, r, "latency_s")), y(dbl(d.points, r, "energy_pj")), hover(d, d.points, r));
  }
  const auto [amin, amax] = areas.empty()
                                ? std::pair{0.0, 1.0}
                                : std::pair{*std::min_element(areas.begin(), areas.end()),
                                            *std::max_element(areas.begin(), areas.end())};
  for (std::size_t r = 0; r < d.pareto.row_count(); ++r) {
    const double a = dbl(d.pareto, r, "area_mm2");
    s += fmt::format(
        "<circle class='pareto-point' cx='{:.1f}' cy='{:.1f}' r='5.5' fill='{}' "
        "stroke='#222'><title>{}</title></circle>\n",
        x(dbl(d.pareto, r, "latency_s")), y(dbl(d.pareto, r, "energy_pj")),
        svg::ramp(amax > amin ? (a - amin) / (amax - amin) : 0.5), hover(d, d.pareto, r));
  }
  // Colour bar for area.
  for (int i = 0; i < 20; ++i)
    s += fmt::format("<rect x='640' y='{:.1f}' width='18' height='16' fill='{}'/>\n",
                     B - 16.0 * (i + 1), svg::ramp(i / 19.0));
  s += fmt::format(
      "<text x='630' y='{}' font-size='11'>area (mm2)</text>"
      "<text x='662' y='{:.0f}' font-size='11'>{}</text>"
      "<text x='662' y='{:.0f}' font-size='11'>{}</text>\n",
      B - 330, B - 2.0, svg::num(amin), B - 310.0, svg::num(amax));
  return s + "</svg>\n";
}

std::string pareto_table(const Data& d) {
  std::string s =
      "<table><tr><th>point</th><th>energy (pJ)</th><th>latency (s)</th>"
      "<th>EDP (J s)</th><th>area (mm2)</th>";
  const bool acc = d.pareto.find_column("accuracy_pct").has_value();
  if (acc) s += "<th>accuracy (%)</th>";
  for (const auto& a : d.axes) s += "<th>" + svg::escape(a) + "</th>";
  s += "</tr>\n";
  for (std::size_t r = 0; r < d.pareto.row_count(); ++r) {
    s += fmt::format("<tr><td>{}</td><td>{:.4g}</td><td>{:.4g}</td><td>{:.4g}</td><td>{:.4g}</td>",
                     text(d.pareto, r, "point"), dbl(d.pareto, r, "energy_pj"),
                     dbl(d.pareto, r, "latency_s"), dbl(d.pareto, r, "edp_js"),
                     dbl(d.pareto, r, "area_mm2"));
    if (acc) s += fmt::format("<td>{:.4g}</td>", dbl(d.pareto, r, "accuracy_pct"));
    for (const auto& a : d.axes) s += "<td>" + svg::escape(text(d.pareto, r, a)) + "</td>";
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

}  // namespace

std::string pareto_svg(const std::filesystem::path& results_h5) {
  return "<?xml version='1.0' encoding='UTF-8'?>\n" + pareto_plot(load(results_h5));
}

std::string sweep_report_html(const std::filesystem::path& results_h5) {
  const Data d = load(results_h5);
  std::string s =
      "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>Loom sweep: " +
      svg::escape(d.attr("sweep")) +
      "</title>\n<style>body{font-family:sans-serif;"
      "max-width:760px;margin:1em auto;color:#222}table{border-collapse:collapse;"
      "font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
      "</style></head><body>\n";
  s += "<h1>Sweep " + svg::escape(d.attr("sweep")) + "</h1>\n<ul>\n";
  for (const auto& [k, label] : std::vector<std::pair<std::string, std::string>>{
           {"objectives", "Objectives"},
           {"strategy", "Strategy"},
           {"points_evaluated", "Points evaluated"},
           {"points_in_space", "Points in the space"},
           {"accuracy_source", "Accuracy source"},
           {"chosen_label", "Chosen point (lowest EDP on the front)"},
           {"chosen_accelerator", "Chosen accelerator"}})
    if (!d.attr(k).empty()) s += "<li>" + label + ": " + svg::escape(d.attr(k)) + "</li>\n";
  s += fmt::format("<li>Pareto-optimal points: {}</li></ul>\n", d.pareto.row_count());
  s += "<h2>Pareto front</h2>\n<p>Grey: feasible points; coloured: the non-dominated ones under "
       "the sweep's objectives, by area. Hover a point for its values.</p>\n" +
       pareto_plot(d);
  s += pareto_table(d);
  if (d.has_dram)
    s += dram_section(d.dram, d.attr("chosen_point"));
  else
    s += "<p>No DRAM breakdown: this results.h5 has no /pareto_dram table (a sweep written "
         "before Loom recorded the bytes its schedule kept on chip; run the sweep again for "
         "it).</p>\n";
  if (d.has_layers) {
    const LayerPlotData p{d.layers,   split_commas(d.attr("levels")), d.attr("dram_level"),
                          d.clock_hz, d.peak_macs_per_cycle,          d.dram_bytes_per_cycle,
                          ""};
    s += "<h2>Chosen point: energy per layer</h2>\n" + energy_plot(p);
    s += "<h2>Chosen point: utilization per layer</h2>\n" + util_plot(p);
    s += "<h2>Chosen accelerator: roofline</h2>\n" + roofline_plot(p);
  } else {
    s += "<p>No feasible point: nothing to break down.</p>\n";
  }
  return s + "</body></html>\n";
}

}  // namespace loom::sweep
