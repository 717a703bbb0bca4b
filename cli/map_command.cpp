// SPDX-License-Identifier: Apache-2.0
#include "cli/map_command.hpp"

#include <fmt/core.h>

#include <optional>

#include "cli/optional_commands.hpp"
#include "cli/progress_line.hpp"
#include "dataflow/mapping_io.hpp"
#include "explore/evaluate.hpp"
#include "explore/map_network.hpp"
#include "explore/mapped_schedule.hpp"
#include "mapper/objective.hpp"
#include "mapper/strategy.hpp"
#include "workloads/network.hpp"

namespace loom::cli {

int cmd_map(const MapArgs& a) {
  const auto acc = load_arch(a.run);
  const auto net =
      workloads::load_workload(a.run.workload, cli::workload_importers()).with_batch(a.run.batch);
  explore::MapNetworkOptions opt;
  opt.only_layer = a.layer;
  opt.mapper.objective = explore::objective_of(a.run, acc);
  opt.mapper.strategy = mapper::parse_strategy(a.strategy);
  opt.mapper.budget = a.run.budget;
  explore::apply_exact_defaults(opt.mapper, acc, a.run.budget_given);
  opt.mapper.seed = a.run.seed;
  opt.mapper.threads = a.run.threads;
  if (a.time_limit_s > 0) opt.mapper.wall_clock_limit_s = a.time_limit_s;
  cli::ProgressLine progress;
  if (progress.on())
    opt.on_progress = [&progress](const std::string& layer, const mapper::Progress& p) {
      progress.show(fmt::format("{:<24} evaluated {:>9} valid {:>9} best {:.6g}", layer,
                                p.evaluated, p.valid, p.best_score.value_or(0.0)));
    };
  const auto results = explore::map_network(net, acc, opt);
  progress.clear();
  // Under the graph schedule (the accelerator's default) the folder also records the schedule
  // `loom run --mapping` plans with these mappings; one layer alone has no network schedule.
  std::optional<explore::RunResult> scheduled;
  const auto kind = schedule::schedule_kind(explore::run_options(a.run, acc).schedule, acc);
  if (kind == schedule::ScheduleKind::graph && a.layer.empty()) {
    explore::MappingSet mappings;
    for (const auto& r : results) mappings.emplace(r.layer.name, r.mapped.mapping);
    explore::RunOptions ro;
    ro.mappings = &mappings;
    ro.mapper = opt.mapper;
    ro.schedule = kind;
    scheduled = explore::evaluate_network(net, acc, ro);
  }
  for (const auto& r : results) {
    const auto& c = r.mapped.counts;
    fmt::print("{}: {} cycles, {:.4g} uJ ({:.3g} pJ/MAC), util {:.1f}%", r.layer.name,
               c.total_cycles, r.mapped.energy.total_pj / 1e6,
               r.mapped.energy.total_pj / static_cast<double>(c.macs), c.overall_util_pct);
    if (r.cached)
      fmt::print(" (same shape as an earlier layer)\n");
    else if (r.mapped.searched)
      if (r.mapped.optimality_gap_pct)
        fmt::print(" ({} mappings evaluated, {} valid, {} pruned, optimality gap {:.3g}%)\n",
                   r.mapped.evaluated, r.mapped.valid, r.mapped.pruned,
                   *r.mapped.optimality_gap_pct);
      else
        fmt::print(" ({} mappings evaluated, {} valid)\n", r.mapped.evaluated, r.mapped.valid);
    else
      fmt::print(" (fixed mapping, compat scalesim)\n");
    if (!a.run.quiet) fmt::print("{}", dataflow::format_loop_nest(r.mapped.mapping, acc));
  }
  explore::write_mappings(results, net.name, opt.mapper.objective, acc, a.run.out_dir,
                          scheduled ? &*scheduled : nullptr);
  if (scheduled) {
    const auto m = explore::mapped_schedule(*scheduled);
    fmt::print(
        "schedule graph: {} tensors stay on chip, {} fused groups; loom run --mapping: DRAM "
        "{:.0f} B, {} cycles, {:.4g} uJ\n",
        m.resident.size(), m.groups.size(), m.dram_bytes, m.cycles, m.energy_pj / 1e6);
    for (const auto& g : m.groups)
      fmt::print("  group {}..{}: {} rows per tile, {} halo, weights {}\n", g.first, g.last,
                 g.tile_rows, g.halo, g.weights_resident ? "resident" : "refetched per tile");
  }
  fmt::print("wrote {} mapping file(s){} to {}\n", results.size(),
             scheduled ? " and schedule.yaml" : "", a.run.out_dir);
  return 0;
}

}  // namespace loom::cli
