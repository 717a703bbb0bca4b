// SPDX-License-Identifier: Apache-2.0
// Real PyTorch exports of transformers (tests/data/onnx/make_transformer_exports.py, torch 1.13.1,
// torchvision 0.14.1, opset 14): torchvision's VisionTransformer class at small dimensions and an
// nn.TransformerEncoder. The expected MACs per operator kind are computed here from the
// dimensions the script used, not read back from Loom: patch conv M·P·Q·C·R·S, per layer the
// packed QKV projection L·d·3d, Q·Kᵀ and A·V h·L·L·dh each (act_matmul), the output projection
// L·d·d and the MLP 2·L·d·f, and ViT's head d·classes on the class token alone.
#include <catch2/catch.hpp>
#include <map>

#include "onnx/onnx_import.hpp"
#include "workloads/network.hpp"

using namespace loom;
using workloads::OpKind;

namespace {

struct Kinds {
  std::map<OpKind, std::int64_t> macs, layers;
};

Kinds by_kind(const workloads::Network& net) {
  Kinds k;
  for (const auto& l : net.layers) {
    ++k.layers[l.op];
    if (workloads::does_macs(l.op)) k.macs[l.op] += l.macs();
  }
  return k;
}

// One encoder layer's weight-GEMM and act_matmul MACs at sequence L, width d, h heads, FFN f.
struct EncoderDims {
  std::int64_t L, d, h, f;
  [[nodiscard]] std::int64_t gemm_macs() const { return L * d * 3 * d + L * d * d + 2 * L * d * f; }
  [[nodiscard]] std::int64_t act_macs() const { return 2 * h * L * L * (d / h); }
};

void check_round_trip(const workloads::Network& net) {
  const auto back = workloads::parse_workload_yaml(workloads::to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
}

}  // namespace

TEST_CASE("torchvision VisionTransformer export (vit_b_16's graph, small dims): exact MACs") {
  const auto net = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/vit_tiny_tv.onnx");
  // image 32, patch 16 → 2×2 patches + class token = sequence 5; hidden 64, 2 heads, MLP 128.
  const EncoderDims e{5, 64, 2, 128};
  const std::int64_t layers = 2, classes = 10;
  const std::int64_t patch = 64 * 2 * 2 * 3 * 16 * 16;
  const auto k = by_kind(net);
  CHECK(k.macs.at(OpKind::conv) == patch);
  CHECK(k.macs.at(OpKind::gemm) == layers * e.gemm_macs());
  CHECK(k.macs.at(OpKind::act_matmul) == layers * e.act_macs());
  CHECK(k.macs.at(OpKind::fc) == e.d * classes);  // the class token only, not all 5 positions
  CHECK(k.macs.size() == 4);
  CHECK(net.macs() == 531'328);
  CHECK(net.macs() == patch + layers * (e.gemm_macs() + e.act_macs()) + e.d * classes);
  CHECK(k.layers.at(OpKind::act_matmul) == 2 * layers);
  CHECK(k.layers.at(OpKind::gemm) == 4 * layers);  // QKV, out projection, MLP fc1 and fc2
  // Non-MAC operators are recorded: a softmax per layer, two ReduceMeans per LayerNorm (two per
  // layer and the final one), the class token's concat and the slice that picks it for the head.
  CHECK(k.layers.at(OpKind::softmax) == layers);
  CHECK(k.layers.at(OpKind::reduce_mean) == 2 * (2 * layers + 1));
  CHECK(k.layers.at(OpKind::concat) == 1);
  CHECK(k.layers.at(OpKind::slice) >= 1);
  for (const auto& l : net.layers)
    if (l.op == OpKind::act_matmul) {
      INFO(l.name);
      CHECK(l.shape.groups == e.h);
      CHECK(l.inputs.size() == 2);
    }
  check_round_trip(net);
}

TEST_CASE("PyTorch nn.TransformerEncoder export (GELU, batch_first): exact MACs per kind") {
  const auto net = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/encoder_2l_pt.onnx");
  const EncoderDims e{16, 64, 4, 128};
  const std::int64_t layers = 2;
  const auto k = by_kind(net);
  CHECK(k.macs.at(OpKind::gemm) == layers * e.gemm_macs());
  CHECK(k.macs.at(OpKind::act_matmul) == layers * e.act_macs());
  CHECK(k.macs.size() == 2);
  CHECK(net.macs() == 1'114'112);
  CHECK(k.layers.at(OpKind::act_matmul) == 2 * layers);
  CHECK(k.layers.at(OpKind::gemm) == 4 * layers);
  // Post-norm: two LayerNorms per layer, each ReduceMean/Sub/Pow/Sqrt/Div (two ReduceMeans).
  CHECK(k.layers.at(OpKind::softmax) == layers);
  CHECK(k.layers.at(OpKind::reduce_mean) == 2 * 2 * layers);
  for (const auto& l : net.layers)
    if (l.op == OpKind::act_matmul) {
      INFO(l.name);
      CHECK(l.shape.groups == e.h);
      CHECK(l.macs() == e.act_macs() / 2);
    }
  check_round_trip(net);
}
