// SPDX-License-Identifier: Apache-2.0
#pragma once
// How fast the SRAMs around a systolic array feed its edges. Each cycle a fold's wavefront
// advances one time step, the array takes a full edge vector: AR values at the left edge, AC
// at the top (os), AC partial sums at the bottom (ws, is); a stationary preload (ws, is) shifts
// one row of AC values in per cycle, and an output-stationary drain shifts one row of AC
// outputs out. A level with ports (arch::MemoryLevel::ports) moves ports x banks x word_bits
// bits per cycle; when the vectors it serves need more, the wavefront advances one step every
// `stream` cycles and the preload or drain one row every `hold` cycles, with bubbles between
// (the simulator's array, sim/systolic_array.hpp, runs exactly this). Assumptions (docs/sim.md):
// the controller lays each tile out so that a vector is consecutive words across the banks (no
// bank conflicts); the full array width is read even when a partial fold uses less of it; an
// output SRAM accumulates in place (read-modify-write on one port access, as TPU's
// accumulators do); a level serving several of these vectors splits its ports between all of
// them for the whole layer. compat: scalesim and levels without ports never throttle.
// An array without shadow registers (pe.stationary_preload: stall, ws and is) cannot shift the
// next stationary tile in while a fold computes: `stall` makes the next fold's preload wait
// until the current fold's last wavefront has entered the array (swap below).
#include <algorithm>
#include <cstdint>

#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"

namespace loom::dataflow {

struct EdgeStrides {
  std::int64_t stream = 1;  // cycles per time step of a fold's wavefront
  std::int64_t hold = 1;    // cycles per row of a stationary preload (ws, is) or os drain
  bool stall = false;       // no shadow registers: preloads wait for the previous wavefront

  // Cycles from a fold's first time step to one past its last: its window in the wavefront.
  [[nodiscard]] constexpr std::int64_t span(std::int64_t steps) const {
    return stream * (steps - 1) + 1;
  }
  // Cycles a fold keeps the next one from starting: its own steps, or the next stationary
  // tile shifting in / its outputs draining, whichever is longer.
  [[nodiscard]] constexpr std::int64_t held(std::int64_t steps, std::int64_t ar) const {
    return std::max(stream * steps, hold * ar);
  }
  // Cycles a fold keeps the next one from starting beyond held() when the next one shifts a
  // new stationary tile in: without shadow registers the preload starts once this fold's
  // wavefront has entered (stream * steps) and takes hold * AR, so the two add up.
  [[nodiscard]] constexpr std::int64_t swap(std::int64_t steps, std::int64_t ar) const {
    return stall ? std::min(stream * steps, hold * ar) : 0;
  }
  // Cycles before the first wavefront (the first stationary preload) and after the last
  // step's wavefront enters (the skew, plus the os drain).
  [[nodiscard]] constexpr std::int64_t head(std::int64_t ar, bool os) const {
    return os ? 0 : hold * ar;
  }
  [[nodiscard]] constexpr std::int64_t tail(std::int64_t ar, std::int64_t ac, bool os) const {
    return ar + ac - 2 + (os ? hold * ar : 0);
  }
  [[nodiscard]] constexpr bool throttled() const { return stream > 1 || hold > 1; }
  friend bool operator==(const EdgeStrides&, const EdgeStrides&) = default;
};

// The strides of `acc`'s array at a layer's widths; a PE doing k MACs per cycle
// (precision.hpp) takes k packed operands per edge value. {1, 1} for a spatial array.
[[nodiscard]] EdgeStrides edge_strides(const arch::Accelerator& acc, const ResolvedPrecision& p,
                                       int macs_per_pe_cycle = 1);

}  // namespace loom::dataflow
