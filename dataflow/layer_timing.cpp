// SPDX-License-Identifier: Apache-2.0
#include "dataflow/layer_timing.hpp"

#include <algorithm>
#include <cstdio>

#include "core/checked.hpp"
#include "core/error.hpp"
#include "dataflow/systolic_dram.hpp"

namespace loom::dataflow {

std::string too_many_cycles(double cycles) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", cycles);
  return std::string("a layer would take ") + text +
         " cycles, more than a 64-bit count holds (check bandwidth_gb_per_s and clock_mhz)";
}

std::int64_t nest_total_cycles(const arch::Accelerator& acc, std::int64_t compute_cycles,
                               const arch::AccessCounts& access,
                               const std::array<double, arch::kMaxLevels>& wait,
                               const ExposedTransfers& exposed, const ArrayOverheads& array) {
  double serial = array.serial_cycles, bound = array.bus_cycles;
  const int dram = acc.dram_level();
  for (int l = 0; l < static_cast<int>(acc.levels.size()); ++l) {
    const auto& level = acc.levels[l];
    const double bw = level.bandwidth_bytes_per_cycle;
    if (bw <= 0) continue;
    const double t = access.bytes(l) / bw;
    bound = std::max(bound, t);
    if (l != dram) {
      serial += wait[l] * t;
      continue;
    }
    // The first tiles arrive before the first MAC and the last outputs leave after the last;
    // the rest of the traffic waits as far as the buffers it fills cannot prefetch it.
    const double head = std::max(0.0, exposed.first_input_bits) / 8.0 / bw;
    const double tail = std::max(0.0, exposed.last_output_bits) / 8.0 / bw;
    const double latency = head > 0 ? static_cast<double>(level.latency_cycles) : 0.0;
    serial += head + latency + tail + wait[l] * std::max(0.0, t - head - tail);
  }
  const double cycles = std::max(static_cast<double>(compute_cycles) + serial, bound);
  const auto total = core::checked_count(cycles + 0.999999);
  if (!total) throw Error(too_many_cycles(cycles));
  return *total;
}

double array_busy_cycles(const LayerCounts& r) {
  return std::max(static_cast<double>(r.compute_cycles) + r.array.serial_cycles,
                  r.array.bus_cycles);
}

void finish_timing(LayerCounts& r, const arch::Accelerator& acc) {
  if (arch::is_systolic(acc.dataflow)) {
    finish_with_dram_stalls(r, acc, {r.exposed_input_bits, r.exposed_output_bits});
    return;
  }
  const double pes = static_cast<double>(acc.array.pes());
  r.total_cycles = nest_total_cycles(acc, r.compute_cycles, r.access, r.fill_wait,
                                     {r.exposed_input_bits, r.exposed_output_bits}, r.array);
  r.stall_cycles = r.total_cycles - r.compute_cycles;
  r.overall_util_pct = 100.0 * pe_cycles_busy(r) / (static_cast<double>(r.total_cycles) * pes);
  const double busy = r.array == ArrayOverheads{}
                          ? static_cast<double>(r.compute_cycles)
                          : std::min(array_busy_cycles(r), static_cast<double>(r.total_cycles));
  r.active_pes =
      r.mapping_efficiency_pct / 100.0 * pes * busy / static_cast<double>(r.total_cycles);
}

}  // namespace loom::dataflow
