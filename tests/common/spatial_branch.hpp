// SPDX-License-Identifier: Apache-2.0
#pragma once
// A small branching network that the graph schedule keeps on chip without fusing on the
// `eyeriss_like_45nm` preset (a spatial array whose schedule is the graph schedule): c1 feeds
// two branches, c2 and c3, whose sum feeds c4. c2 reads c1 beside c3, so no chain of it can run
// fused, and every tensor but the network's output fits the global buffer. Checked in
// tests/sim/test_sim_schedule.cpp and tests/cli/test_cli_sim.cpp.
namespace loom_test {

inline constexpr const char* kSpatialBranch = R"(name: branch
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 16, R: 3, padding: 1}
  - {name: c2, op: conv, inputs: [c1], C: 8, M: 8, H: 16, R: 3, padding: 1}
  - {name: c3, op: conv, inputs: [c1], C: 8, M: 8, H: 16}
  - {name: add, op: add, inputs: [c2, c3], C: 8, H: 16}
  - {name: c4, op: conv, C: 8, M: 4, H: 16, R: 3, stride: 2, padding: 1}
)";

}  // namespace loom_test
