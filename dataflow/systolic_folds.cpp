// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_folds.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "dataflow/systolic_axes.hpp"
#include "dataflow/systolic_mapping.hpp"

namespace loom::dataflow {
namespace {

int at(Dim d) { return static_cast<int>(d); }

}  // namespace

std::vector<Fold> folds_of_mapping(const workloads::Layer& layer, const arch::Accelerator& acc,
                                   const Mapping& m) {
  const auto gemm = gemm_view(layer);
  const auto bounds = problem_bounds(gemm.shape);
  const SystolicAxes ax = systolic_axes(acc.dataflow);
  if (m.levels.size() != acc.levels.size())
    throw Error("layer '" + layer.name + "': the mapping has " + std::to_string(m.levels.size()) +
                " levels, the accelerator " + std::to_string(acc.levels.size()));
  for (int d = 0; d < kDims; ++d) {
    const bool on_array = d == at(ax.row) || d == at(ax.col);
    if ((!on_array && (m.spatial_rows[d] > 1 || m.spatial_cols[d] > 1)) ||
        (d != at(ax.time) && m.pe.factors[d] > 1) || m.spatial_cols[at(ax.row)] > 1 ||
        m.spatial_rows[at(ax.col)] > 1)
      throw Error("layer '" + layer.name + "': the simulator runs " +
                  std::string(arch::dataflow_info(acc.dataflow).name) +
                  " mappings with the row and column GEMM dimensions on the array and the time "
                  "dimension in the PEs only");
  }
  // The loops above the array, outermost first, and each one's stride within its dimension.
  struct Loop {
    int dim;
    std::int64_t bound, stride = 1;
  };
  std::vector<Loop> loops;
  for (const auto& level : m.levels)
    for (Dim d : level.order)
      if (level.factors[at(d)] > 1) loops.push_back({at(d), level.factors[at(d)]});
  for (std::size_t i = 0; i < loops.size(); ++i)
    for (std::size_t j = i + 1; j < loops.size(); ++j)
      if (loops[j].dim == loops[i].dim) loops[i].stride *= loops[j].bound;
  DimFactors unit{};
  for (int d = 0; d < kDims; ++d)
    unit[d] = m.spatial_rows[d] * m.spatial_cols[d] * m.pe.factors[d];

  std::vector<Fold> folds;
  std::vector<std::int64_t> idx(loops.size(), 0);
  DimFactors previous{};
  bool changed = false;  // the row or column tile moved since the last fold issued
  while (true) {
    DimFactors tile{};
    for (std::size_t i = 0; i < loops.size(); ++i)
      tile[loops[i].dim] += idx[i] * loops[i].stride;
    changed = changed || tile[at(ax.row)] != previous[at(ax.row)] ||
              tile[at(ax.col)] != previous[at(ax.col)];
    previous = tile;
    bool empty = false;
    for (int d = 0; d < kDims; ++d) empty = empty || tile[d] * unit[d] >= bounds[d];
    if (!empty) {
      const auto span = [&](Dim d, std::int64_t& start, std::int64_t& size) {
        start = tile[at(d)] * unit[at(d)];
        size = std::min(unit[at(d)], bounds[at(d)] - start);
      };
      Fold f;
      span(ax.row, f.row0, f.rows);
      span(ax.col, f.col0, f.cols);
      span(ax.time, f.t0, f.steps);
      f.new_tile = changed;
      changed = false;
      folds.push_back(f);
    }
    std::size_t k = loops.size();
    while (k-- > 0) {
      if (++idx[k] < loops[k].bound) break;
      idx[k] = 0;
    }
    if (k == static_cast<std::size_t>(-1)) break;
  }
  return folds;
}

bool keeps_tile(const Fold& prev, const Fold& f, bool outputs_stay) {
  if (f.new_tile || prev.group != f.group || prev.row0 != f.row0 || prev.rows != f.rows ||
      prev.col0 != f.col0 || prev.cols != f.cols)
    return false;
  return !outputs_stay || f.t0 == prev.t0 + prev.steps;
}

std::vector<Fold> layer_folds(const workloads::Layer& layer, const arch::Accelerator& acc,
                              const Mapping& m) {
  const auto per_group = folds_of_mapping(layer, acc, m);
  std::vector<Fold> folds;
  folds.reserve(per_group.size() * static_cast<std::size_t>(layer.shape.groups));
  for (std::int64_t g = 0; g < layer.shape.groups; ++g)
    for (Fold f : per_group) {
      f.group = g;
      folds.push_back(f);
    }
  return folds;
}

}  // namespace loom::dataflow
