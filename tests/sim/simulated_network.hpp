// SPDX-License-Identifier: Apache-2.0
#pragma once
// A workload (YAML text) simulated whole by loom sim's network entry under a schedule, with
// the loom run result it simulated beside it: the sim-versus-run tests of both array kinds.
#include <optional>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "simulate/simulate_network.hpp"
#include "workloads/network.hpp"

namespace loom_test {

struct SimulatedNetwork {
  std::vector<loom::simulate::SimulatedLayer> layers;
  std::optional<loom::explore::RunResult> run;  // loom run under the schedule, as simulated
};

inline SimulatedNetwork simulate_yaml(const loom::arch::Accelerator& acc,
                                      std::optional<loom::schedule::ScheduleKind> kind,
                                      const std::string& yaml, const std::string& file) {
  SimulatedNetwork s;
  loom::simulate::SimulateOptions o;
  o.mapper.budget = 2000;
  o.schedule = kind;
  o.on_schedule = [&s](const loom::explore::RunResult& r) { s.run = r; };
  s.layers =
      loom::simulate::simulate_network(loom::workloads::parse_workload_yaml(yaml, file), acc, o);
  return s;
}

}  // namespace loom_test
