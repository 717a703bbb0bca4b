// SPDX-License-Identifier: Apache-2.0
#pragma once
// A systolic layer evaluated from a loop-nest mapping of its GEMM view (systolic_mapping.hpp):
// the nest analysis counts the traffic, and the array's interconnect timing turns folds into
// cycles — SCALE-Sim's serialized folds with fill/drain skew in compat: scalesim, pipelined folds
// (max(T, AR) each, skew once; slowed by narrow SRAM ports, sram_ports.hpp) otherwise. Equal, for SCALE-Sim's mapping, to analyze_systolic.
#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/sram_ports.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

struct SystolicEvaluation {
  LayerCounts counts;
  bool valid = true;
  std::string_view invalid_reason;
  int invalid_level = -1;
};

// The folds a mapping of a GEMM view issues on an array of `ar` rows: non-empty ones only
// (loops that over-cover a dimension leave some empty), each with its own time steps (a
// partial last tile runs fewer). held_cycles: each fold but the last holds the array
// max(T, AR) cycles, the last its T -- the simulator's schedule (sim/systolic_array.hpp). A PE
// doing k MACs per cycle (precision.hpp) runs a fold's T steps in ceil(T / k) cycles; `strides`
// stretch steps and preloads where SRAM ports are narrow (EdgeStrides::held and span).
struct FoldProfile {
  std::int64_t count = 0;
  double steps = 0;  // time steps summed over folds
  std::int64_t held_cycles = 0;
  std::int64_t last_steps = 0;
};
[[nodiscard]] FoldProfile fold_profile(const workloads::Layer& gemm, const Mapping& m,
                                       std::int64_t ar, int macs_per_pe_cycle = 1,
                                       const EdgeStrides& strides = {});

// `layer` is the real layer (not its GEMM view); `m` maps its gemm_view. Does not throw for a
// tile that does not fit (valid = false names it); throws loom::Error for a malformed mapping.
// Buffers and DRAM hold the raw ifmap: by default its traffic between memory levels is the
// im2col traffic scaled by raw / im2col size (fast, for the search); with `exact_ifmap` every
// tile's raw footprint is counted exactly (a layer's final evaluation; what the simulator's
// DMA moves).
SystolicEvaluation evaluate_systolic_mapping(const workloads::Layer& layer,
                                             const arch::Accelerator& acc, const Mapping& m,
                                             const ResolvedPrecision& p, bool exact_ifmap = false);

}  // namespace loom::dataflow
