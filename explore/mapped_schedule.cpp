// SPDX-License-Identifier: Apache-2.0
#include "explore/mapped_schedule.hpp"

#include <fmt/core.h>

#include "core/config.hpp"
#include "core/enum_table.hpp"
#include "core/error.hpp"

namespace loom::explore {
namespace {

// A name as a double-quoted YAML scalar (layer names may hold YAML's special characters).
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string name_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + quoted(names[i]);
  return out + "]";
}

}  // namespace

MappedSchedule mapped_schedule(const RunResult& run) {
  MappedSchedule m;
  m.objective = run.settings.objective;
  const auto& s = *run.schedule;
  for (const auto& t : s.tensors)
    if (t.kind == schedule::TensorKind::activation && !t.resident_in.empty())
      m.resident.push_back(t.name);
  for (const auto& g : s.groups)
    m.groups.push_back({run.network.layers[g.first].name, run.network.layers[g.last].name,
                        g.tile_rows, std::string(core::enum_name(schedule::kHaloPolicies, g.halo)),
                        g.weights_resident});
  m.dram_bytes = run.level_bytes[static_cast<std::size_t>(run.accelerator.dram_level())];
  m.cycles = run.totals.cycles;
  m.energy_pj = run.totals.energy_pj;
  return m;
}

std::string schedule_to_yaml(const MappedSchedule& s, const std::string& workload,
                             const std::string& accelerator) {
  std::string y = fmt::format(
      "# Written by loom map: the graph schedule `loom run --mapping` plans with the mappings of "
      "this folder\n# (docs/mapping.md). Its figures are that run's.\n"
      "workload: {}\naccelerator: {}\nschedule: graph\nobjective: \"{}\"\nresident: "
      "{}\ngroups:{}\n",
      quoted(workload), quoted(accelerator), s.objective, name_list(s.resident),
      s.groups.empty() ? " []" : "");
  for (const auto& g : s.groups)
    y += fmt::format("  - {{layers: {}, tile_rows: {}, halo: {}, weights: {}}}\n",
                     name_list({g.first, g.last}), g.tile_rows, g.halo,
                     g.weights_resident ? "resident" : "refetched");
  y += fmt::format("dram_bytes: {:.0f}\ncycles: {}\nenergy_pj: {}\n", s.dram_bytes, s.cycles,
                   s.energy_pj);
  return y;
}

std::optional<MappedSchedule> read_mapped_schedule(const std::filesystem::path& dir) {
  const auto file = dir / kScheduleFileName;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec) || !std::filesystem::exists(file, ec))
    return std::nullopt;
  const auto root = core::ConfigNode::load_file(file);
  root.allow_keys({"workload", "accelerator", "schedule", "objective", "resident", "groups",
                   "dram_bytes", "cycles", "energy_pj"});
  MappedSchedule s;
  s.objective = root.get_string("objective", "");
  s.resident = root.get_string_list("resident");
  for (const auto& g : root.child("groups").items()) {
    g.allow_keys({"layers", "tile_rows", "halo", "weights"});
    const auto layers = g.get_string_list("layers");
    if (layers.size() != 2) g.error_at("layers", "expected [FIRST, LAST]");
    const auto halo = g.get_enum("halo", schedule::kHaloPolicies, schedule::HaloPolicy::cache);
    const std::string weights = g.get_string("weights", "resident");
    if (weights != "resident" && weights != "refetched")
      g.error_at("weights", "expected resident or refetched, got '" + weights + "'");
    if (layers.size() == 2)
      s.groups.push_back({layers[0], layers[1], g.require_int("tile_rows", 1),
                          std::string(core::enum_name(schedule::kHaloPolicies, halo)),
                          weights == "resident"});
  }
  s.dram_bytes = root.get_double("dram_bytes", 0, -1);
  s.cycles = root.get_int("cycles", 0, 0);
  s.energy_pj = root.get_double("energy_pj", 0, -1);
  root.finish();
  return s;
}

std::optional<std::string> schedule_mismatch(const std::filesystem::path& dir,
                                             const RunResult& run) {
  const auto recorded = read_mapped_schedule(dir);
  if (!recorded) return std::nullopt;
  const auto where = (dir / kScheduleFileName).string();
  if (!run.schedule)
    return where + " records the graph schedule these mappings were planned with; this run is " +
           "layerwise (--schedule graph runs it)";
  if (mapped_schedule(run).same_plan(*recorded)) return std::nullopt;
  return fmt::format(
      "{} records another graph schedule for these mappings (planned under objective {}; this "
      "run's objective is {}): its DRAM bytes and cycles differ from the file's",
      where, recorded->objective, run.settings.objective);
}

}  // namespace loom::explore
