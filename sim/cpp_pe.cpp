// SPDX-License-Identifier: Apache-2.0
#include "sim/pe_model.hpp"

namespace loom::sim {

void CppPe::reset(std::size_t pes, const PeConfig& config) {
  config_ = config;
  regs_.assign(pes, Regs{});
}

void CppPe::clock(std::span<const PeIn> in, std::span<PeOut> out) {
  const int bits = config_.accumulator_bits;
  if (config_.mode == PeMode::output_stationary) {
    for (std::size_t i = 0; i < in.size(); ++i) {
      const PeIn& x = in[i];
      PeOut& y = out[i];
      Regs& r = regs_[i];
      y.a = x.a;
      y.b = x.b;
      if (!x.mac) continue;
      const std::int64_t sum =
          wrap_to(r.acc + static_cast<std::int64_t>(x.a) * static_cast<std::int64_t>(x.b), bits);
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
    y.psum = x.mac ? wrap_to(x.psum + static_cast<std::int64_t>(x.a) *
                                          static_cast<std::int64_t>(r.stationary),
                             bits)
                   : x.psum;
    if (x.shift) y.b = x.b;
  }
}

}  // namespace loom::sim
