// SPDX-License-Identifier: Apache-2.0
#include "dataflow/systolic_mapping.hpp"

#include "dataflow/systolic_mapspace.hpp"

namespace loom::dataflow {
workloads::LayerShape gemm_shape(const workloads::LayerShape& s) {
  workloads::LayerShape g;
  g.groups = s.groups;
  g.M = s.M;
  g.C = s.C * s.R * s.S;  // K per group = (C / groups)·R·S
  g.P = g.H = s.N * s.P * s.Q;
  return g;
}

workloads::Layer gemm_model(const workloads::Layer& layer) {
  workloads::Layer g;
  g.op = workloads::OpKind::gemm;
  g.shape = gemm_shape(layer.shape);
  g.precision = layer.precision;
  g.density = layer.density;
  return g;
}

workloads::Layer gemm_view(const workloads::Layer& layer) {
  workloads::Layer g = layer;
  g.op = workloads::OpKind::gemm;
  g.shape = gemm_shape(layer.shape);
  return g;
}

Mapping scalesim_mapping(const workloads::Layer& gemm, const arch::Accelerator& acc) {
  const SystolicMapSpace space(gemm, acc);  // gemm_view is idempotent
  return space.decode(space.scalesim_genes());
}

}  // namespace loom::dataflow
