// SPDX-License-Identifier: Apache-2.0
#include "dataflow/spatial_micro.hpp"

#include <algorithm>

namespace loom::dataflow {

int noc_level(const arch::Accelerator& acc) {
  int noc = -1;
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l)
    if (acc.levels[static_cast<std::size_t>(l)].kind == arch::LevelKind::noc) noc = l;
  return noc;
}

std::int64_t psum_chain(const Mapping& m) {
  std::int64_t chain = 1;
  for (const Dim d : {Dim::C, Dim::R, Dim::S}) {
    const auto i = static_cast<std::size_t>(d);
    chain *= m.spatial_rows[i] * m.spatial_cols[i];
  }
  return chain;
}

std::int64_t pass_overhead_cycles(const arch::Accelerator& acc, std::int64_t chain) {
  std::int64_t c = acc.array.pe.pipeline_stages - 1;
  if (const int noc = noc_level(acc); noc >= 0) {
    const auto& n = acc.levels[static_cast<std::size_t>(noc)];
    c += n.pass_setup_cycles + n.psum_hop_cycles * std::max<std::int64_t>(0, chain - 1);
  }
  return c;
}

std::int64_t layer_setup_cycles(const arch::Accelerator& acc) {
  const int noc = noc_level(acc);
  return noc < 0 ? 0 : acc.levels[static_cast<std::size_t>(noc)].layer_setup_cycles;
}

double word_stall_cycles(const arch::Accelerator& acc, const ArrayEvents& e) {
  const int noc = noc_level(acc);
  const double accumulate =
      noc < 0
          ? 0.0
          : static_cast<double>(acc.levels[static_cast<std::size_t>(noc)].psum_accumulate_cycles);
  const double words = accumulate * e.psums_received + e.single_port_writes;
  return words / static_cast<double>(std::max<std::int64_t>(1, e.pes_used));
}

ArrayOverheads array_overheads(const arch::Accelerator& acc, const ArrayEvents& e) {
  ArrayOverheads o;
  o.serial_cycles = static_cast<double>(e.passes * pass_overhead_cycles(acc, e.psum_chain) +
                                        (e.passes > 0 ? layer_setup_cycles(acc) : 0)) +
                    word_stall_cycles(acc, e);
  if (const int noc = noc_level(acc); noc >= 0) {
    const auto& bus = acc.levels[static_cast<std::size_t>(noc)].bus_bits;
    for (std::size_t i = 0; i < bus.size(); ++i)
      if (bus[i] > 0) o.bus_cycles = std::max(o.bus_cycles, e.bus_bits[i] / bus[i]);
    const int psum = bus[static_cast<std::size_t>(arch::Operand::ofmap)];
    if (psum > 0) o.bus_cycles = std::max(o.bus_cycles, e.psum_in_bits / psum);
  }
  o.bus_cycles = std::max(o.bus_cycles, blocked_bank_cycles(acc, e));
  return o;
}

double blocked_bank_cycles(const arch::Accelerator& acc, const ArrayEvents& e) {
  double cycles = 0;
  for (int i = 0; i < arch::kOperands; ++i) {
    // The level the PEs exchange the operand with: the innermost shared one holding it.
    const arch::MemoryLevel* source = nullptr;
    for (const auto& l : acc.levels)
      if (!l.per_pe && l.kind == arch::LevelKind::sram && l.holds[static_cast<std::size_t>(i)])
        source = &l;
    if (!source || source->bank_layout != arch::MemoryLevel::BankLayout::blocked ||
        source->ports <= 0)
      continue;
    double bits = e.bus_bits[static_cast<std::size_t>(i)];
    if (i == static_cast<int>(arch::Operand::ofmap)) bits += e.psum_in_bits;
    cycles = std::max(cycles, bits / (source->ports * source->word_bits));
  }
  return cycles;
}

}  // namespace loom::dataflow
