// SPDX-License-Identifier: Apache-2.0
#pragma once
// VerilatedPe: the Verilated RTL PE as a sim::PeModel, so sim::SystolicArray (and loom sim) can
// clock it in place of sim::CppPe. One Verilated model instance per PE, all sharing one
// VerilatedContext owned by this object: no global Verilator state, several VerilatedPe objects
// may coexist. Registers and arithmetic are the RTL's (docs/rtl.md); PeOut fields the mode does
// not use (psum in os, hold in ws/is) read as the RTL holds them (zero after reset).
// Supported configurations (reset() throws loom::Error otherwise):
//   bitfusion (rtl/bf_pe.sv, optionally altered): accumulator_bits 32; operand_bits 8, 4, 2,
//     or 0 meaning whole 8-bit operands (8-bit mode);
//   mac16 (rtl/mac_pe.sv, OP_BITS 16): accumulator_bits 32, operand_bits 0, operands of at most
//     16 bits.
#include <memory>

#include "arch/accelerator.hpp"
#include "rtl/fault.hpp"
#include "sim/pe_model.hpp"

namespace loom::rtl {

enum class RtlPe : std::uint8_t { mac16, bitfusion };

struct VerilatedPeConfig {
  RtlPe kind = RtlPe::bitfusion;
  Fault fault = Fault::none;  // bitfusion only
};

class VerilatedPe final : public sim::PeModel {
 public:
  // Throws std::invalid_argument for a fault on the mac16 PE.
  explicit VerilatedPe(const VerilatedPeConfig& config);
  ~VerilatedPe() override;
  VerilatedPe(const VerilatedPe&) = delete;
  VerilatedPe& operator=(const VerilatedPe&) = delete;

  void reset(std::size_t pes, const sim::PeConfig& config) override;
  void clock(std::span<const sim::PeIn> in, std::span<sim::PeOut> out) override;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The RTL PE for `acc`'s PE (loom sim --pe rtl): the Bit Fusion PE in 8-bit mode for operands
// of at most 8 bits, the 16-bit MAC PE for up to 16 bits. Throws loom::Error naming the
// accelerator's file and key when its PE has no RTL counterpart (accumulator other than 32
// bits, operands wider than 16).
std::unique_ptr<sim::PeModel> make_verilated_pe(const arch::Accelerator& acc);

}  // namespace loom::rtl
