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

std::uint64_t exact_default_budget(const arch::Accelerator& acc) {
  return dataflow::family_of(acc).exact_default_budget();
}

RunOptions run_options(const RunRequest& request, const arch::Accelerator& acc) {
  RunOptions opt;
  opt.search = !request.no_search;
  const auto kind = core::parse_enum(schedule::kScheduleKinds, request.schedule);
  if (!kind)
    throw Error(Diagnostic{"", "--schedule", 0,
                           "unknown schedule '" + request.schedule + "' (expected one of: " +
                               core::enum_choices(schedule::kScheduleKinds) + ")"});
  opt.schedule = *kind;
  opt.mapper.budget = request.budget;
  opt.mapper.seed = request.seed;
  opt.mapper.threads = request.threads;
  opt.mapper.objective = mapper::parse_objective(request.objective);
  opt.mapper.strategy = mapper::parse_strategy(request.strategy);
  // As `loom map`: the warm-up alone is the default budget, so the exact search brings its own.
  if (opt.mapper.strategy == mapper::Strategy::exact && !request.budget_given)
    opt.mapper.budget = exact_default_budget(acc);
  return opt;
}

std::string mapper_scope(const mapper::MapperOptions& o) {
  return fmt::format("budget {} seed {} objective {} strategy {}", o.budget, o.seed,
                     o.objective.describe(), core::enum_name(mapper::kStrategies, o.strategy));
}

}  // namespace loom::explore
