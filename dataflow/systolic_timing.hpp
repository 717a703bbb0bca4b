// SPDX-License-Identifier: Apache-2.0
#pragma once
// A systolic layer evaluated from a loop-nest mapping of its GEMM view (systolic_mapping.hpp):
// the nest analysis counts the traffic, and the array's interconnect timing turns folds into
// cycles — SCALE-Sim's serialized folds with fill/drain skew in compat: scalesim, pipelined folds
// (max(T, AR) each, skew once; slowed by narrow SRAM ports, sram_ports.hpp) otherwise. Equal, for
// SCALE-Sim's mapping, to analyze_systolic.
#include "arch/accelerator.hpp"
#include "dataflow/fidelity.hpp"
#include "dataflow/layer_counts.hpp"
#include "dataflow/mapping.hpp"
#include "dataflow/mapping_evaluation.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic_axes.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// The folds a mapping of a GEMM view issues on an array of `ar` rows: non-empty ones only
// (loops that over-cover a dimension leave some empty), each with its own time steps (a
// partial last tile runs fewer). held_sum: EdgeStrides::held(T, AR) summed over the folds,
// last_steps: the last fold's T, in cycles -- what pipelined_cycles (systolic_cycles.hpp)
// times. A PE doing k MACs per cycle (precision.hpp) runs a fold's T steps in ceil(T / k)
// cycles; `strides` stretch steps and preloads where SRAM ports are narrow.
struct FoldProfile {
  std::int64_t count = 0;
  double steps = 0;  // time steps summed over folds
  std::int64_t held_sum = 0;
  std::int64_t last_steps = 0;
};
[[nodiscard]] FoldProfile fold_profile(const workloads::Layer& gemm, const Mapping& m,
                                       std::int64_t ar, int macs_per_pe_cycle = 1,
                                       const EdgeStrides& strides = {});

// What an array without shadow registers (EdgeStrides::stall) adds to held_sum: swap(T, AR)
// for every fold followed by a fold that preloads a new stationary tile, counted from the
// mapping's loops in closed form (equal to the fold-by-fold schedule, systolic_cycles.hpp).
// 0 with shadow registers.
[[nodiscard]] std::int64_t stall_swap_sum(const workloads::Layer& gemm, const Mapping& m,
                                          const SystolicAxes& ax, std::int64_t ar,
                                          int macs_per_pe_cycle, const EdgeStrides& strides);

// `layer` is the real layer (not its GEMM view); `m` maps its gemm_view. Does not throw for a
// tile that does not fit (valid = false names it); throws loom::Error for a malformed mapping.
// Buffers and DRAM hold the raw ifmap; `fidelity` says how exactly its traffic, DRAM and the
// transfer timing are counted (fidelity.hpp).
MappingEvaluation evaluate_systolic_mapping(const workloads::Layer& layer,
                                            const arch::Accelerator& acc, const Mapping& m,
                                            const ResolvedPrecision& p,
                                            Fidelity fidelity = Fidelity::search);

}  // namespace loom::dataflow
