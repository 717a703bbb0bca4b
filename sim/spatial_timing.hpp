// SPDX-License-Identifier: Apache-2.0
#pragma once
// The DRAM channel under a spatial array (Eyeriss-style: a global buffer and per-PE scratchpads,
// some fed from DRAM directly), timed from the refills the array's run makes
// (sim/spatial_array.hpp, SpatialCycle):
//  - a level DRAM feeds streams the next tile in while the current one is in use, as far as it
//    has room beside it (capacity minus the current tile, per instance): that share of a refill
//    was requested at the level's previous refill; the rest is requested when the refill is due;
//  - the channel serves requests in order (sim/dram_channel.hpp: bandwidth, latency);
//  - the array waits, before the cycle whose refill it is, until the refill's data has arrived;
//  - outputs written back to DRAM go behind: the array does not wait for them and reads have
//    the bus first (a controller with a write buffer), but they take bus cycles; the run ends
//    when the last of them is written.
#include <array>
#include <cstdint>

#include "arch/accelerator.hpp"
#include "sim/dram_channel.hpp"
#include "sim/spatial_array.hpp"

namespace loom::sim {

class SpatialDramTiming final {
 public:
  explicit SpatialDramTiming(const arch::Accelerator& acc);
  // The array's own overheads so far (dataflow/spatial_micro.hpp: passes, per-word stalls),
  // cumulative: they delay every later cycle and refill like compute does.
  void set_array_overhead(double cycles) { overhead_ = cycles; }
  // Every compute cycle, in order, and every group end that touches DRAM.
  void cycle_done(const SpatialCycle& c);

  [[nodiscard]] std::int64_t stall_cycles() const { return stalls_; }
  [[nodiscard]] std::int64_t last_stall() const { return last_stall_; }  // of the last cycle
  // Compute cycles plus the array's overheads and the waits, or the last write-back if it ends
  // later. Call once, at the end (it places the write-backs on the bus).
  [[nodiscard]] std::int64_t total_cycles(std::int64_t compute_cycles);
  [[nodiscard]] std::int64_t dram_busy_cycles() const { return channel_.busy_cycles(); }

 private:
  DramChannel channel_;
  std::array<std::int64_t, arch::kMaxLevels> capacity_bits_{};  // per instance
  std::array<std::int64_t, arch::kMaxLevels> last_refill_{};    // cycle of the previous refill
  std::array<std::int64_t, arch::kMaxLevels> held_bits_{};      // tile in use, per instance
  std::array<bool, arch::kMaxLevels> refilled_{};
  std::int64_t stalls_ = 0, last_stall_ = 0;
  double overhead_ = 0;
};

}  // namespace loom::sim
