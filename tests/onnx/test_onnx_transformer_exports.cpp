// SPDX-License-Identifier: Apache-2.0
// Real PyTorch exports of transformers (tests/data/onnx/make_transformer_exports.py, torch 1.13.1,
// torchvision 0.14.1, opset 14): torchvision's VisionTransformer class at small dimensions and an
// nn.TransformerEncoder, batch-first and sequence-first, without and with attention masks. The
// expected MACs per operator kind are computed here from the dimensions the script used, not read
// back from Loom: patch conv M·P·Q·C·R·S, per layer the packed QKV projection L·d·3d, Q·Kᵀ and A·V
// h·L·L·dh each (act_matmul), the output projection L·d·d and the MLP 2·L·d·f, and ViT's head
// d·classes on the class token alone.
#include <catch2/catch.hpp>
#include <map>

#include "layers_by_name.hpp"
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

namespace {

// The MAC checks every export of the 2-layer encoder (L 16, d 64, 4 heads, FFN 128) passes,
// whatever its layout and masks: the formulas' MACs per kind, and heads as the act_matmuls'
// groups.
void check_encoder_macs(const workloads::Network& net) {
  const EncoderDims e{16, 64, 4, 128};
  const std::int64_t layers = 2;
  const auto k = by_kind(net);
  CHECK(k.macs.at(OpKind::gemm) == layers * e.gemm_macs());
  CHECK(k.macs.at(OpKind::act_matmul) == layers * e.act_macs());
  CHECK(k.macs.size() == 2);
  CHECK(net.macs() == 1'114'112);
  CHECK(k.layers.at(OpKind::act_matmul) == 2 * layers);
  CHECK(k.layers.at(OpKind::gemm) == 4 * layers);
  CHECK(k.layers.at(OpKind::softmax) == layers);
  for (const auto& l : net.layers)
    if (l.op == OpKind::act_matmul) {
      INFO(l.name);
      CHECK(l.shape.groups == e.h);
      CHECK(l.macs() == e.act_macs() / 2);
    }
  check_round_trip(net);
}

std::int64_t elements(const workloads::Layer& l) {
  return l.shape.N * l.shape.C * l.shape.H * l.shape.W;
}

}  // namespace

TEST_CASE("PyTorch nn.TransformerEncoder export, sequence-first: the batch_first export's layers") {
  // batch_first=False (PyTorch's default): the input is [L, B, d] = [16, 1, 64], so the batch is
  // its second dimension, not its first.
  const auto net = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/encoder_2l_seqfirst_pt.onnx");
  check_encoder_macs(net);
  CHECK(net.batch == 1);
  // Layer for layer what the batch_first export of the same encoder imports as, except the
  // transposes batch_first adds around each attention (to [L, B, d] and back).
  const auto bf = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/encoder_2l_pt.onnx");
  auto other = loom::test::by_name(bf);
  int compared = 0;
  for (const auto& l : net.layers) {
    if (l.op == OpKind::transpose || !other.contains(l.name)) continue;
    INFO(l.name);
    CHECK(l.op == other[l.name].op);
    CHECK(l.shape == other[l.name].shape);
    ++compared;
  }
  CHECK(compared == static_cast<int>(net.layers.size()) - 8);  // 4 transposes per layer
  // Every element of [L, B, d] counts: a residual add holds L·d values, not d.
  for (const auto& l : net.layers)
    if (l.name == "/layers.0/Add") CHECK(elements(l) == 16 * 64);
}

TEST_CASE("encoder exports with attention masks import with the unmasked MACs") {
  const auto plain = by_kind(loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/encoder_2l_pt.onnx"));
  const std::int64_t mask_elems = 4 * 16 * 16;  // heads × L × L scores per image
  SECTION("constant causal mask (Trilu, folded) and a bool padding-mask input") {
    const auto net = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/encoder_2l_masks_pt.onnx");
    check_encoder_macs(net);
    const auto k = by_kind(net);
    // Per layer: one Where picks -inf or the causal mask by the padding mask, and the scores
    // are scaled and the mask added (baddbmm): two muls and an add more than without masks.
    CHECK(k.layers.at(OpKind::where) == 2);
    CHECK_FALSE(k.layers.contains(OpKind::logical));
    CHECK(k.layers.at(OpKind::add) == plain.layers.at(OpKind::add) + 2);
    CHECK(k.layers.at(OpKind::mul) == plain.layers.at(OpKind::mul) + 4);
    for (const auto& l : net.layers)
      if (l.op == OpKind::where) {
        INFO(l.name);
        CHECK(elements(l) == mask_elems);
        CHECK(l.inputs.size() == 1);  // the padding mask's view; the causal mask is a constant
      }
  }
  SECTION("bool causal-mask and padding-mask inputs (Or, Where)") {
    const auto net = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/encoder_2l_boolmasks_pt.onnx");
    check_encoder_macs(net);
    const auto k = by_kind(net);
    CHECK(k.layers.at(OpKind::logical) == 2);  // causal OR padding, per layer
    CHECK(k.layers.at(OpKind::where) == 2);
    for (const auto& l : net.layers)
      if (l.op == OpKind::where || l.op == OpKind::logical) {
        INFO(l.name);
        CHECK(elements(l) == mask_elems);
      }
  }
  SECTION("a float causal-mask input, added to the scores") {
    // The [16, 16] mask input is not a batch of 16 rows: the projections stay GEMMs of 16 rows
    // per image (check_encoder_macs counts them as gemm, not fc).
    const auto net = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/encoder_2l_floatmask_pt.onnx");
    check_encoder_macs(net);
    const auto k = by_kind(net);
    CHECK_FALSE(k.layers.contains(OpKind::where));
    CHECK(k.layers.at(OpKind::add) == plain.layers.at(OpKind::add) + 2);
    // The mask input's view (the one layer reading no other layer) is scaled and added to each
    // layer's scores.
    auto layers = loom::test::by_name(net);
    std::string mask_view;
    for (const auto& l : net.layers)
      if (l.op == OpKind::reshape && l.inputs.empty()) mask_view = l.name;
    REQUIRE_FALSE(mask_view.empty());
    CHECK(elements(layers[mask_view]) == 16 * 16);
    int mask_adds = 0;
    for (const auto& l : net.layers)
      for (const auto& i : l.inputs)
        if (l.op == OpKind::add && layers[i].inputs == std::vector<std::string>{mask_view}) {
          CHECK(elements(l) == mask_elems);
          ++mask_adds;
        }
    CHECK(mask_adds == 2);
  }
}
