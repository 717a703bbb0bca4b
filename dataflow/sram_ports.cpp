// SPDX-License-Identifier: Apache-2.0
#include "dataflow/sram_ports.hpp"

#include <array>

#include "dataflow/systolic_axes.hpp"

namespace loom::dataflow {

EdgeStrides edge_strides(const arch::Accelerator& acc, const ResolvedPrecision& p,
                         int macs_per_pe_cycle) {
  using arch::Operand;
  if (!arch::is_systolic(acc.dataflow) || acc.compat == arch::Compat::scalesim) return {};
  EdgeStrides s;
  s.stall = acc.array.pe.stationary_preload == arch::PeSpec::Preload::stall &&
            !systolic_axes(acc.dataflow).outputs_stay();
  // Each operand's innermost SRAM, in one pass (this runs once per mapping the search prices).
  std::array<int, arch::kOperands> level{-1, -1, -1};
  bool any_ports = false;
  for (int i = static_cast<int>(acc.levels.size()) - 1; i >= 0; --i) {
    const auto& l = acc.levels[static_cast<std::size_t>(i)];
    if (l.kind != arch::LevelKind::sram) continue;
    for (int o = 0; o < arch::kOperands; ++o)
      if (level[o] < 0 && l.holds[o]) {
        level[o] = i;
        any_ports = any_ports || l.ports > 0;
      }
  }
  if (!any_ports) return s;
  const std::int64_t ar = acc.array.rows, ac = acc.array.cols, k = macs_per_pe_cycle;
  const std::int64_t a_bits = k * p.activation_bits, w_bits = k * p.weight_bits;
  // Bits per cycle each edge vector takes from (or gives to) its operand's innermost SRAM:
  // [operand] = {bits, moves with the wavefront (else with the preload or drain)}.
  struct Vector {
    std::int64_t bits;
    bool stream;
  };
  // The left edge takes AR values of its operand per step, the top edge AC: streamed with the
  // wavefront (os) or preloaded (the stationary tile of ws, is); partial sums leave the bottom
  // with the wavefront, or os outputs drain (systolic_axes.hpp).
  const SystolicAxes ax = systolic_axes(acc.dataflow);
  const auto bits_of = [&](Operand o) { return o == Operand::ifmap ? a_bits : w_bits; };
  std::array<Vector, arch::kOperands> v{};
  v[static_cast<int>(Operand::ofmap)] = {ac * p.psum_bits, !ax.outputs_stay()};
  v[static_cast<int>(ax.left)] = {ar * bits_of(ax.left), true};
  v[static_cast<int>(ax.top)] = {ac * bits_of(ax.top), ax.stationary != ax.top};
  std::array<std::int64_t, arch::kMaxLevels> demand{};
  for (int o = 0; o < arch::kOperands; ++o) demand[static_cast<std::size_t>(level[o])] += v[o].bits;
  for (int o = 0; o < arch::kOperands; ++o) {
    const auto l = static_cast<std::size_t>(level[o]);
    const auto& lvl = acc.levels[l];
    if (lvl.ports <= 0) continue;
    const std::int64_t width = static_cast<std::int64_t>(lvl.ports) * lvl.banks * lvl.word_bits;
    const std::int64_t cycles = (demand[l] + width - 1) / width;
    std::int64_t& stride = v[o].stream ? s.stream : s.hold;
    stride = std::max(stride, cycles);
  }
  return s;
}

}  // namespace loom::dataflow
