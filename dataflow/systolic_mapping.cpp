// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_mapping.hpp"

namespace loom::dataflow {
namespace {

constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

workloads::Layer gemm_view(const workloads::Layer& layer) {
  const auto& s = layer.shape;
  workloads::Layer g = layer;
  g.op = workloads::OpKind::gemm;
  g.shape = workloads::LayerShape{};
  g.shape.groups = s.groups;
  g.shape.M = s.M;
  g.shape.C = s.C * s.R * s.S;  // K per group = (C / groups)·R·S
  g.shape.P = g.shape.H = s.N * s.P * s.Q;
  return g;
}

Mapping scalesim_mapping(const workloads::Layer& gemm, const arch::Accelerator& acc) {
  const DimFactors b = problem_bounds(gemm.shape);
  const std::int64_t ar = acc.array.rows;
  const std::int64_t ac = acc.array.cols;
  Dim row = Dim::P, col = Dim::M, time = Dim::C;
  int kept = 2;  // os keeps the output
  if (acc.dataflow == arch::Dataflow::ws) row = Dim::C, col = Dim::M, time = Dim::P, kept = 1;
  if (acc.dataflow == arch::Dataflow::is) row = Dim::C, col = Dim::P, time = Dim::M, kept = 0;
  const auto idx = [](Dim d) { return static_cast<int>(d); };
  Mapping m;
  m.levels.resize(acc.levels.size());
  LevelLoops& folds = m.levels.back();
  folds.factors[idx(row)] = ceil_div(b[idx(row)], ar);
  folds.factors[idx(col)] = ceil_div(b[idx(col)], ac);
  folds.order = {row, col, Dim::N, Dim::Q, Dim::R, Dim::S, time};
  if (row == Dim::C && col == Dim::M) folds.order = {Dim::C, Dim::M, Dim::N, Dim::P, Dim::Q, Dim::R, Dim::S};
  if (row == Dim::C && col == Dim::P) folds.order = {Dim::C, Dim::P, Dim::N, Dim::M, Dim::Q, Dim::R, Dim::S};
  if (row == Dim::P) folds.order = {Dim::P, Dim::M, Dim::N, Dim::C, Dim::Q, Dim::R, Dim::S};
  m.spatial_rows[idx(row)] = std::min(ar, b[idx(row)]);
  m.spatial_cols[idx(col)] = std::min(ac, b[idx(col)]);
  m.pe.factors[idx(time)] = b[idx(time)];
  m.pe_keeps = {kept == 0, kept == 1, kept == 2};
  return m;
}

}  // namespace loom::dataflow
