// SPDX-License-Identifier: Apache-2.0
#pragma once
// Single-PE co-simulation: the Verilated PE (VerilatedPe) and sim::CppPe take the same stimulus
// vector by vector — first deterministic corners (extreme operand values in every lane, sign
// changes, accumulator overflow and wrap, reset mid-stream, shift and swap in the same cycle),
// then `vectors` random ones (random words and flags, extreme lanes and near-overflow partial
// sums mixed in, an occasional reset) — and their registers are compared after every clock.
// Deterministic: same options, same stimulus.
#include <cstdint>

#include "rtl/compare.hpp"
#include "rtl/verilated_pe.hpp"

namespace loom::rtl {

struct PeCosimOptions {
  RtlPe kind = RtlPe::bitfusion;
  Fault fault = Fault::none;
  sim::PeMode mode = sim::PeMode::output_stationary;
  int operand_bits = 8;         // bitfusion: 8, 4 or 2; mac16: ignored (whole 16-bit operands)
  std::int64_t vectors = 100000;  // random vectors, after the corners
  std::uint64_t seed = 1;
  bool corners = true;
};

// Throws std::invalid_argument for operand_bits other than 8, 4, 2 on the Bit Fusion PE.
CosimCounts run_pe_cosim(const PeCosimOptions& options);

}  // namespace loom::rtl
