// SPDX-License-Identifier: Apache-2.0
#pragma once
// The values behind loom.Accelerator, loom.Workload, a run's result and a map's, and how a
// source (a preset or zoo name, a file path, or YAML text) becomes one. Loading goes through the
// same loaders as the CLI, so validation and error messages are the CLI's.
#include <optional>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "explore/evaluate.hpp"
#include "explore/map_network.hpp"
#include "explore/mapped_schedule.hpp"
#include "explore/run_request.hpp"
#include "workloads/network.hpp"

namespace loom::python {

struct Accelerator {
  arch::Accelerator acc;
  // Everything the accelerator was read from (its YAML text, or the file's), naming it in the
  // per-layer cache: equal identities are equal accelerators.
  std::string identity;
};

struct Workload {
  workloads::Network net;
};

struct RunOutput {
  explore::RunResult run;
  // What `loom run --mapping` prints as a warning: the run does not plan the schedule its
  // mappings' loom.map recorded (schedule.yaml or the map's result).
  std::optional<std::string> schedule_warning;
};

// What loom.map found: each layer's mapping and, under the graph schedule for the whole network,
// the schedule loom.run plans with them — what `loom map` writes as schedule.yaml.
struct MapOutput {
  std::vector<explore::LayerMappingResult> results;
  std::optional<explore::MappedSchedule> schedule;
  // What the mappings were searched for, so that a run given them in memory is the same
  // accelerator (its identity and dataflow override) and network (batch included).
  std::string scope;
  workloads::Network net;
  std::string accelerator;  // its name, for the schedule's record
};

// The scope a request's mappings belong to on `a` (MapOutput::scope).
[[nodiscard]] std::string mapping_scope(const Accelerator& a, const explore::RunRequest& req);

// Throws loom::Error naming the option for a batch, budget or thread count out of range.
void check_request(const explore::RunRequest& r);

// `text`: `source` is YAML (or JSON) text, reported as file `text_name` in errors; otherwise a
// preset/zoo name or a file path. Throw loom::Error as the CLI's loaders do.
Accelerator load_accelerator(const std::string& source, bool text, const std::string& text_name);
Workload load_workload(const std::string& source, bool text, const std::string& text_name);

}  // namespace loom::python
