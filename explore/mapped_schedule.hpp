// SPDX-License-Identifier: Apache-2.0
#pragma once
// The graph schedule a `loom map` folder's mappings run under: under the graph schedule `loom
// map` evaluates the network with the mappings it found, as `loom run --mapping DIR` will, and
// writes beside them DIR/schedule.yaml — the fused groups (with their tile rows, halo and weight
// policies) and the activation tensors that stay on chip, plus what the run costs. `loom run
// --mapping DIR` plans the schedule again from the same mappings (deterministic under the same
// objective) and warns when its plan differs from the file's, e.g. under another --objective.
// Plain values; the file is read back with the YAML reader that rejects unknown keys.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "explore/evaluate.hpp"

namespace loom::explore {

inline constexpr const char* kScheduleFileName = "schedule.yaml";

struct MappedGroup {
  std::string first, last;  // layer names, inclusive
  std::int64_t tile_rows = 0;
  std::string halo;  // schedule::kHaloPolicies name
  bool weights_resident = true;
  friend bool operator==(const MappedGroup&, const MappedGroup&) = default;
};

struct MappedSchedule {
  std::string objective;              // mapper::Objective::describe() of the plan
  std::vector<std::string> resident;  // activation tensors (named after their producers)
  std::vector<MappedGroup> groups;    // in execution order
  // What `loom run --mapping DIR` reports with these mappings, for the reader.
  double dram_bytes = 0;
  std::int64_t cycles = 0;
  double energy_pj = 0;
  // Same plan: the same resident tensors and groups.
  [[nodiscard]] bool same_plan(const MappedSchedule& o) const {
    return resident == o.resident && groups == o.groups;
  }
};

// The schedule of a run evaluated under the graph schedule (run.schedule set).
[[nodiscard]] MappedSchedule mapped_schedule(const RunResult& run);

// DIR/schedule.yaml's text, and the file read back (nullopt when `dir` has none; loom::Error
// naming the file and key for a malformed one).
[[nodiscard]] std::string schedule_to_yaml(const MappedSchedule& s, const std::string& workload,
                                           const std::string& accelerator);
[[nodiscard]] std::optional<MappedSchedule> read_mapped_schedule(const std::filesystem::path& dir);

// The warning `loom run --mapping DIR` prints when `run` does not run the schedule DIR records
// (a layerwise run, or another plan); nullopt when it does or DIR records none.
[[nodiscard]] std::optional<std::string> schedule_mismatch(const std::filesystem::path& dir,
                                                           const RunResult& run);

}  // namespace loom::explore
