// SPDX-License-Identifier: Apache-2.0
#include "explore/run_request.hpp"

#include <fmt/core.h>

#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "mapper/strategy.hpp"
#include "schedule/graph_schedule.hpp"

namespace loom::explore {

arch::Accelerator with_dataflow(arch::Accelerator acc, const std::string& dataflow) {
  if (dataflow.empty()) return acc;
  const auto df = core::parse_enum(arch::kDataflows, dataflow);
  if (!df)
    throw Error(Diagnostic{"", "--dataflow", 0,
                           "unknown dataflow '" + dataflow + "' (expected one of: " +
                               core::enum_choices(arch::kDataflows) + ")"});
  acc.dataflow = *df;
  arch::check_dataflow_fits(acc);
  return acc;
}

void apply_exact_defaults(mapper::MapperOptions& o, const arch::Accelerator& acc,
                          bool budget_given) {
  if (o.strategy != mapper::Strategy::exact) return;
  const auto& family = dataflow::family_of(acc);
  o.exact_warmup = family.exact_warmup();
  // The default budget is the other strategies' and would end within the warm-up.
  if (!budget_given) o.budget = family.exact_default_budget();
}

mapper::Objective objective_of(const RunRequest& request, const arch::Accelerator& acc) {
  if (request.objective.empty()) return mapper::Objective{.kind = acc.objective};
  return mapper::parse_objective(request.objective);
}

RunOptions run_options(const RunRequest& request, const arch::Accelerator& acc) {
  RunOptions opt;
  opt.search = !request.no_search;
  const auto kind = core::parse_enum(schedule::kScheduleKinds, request.schedule);
  if (!kind && !request.schedule.empty())
    throw Error(Diagnostic{"", "--schedule", 0,
                           "unknown schedule '" + request.schedule + "' (expected one of: " +
                               core::enum_choices(schedule::kScheduleKinds) + ")"});
  opt.schedule = kind;
  opt.mapper.budget = request.budget;
  opt.mapper.seed = request.seed;
  opt.mapper.threads = request.threads;
  opt.mapper.objective = objective_of(request, acc);
  opt.mapper.strategy = mapper::parse_strategy(request.strategy);
  apply_exact_defaults(opt.mapper, acc, request.budget_given);
  return opt;
}

std::string mapper_scope(const mapper::MapperOptions& o) {
  return fmt::format("budget {} seed {} objective {} strategy {}", o.budget, o.seed,
                     o.objective.describe(), core::enum_name(mapper::kStrategies, o.strategy));
}

}  // namespace loom::explore
