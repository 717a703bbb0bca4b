// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where a systolic dataflow places its GEMM on the array: the one table every systolic model
// reads (closed form, mapspace, folds, tile plan, SRAM ports, DRAM schedule, simulator, RTL
// co-simulation). A convolution is, per group, the GEMM Y = A·B with A: Mpx x K (the ifmap,
// im2col), B: K x M (the filters) and Y: Mpx x M (the ofmap); in a layer's GEMM view
// (systolic_mapping.hpp) P carries Mpx, C carries K and M the filters. The array's rows and
// columns unroll two GEMM dimensions and the third runs in time inside the PEs:
//   os  rows Mpx, columns M,   time K;   the PEs keep the outputs;
//   ws  rows K,   columns M,   time Mpx; the PEs keep the filters;
//   is  rows K,   columns Mpx, time M;   the PEs keep the inputs.
// The left edge takes the input operand the columns do not index (one value per row per step);
// the top edge takes the other input: streamed (os) or shifted in as the stationary tile (ws,
// is). Partial sums leave at the bottom (ws, is) or drain down the columns (os).
// Constant-time, no allocation: callers may query it in inner loops.
#include <array>
#include <cstdint>

#include "arch/accelerator.hpp"
#include "dataflow/mapping.hpp"

namespace loom::dataflow {

// A point (or an extent) of one group's GEMM.
struct GemmPoint {
  std::int64_t px = 0, k = 0, m = 0;
};

struct SystolicAxes {
  // Array axes, in the order rows, columns, time.
  static constexpr int kRow = 0, kCol = 1, kTime = 2;

  Dim row = Dim::P, col = Dim::M, time = Dim::C;    // GEMM-view dimension on each array axis
  arch::Operand stationary = arch::Operand::ofmap;  // what the PEs keep
  arch::Operand left = arch::Operand::ifmap;        // streamed in at the left edge
  arch::Operand top = arch::Operand::filter;        // streamed (os) or preloaded at the top
  // The array axis of Mpx, K and M (derived from row, col, time by systolic_axes; kept so that
  // the simulator's edge reads index without comparing).
  std::array<std::int8_t, 3> gemm_axis{kRow, kTime, kCol};

  // os: the outputs stay in the PEs and drain; ws, is: a stationary input is preloaded.
  [[nodiscard]] constexpr bool outputs_stay() const { return stationary == arch::Operand::ofmap; }
  // Which array axis carries GEMM-view dimension `d` (P, C or M), or -1.
  [[nodiscard]] constexpr int axis_of(Dim d) const {
    return d == row ? kRow : d == col ? kCol : d == time ? kTime : -1;
  }
  // The extents along (rows, columns, time) of a GEMM of `e` = (Mpx, K, M).
  [[nodiscard]] constexpr std::array<std::int64_t, 3> place(const GemmPoint& e) const {
    std::array<std::int64_t, 3> v{};
    v[gemm_axis[0]] = e.px;
    v[gemm_axis[1]] = e.k;
    v[gemm_axis[2]] = e.m;
    return v;
  }
  // The GEMM point at array coordinates (row, column, time step): the inverse of place.
  [[nodiscard]] constexpr GemmPoint at(std::int64_t r, std::int64_t c, std::int64_t t) const {
    const std::array<std::int64_t, 3> v{r, c, t};
    return {v[gemm_axis[0]], v[gemm_axis[1]], v[gemm_axis[2]]};
  }
  // Whether operand `o`'s tensor is indexed by GEMM-view dimension `d`: A by (P, C), B by
  // (C, M), Y by (P, M).
  [[nodiscard]] static constexpr bool indexes(arch::Operand o, Dim d) {
    switch (o) {
      case arch::Operand::ifmap:
        return d == Dim::P || d == Dim::C;
      case arch::Operand::filter:
        return d == Dim::C || d == Dim::M;
      default:
        return d == Dim::P || d == Dim::M;
    }
  }
  // Per operand, whether the PEs keep it (Mapping::pe_keeps).
  [[nodiscard]] constexpr std::array<bool, arch::kOperands> keeps() const {
    std::array<bool, arch::kOperands> k{};
    k[static_cast<int>(stationary)] = true;
    return k;
  }
};

// The placement of a systolic dataflow (os, ws or is); os's for any other.
[[nodiscard]] constexpr SystolicAxes systolic_axes(arch::Dataflow df) {
  using arch::Operand;
  SystolicAxes a;
  switch (df) {
    case arch::Dataflow::ws:
      a = {Dim::C, Dim::M, Dim::P, Operand::filter, Operand::ifmap, Operand::filter};
      break;
    case arch::Dataflow::is:
      a = {Dim::C, Dim::P, Dim::M, Operand::ifmap, Operand::filter, Operand::ifmap};
      break;
    default:
      a = {Dim::P, Dim::M, Dim::C, Operand::ofmap, Operand::ifmap, Operand::filter};
      break;
  }
  a.gemm_axis = {static_cast<std::int8_t>(a.axis_of(Dim::P)),
                 static_cast<std::int8_t>(a.axis_of(Dim::C)),
                 static_cast<std::int8_t>(a.axis_of(Dim::M))};
  return a;
}

static_assert(systolic_axes(arch::Dataflow::is).at(1, 2, 3).px == 2 &&
              systolic_axes(arch::Dataflow::ws).place({1, 2, 3})[SystolicAxes::kTime] == 1);

}  // namespace loom::dataflow
