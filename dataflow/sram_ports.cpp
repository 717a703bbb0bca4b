// SPDX-License-Identifier: Apache-2.0
#include "dataflow/sram_ports.hpp"

#include <array>

namespace loom::dataflow {

EdgeStrides edge_strides(const arch::Accelerator& acc, const ResolvedPrecision& p,
                         int macs_per_pe_cycle) {
  using arch::Dataflow;
  using arch::Operand;
  if (!arch::is_systolic(acc.dataflow) || acc.compat == arch::Compat::scalesim) return {};
  const std::int64_t ar = acc.array.rows, ac = acc.array.cols, k = macs_per_pe_cycle;
  const std::int64_t a_bits = k * p.activation_bits, w_bits = k * p.weight_bits;
  // Bits per cycle each edge vector takes from (or gives to) its operand's innermost SRAM.
  struct Vector {
    Operand operand;
    std::int64_t bits;
    bool stream;  // moves with the wavefront; else with the preload or drain
  };
  std::array<Vector, 3> vectors{};
  switch (acc.dataflow) {
    case Dataflow::os:
      vectors = {{{Operand::ifmap, ar * a_bits, true},
                  {Operand::filter, ac * w_bits, true},
                  {Operand::ofmap, ac * p.psum_bits, false}}};
      break;
    case Dataflow::ws:
      vectors = {{{Operand::ifmap, ar * a_bits, true},
                  {Operand::ofmap, ac * p.psum_bits, true},
                  {Operand::filter, ac * w_bits, false}}};
      break;
    default:  // is
      vectors = {{{Operand::filter, ar * w_bits, true},
                  {Operand::ofmap, ac * p.psum_bits, true},
                  {Operand::ifmap, ac * a_bits, false}}};
  }
  std::array<std::int64_t, arch::kMaxLevels> demand{};
  for (const auto& v : vectors) demand[static_cast<std::size_t>(acc.sram_level(v.operand))] += v.bits;
  EdgeStrides s;
  for (const auto& v : vectors) {
    const auto l = static_cast<std::size_t>(acc.sram_level(v.operand));
    const auto& level = acc.levels[l];
    if (level.ports <= 0) continue;
    const std::int64_t per_cycle =
        static_cast<std::int64_t>(level.ports) * level.banks * level.word_bits;
    const std::int64_t cycles = (demand[l] + per_cycle - 1) / per_cycle;
    (v.stream ? s.stream : s.hold) = std::max(v.stream ? s.stream : s.hold, cycles);
  }
  return s;
}

}  // namespace loom::dataflow
