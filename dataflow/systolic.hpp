// SPDX-License-Identifier: Apache-2.0
#pragma once
// Analytical model of a 2-D systolic array running output-, weight- or input-stationary.
// A conv becomes a GEMM — output pixels Mpx = N·P·Q, filters M/groups, window K = R·S·C/groups —
// placed on (array rows, array columns, time) as (Mpx, M, K) for os, (K, M, Mpx) for ws and
// (K, Mpx, M) for is (systolic_axes.hpp), folded over the array, once per group; folds are timed
// as every systolic model times them (systolic_cycles.hpp). Closed forms only: evaluating a
// layer costs a few dozen arithmetic operations and never allocates.
//
// compat: scalesim reproduces SCALE-Sim v2's compute-side numbers exactly (serialized folds with
// fill/drain skew, its SRAM counting). compat: none is Loom's model of the hardware: folds are
// pipelined (double-buffered stationary registers), SRAM counts are real accesses, and DRAM
// traffic and stalls come from double-buffered, bandwidth-limited tiles (docs/modelling.md).
#include "arch/accelerator.hpp"
#include "dataflow/layer_counts.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

// Throws loom::Error if the layer's precision exceeds the PE's or a tile cannot fit its buffer.
ResolvedPrecision resolve_precision(const workloads::Layer& layer, const arch::Accelerator& acc);

// `layer` must do MACs (workloads::does_macs). Throws loom::Error for impossible configurations.
LayerCounts analyze_systolic(const workloads::Layer& layer, const arch::Accelerator& acc);

// Checks once per accelerator that a double-buffered fold tile of every operand fits its SRAM;
// throws loom::Error naming the level, the tile and the capacity otherwise.
void check_systolic_fit(const arch::Accelerator& acc, const ResolvedPrecision& p);

}  // namespace loom::dataflow
