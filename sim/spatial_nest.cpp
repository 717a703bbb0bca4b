// SPDX-License-Identifier: Apache-2.0
#include "sim/spatial_nest.hpp"

#include <algorithm>
#include <array>

#include "arch/access_counts.hpp"

namespace loom::sim {

using dataflow::Dim;

SpatialNest spatial_nest(const dataflow::Mapping& m, const arch::Accelerator& acc) {
  SpatialNest n;
  const auto push = [&](Dim d, std::int64_t bound, int level) {
    if (bound > 1) n.loops.push_back({d, bound, level, 1});
  };
  bool spatial_done = false;
  const auto push_spatial = [&] {
    n.spatial_start = static_cast<int>(n.loops.size());
    for (int d = 0; d < dataflow::kDims; ++d)
      push(static_cast<Dim>(d), m.spatial_rows[d], kSpatialLoop);
    for (int d = 0; d < dataflow::kDims; ++d)
      push(static_cast<Dim>(d), m.spatial_cols[d], kSpatialLoop);
    n.spatial_end = static_cast<int>(n.loops.size());
    spatial_done = true;
  };
  n.level_start.resize(m.levels.size());
  for (std::size_t l = 0; l < m.levels.size(); ++l) {
    if (acc.levels[l].per_pe && !spatial_done) push_spatial();
    n.level_start[l] = static_cast<int>(n.loops.size());
    for (Dim d : m.levels[l].order)
      push(d, m.levels[l].factors[static_cast<int>(d)], static_cast<int>(l));
  }
  if (!spatial_done) push_spatial();
  for (Dim d : m.pe.order) push(d, m.pe.factors[static_cast<int>(d)], kPeLoop);
  for (std::size_t i = 0; i < n.loops.size(); ++i)
    for (std::size_t j = i + 1; j < n.loops.size(); ++j)
      if (n.loops[j].dim == n.loops[i].dim) n.loops[i].stride *= n.loops[j].bound;
  return n;
}

std::int64_t operand_key(arch::Operand o, const Coord& c, const workloads::LayerShape& s) {
  const auto at = [&](Dim d) { return c[static_cast<int>(d)]; };
  const std::int64_t cg = s.C / s.groups, mg = s.M / s.groups;
  switch (o) {
    case arch::Operand::ifmap: {
      const std::int64_t h = at(Dim::P) * s.stride_h - s.pad_h + at(Dim::R) * s.dilation_h;
      const std::int64_t w = at(Dim::Q) * s.stride_w - s.pad_w + at(Dim::S) * s.dilation_w;
      if (h < 0 || h >= s.H || w < 0 || w >= s.W) return -1;
      return ((at(Dim::N) * cg + at(Dim::C)) * s.H + h) * s.W + w;
    }
    case arch::Operand::filter:
      return ((at(Dim::M) * cg + at(Dim::C)) * s.R + at(Dim::R)) * s.S + at(Dim::S);
    case arch::Operand::ofmap:
      return ((at(Dim::N) * mg + at(Dim::M)) * s.P + at(Dim::P)) * s.Q + at(Dim::Q);
  }
  return -1;
}

void tile_elements(const SpatialNest& n, int from, const Coord& base, arch::Operand o,
                   const workloads::LayerShape& s, const dataflow::DimFactors& bounds,
                   std::vector<std::int64_t>& out) {
  out.clear();
  // Only the loops over dimensions that index the operand change which element a MAC uses; the
  // others would enumerate the same elements again (whether any MAC of theirs is inside the
  // layer is decided at their first iteration, the base coordinate).
  static constexpr std::array<std::array<bool, dataflow::kDims>, arch::kOperands> kIndexes{{
      {true, false, true, true, true, true, true},    // ifmap: N, C, P, Q, R, S
      {false, true, true, false, false, true, true},  // filter: M, C, R, S
      {true, true, false, true, true, false, false},  // ofmap: N, M, P, Q
  }};
  const auto& rel = kIndexes[static_cast<std::size_t>(o)];
  // A nest has at most one loop per dimension per level, spatial axis and the PE.
  constexpr std::size_t kMaxLoops = (arch::kMaxLevels + 3) * dataflow::kDims;
  std::array<const NestLoop*, kMaxLoops> loops{};
  int count = 0;
  for (std::size_t i = static_cast<std::size_t>(from); i < n.loops.size(); ++i)
    if (rel[static_cast<std::size_t>(n.loops[i].dim)])
      loops[static_cast<std::size_t>(count++)] = &n.loops[i];
  std::array<std::int64_t, kMaxLoops> idx{};
  Coord c = base;
  while (true) {
    if (inside(c, bounds))
      if (const std::int64_t k = operand_key(o, c, s); k >= 0) out.push_back(k);
    // Odometer over the inner loops, innermost fastest, moving the coordinate with it.
    int i = count;
    while (i-- > 0) {
      const NestLoop& l = *loops[static_cast<std::size_t>(i)];
      auto& v = idx[static_cast<std::size_t>(i)];
      const int d = static_cast<int>(l.dim);
      if (++v < l.bound) {
        c[d] += l.stride;
        break;
      }
      c[d] -= (l.bound - 1) * l.stride;
      v = 0;
    }
    if (i < 0) break;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace loom::sim
