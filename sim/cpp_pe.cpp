// SPDX-License-Identifier: Apache-2.0
#include "sim/pe_model.hpp"

#include <stdexcept>

namespace loom::sim {

void CppPe::reset(std::size_t pes, const PeConfig& config) {
  const int ob = config.operand_bits;
  if (ob != 0 && ob != 8 && ob != 4 && ob != 2)
    throw std::invalid_argument("PeConfig::operand_bits must be 0, 8, 4 or 2");
  if (config.product_shift < 0 || config.product_shift > 62)
    throw std::invalid_argument("PeConfig::product_shift must be 0..62");
  config_ = config;
  regs_.assign(pes, Regs{});
}

void CppPe::clock(std::span<const PeIn> in, std::span<PeOut> out) {
  const int bits = config_.accumulator_bits;
  const int ob = config_.operand_bits, sh = config_.product_shift;
  if (config_.mode == PeMode::direct) {
    for (std::size_t i = 0; i < in.size(); ++i) {
      const PeIn& x = in[i];
      out[i].psum = x.mac ? wrap_to(x.psum + pe_product(x.a, x.b, ob, sh), bits) : x.psum;
    }
    return;
  }
  if (config_.mode == PeMode::output_stationary) {
    for (std::size_t i = 0; i < in.size(); ++i) {
      const PeIn& x = in[i];
      PeOut& y = out[i];
      Regs& r = regs_[i];
      y.a = x.a;
      y.b = x.b;
      if (!x.mac) continue;
      const std::int64_t sum = wrap_to(r.acc + pe_product(x.a, x.b, ob, sh), bits);
      if (x.last) {
        y.hold = sum;
        r.acc = 0;
      } else {
        r.acc = sum;
      }
    }
    return;
  }
  for (std::size_t i = 0; i < in.size(); ++i) {
    const PeIn& x = in[i];
    PeOut& y = out[i];
    Regs& r = regs_[i];
    if (x.swap) r.stationary = y.b;  // the shadow, as it stood before this edge
    y.a = x.a;
    // The psum register always latches: an idle PE passes the partial sum from above on.
    y.psum = x.mac ? wrap_to(x.psum + pe_product(x.a, r.stationary, ob, sh), bits) : x.psum;
    if (x.shift) y.b = x.b;
  }
}

}  // namespace loom::sim
