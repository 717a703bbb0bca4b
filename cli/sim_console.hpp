// SPDX-License-Identifier: Apache-2.0
#pragma once
// The console lines of `loom sim` for a network under the graph schedule: the schedule before the
// layers run, each layer's tag, and each fused group's totals beside its analytical prices.
// Plain text from plain values (no SystemC types).
#include <string>
#include <vector>

#include "explore/evaluate.hpp"
#include "schedule/fusion_tiles.hpp"
#include "simulate/simulate_network.hpp"

namespace loom::cli {

// The graph schedule a network is simulated under (r.schedule set), before its layers run.
[[nodiscard]] std::string format_sim_schedule(const explore::RunResult& r);

// A fused group's totals (its layers are the last ones of `done`) beside the analytical
// tile-by-tile price of the same execution and loom run's price.
[[nodiscard]] std::string format_sim_group(const std::vector<simulate::SimulatedLayer>& done,
                                           const schedule::FusedCost& price,
                                           const arch::Accelerator& acc);

// " [group 2]", " [input on chip, output on chip]" or "" for a layer run from DRAM to DRAM.
[[nodiscard]] std::string sim_layer_schedule(const simulate::SimulatedLayer& s);

}  // namespace loom::cli
