// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the simulator suites: a systolic accelerator whose one SRAM holds any tile, so the
// tests exercise the array rather than buffer limits; square conv layers of any kind.
#include <random>
#include <utility>
#include <vector>

#include "arch/accelerator.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "workloads/layer.hpp"

namespace loom_test {

inline loom::arch::Accelerator systolic_acc(std::int64_t ar, std::int64_t ac,
                                            loom::arch::Dataflow df) {
  loom::arch::Accelerator acc;
  acc.name = "t";
  acc.array.rows = ar;
  acc.array.cols = ac;
  acc.dataflow = df;
  acc.levels = {{.name = "dram", .kind = loom::arch::LevelKind::dram},
                {.name = "sram", .kind = loom::arch::LevelKind::sram, .size_bytes = 64 << 20}};
  return acc;
}

// An N x C x H x H ifmap through M filters of R x R (stride, padding, dilation, groups).
inline loom::workloads::Layer conv(std::int64_t N, std::int64_t C, std::int64_t M, std::int64_t H,
                                   std::int64_t R, std::int64_t stride, std::int64_t pad,
                                   std::int64_t dil, std::int64_t groups) {
  loom::workloads::Layer l;
  l.name = "t";
  auto& s = l.shape;
  s.N = N, s.C = C, s.M = M, s.H = s.W = H, s.R = s.S = R;
  s.stride_h = s.stride_w = stride;
  s.pad_h = s.pad_w = pad;
  s.dilation_h = s.dilation_w = dil;
  s.groups = groups;
  s.P = s.Q = loom::workloads::conv_output_size(H, R, stride, pad, dil);
  if (groups == C && groups == M) l.op = loom::workloads::OpKind::depthwise;
  return l;
}

// Up to `count` legal mappings of `layer` on the spatial array `acc`, each with its evaluation:
// uniformly random genes, at most 400 draws.
inline std::vector<std::pair<loom::dataflow::Mapping, loom::dataflow::MappingEvaluation>>
random_legal_spatial_mappings(const loom::workloads::Layer& layer,
                              const loom::arch::Accelerator& acc,
                              const loom::dataflow::ResolvedPrecision& p, int count,
                              std::mt19937_64& rng) {
  const loom::dataflow::SpatialMapSpace space(layer, acc, p);
  std::vector<std::pair<loom::dataflow::Mapping, loom::dataflow::MappingEvaluation>> out;
  for (int attempt = 0; attempt < 400 && static_cast<int>(out.size()) < count; ++attempt) {
    std::vector<std::uint32_t> g;
    for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    auto m = space.decode(g);
    auto ev = loom::dataflow::evaluate_spatial_mapping(layer, acc, m, p);
    if (ev.valid) out.emplace_back(std::move(m), std::move(ev));
  }
  return out;
}

}  // namespace loom_test
