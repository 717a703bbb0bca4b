// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Verilated systolic array (rtl/systolic_array.sv, Bit Fusion PEs, 32-bit accumulators),
// driven at its edges from the per-PE inputs sim::SystolicArray computes: only the left column's
// and the top row's PeIn are used (a, mac as a_valid, last, swap at the left; b, mac as
// b_valid, shift at the top); everything inside moves through the RTL's own registers. After
// each clock every PE's registers can be read as sim::PeOut, for comparison with the model's.
// One VerilatedContext per object. Verilated sizes: 4x4 and 8x8 (rtl/CMakeLists.txt).
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "rtl/fault.hpp"
#include "sim/pe_model.hpp"

namespace loom::rtl {

class VerilatedArray {
 public:
  // Throws loom::Error (key --rows/--cols) for a size that was not verilated.
  VerilatedArray(std::int64_t rows, std::int64_t cols, Fault fault = Fault::none);
  ~VerilatedArray();
  VerilatedArray(const VerilatedArray&) = delete;
  VerilatedArray& operator=(const VerilatedArray&) = delete;

  // Clears every register (synchronous reset) and sets the mode: os or stationary (ws/is), and
  // the PE precision from operand_bits (0 or 8: 8-bit, 4, 2). accumulator_bits must be 32.
  void reset(const sim::PeConfig& config);
  // One clock edge; `in` holds rows*cols PeIn laid out as the model's (PE (i, j) at i*cols + j).
  void clock(std::span<const sim::PeIn> in);
  // Every PE's registers after the last edge.
  void read(std::span<sim::PeOut> out) const;

  [[nodiscard]] std::int64_t rows() const { return rows_; }
  [[nodiscard]] std::int64_t cols() const { return cols_; }
  // The sizes built, as (rows, cols).
  [[nodiscard]] static std::vector<std::pair<std::int64_t, std::int64_t>> sizes();

  class Impl;

 private:
  std::int64_t rows_, cols_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loom::rtl
