// SPDX-License-Identifier: Apache-2.0
// VerilatedPe over the generated models Vbf_pe (and its altered variants) and Vmac_pe.
#include "rtl/verilated_pe.hpp"

#include <Vbf_pe.h>
#include <Vbf_pe_carry.h>
#include <Vbf_pe_split.h>
#include <Vmac_pe.h>
#include <verilated.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "rtl/verilated_ports.hpp"

namespace loom::rtl {

class VerilatedPe::Impl {
 public:
  virtual ~Impl() = default;
  virtual void reset(std::size_t pes, const sim::PeConfig& config) = 0;
  virtual void clock(std::span<const sim::PeIn> in, std::span<sim::PeOut> out) = 0;
};

namespace {

constexpr int kAccBits = 32;  // the ACC_BITS every PE model is verilated with (rtl/CMakeLists)

// Operand port width of each model: the packed 32-bit word of bf_pe, OP_BITS of mac_pe.
template <class M>
constexpr int operand_bits() {
  return std::is_same_v<M, Vmac_pe> ? 16 : 32;
}

template <class M>
class ModelPe final : public VerilatedPe::Impl {
 public:
  ModelPe() : context_(std::make_unique<VerilatedContext>()) {}
  ~ModelPe() override {
    for (auto& m : pes_) m->final();
  }

  void reset(std::size_t pes, const sim::PeConfig& config) override {
    if (config.accumulator_bits != kAccBits)
      throw Error(Diagnostic{"", "accumulator_bits", 0,
                             "the RTL PE is verilated with a 32-bit accumulator, got " +
                                 std::to_string(config.accumulator_bits)});
    if (config.product_shift != 0)
      throw Error(Diagnostic{"", "product_shift", 0,
                             "the RTL PE accumulates whole products (product_shift 0), got " +
                                 std::to_string(config.product_shift)});
    if (config.mode == sim::PeMode::direct)
      throw Error(Diagnostic{"", "mode", 0,
                             "the RTL PE is a systolic PE; a spatial array's direct MACs run on "
                             "the C++ PE"});
    int prec = 0;
    if constexpr (std::is_same_v<M, Vmac_pe>) {
      if (config.operand_bits != 0)
        throw Error(Diagnostic{"", "operand_bits", 0,
                               "the 16-bit MAC PE takes whole operands (operand_bits 0)"});
    } else {
      const int ob = config.operand_bits;
      if (ob != 0 && ob != 8 && ob != 4 && ob != 2)
        throw Error(Diagnostic{"", "operand_bits", 0, "expected 0, 8, 4 or 2"});
      prec = ob == 4 ? 1 : ob == 2 ? 2 : 0;
    }
    while (pes_.size() < pes)
      pes_.push_back(
          std::make_unique<M>(context_.get(), ("pe" + std::to_string(pes_.size())).c_str()));
    pes_.resize(pes);
    const bool stationary = config.mode != sim::PeMode::output_stationary;
    for (auto& m : pes_) {
      m->stationary = stationary ? 1 : 0;
      if constexpr (!std::is_same_v<M, Vmac_pe>) m->prec = static_cast<CData>(prec);
      m->mac = m->last = m->shift = m->swap = 0;
      m->rst = 1;
      m->clk = 0;
      m->eval();
      m->clk = 1;
      m->eval();
      m->rst = 0;
    }
  }

  void clock(std::span<const sim::PeIn> in, std::span<sim::PeOut> out) override {
    if (in.size() != pes_.size() || out.size() != pes_.size())
      throw std::invalid_argument("VerilatedPe::clock: spans must match reset()'s PE count");
    constexpr int ob = operand_bits<M>();
    for (std::size_t i = 0; i < pes_.size(); ++i) {
      M& m = *pes_[i];
      const sim::PeIn& x = in[i];
      m.clk = 0;
      ports::put(m.a_in, x.a, ob);
      ports::put(m.b_in, x.b, ob);
      ports::put(m.psum_in, x.psum, kAccBits);
      m.mac = x.mac ? 1 : 0;
      m.last = x.last ? 1 : 0;
      m.shift = x.shift ? 1 : 0;
      m.swap = x.swap ? 1 : 0;
      m.eval();
      m.clk = 1;
      m.eval();
      sim::PeOut& y = out[i];
      y.a = static_cast<std::int32_t>(ports::get_signed(m.a_out, ob));
      y.b = static_cast<std::int32_t>(ports::get_signed(m.b_out, ob));
      y.psum = ports::get_signed(m.psum_out, kAccBits);
      y.hold = ports::get_signed(m.hold_out, kAccBits);
    }
  }

 private:
  std::unique_ptr<VerilatedContext> context_;  // declared first: destroyed after the models
  std::vector<std::unique_ptr<M>> pes_;
};

}  // namespace

VerilatedPe::VerilatedPe(const VerilatedPeConfig& config) {
  if (config.kind == RtlPe::mac16) {
    if (config.fault != Fault::none)
      throw std::invalid_argument("VerilatedPe: altered PEs exist for the Bit Fusion PE only");
    impl_ = std::make_unique<ModelPe<Vmac_pe>>();
    return;
  }
  switch (config.fault) {
    case Fault::none: impl_ = std::make_unique<ModelPe<Vbf_pe>>(); break;
    case Fault::carry: impl_ = std::make_unique<ModelPe<Vbf_pe_carry>>(); break;
    case Fault::split: impl_ = std::make_unique<ModelPe<Vbf_pe_split>>(); break;
  }
}

VerilatedPe::~VerilatedPe() = default;

void VerilatedPe::reset(std::size_t pes, const sim::PeConfig& config) { impl_->reset(pes, config); }

void VerilatedPe::clock(std::span<const sim::PeIn> in, std::span<sim::PeOut> out) {
  impl_->clock(in, out);
}

std::unique_ptr<sim::PeModel> make_verilated_pe(const arch::Accelerator& acc) {
  const auto& pe = acc.array.pe;
  Diagnostics diags;
  if (pe.accumulator_bits != kAccBits)
    diags.add({acc.source, "pe.accumulator_bits", 0,
               "--pe rtl: the RTL PE is verilated with a 32-bit accumulator, got " +
                   std::to_string(pe.accumulator_bits)});
  const int widest = std::max(pe.weight_bits, pe.activation_bits);
  if (widest > 16)
    diags.add({acc.source, pe.weight_bits > 16 ? "pe.weight_bits" : "pe.activation_bits", 0,
               "--pe rtl: the RTL PEs take operands of at most 16 bits, got " +
                   std::to_string(widest)});
  diags.throw_if_any();
  return std::make_unique<VerilatedPe>(
      VerilatedPeConfig{.kind = widest <= 8 ? RtlPe::bitfusion : RtlPe::mac16});
}

}  // namespace loom::rtl
