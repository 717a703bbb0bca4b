// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one timing model of a systolic array's folds, read by every model that times one: the
// closed form (systolic.cpp), the mapping path (systolic_timing.cpp), the tile pipeline
// (systolic_pipeline.cpp) and the cycle-level simulator (sim/systolic_array.cpp), which moves
// data through exactly this schedule.
//  - compat: scalesim: SCALE-Sim v2's serialized folds, each paying its fill and drain skew.
//  - otherwise, pipelined folds: fold f's wavefront starts max(T_{f-1}, AR) after fold f - 1's
//    (the next stationary tile shifts into shadow registers, or the previous outputs drain,
//    meanwhile); the first ws/is fold's preload comes first, the skew and the os drain once at
//    the end; a fold keeping its predecessor's tile skips its preload. Narrow SRAM ports
//    stretch steps, preloads and drains (EdgeStrides, sram_ports.hpp). Without shadow
//    registers (EdgeStrides::stall) a preload starts once the previous fold's wavefront has
//    entered, and its fold waits for it.
// Cycles count from the first preload or wavefront. Constant-time and allocation-free.
#include <algorithm>
#include <cstdint>

#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic_folds.hpp"

namespace loom::dataflow {

// SCALE-Sim v2's fold of T time steps: stationary dataflows load their tile (AR cycles) first.
// `util_cycles` is the slightly different per-fold duration its compute utilization divides
// by, reproduced as it is.
struct SerialFold {
  std::int64_t cycles = 0, util_cycles = 0;
};
[[nodiscard]] constexpr SerialFold scalesim_fold(bool outputs_stay, std::int64_t t, std::int64_t ar,
                                                 std::int64_t ac) {
  if (outputs_stay) return {t + ar + ac - 2, t + ar + ac - 2};
  return {t + 2 * ar + ac - 2, t + 2 * ar + 2 * ac - 3};
}
// A layer of `folds` such folds back to back (SCALE-Sim's count ends one cycle early).
[[nodiscard]] constexpr std::int64_t scalesim_cycles(std::int64_t folds, const SerialFold& f) {
  return folds * f.cycles - 1;
}

// Pipelined folds in closed form: `held_sum` is EdgeStrides::held(T_f, AR) summed over every
// fold, plus EdgeStrides::swap(T_f, AR) for every fold followed by a preload (stall only),
// `last_steps` the last fold's T. The last fold needs no room for a successor: it holds
// the array only its own span.
[[nodiscard]] constexpr std::int64_t pipelined_cycles(const EdgeStrides& e, std::int64_t held_sum,
                                                      std::int64_t last_steps, std::int64_t ar,
                                                      std::int64_t ac, bool outputs_stay) {
  return e.head(ar, outputs_stay) + held_sum - e.held(last_steps, ar) + e.span(last_steps) +
         e.tail(ar, ac, outputs_stay);
}

// The same schedule one fold at a time, for a controller whose data may arrive late. `prev` is
// the previous fold (nullptr for the first) and `prev_start` its wavefront start; `keeps`
// whether this fold keeps the previous fold's tile (keeps_tile).
struct FoldClock {
  std::int64_t ar = 1, ac = 1;
  bool outputs_stay = true;
  EdgeStrides e;

  // Whether the fold shifts a stationary tile in first (ws, is, unless it keeps one).
  [[nodiscard]] constexpr bool preloads(bool keeps) const { return !outputs_stay && !keeps; }
  // The earliest cycle its wavefront may start (without shadow registers a preloading fold
  // also waits for its tile to shift in after the previous wavefront: EdgeStrides::swap).
  [[nodiscard]] constexpr std::int64_t earliest_start(const Fold* prev, std::int64_t prev_start,
                                                      bool keeps) const {
    if (!prev) return e.head(ar, outputs_stay);
    return prev_start + e.held(prev->steps, ar) + (preloads(keeps) ? e.swap(prev->steps, ar) : 0);
  }
  // The first cycle it may do anything: its preload (alongside the previous wavefront, or
  // after it without shadow registers), or its wavefront.
  [[nodiscard]] constexpr std::int64_t first_activity(const Fold* prev, std::int64_t prev_start,
                                                      bool keeps) const {
    if (!preloads(keeps)) return earliest_start(prev, prev_start, keeps);
    if (!prev) return 0;
    return e.stall ? prev_start + e.stream * prev->steps : prev_start;
  }
  // Its wavefront start when its first activity happens at `at` (>= first_activity; later
  // when its data came late).
  [[nodiscard]] constexpr std::int64_t start(const Fold* prev, std::int64_t prev_start, bool keeps,
                                             std::int64_t at) const {
    const std::int64_t earliest = earliest_start(prev, prev_start, keeps);
    return std::max(earliest, preloads(keeps) ? at + e.head(ar, false) : at);
  }
  // The cycle its last edge operand is read, and one past its last output leaving the array.
  [[nodiscard]] constexpr std::int64_t last_read(const Fold& f, std::int64_t start) const {
    return start + e.span(f.steps) + std::max(ar, ac) - 2;
  }
  [[nodiscard]] constexpr std::int64_t end(const Fold& f, std::int64_t start) const {
    return start + e.span(f.steps) + e.tail(ar, ac, outputs_stay);
  }
};

}  // namespace loom::dataflow
