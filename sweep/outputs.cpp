// SPDX-License-Identifier: Apache-2.0
#include "sweep/outputs.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/version.hpp"
#include "explore/run_outputs.hpp"
#include "mapper/strategy.hpp"
#include "reports/atomic_file.hpp"
#include "reports/csv_writer.hpp"
#include "reports/hdf5_writer.hpp"
#include "sweep/accuracy.hpp"
#include "sweep/dram_breakdown.hpp"
#include "sweep/html_report.hpp"
#include "sweep/point_files.hpp"
#include "sweep/space.hpp"

namespace loom::sweep {
namespace {

using reports::ColumnType;
using reports::ResultTable;

double to_number(const std::string& s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

double opt(const std::optional<double>& v) { return v.value_or(kNotComputed); }

// The chosen point: on the front, lowest EDP, then lowest id.
std::optional<std::size_t> chosen(const SweepOutcome& o) {
  std::optional<std::size_t> best;
  for (std::size_t i : o.pareto)
    if (!best || o.points[i].edp_js < o.points[*best].edp_js) best = i;
  return best;
}

std::string point_label(const SweepSpec& spec, std::uint64_t id) {
  const auto choice = spec.decode(id);
  std::string s;
  for (std::size_t a = 0; a < spec.axes.size(); ++a)
    s += fmt::format("{}{}={}", s.empty() ? "" : ", ", spec.axes[a].name,
                     spec.axes[a].label(choice[a]));
  return s;
}

std::map<std::string, std::string> attributes(const SweepSpec& spec, const SweepOutcome& o,
                                              const std::optional<std::size_t>& pick,
                                              const std::vector<explore::RunResult>& runs) {
  std::map<std::string, std::string> a{{"loom_version", std::string(kLoomVersion)},
                                       {"sweep", spec.name}};
  std::string objectives;
  for (auto m : spec.objectives)
    objectives += (objectives.empty() ? "" : ",") + std::string(core::enum_name(kMetrics, m));
  a["objectives"] = objectives;
  a["strategy"] = std::string(core::enum_name(kStrategyKinds, spec.strategy.kind));
  a["points_evaluated"] = std::to_string(o.points.size());
  a["points_in_space"] = std::to_string(spec.point_count());
  a["accuracy_source"] = spec.accuracy_told ? "told by the caller (ask/tell)"
                         : spec.accuracy.empty()
                             ? "none supplied (accuracy not reported)"
                             : accuracy_source_kind(spec) + ": " + spec.accuracy.source;
  std::string axes;
  for (const auto& ax : spec.axes) axes += (axes.empty() ? "" : ",") + ax.name;
  a["axes"] = axes;
  if (!pick || runs.empty()) return a;
  const auto& acc = runs.front().accelerator;
  a["chosen_point"] = std::to_string(o.points[*pick].point);
  a["chosen_label"] = point_label(spec, o.points[*pick].point);
  a["chosen_accelerator"] =
      fmt::format("{} ({}x{} PEs, {}, {:g} MHz)", acc.name, acc.array.rows, acc.array.cols,
                  arch::dataflow_info(acc.dataflow).name, acc.clock_hz / 1e6);
  a["clock_hz"] = fmt::format("{}", acc.clock_hz);
  a["peak_macs_per_cycle"] = std::to_string(acc.array.pes());
  const int dram = acc.dram_level();
  if (dram >= 0) {
    const auto& l = acc.levels[static_cast<std::size_t>(dram)];
    a["dram_level"] = l.name;
    a["dram_bytes_per_cycle"] = fmt::format("{}", l.bandwidth_bytes_per_cycle);
  }
  std::string levels;
  for (const auto& l : acc.levels) levels += (levels.empty() ? "" : ",") + l.name;
  a["levels"] = levels;
  return a;
}

}  // namespace

ResultTable points_table(const SweepSpec& spec, const std::vector<PointResult>& points) {
  ResultTable t;
  const auto D = ColumnType::Double;
  t.add_column("point", "", ColumnType::Int64);
  t.add_column("feasible", "", ColumnType::Int64);
  t.add_column("energy_pj", "pJ", D);
  t.add_column("latency_s", "s", D);
  t.add_column("edp_js", "J s", D);
  t.add_column("area_mm2", "mm2", D);
  t.add_column("power_w", "W", D);
  t.add_column("buffer_kib", "KiB", D);
  const bool accuracy = !spec.accuracy.empty() || spec.accuracy_told;
  if (accuracy) {
    t.add_column("accuracy_pct", "%", D);
    t.add_column("accuracy_drop_pp", "pp", D);
  }
  for (const auto& a : spec.axes) t.add_column(a.name, "", a.numeric ? D : ColumnType::String);
  for (const auto& n : spec.networks) {
    t.add_column("energy_pj_" + n.name, "pJ", D);
    t.add_column("latency_s_" + n.name, "s", D);
    if (accuracy) t.add_column("accuracy_pct_" + n.name, "%", D);
  }
  t.add_column("reason", "", ColumnType::String);
  // The mapper settings every point was evaluated with (pareto/point_<id>/run.sh repeats them).
  t.add_column("search", "", ColumnType::Int64);
  t.add_column("mapper_budget", "", ColumnType::Int64);
  t.add_column("mapper_seed", "", ColumnType::Int64);
  t.add_column("mapper_objective", "", ColumnType::String);
  t.add_column("mapper_strategy", "", ColumnType::String);
  const std::string objective = spec.mapper.objective.describe();
  const std::string strategy(core::enum_name(mapper::kStrategies, spec.mapper.strategy));
  for (const auto& p : points) {
    auto row = t.add_row();
    row.set("point", p.point).set("feasible", p.feasible ? 1 : 0);
    row.set("energy_pj", p.energy_pj).set("latency_s", p.latency_s).set("edp_js", p.edp_js);
    row.set("area_mm2", p.area_mm2).set("power_w", p.power_w).set("buffer_kib", p.buffer_kib);
    if (accuracy)
      row.set("accuracy_pct", opt(p.accuracy_pct)).set("accuracy_drop_pp", opt(p.accuracy_drop_pp));
    const auto choice = spec.decode(p.point);
    for (std::size_t a = 0; a < spec.axes.size(); ++a) {
      const std::string v = spec.axes[a].label(choice[a]);
      if (spec.axes[a].numeric)
        row.set(spec.axes[a].name, to_number(v));
      else
        row.set(spec.axes[a].name, v);
    }
    for (std::size_t w = 0; w < spec.networks.size(); ++w) {
      const auto& n = spec.networks[w].name;
      row.set("energy_pj_" + n, p.workloads[w].energy_pj);
      row.set("latency_s_" + n, p.workloads[w].latency_s);
      if (accuracy) row.set("accuracy_pct_" + n, opt(p.workloads[w].accuracy_pct));
    }
    row.set("reason", p.reason)
        .set("search", spec.search ? 1 : 0)
        .set("mapper_budget", static_cast<std::int64_t>(spec.mapper.budget))
        .set("mapper_seed", static_cast<std::int64_t>(spec.mapper.seed))
        .set("mapper_objective", objective)
        .set("mapper_strategy", strategy);
  }
  return t;
}

void write_sweep_outputs(const SweepSpec& spec, const SweepOutcome& outcome,
                         const PointEvaluator& evaluator, const std::filesystem::path& dir) {
  const ResultTable points = points_table(spec, outcome.points);
  std::vector<PointResult> front;
  for (std::size_t i : outcome.pareto) front.push_back(outcome.points[i]);
  const ResultTable pareto = points_table(spec, front);
  const auto pick = chosen(outcome);
  std::vector<explore::RunResult> runs;
  if (pick) runs = evaluator.detail(outcome.points[*pick].point);
  const ResultTable layers = point_layers(runs);
  std::vector<reports::Hdf5Dataset> sets{{"points", points}, {"pareto", pareto}};
  if (!runs.empty()) sets.push_back({"chosen_layers", layers});
  // Every file appears together or not at all (reports::FileSet); the journal beside them
  // is the checkpoint, written as points finish, and is left alone.
  reports::FileSet files;
  std::vector<std::uint64_t> front_ids;
  for (const auto& p : front) {
    front_ids.push_back(p.point);
    add_point_files(files, spec, p.point, dir);
  }
  // Every point whose hardware runs its workloads has its layers in results.h5 (the mapped
  // layers are all in the evaluator's cache by now, so this re-maps nothing).
  std::vector<std::pair<std::string, ResultTable>> point_tables;  // kept alive for the image
  point_tables.reserve(outcome.points.size());
  std::map<std::uint64_t, std::vector<explore::RunResult>> front_runs;
  for (const auto& p : outcome.points) {
    if (!std::isfinite(p.energy_pj)) continue;  // not computed: the point's error is its reason
    auto point_runs = evaluator.detail(p.point);
    point_tables.emplace_back(fmt::format("layers_point_{}", p.point), point_layers(point_runs));
    if (std::find(front_ids.begin(), front_ids.end(), p.point) != front_ids.end())
      front_runs.emplace(p.point, std::move(point_runs));
  }
  for (const auto& [name, table] : point_tables) sets.push_back({name, table});
  // Each Pareto point's DRAM bytes kept on chip vs moved (the report's breakdown), front order.
  std::vector<PointRuns> front_points;
  for (const auto id : front_ids)
    if (const auto it = front_runs.find(id); it != front_runs.end())
      front_points.push_back({id, &it->second});
  const ResultTable pareto_dram = dram_table(front_points);
  sets.push_back({"pareto_dram", pareto_dram});
  files.write(dir / "points.csv", reports::to_csv(points));
  files.write(dir / "pareto.csv", reports::to_csv(pareto));
  auto& h5 = files.add(dir / "results.h5");
  h5.write(reports::hdf5_image(sets, attributes(spec, outcome, pick, runs), h5.target().string()));
  files.write(dir / "report.html", sweep_report_html(h5.tmp()));
  files.commit();
  remove_stale_point_folders(dir, front_ids);
}

}  // namespace loom::sweep
