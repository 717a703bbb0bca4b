// SPDX-License-Identifier: Apache-2.0
#pragma once
// The graph schedule as `loom sim` runs it (docs/sim.md, "A network under the graph schedule"):
// `loom run`'s evaluation of the simulated layers' mappings under the schedule — what the
// simulation is compared with — and each fused group's tile-by-tile execution with the residency
// of its input and output applied. Internal to simulate_network.
#include <cstddef>
#include <vector>

#include "arch/accelerator.hpp"
#include "explore/evaluate.hpp"
#include "explore/map_network.hpp"
#include "schedule/fusion_tiles.hpp"
#include "schedule/graph_schedule.hpp"
#include "simulate/simulate_network.hpp"
#include "workloads/network.hpp"

namespace loom::simulate {

// The schedule `loom sim` runs under: options.schedule, else the accelerator's default.
[[nodiscard]] schedule::ScheduleKind sim_schedule_kind(const arch::Accelerator& acc,
                                                       const SimulateOptions& options);

// `loom run` of `net` under the graph schedule with each MAC layer's mapping from `mapped` (all
// of them) and the mapper's objective: its `schedule` is set.
[[nodiscard]] explore::RunResult scheduled_run(
    const workloads::Network& net, const arch::Accelerator& acc,
    const std::vector<explore::LayerMappingResult>& mapped, const SimulateOptions& options);

// Throws loom::Error naming the layers when the run's schedule asks for what `acc`'s simulator
// cannot run: a fused group on a spatial array (resident tensors it runs), a fused group holding
// a layer other than a convolution.
void check_schedule_simulable(const explore::RunResult& run, const arch::Accelerator& acc);

// Fused group `g` (index into s.groups) as `loom run` priced it: the execution it recorded
// (s.priced[g].execution: tile rows, halo and weight policies, every step's tile mapping), with
// the residency of the group's input and output applied as the price applies it — the input is
// read in place when it is resident (no row loads), the last layer's output stays on chip when
// it is resident. Throws loom::Error naming the layer when a step was priced without a mapping
// (a closed form), which the simulator cannot run.
[[nodiscard]] schedule::FusedExecution group_execution(const schedule::GraphSchedule& s,
                                                       std::size_t g, const arch::Accelerator& acc);

}  // namespace loom::simulate
