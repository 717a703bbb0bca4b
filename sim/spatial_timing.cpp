// SPDX-License-Identifier: Apache-2.0
#include "sim/spatial_timing.hpp"

#include <algorithm>
#include <cmath>

namespace loom::sim {

SpatialDramTiming::SpatialDramTiming(const arch::Accelerator& acc)
    : channel_(acc.levels[static_cast<std::size_t>(acc.dram_level())].bandwidth_bytes_per_cycle,
               acc.levels[static_cast<std::size_t>(acc.dram_level())].latency_cycles) {
  for (std::size_t l = 0; l < acc.levels.size(); ++l)
    capacity_bits_[l] = acc.levels[l].size_bytes * 8;
}

void SpatialDramTiming::cycle_done(const SpatialCycle& c) {
  // When this cycle would start: the waits and the array's overheads so far.
  const std::int64_t now = c.cycle + stalls_ + static_cast<std::int64_t>(overhead_);
  std::int64_t ready = now;
  for (std::size_t l = 0; l < arch::kMaxLevels; ++l) {
    const std::int64_t fill = c.fill_bits[l];
    if (fill <= 0) continue;
    // The share that streamed in beside the previous tile since the previous refill.
    double share = 0;
    if (refilled_[l] && c.instance_fill[l] > 0)
      share = std::clamp(static_cast<double>(capacity_bits_[l] - held_bits_[l]) /
                             static_cast<double>(c.instance_fill[l]),
                         0.0, 1.0);
    const auto early = static_cast<std::int64_t>(std::floor(share * static_cast<double>(fill)));
    if (early > 0) ready = std::max(ready, channel_.request(last_refill_[l], early));
    if (fill > early) ready = std::max(ready, channel_.request(now, fill - early));
    last_refill_[l] = now;
    held_bits_[l] = c.tile_bits[l];
    refilled_[l] = true;
  }
  last_stall_ = ready - now;
  stalls_ += last_stall_;
  if (c.drain_bits > 0) channel_.write_behind(ready, c.drain_bits);
}

std::int64_t SpatialDramTiming::total_cycles(std::int64_t compute_cycles) {
  // Rounded up as the analytical model rounds (dataflow/layer_timing.cpp).
  const auto busy = static_cast<std::int64_t>(static_cast<double>(compute_cycles + stalls_) +
                                              overhead_ + 0.999999);
  return std::max(busy, channel_.finish());
}

}  // namespace loom::sim
