// SPDX-License-Identifier: Apache-2.0
#include "compare/run_report.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "sweep/layer_plots.hpp"
#include "sweep/svg.hpp"

namespace loom::compare {
namespace {

namespace svg = sweep::svg;

double number_attribute(const RunFile& r, const std::string& key, bool required) {
  const std::string s = r.attribute(key);
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() && !required) return 0;
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(v) || v < 0)
    throw Error(
        Diagnostic{r.h5.string(), key, 0,
                   "not a results.h5 this Loom wrote: expected a number >= 0 as this "
                   "attribute, got " +
                       (s.empty() ? "none (written by an older Loom? rerun it)" : "'" + s + "'")});
  return v;
}

// The plots' inputs, checked: every stacked level and the DRAM level have their columns.
sweep::LayerPlotData plot_data(const RunFile& r, std::size_t index) {
  sweep::LayerPlotData d{r.layers,
                         sweep::split_commas(r.attribute("levels")),
                         r.attribute("dram_level"),
                         number_attribute(r, "clock_hz", true),
                         number_attribute(r, "peak_macs_per_cycle", true),
                         number_attribute(r, "dram_bytes_per_cycle", false),
                         fmt::format("-{}", index + 1)};
  std::vector<std::string> columns;
  for (const auto& l : d.levels) columns.push_back("energy_pj_" + l);
  if (!d.dram_level.empty()) columns.push_back("bytes_" + d.dram_level);
  for (const auto& c : columns)
    if (!r.layers.find_column(c))
      throw Error(Diagnostic{r.h5.string(), "layers", 0,
                             "not a results.h5 this Loom wrote: no column '" + c + "'"});
  if (d.clock_hz <= 0)
    throw Error(Diagnostic{r.h5.string(), "clock_hz", 0, "not a results.h5 Loom wrote: clock 0"});
  return d;
}

std::string summary_list(const RunFile& r, std::size_t index) {
  const auto total = [&](const char* c) { return sweep::number_cell(r.summary, 0, c); };
  std::string s = fmt::format("<h2>{}: {}</h2>\n<ul>\n", index + 1, svg::escape(r.label));
  s += fmt::format("<li>{} on {}, batch {}</li>\n", svg::escape(r.attribute("workload")),
                   svg::escape(r.attribute("accelerator")), svg::escape(r.attribute("batch")));
  s += fmt::format(
      "<li class='totals'>energy {:.4g} uJ, latency {:.4g} ms, {} cycles, {} layers</li>\n",
      total("energy_pj") * 1e-6, total("latency_s") * 1e3, total("cycles"), r.layers.row_count());
  std::string settings;
  for (const char* k : {"search", "budget", "seed", "objective", "strategy", "schedule"})
    if (!r.attribute(k).empty())
      settings += fmt::format("{}{} {}", settings.empty() ? "" : ", ", k, r.attribute(k));
  if (!settings.empty()) s += "<li>settings: " + svg::escape(settings) + "</li>\n";
  return s + "</ul>\n";
}

}  // namespace

std::string run_report_html(const std::vector<RunFile>& runs) {
  std::vector<sweep::LayerPlotData> data;
  for (std::size_t i = 0; i < runs.size(); ++i) data.push_back(plot_data(runs[i], i));
  std::string title;
  for (const auto& r : runs)
    title += (title.empty() ? "" : " vs ") + r.attribute("workload") + " on " +
             r.attribute("accelerator");
  std::string s = "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>Loom run: " +
                  svg::escape(title) +
                  "</title>\n<style>body{font-family:sans-serif;margin:1em;color:#222}"
                  ".runs{display:flex;gap:16px;align-items:flex-start;overflow-x:auto}"
                  ".run{flex:0 0 730px}</style></head><body>\n";
  s += "<h1>" + svg::escape(title) + "</h1>\n";
  const std::vector<std::pair<std::string, std::string (*)(const sweep::LayerPlotData&)>> plots{
      {"Energy per layer, by MAC and memory level", sweep::energy_plot},
      {"Latency per layer", sweep::latency_plot},
      {"Utilization per layer", sweep::util_plot},
      {"Roofline", sweep::roofline_plot}};
  s += "<div class='runs'>\n";
  for (std::size_t i = 0; i < runs.size(); ++i)
    s += "<div class='run'>" + summary_list(runs[i], i) + "</div>\n";
  s += "</div>\n";
  for (const auto& [heading, plot] : plots) {
    s += "<h2>" + heading + "</h2>\n<div class='runs'>\n";
    for (std::size_t i = 0; i < runs.size(); ++i)
      s += fmt::format("<div class='run'><h3>{}</h3>\n{}</div>\n", i + 1, plot(data[i]));
    s += "</div>\n";
  }
  return s + "</body></html>\n";
}

}  // namespace loom::compare
