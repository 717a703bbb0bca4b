// SPDX-License-Identifier: Apache-2.0
#pragma once
// What `loom run` is asked, as one value carrying the command's defaults (accelerator preset,
// budget, seed, objective, schedule), so the CLI and the Python package (python/) share them
// from this one place. Plain value; the functions below turn it into evaluate_network's inputs
// and throw loom::Error naming the option for an unknown name.
#include <cstdint>
#include <string>

#include "arch/accelerator.hpp"
#include "explore/evaluate.hpp"
#include "mapper/mapper.hpp"

namespace loom::explore {

struct RunRequest {
  std::string arch{arch::kDefaultPreset};  // preset name, Loom .yaml or SCALE-Sim .cfg
  std::string workload;                    // zoo name, .yaml, .onnx or .csv
  std::string dataflow;                    // empty: the accelerator's own
  std::int64_t batch = 1;
  std::string mapping;  // `loom map` output (file or folder) for the layers it names
  bool no_search = false;
  std::string schedule;   // empty: the accelerator's (RunOptions::schedule)
  std::string objective;  // empty: the accelerator's (`objective:` in its YAML; edp if none)
  std::uint64_t budget = mapper::kDefaultBudget;
  bool budget_given = false;  // false: the exact strategy takes its own (exact_default_budget)
  std::uint64_t seed = 1;
  std::string strategy = "exact";  // mapper::kStrategies name (a sweep point records its own)
  int threads = 0;                 // 0: all cores; results do not depend on it (mapper/mapper.hpp)
};

// `acc` with its dataflow replaced by `dataflow` (unless empty), checked to fit the hardware.
arch::Accelerator with_dataflow(arch::Accelerator acc, const std::string& dataflow);

// For the exact strategy, `acc`'s family's warm-up and, unless the user gave a budget, its
// budget (dataflow/family.hpp); other strategies are left as they are.
void apply_exact_defaults(mapper::MapperOptions& o, const arch::Accelerator& acc,
                          bool budget_given);

// The mapping objective of a request on `acc`: the one it names, else the accelerator's.
mapper::Objective objective_of(const RunRequest& request, const arch::Accelerator& acc);

// The evaluation options of a request on `acc`: search, schedule and mapper settings (no
// mappings, no cache).
RunOptions run_options(const RunRequest& request, const arch::Accelerator& acc);

// Everything a searched layer's mapping depends on besides the layer and the accelerator: the
// mapper's budget, seed, objective and strategy (not its threads), as text for a LayerCache
// scope.
std::string mapper_scope(const mapper::MapperOptions& options);

}  // namespace loom::explore
