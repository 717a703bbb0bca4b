// SPDX-License-Identifier: Apache-2.0
#include "sweep/point_files.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "explore/run_outputs.hpp"
#include "mapper/strategy.hpp"
#include "sweep/algorithm.hpp"
#include "sweep/space.hpp"

namespace loom::sweep {
namespace {

std::string file_stem(std::string name) {
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

// Single-quoted for sh (a file name may hold spaces or quotes).
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string run_settings_args(const SweepSpec& spec) {
  const auto& m = spec.mapper;
  std::string out =
      fmt::format("--budget {} --seed {} --objective {} --strategy {}", m.budget, m.seed,
                  m.objective.describe(), core::enum_name(mapper::kStrategies, m.strategy));
  if (!spec.search) out += " --no-search";
  if (spec.schedule)
    out += fmt::format(" --schedule {}", core::enum_name(schedule::kScheduleKinds, *spec.schedule));
  return out;
}

void add_point_files(reports::FileSet& files, const SweepSpec& spec, std::uint64_t id,
                     const std::filesystem::path& dir) {
  const auto folder = dir / "pareto" / fmt::format("point_{}", id);
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) reports::throw_write_error(folder, ec.message());
  const auto choice = spec.decode(id);
  files.write(folder / "accelerator.yaml", point_arch_text(spec, choice));
  std::string script = fmt::format(
      "#!/bin/sh\n# Point {} of sweep '{}': `loom run` with the sweep's mapper settings repeats "
      "its\n# energy and latency per workload (points.csv). LOOM names the loom executable.\n"
      "cd \"$(dirname \"$0\")\" || exit 2\nLOOM=${{LOOM:-loom}}\n",
      id, spec.name);
  for (const auto& n : spec.networks) {
    const auto net = apply_algorithms(n, spec, choice).with_batch(1);
    const std::string stem = file_stem(net.name);
    files.write(folder / (stem + ".yaml"), workloads::to_workload_yaml(net));
    script += fmt::format(
        "\"$LOOM\" run --arch accelerator.yaml --workload {} --batch {} {} -q -o {} \"$@\"\n",
        quoted(stem + ".yaml"), spec.batch, run_settings_args(spec), quoted("run_" + stem));
  }
  files.write(folder / "run.sh", script);
}

reports::ResultTable point_layers(const std::vector<explore::RunResult>& runs) {
  reports::ResultTable out;
  out.add_column("workload", "", reports::ColumnType::String);
  for (const auto& run : runs) {
    const reports::ResultTable t = explore::layers_table(run);
    if (out.column_count() == 1)
      for (const auto& c : t.columns()) out.add_column(c.name, c.unit, c.type);
    for (std::size_t r = 0; r < t.row_count(); ++r) {
      auto row = out.add_row();
      row.set("workload", run.network.name);
      for (std::size_t c = 0; c < t.column_count(); ++c) out.set(row.index(), c + 1, t.at(r, c));
    }
  }
  return out;
}

void remove_stale_point_folders(const std::filesystem::path& dir,
                                const std::vector<std::uint64_t>& front) {
  std::error_code ec;
  const auto pareto = dir / "pareto";
  if (!std::filesystem::is_directory(pareto, ec)) return;
  std::vector<std::filesystem::path> stale;
  for (std::filesystem::directory_iterator it(pareto, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("point_", 0) != 0) continue;
    const bool current = std::any_of(front.begin(), front.end(), [&](std::uint64_t id) {
      return name == fmt::format("point_{}", id);
    });
    if (!current) stale.push_back(it->path());
  }
  for (const auto& p : stale) std::filesystem::remove_all(p, ec);
}

}  // namespace loom::sweep
