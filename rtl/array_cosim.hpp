// SPDX-License-Identifier: Apache-2.0
#pragma once
// Array co-simulation: random GEMMs (random sizes, groups, time chunks and fold orders, so
// partial folds, K split across folds, kept stationary tiles and continued accumulation all
// occur) run through Loom's systolic array engine — inside its SystemC module
// (sim::ArraySimulation) or bare (sim::SystolicArray) — with sim::CppPe, while the Verilated
// array (VerilatedArray) is clocked in lockstep from the same edge inputs; after every clock
// every PE's registers are compared. Each GEMM's outputs are also checked against a golden
// GEMM of Bit Fusion-packed products. Deterministic: same options, same GEMMs.
#include <cstdint>

#include "arch/accelerator.hpp"
#include "rtl/compare.hpp"
#include "rtl/fault.hpp"

namespace loom::rtl {

struct ArrayCosimOptions {
  std::int64_t rows = 8, cols = 8;  // a size VerilatedArray::sizes() lists
  arch::Dataflow dataflow = arch::Dataflow::os;  // os, ws or is
  int operand_bits = 8;                          // 8, 4 or 2
  Fault fault = Fault::none;
  std::int64_t gemms = 10;       // at least this many GEMMs ...
  std::int64_t min_cycles = 0;   // ... and at least this many cycles
  std::uint64_t seed = 1;
  bool systemc = true;
};

struct ArrayCosimResult {
  CosimCounts counts;               // vectors = array cycles compared
  std::int64_t gemms = 0;
  std::int64_t macs = 0;
  std::int64_t outputs_checked = 0;
  std::int64_t output_errors = 0;   // engine outputs differing from the golden GEMM
};

// Throws loom::Error for an array size that was not verilated, std::invalid_argument for a
// dataflow that is not systolic or operand_bits other than 8, 4, 2.
ArrayCosimResult run_array_cosim(const ArrayCosimOptions& options);

}  // namespace loom::rtl
