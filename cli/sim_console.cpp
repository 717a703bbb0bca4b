// SPDX-License-Identifier: Apache-2.0
#include "cli/sim_console.hpp"

#include <fmt/core.h>

#include "core/enum_table.hpp"

namespace loom::cli {

std::string format_sim_schedule(const explore::RunResult& r) {
  const auto& s = *r.schedule;
  std::int64_t in = 0, out = 0;
  for (std::size_t i = 0; i < s.cuts.size(); ++i) {
    if (s.group_of[i] >= 0) continue;
    in += s.cuts[i].input_on_chip ? 1 : 0;
    out += s.cuts[i].output_on_chip ? 1 : 0;
  }
  std::string text = fmt::format(
      "schedule graph: {} layers read their input on chip, {} leave their output there, {} fused "
      "groups; loom run: DRAM {:.0f} B, {} cycles\n",
      in, out, s.groups.size(), r.level_bytes[static_cast<std::size_t>(r.accelerator.dram_level())],
      r.totals.cycles);
  for (std::size_t g = 0; g < s.groups.size(); ++g) {
    const auto& p = s.groups[g];
    text += fmt::format("  group {}: {}..{}, {} rows per tile, {} halo, weights {}\n", g + 1,
                        r.network.layers[p.first].name, r.network.layers[p.last].name, p.tile_rows,
                        core::enum_name(schedule::kHaloPolicies, p.halo),
                        p.weights_resident ? "resident" : "refetched per tile");
  }
  return text;
}

std::string format_sim_group(const std::vector<simulate::SimulatedLayer>& done,
                             const schedule::FusedCost& price, const arch::Accelerator& acc) {
  const int group = done.back().group, d = acc.dram_level();
  std::int64_t cycles = 0, run_cycles = 0;
  double bytes = 0, run_bytes = 0;
  for (auto it = done.rbegin(); it != done.rend() && it->group == group; ++it) {
    cycles += it->sim.total_cycles;
    run_cycles += it->analytical.total_cycles;
    bytes += it->sim.access.bytes(d);
    run_bytes += it->analytical.access.bytes(d);
  }
  return fmt::format(
      "group {}: {} cycles, DRAM {:.0f} B (tile by tile, analytical: {} cycles, {} B; loom run: "
      "{} cycles, {:.0f} B)\n",
      group, cycles, bytes, price.cycles, price.dram_bits / 8, run_cycles, run_bytes);
}

std::string sim_layer_schedule(const simulate::SimulatedLayer& s) {
  if (s.group > 0) return fmt::format(" [group {}]", s.group);
  if (!s.cut.any()) return "";
  if (s.cut.input_on_chip && s.cut.output_on_chip) return " [input on chip, output on chip]";
  return s.cut.input_on_chip ? " [input on chip]" : " [output on chip]";
}

}  // namespace loom::cli
