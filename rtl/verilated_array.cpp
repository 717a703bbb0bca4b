// SPDX-License-Identifier: Apache-2.0
// VerilatedArray over the generated models Varray4/Varray8 and their altered variants.
#include "rtl/verilated_array.hpp"

#include <Varray4.h>
#include <Varray4_carry.h>
#include <Varray4_split.h>
#include <Varray8.h>
#include <Varray8_carry.h>
#include <Varray8_split.h>
#include <verilated.h>

#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "rtl/verilated_ports.hpp"

namespace loom::rtl {

class VerilatedArray::Impl {
 public:
  virtual ~Impl() = default;
  virtual void reset(bool stationary, int prec) = 0;
  virtual void clock(std::span<const sim::PeIn> in) = 0;
  virtual void read(std::span<sim::PeOut> out) const = 0;
};

namespace {

constexpr int kAccBits = 32;

template <class M, std::size_t N>
class ModelArray final : public VerilatedArray::Impl {
 public:
  ModelArray() : context_(std::make_unique<VerilatedContext>()) {
    model_ = std::make_unique<M>(context_.get(), "array");
  }
  ~ModelArray() override { model_->final(); }

  void reset(bool stationary, int prec) override {
    M& m = *model_;
    m.stationary = stationary ? 1 : 0;
    m.prec = static_cast<CData>(prec);
    m.a_valid = m.a_last = m.a_swap = 0;
    m.b_valid = m.b_shift = 0;
    m.rst = 1;
    m.clk = 0;
    m.eval();
    m.clk = 1;
    m.eval();
    m.rst = 0;
  }

  void clock(std::span<const sim::PeIn> in) override {
    M& m = *model_;
    m.clk = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const sim::PeIn& x = in[i * N];
      ports::put_word(m.a_left, i, static_cast<std::uint32_t>(x.a));
      ports::put_bit(m.a_valid, i, x.mac);
      ports::put_bit(m.a_last, i, x.last);
      ports::put_bit(m.a_swap, i, x.swap);
    }
    for (std::size_t j = 0; j < N; ++j) {
      const sim::PeIn& x = in[j];
      ports::put_word(m.b_top, j, static_cast<std::uint32_t>(x.b));
      ports::put_bit(m.b_valid, j, x.mac);
      ports::put_bit(m.b_shift, j, x.shift);
    }
    m.eval();
    m.clk = 1;
    m.eval();
  }

  void read(std::span<sim::PeOut> out) const override {
    const M& m = *model_;
    // ACC_BITS is 32: every register is one word of its flattened port.
    for (std::size_t k = 0; k < N * N; ++k) {
      sim::PeOut& y = out[k];
      y.a = ports::get_word(m.pe_a, k);
      y.b = ports::get_word(m.pe_b, k);
      y.psum = ports::get_word(m.pe_psum, k);
      y.hold = ports::get_word(m.pe_hold, k);
    }
  }

 private:
  std::unique_ptr<VerilatedContext> context_;  // declared first: destroyed after the model
  std::unique_ptr<M> model_;
};

template <class Real, class Carry, class Split, std::size_t N>
std::unique_ptr<VerilatedArray::Impl> make(Fault fault) {
  switch (fault) {
    case Fault::carry: return std::make_unique<ModelArray<Carry, N>>();
    case Fault::split: return std::make_unique<ModelArray<Split, N>>();
    case Fault::none: break;
  }
  return std::make_unique<ModelArray<Real, N>>();
}

}  // namespace

std::vector<std::pair<std::int64_t, std::int64_t>> VerilatedArray::sizes() {
  return {{4, 4}, {8, 8}};
}

VerilatedArray::VerilatedArray(std::int64_t rows, std::int64_t cols, Fault fault)
    : rows_(rows), cols_(cols) {
  if (rows == 4 && cols == 4) impl_ = make<Varray4, Varray4_carry, Varray4_split, 4>(fault);
  else if (rows == 8 && cols == 8) impl_ = make<Varray8, Varray8_carry, Varray8_split, 8>(fault);
  else
    throw Error(Diagnostic{"", "--rows/--cols", 0,
                           "the RTL array is verilated at 4x4 and 8x8 (rtl/CMakeLists.txt), got " +
                               std::to_string(rows) + "x" + std::to_string(cols)});
}

VerilatedArray::~VerilatedArray() = default;

void VerilatedArray::reset(const sim::PeConfig& config) {
  if (config.accumulator_bits != kAccBits)
    throw std::invalid_argument("VerilatedArray: the RTL array accumulates in 32 bits");
  const int ob = config.operand_bits;
  if (ob != 0 && ob != 8 && ob != 4 && ob != 2)
    throw std::invalid_argument("VerilatedArray: operand_bits must be 0, 8, 4 or 2");
  impl_->reset(config.mode != sim::PeMode::output_stationary, ob == 4 ? 1 : ob == 2 ? 2 : 0);
}

void VerilatedArray::clock(std::span<const sim::PeIn> in) {
  if (static_cast<std::int64_t>(in.size()) != rows_ * cols_)
    throw std::invalid_argument("VerilatedArray::clock: expected rows*cols inputs");
  impl_->clock(in);
}

void VerilatedArray::read(std::span<sim::PeOut> out) const {
  if (static_cast<std::int64_t>(out.size()) != rows_ * cols_)
    throw std::invalid_argument("VerilatedArray::read: expected rows*cols outputs");
  impl_->read(out);
}

}  // namespace loom::rtl
