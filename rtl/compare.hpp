// SPDX-License-Identifier: Apache-2.0
#pragma once
// What co-simulation counts: vectors (clock cycles of stimulus) applied to the RTL and to the
// model, the register values that differ between them, and the first difference found.
// Compared per PE and cycle: os: a, b, hold; ws/is: a, b, psum (the registers the mode
// defines; sim::CppPe leaves the others untouched).
#include <cstdint>
#include <optional>
#include <string>

#include "sim/pe_model.hpp"

namespace loom::rtl {

struct Mismatch {
  std::int64_t gemm = -1;   // array co-simulation: which GEMM; -1 for the single PE
  std::int64_t cycle = 0;   // PE: vector index; array: cycle since the GEMM started
  std::int64_t row = 0, col = 0;
  std::string field;        // a, b, psum or hold
  std::int64_t rtl = 0, model = 0;
};

struct CosimCounts {
  std::int64_t vectors = 0;
  std::int64_t mismatches = 0;
  std::optional<Mismatch> first;
  double seconds = 0;
};

// "gemm 3 cycle 17 PE (2, 5) hold: rtl 123 model 456"
[[nodiscard]] std::string describe(const Mismatch& m);

// Compares the registers `mode` defines; adds each differing one to `counts` (the first with
// `where`'s position, field and values).
void compare_pe(const sim::PeOut& rtl, const sim::PeOut& model, sim::PeMode mode,
                const Mismatch& where, CosimCounts& counts);

}  // namespace loom::rtl
