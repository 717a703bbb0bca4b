// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom cosim`: the single Bit Fusion PE against sim::CppPe on `vectors` random vectors (after
// the corners), then the rows x cols Verilated array against the SystemC array engine on random
// GEMMs until as many array cycles have been compared. A vector is one clock cycle of stimulus
// applied to both sides; cycles_per_s is vectors over the wall-clock time of both phases.
#include <cstdint>
#include <string>

#include "arch/accelerator.hpp"
#include "rtl/array_cosim.hpp"
#include "rtl/compare.hpp"
#include "rtl/fault.hpp"

namespace loom::rtl {

// 100,000 vectors per phase: about 3 s of CPU for the 8x8 array at 8 bits (docs/rtl.md).
inline constexpr std::int64_t kDefaultCosimVectors = 100000;

struct CosimOptions {
  std::int64_t rows = 8, cols = 8;
  arch::Dataflow dataflow = arch::Dataflow::os;
  int bits = 8;  // 8, 4 or 2
  std::int64_t vectors = kDefaultCosimVectors;
  std::uint64_t seed = 1;
  Fault fault = Fault::none;
};

struct CosimReport {
  CosimCounts pe;
  ArrayCosimResult array;
  std::int64_t vectors = 0;     // pe + array
  std::int64_t mismatches = 0;  // differing registers, plus array outputs off the golden GEMM
  double cycles_per_s = 0;
};

// Throws loom::Error naming the option for an unsupported size, dataflow or bit width.
CosimReport run_cosim(const CosimOptions& options);

// The report as printed: the first mismatch of each phase (if any), then the last line
// `vectors: N mismatches: M cycles_per_s: X`.
std::string format_cosim(const CosimOptions& options, const CosimReport& report);

}  // namespace loom::rtl
