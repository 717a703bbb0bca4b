// SPDX-License-Identifier: Apache-2.0
#include "schedule/dram_cut.hpp"

#include <algorithm>

#include "dataflow/layer_timing.hpp"
#include "dataflow/systolic_dram.hpp"

namespace loom::schedule {
namespace {

using arch::Operand;

std::int64_t input_bits(const arch::AccessCounts& a, int dram) {
  return a.at(dram, Operand::ifmap).read_bits + a.at(dram, Operand::filter).read_bits;
}

std::int64_t all_bits(const arch::AccessCounts& a, int dram) {
  std::int64_t bits = 0;
  for (const auto& cell : a.cells[dram]) bits += cell.read_bits + cell.write_bits;
  return bits;
}

// An exposed transfer scaled by the share of its kind of traffic that remains.
double scaled(double exposed, std::int64_t before, std::int64_t after) {
  if (exposed < 0 || before <= 0) return exposed;
  return exposed * static_cast<double>(after) / static_cast<double>(before);
}

}  // namespace

std::int64_t final_output_write_bits(const dataflow::LayerCounts& c, int dram) {
  const auto& out = c.access.at(dram, Operand::ofmap);
  return out.write_bits - out.read_bits;
}

void apply_cut(dataflow::LayerCounts& c, const DramCut& cut, const arch::Accelerator& acc) {
  if (!cut.any()) return;
  // The model's cycles may come from a finer schedule than finish_timing's (a systolic final
  // evaluation runs its tiles through the double-buffered pipeline): the cut changes them by
  // the difference finish_timing sees, never upwards.
  dataflow::LayerCounts before = c;
  dataflow::finish_timing(before, acc);
  const std::int64_t model_cycles = c.total_cycles;
  const int d = acc.dram_level();
  const std::int64_t in_before = input_bits(c.access, d);
  const std::int64_t out_before = all_bits(c.access, d) - in_before;
  if (cut.input_on_chip) c.access.at(d, Operand::ifmap) = {};
  if (cut.weights_on_chip) {
    // The weights stay in the outermost on-chip level holding filters, which refetches read as
    // before: what the layer alone fills that level with from DRAM is not written again.
    auto& from = c.access.at(d, Operand::filter);
    for (int l = d + 1; l < static_cast<int>(acc.levels.size()); ++l) {
      if (!acc.levels[static_cast<std::size_t>(l)].holds_operand(Operand::filter)) continue;
      auto& fill = c.access.at(l, Operand::filter);
      fill.write_bits = std::max<std::int64_t>(0, fill.write_bits - from.read_bits);
      fill.writes = std::max<std::int64_t>(0, fill.writes - from.reads);
      break;
    }
    from = {};
  }
  if (cut.output_on_chip) {
    auto& out = c.access.at(d, Operand::ofmap);
    out.write_bits = out.read_bits;
    out.writes = out.reads;
  }
  const std::int64_t in_after = input_bits(c.access, d);
  c.exposed_input_bits = scaled(c.exposed_input_bits, in_before, in_after);
  c.exposed_output_bits =
      scaled(c.exposed_output_bits, out_before, all_bits(c.access, d) - in_after);
  dataflow::finish_timing(c, acc);
  const std::int64_t delta = std::min<std::int64_t>(0, c.total_cycles - before.total_cycles);
  dataflow::finish_with_total(c, acc, model_cycles + delta);
}

}  // namespace loom::schedule
