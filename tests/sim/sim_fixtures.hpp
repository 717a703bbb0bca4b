// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the simulator suites: a systolic accelerator whose one SRAM holds any tile, so the
// tests exercise the array rather than buffer limits.
#include "arch/accelerator.hpp"

namespace loom_test {

inline loom::arch::Accelerator systolic_acc(std::int64_t ar, std::int64_t ac,
                                            loom::arch::Dataflow df) {
  loom::arch::Accelerator acc;
  acc.name = "t";
  acc.array.rows = ar;
  acc.array.cols = ac;
  acc.dataflow = df;
  acc.levels = {{.name = "dram", .kind = loom::arch::LevelKind::dram},
                {.name = "sram", .kind = loom::arch::LevelKind::sram, .size_bytes = 64 << 20}};
  return acc;
}

}  // namespace loom_test
