// SPDX-License-Identifier: Apache-2.0
// Transformer graphs built here through the onnx protobuf API, node by node as PyTorch exports
// them (opset 14; the ViT-style graph at 17 for LayerNormalization): nn.MultiheadAttention's
// packed in-projection on the sequence-first view, heads folded into the batch ([B·h, L, dh]),
// Q·Kᵀ and A·V as batched MatMuls of two activations, LayerNorm as ReduceMean/Sub/Pow/Sqrt/Div,
// GELU via Erf, and torchvision ViT's class token expanded through Shape/ConstantOfShape/Equal/
// Where/Expand and concatenated. Expected MACs per kind are derived here from the dimensions:
// weight GEMMs L·d·3d + L·d·d + 2·L·d·f, act_matmuls 2·h·L·L·dh.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "onnx/onnx_builder.hpp"
#include "onnx/onnx_import.hpp"
#include "workloads/network.hpp"

using namespace loom;
using loom::test::OnnxBuilder;
using workloads::OpKind;

namespace {

using Dims = std::vector<std::int64_t>;

workloads::Network import_model(const OnnxBuilder& b) {
  auto net = loom::onnx::parse_onnx(b.bytes(), "transformer.onnx");
  const auto back = workloads::parse_workload_yaml(workloads::to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
  return net;
}

std::map<OpKind, std::int64_t> macs_by_kind(const workloads::Network& net) {
  std::map<OpKind, std::int64_t> out;
  for (const auto& l : net.layers)
    if (workloads::does_macs(l.op)) out[l.op] += l.macs();
  return out;
}

std::int64_t count(const workloads::Network& net, OpKind op) {
  return std::count_if(net.layers.begin(), net.layers.end(),
                       [&](const workloads::Layer& l) { return l.op == op; });
}

void perm(::onnx::NodeProto& n, const Dims& p) { OnnxBuilder::attr(n, "perm", p); }

// Builds an encoder's pieces on one OnnxBuilder; tensor names are prefixed by `p`.
struct Encoder {
  OnnxBuilder& b;
  std::int64_t L, d, h, f;

  // F.layer_norm at opset 14: (x − mean) / sqrt(var + eps) · γ + β over the last axis.
  std::string layer_norm(const std::string& p, const std::string& x) {
    b.weights(p + ".gamma", {d});
    b.weights(p + ".beta", {d});
    b.floats(p + ".two", {}, {2.0F});
    b.floats(p + ".eps", {}, {1e-5F});
    OnnxBuilder::attr(b.node("ReduceMean", {x}, {p + ".mean"}), "axes", Dims{-1});
    b.node("Sub", {x, p + ".mean"}, {p + ".centred"});
    b.node("Pow", {p + ".centred", p + ".two"}, {p + ".sq"});
    OnnxBuilder::attr(b.node("ReduceMean", {p + ".sq"}, {p + ".var"}), "axes", Dims{-1});
    b.node("Add", {p + ".var", p + ".eps"}, {p + ".var_eps"});
    b.node("Sqrt", {p + ".var_eps"}, {p + ".std"});
    b.node("Div", {p + ".centred", p + ".std"}, {p + ".normed"});
    b.node("Mul", {p + ".normed", p + ".gamma"}, {p + ".scaled"});
    b.node("Add", {p + ".scaled", p + ".beta"}, {p});
    return p;
  }

  // nn.MultiheadAttention(batch_first=True) on x [1, L, d].
  std::string attention(const std::string& p, const std::string& x) {
    const std::int64_t dh = d / h;
    perm(b.node("Transpose", {x}, {p + ".xt"}), {1, 0, 2});  // [L, 1, d]
    b.weights(p + ".in_proj_t", {d, 3 * d});
    b.weights(p + ".in_bias", {3 * d});
    b.node("MatMul", {p + ".xt", p + ".in_proj_t"}, {p + ".qkv_mm"}, p + ".in_proj");
    b.node("Add", {p + ".qkv_mm", p + ".in_bias"}, {p + ".qkv"});
    b.ints(p + ".split", {d, d, d});
    OnnxBuilder::attr(b.node("Split", {p + ".qkv", p + ".split"}, {p + ".q", p + ".k", p + ".v"}),
                      "axis", std::int64_t{-1});
    b.ints(p + ".heads_shape", {L, h, dh});  // [L, B·h, dh] at B = 1
    for (const char* t : {".q", ".k", ".v"}) {
      b.node("Reshape", {p + t, p + ".heads_shape"}, {p + t + "_h"});
      perm(b.node("Transpose", {p + t + "_h"}, {p + t + "_bh"}), {1, 0, 2});  // [h, L, dh]
    }
    b.floats(p + ".scale", {}, {8.0F});
    b.node("Div", {p + ".q_bh", p + ".scale"}, {p + ".q_scaled"});
    perm(b.node("Transpose", {p + ".k_bh"}, {p + ".kt"}), {0, 2, 1});  // [h, dh, L]
    b.node("MatMul", {p + ".q_scaled", p + ".kt"}, {p + ".scores"}, p + ".qk");
    OnnxBuilder::attr(b.node("Softmax", {p + ".scores"}, {p + ".attn"}), "axis", std::int64_t{-1});
    b.node("MatMul", {p + ".attn", p + ".v_bh"}, {p + ".ctx"}, p + ".av");
    perm(b.node("Transpose", {p + ".ctx"}, {p + ".ctx_t"}), {1, 0, 2});  // [L, h, dh]
    b.ints(p + ".flat_shape", {L, d});
    b.node("Reshape", {p + ".ctx_t", p + ".flat_shape"}, {p + ".ctx_flat"});
    b.weights(p + ".out_w", {d, d});
    b.weights(p + ".out_b", {d});
    OnnxBuilder::attr(
        b.node("Gemm", {p + ".ctx_flat", p + ".out_w", p + ".out_b"}, {p + ".o"}, p + ".out_proj"),
        "transB", std::int64_t{1});
    b.ints(p + ".seq_shape", {L, 1, d});
    b.node("Reshape", {p + ".o", p + ".seq_shape"}, {p + ".o_seq"});
    perm(b.node("Transpose", {p + ".o_seq"}, {p}), {1, 0, 2});  // [1, L, d]
    return p;
  }

  // Linear → GELU (x · ½ · (1 + erf(x / √2))) → Linear.
  std::string mlp(const std::string& p, const std::string& x) {
    b.weights(p + ".w1", {d, f});
    b.weights(p + ".w2", {f, d});
    b.floats(p + ".sqrt2", {}, {1.4142135F});
    b.floats(p + ".one", {}, {1.0F});
    b.floats(p + ".half", {}, {0.5F});
    b.node("MatMul", {x, p + ".w1"}, {p + ".h"}, p + ".fc1");
    b.node("Div", {p + ".h", p + ".sqrt2"}, {p + ".hs"});
    b.node("Erf", {p + ".hs"}, {p + ".erf"});
    b.node("Add", {p + ".erf", p + ".one"}, {p + ".erf1"});
    b.node("Mul", {p + ".h", p + ".erf1"}, {p + ".gx"});
    b.node("Mul", {p + ".gx", p + ".half"}, {p + ".gelu"});
    b.node("MatMul", {p + ".gelu", p + ".w2"}, {p}, p + ".fc2");
    return p;
  }

  // Weight-GEMM and act_matmul MACs of one layer.
  [[nodiscard]] std::int64_t gemm_macs() const { return L * (3 * d * d + d * d + 2 * d * f); }
  [[nodiscard]] std::int64_t act_macs() const { return 2 * h * L * L * (d / h); }
};

}  // namespace

TEST_CASE("onnx nn.TransformerEncoderLayer export: exact MACs per kind, attention as act_matmul") {
  OnnxBuilder b(14);
  Encoder e{b, 8, 16, 2, 32};
  b.input("x", {1, 8, 16});
  // Post-norm (norm_first=False): LN(x + attn(x)), then LN(y + mlp(y)).
  const auto a = e.attention("attn", "x");
  b.node("Add", {"x", a}, {"res1"});
  const auto n1 = e.layer_norm("norm1", "res1");
  const auto m = e.mlp("ffn", n1);
  b.node("Add", {n1, m}, {"res2"});
  e.layer_norm("norm2", "res2");
  b.output("norm2");
  const auto net = import_model(b);
  const auto by_kind = macs_by_kind(net);
  CHECK(by_kind.at(OpKind::gemm) == e.gemm_macs());
  CHECK(by_kind.at(OpKind::act_matmul) == e.act_macs());
  CHECK(by_kind.size() == 2);
  CHECK(net.macs() == 8 * 16 * 48 + 8 * 16 * 16 + 2 * 8 * 16 * 32 + 2 * 2 * 8 * 8 * 8);
  for (const auto& l : net.layers) {
    INFO(l.name);
    if (l.op == OpKind::act_matmul) {
      CHECK(l.shape.groups == 2);  // heads
      CHECK(l.shape.P == 8);       // rows: the sequence
      CHECK(l.inputs.size() == 2);
      CHECK(l.precision.weight_bits == 0);
    }
    if (l.op == OpKind::gemm) CHECK(l.shape.P == 8);  // one row per token
  }
  const auto qk = std::find_if(net.layers.begin(), net.layers.end(),
                               [](const workloads::Layer& l) { return l.name == "attn.qk"; });
  REQUIRE(qk != net.layers.end());
  CHECK(qk->shape.C == 2 * 8);                   // heads · dh
  CHECK(qk->shape.M == 2 * 8);                   // heads · L
  CHECK(qk->shape.weight_elems() == 2 * 8 * 8);  // Kᵀ: dh × L per head
  CHECK(count(net, OpKind::softmax) == 1);
  CHECK(count(net, OpKind::reduce_mean) == 4);
  CHECK(count(net, OpKind::activation) == 5);  // each norm's Pow and Sqrt, GELU's Erf
}

TEST_CASE("onnx tiny ViT: patch conv, expanded class token, LayerNormalization, class head") {
  OnnxBuilder b(17);
  Encoder e{b, 17, 16, 2, 32};
  b.input("img", {1, 3, 32, 32});
  b.weights("patch_w", {16, 3, 8, 8});
  auto& conv = b.node("Conv", {"img", "patch_w"}, {"patches"}, "conv_proj");
  OnnxBuilder::attr(conv, "kernel_shape", Dims{8, 8});
  OnnxBuilder::attr(conv, "strides", Dims{8, 8});
  b.ints("flat", {1, 16, 16});
  b.node("Reshape", {"patches", "flat"}, {"p_flat"});
  perm(b.node("Transpose", {"p_flat"}, {"tokens"}), {0, 2, 1});  // [1, 16 patches, 16]
  // class_token.expand(n, -1, -1), as torch exports it.
  b.weights("class_token", {1, 1, 16});
  b.node("Shape", {"img"}, {"img_shape"});
  b.ints("zero", {0}, true);
  OnnxBuilder::attr(b.node("Gather", {"img_shape", "zero"}, {"n"}), "axis", std::int64_t{0});
  b.ints("axes0", {0});
  b.node("Unsqueeze", {"n", "axes0"}, {"n1"});
  b.ints("minus", {-1, -1});
  OnnxBuilder::attr(b.node("Concat", {"n1", "minus"}, {"target"}), "axis", std::int64_t{0});
  b.node("Shape", {"target"}, {"target_len"});
  auto& ones = b.node("ConstantOfShape", {"target_len"}, {"ones"});
  {
    auto* a = ones.add_attribute();
    a->set_name("value");
    a->set_type(::onnx::AttributeProto::TENSOR);
    auto* t = a->mutable_t();
    t->set_data_type(::onnx::TensorProto::INT64);
    t->add_dims(1);
    t->add_int64_data(1);
  }
  b.ints("minus_one", {-1}, true);
  b.node("Mul", {"ones", "minus_one"}, {"neg"});
  b.node("Equal", {"target", "neg"}, {"keep"});
  b.node("Where", {"keep", "ones", "target"}, {"expand_to"});
  b.node("Expand", {"class_token", "expand_to"}, {"cls"});
  OnnxBuilder::attr(b.node("Concat", {"cls", "tokens"}, {"seq"}, "class_concat"), "axis",
                    std::int64_t{1});
  b.weights("pos", {1, 17, 16});
  b.node("Add", {"seq", "pos"}, {"x0"});
  // One pre-norm block (torchvision's EncoderBlock), opset 17's LayerNormalization.
  b.weights("ln_g", {16});
  b.weights("ln_b", {16});
  b.node("LayerNormalization", {"x0", "ln_g", "ln_b"}, {"ln1"}, "ln_1");
  const auto a = e.attention("attn", "ln1");
  b.node("Add", {a, "x0"}, {"res1"});
  b.node("LayerNormalization", {"res1", "ln_g", "ln_b"}, {"ln2"}, "ln_2");
  const auto m = e.mlp("mlp", "ln2");
  b.node("Add", {m, "res1"}, {"res2"});
  b.node("LayerNormalization", {"res2", "ln_g", "ln_b"}, {"enc"}, "encoder_ln");
  b.ints("first", {0}, true);
  OnnxBuilder::attr(b.node("Gather", {"enc", "first"}, {"cls_out"}, "class_row"), "axis",
                    std::int64_t{1});
  b.weights("head_w", {10, 16});
  OnnxBuilder::attr(b.node("Gemm", {"cls_out", "head_w"}, {"logits"}, "head"), "transB",
                    std::int64_t{1});
  b.output("logits");
  const auto net = import_model(b);
  const auto by_kind = macs_by_kind(net);
  const std::int64_t conv_macs = 16 * 4 * 4 * 3 * 8 * 8;
  CHECK(by_kind.at(OpKind::conv) == conv_macs);
  CHECK(by_kind.at(OpKind::gemm) == e.gemm_macs());
  CHECK(by_kind.at(OpKind::act_matmul) == e.act_macs());
  CHECK(by_kind.at(OpKind::fc) == 16 * 10);  // the head, on the class token only
  CHECK(net.macs() ==
        conv_macs + 17 * 16 * 48 + 2 * 2 * 17 * 17 * 8 + 17 * 16 * 16 + 2 * 17 * 16 * 32 + 160);
  CHECK(count(net, OpKind::layernorm) == 3);
  CHECK(count(net, OpKind::concat) == 1);  // the class token is a constant operand
  const auto cat = std::find_if(net.layers.begin(), net.layers.end(),
                                [](const workloads::Layer& l) { return l.name == "class_concat"; });
  REQUIRE(cat != net.layers.end());
  CHECK(cat->inputs.size() == 1);
}
