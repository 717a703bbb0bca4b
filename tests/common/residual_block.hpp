// SPDX-License-Identifier: Apache-2.0
#pragma once
// A residual block around a fusable chain, and an 8x8 WS array whose ifmap buffer keeps some of
// its tensors and fuses two of its layers at 32 KiB: the network `loom sim` and `loom map` are
// checked on under the graph schedule (tests/sim/test_sim_schedule.cpp, tests/cli).
#include <cstdint>
#include <string>

namespace loom_test {

// c1's tensor is read by c2 and, around the chain c2..c4, by the add.
inline constexpr const char* kResidualBlock = R"(name: res32
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 32, R: 3, padding: 1}
  - {name: c2, op: conv, C: 8, M: 16, H: 32}
  - {name: c3, op: conv, C: 16, M: 16, H: 32, R: 3, padding: 1, groups: 16}
  - {name: c4, op: conv, C: 16, M: 8, H: 32}
  - {name: add, op: add, inputs: [c4, c1], C: 8, H: 32}
  - {name: c5, op: conv, C: 8, M: 4, H: 32, R: 3, stride: 2, padding: 1}
)";

// Accelerator YAML: int8, 8x8 WS, 4 GB/s DRAM, an ifmap buffer of `ifmap_kib`.
inline std::string small_ws_yaml(std::int64_t ifmap_kib) {
  return R"(name: small_ws_8x8
clock_mhz: 1000
technology_nm: 45
dataflow: ws
pe_array: {rows: 8, cols: 8}
pe: {weight_bits: 8, activation_bits: 8, accumulator_bits: 32}
levels:
  - {name: dram, kind: dram, word_bits: 64, bandwidth_gb_per_s: 4}
  - {name: ifmap_sram, kind: sram, holds: [ifmap], size_kib: )" +
         std::to_string(ifmap_kib) + R"(, word_bits: 64, banks: 4}
  - {name: filter_sram, kind: sram, holds: [filter], size_kib: 16, word_bits: 64, banks: 4}
  - {name: ofmap_sram, kind: sram, holds: [ofmap], size_kib: 16, word_bits: 256, banks: 4}
)";
}

}  // namespace loom_test
