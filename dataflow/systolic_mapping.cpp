// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_mapping.hpp"

#include "dataflow/systolic_mapspace.hpp"

namespace loom::dataflow {
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
  const SystolicMapSpace space(gemm, acc);  // gemm_view is idempotent
  return space.decode(space.scalesim_genes());
}

}  // namespace loom::dataflow
