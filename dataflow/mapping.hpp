// SPDX-License-Identifier: Apache-2.0
#pragma once
// A loop-nest mapping of one layer onto an accelerator (Timeloop's notation): for every memory
// level, outermost (DRAM) first, a tiling factor and a loop order for each of the seven conv
// dimensions; then the factors unrolled spatially across the PE array's rows and columns; then
// the temporal loops that run inside one PE. The loops at level l iterate over the tiles held
// by the levels inside it, so the tile level l holds is the footprint of every loop at l and
// below. Factors need not divide their dimension: a dimension's loops must cover it (product of
// its factors >= its size) and the last tile is partial. Plain values; no behaviour.
#include <array>
#include <cstdint>
#include <vector>

#include "core/enum_table.hpp"
#include "workloads/layer.hpp"

namespace loom::dataflow {

enum class Dim : std::uint8_t { N, M, C, P, Q, R, S };
inline constexpr int kDims = 7;
inline constexpr std::array<core::EnumName<Dim>, kDims> kDimNames{{{Dim::N, "N"},
                                                                   {Dim::M, "M"},
                                                                   {Dim::C, "C"},
                                                                   {Dim::P, "P"},
                                                                   {Dim::Q, "Q"},
                                                                   {Dim::R, "R"},
                                                                   {Dim::S, "S"}}};

using DimFactors = std::array<std::int64_t, kDims>;
inline constexpr DimFactors kUnitFactors{1, 1, 1, 1, 1, 1, 1};
inline constexpr std::array<Dim, kDims> kCanonicalOrder{Dim::N, Dim::M, Dim::C, Dim::P,
                                                        Dim::Q, Dim::R, Dim::S};

struct LevelLoops {
  DimFactors factors = kUnitFactors;
  std::array<Dim, kDims> order = kCanonicalOrder;  // outermost first
  friend bool operator==(const LevelLoops&, const LevelLoops&) = default;
};

struct Mapping {
  std::vector<LevelLoops> levels;  // one per accelerator memory level, outermost first
  DimFactors spatial_rows = kUnitFactors;
  DimFactors spatial_cols = kUnitFactors;
  LevelLoops pe;  // temporal loops inside each PE, innermost
  // Operands each PE keeps in its registers across its loops (ifmap, filter, ofmap); the others
  // pass through (a systolic array keeps only its stationary operand).
  std::array<bool, 3> pe_keeps{true, true, true};
  friend bool operator==(const Mapping&, const Mapping&) = default;
};

// The size of each dimension of one group of `layer` (C and M per group; groups run in turn).
[[nodiscard]] DimFactors problem_bounds(const workloads::LayerShape& s);

// Product of a dimension's factors over all loops of the mapping.
[[nodiscard]] std::int64_t coverage(const Mapping& m, Dim d);

}  // namespace loom::dataflow
