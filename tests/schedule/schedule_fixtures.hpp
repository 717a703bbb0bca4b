// SPDX-License-Identifier: Apache-2.0
#pragma once
// Accelerators and helpers shared by the schedule tests: edge_ws_32x32 with its three SRAMs
// replaced by one shared buffer of a chosen size, and runs of a network under either schedule.
#include <cstdint>
#include <string>

#include "arch/accelerator.hpp"
#include "explore/evaluate.hpp"
#include "workloads/network.hpp"

namespace loom::test {

// edge_ws_32x32 (32x32 int8 WS, LPDDR4 DRAM) with one buffer holding every operand.
inline arch::Accelerator shared_buffer_ws(std::int64_t bytes) {
  auto acc = arch::load_accelerator("edge_ws_32x32");
  arch::MemoryLevel buffer = acc.levels[1];
  buffer.name = "buffer";
  buffer.holds = {true, true, true};
  buffer.size_bytes = bytes;
  acc.levels.resize(1);
  acc.levels.push_back(buffer);
  acc.name = "edge_ws_32x32_shared";
  return acc;
}

// A run with the closed-form model's own schedule (no mapping search); `fusion`: see
// explore::RunOptions.
inline explore::RunResult run_closed_form(const workloads::Network& net,
                                          const arch::Accelerator& acc, schedule::ScheduleKind kind,
                                          bool fusion = true) {
  explore::RunOptions opt;
  opt.search = false;
  opt.schedule = kind;
  opt.fusion = fusion;
  return explore::evaluate_network(net, acc, opt);
}

inline double dram_bytes(const explore::RunResult& r) {
  return r.level_bytes[r.accelerator.dram_level()];
}

}  // namespace loom::test
