// SPDX-License-Identifier: Apache-2.0
#include "compare/compare_runs.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "reports/console_table.hpp"
#include "sweep/layer_plots.hpp"

namespace loom::compare {
namespace {

using reports::ColumnType;
using reports::ResultTable;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Metric {
  const char* name;  // column in layers and summary
  const char* unit;
  double scale;  // to the unit shown
};

// Layer names in the order they first appear.
std::vector<std::string> layer_names(const std::vector<RunFile>& runs) {
  std::vector<std::string> out;
  for (const auto& run : runs)
    for (std::size_t r = 0; r < run.layers.row_count(); ++r) {
      const std::string name = run.layers.get_string(r, "layer");
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  return out;
}

double layer_value(const RunFile& run, const std::string& layer, const char* metric) {
  for (std::size_t r = 0; r < run.layers.row_count(); ++r)
    if (run.layers.get_string(r, "layer") == layer)
      return sweep::number_cell(run.layers, r, metric);
  return kNaN;
}

ResultTable build(const std::vector<RunFile>& runs, const std::vector<Metric>& metrics) {
  ResultTable t;
  t.add_column("layer", "", ColumnType::String);
  const std::size_t n = runs.size();
  for (const auto& m : metrics) {
    for (std::size_t k = 1; k <= n; ++k)
      t.add_column(fmt::format("{}_{}", m.name, k), m.unit, ColumnType::Double);
    for (std::size_t k = 2; k <= n; ++k) {
      t.add_column(fmt::format("d_{}_{}", m.name, k), m.unit, ColumnType::Double);
      t.add_column(fmt::format("d_{}_pct_{}", m.name, k), "%", ColumnType::Double);
    }
  }
  const auto fill = [&](const std::string& label, const auto& value_of) {
    auto row = t.add_row();
    row.set("layer", label);
    for (const auto& m : metrics) {
      std::vector<double> v;
      for (std::size_t k = 0; k < n; ++k) v.push_back(value_of(runs[k], m.name) * m.scale);
      for (std::size_t k = 1; k <= n; ++k) row.set(fmt::format("{}_{}", m.name, k), v[k - 1]);
      for (std::size_t k = 2; k <= n; ++k) {
        row.set(fmt::format("d_{}_{}", m.name, k), v[k - 1] - v[0]);
        row.set(fmt::format("d_{}_pct_{}", m.name, k),
                v[0] != 0 ? (v[k - 1] - v[0]) / v[0] * 100 : kNaN);
      }
    }
  };
  for (const auto& layer : layer_names(runs))
    fill(layer, [&](const RunFile& r, const char* m) { return layer_value(r, layer, m); });
  fill("total",
       [](const RunFile& r, const char* m) { return sweep::number_cell(r.summary, 0, m); });
  return t;
}

}  // namespace

ResultTable compare_table(const std::vector<RunFile>& runs) {
  return build(runs, {{"energy_pj", "pJ", 1}, {"latency_s", "s", 1}});
}

std::string format_compare_console(const std::vector<RunFile>& runs) {
  const ResultTable t = build(runs, {{"energy_pj", "uJ", 1e-6}, {"latency_s", "us", 1e6}});
  reports::ConsoleTableOptions opt;
  opt.footer_rows = 1;
  opt.thousands = true;
  for (std::size_t k = 1; k <= runs.size(); ++k) {
    opt.labels[fmt::format("energy_pj_{}", k)] = fmt::format("energy {}", k);
    opt.labels[fmt::format("latency_s_{}", k)] = fmt::format("latency {}", k);
    opt.labels[fmt::format("d_energy_pj_{}", k)] = fmt::format("dE {}-1", k);
    opt.labels[fmt::format("d_energy_pj_pct_{}", k)] = fmt::format("dE% {}", k);
    opt.labels[fmt::format("d_latency_s_{}", k)] = fmt::format("dL {}-1", k);
    opt.labels[fmt::format("d_latency_s_pct_{}", k)] = fmt::format("dL% {}", k);
    opt.precisions[fmt::format("d_energy_pj_pct_{}", k)] = 1;
    opt.precisions[fmt::format("d_latency_s_pct_{}", k)] = 1;
  }
  opt.precision = 3;
  std::string out;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto& r = runs[k];
    out += fmt::format("{}: {} ({} on {}, batch {})\n", k + 1, r.label, r.attribute("workload"),
                       r.attribute("accelerator"), r.attribute("batch"));
  }
  return out + reports::format_console_table(t, {}, opt);
}

}  // namespace loom::compare
