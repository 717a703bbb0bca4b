// SPDX-License-Identifier: Apache-2.0
// Transformers as workloads: the act_matmul kind (a product of two activations) and the zoo's
// vit_b_16 and bert_base and the 4-layer test encoder, against MAC counts computed here by
// formula from the published dimensions, per operator kind.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "common/error_of.hpp"
#include "core/error.hpp"
#include "workloads/graph.hpp"
#include "workloads/network.hpp"
#include "workloads/transforms.hpp"

using namespace loom::workloads;

namespace {

std::string error_of(const std::string& yaml) {
  return ::error_of([&] { (void)parse_workload_yaml(yaml, "w.yaml"); });
}

// MACs per operator kind, and separately the act_matmuls' and the weight GEMMs'.
std::map<OpKind, std::int64_t> macs_by_kind(const Network& net) {
  std::map<OpKind, std::int64_t> out;
  for (const auto& l : net.layers)
    if (does_macs(l.op)) out[l.op] += l.macs();
  return out;
}

std::int64_t count(const Network& net, OpKind op) {
  std::int64_t n = 0;
  for (const auto& l : net.layers) n += l.op == op ? 1 : 0;
  return n;
}

// An encoder layer's MACs by kind at sequence L, width d, h heads, FFN f: the QKV, output and
// FFN projections are weight GEMMs (3d² + d² + 2df per token); Q·Kᵀ and A·V are L·L·d each.
struct EncoderMacs {
  std::int64_t gemm, act_matmul;
};
EncoderMacs encoder_layer_macs(std::int64_t L, std::int64_t d, std::int64_t f) {
  return {L * (3 * d * d + d * d + 2 * d * f), 2 * L * L * d};
}

}  // namespace

TEST_CASE("an act_matmul is heads independent products of two activations, heads as groups") {
  const auto net = parse_workload_yaml(R"(name: t
layers:
  - {name: q, op: gemm, inputs: [], gemm: [10, 24, 16]}
  - {name: k, op: gemm, inputs: [], gemm: [10, 24, 16]}
  - {name: qk, op: act_matmul, inputs: [q, k], gemm: [10, 10, 8], heads: 3,
     precision: {activation_bits: 6}, ifmap_density: 0.5}
)",
                                       "t.yaml");
  const Layer& l = net.layers[2];
  CHECK(l.op == OpKind::act_matmul);
  CHECK(l.inputs == std::vector<std::string>{"q", "k"});
  CHECK(l.shape.groups == 3);
  CHECK(l.shape.C == 24);  // heads · K: what q writes
  CHECK(l.shape.M == 30);  // heads · N
  CHECK(l.shape.P == 10);
  CHECK(l.macs() == 3 * 10 * 10 * 8);
  CHECK(l.shape.weight_elems() == 3 * 10 * 8);  // the second operand: every head's K×N
  CHECK(l.shape.ifmap_elems() == 3 * 10 * 8);
  CHECK(l.shape.ofmap_elems() == 3 * 10 * 10);
  CHECK(l.precision.weight_bits == 0);
  CHECK(l.filter_density() == 0.5);  // an activation density, shared with the first operand
  CHECK_FALSE(has_weights(l.op));
  CHECK(channel_problems(net).empty());
  const auto back = parse_workload_yaml(to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
}

TEST_CASE("an act_matmul refuses weight keys and needs its two producers") {
  const std::string head =
      "name: t\nlayers:\n  - {name: a, op: gemm, inputs: [], gemm: [4, 8, 8]}\n";
  CHECK_THAT(error_of(head + "  - {name: m, op: act_matmul, inputs: [a, a], gemm: [4, 4, 4], "
                             "weight_density: 0.5}\n"),
             Catch::Contains("weight_density: unknown key"));
  CHECK_THAT(error_of(head + "  - {name: m, op: act_matmul, inputs: [a, a], gemm: [4, 4, 4], "
                             "precision: {weight_bits: 4}}\n"),
             Catch::Contains("no weights"));
  CHECK_THAT(error_of(head + "  - {name: m, op: act_matmul, gemm: [4, 4, 4]}\n"),
             Catch::Contains("expected [first, second]"));
  CHECK_THAT(error_of(head + "  - {name: m, op: act_matmul, inputs: [a, a, a], gemm: [4, 4, 4]}\n"),
             Catch::Contains("reads two activations"));
  CHECK(error_of(head + "  - {name: m, op: act_matmul, inputs: [], gemm: [4, 4, 4]}\n").empty());
}

TEST_CASE("batch multiplies an act_matmul's groups, not its N (each sample has its operands)") {
  const auto net = parse_workload_yaml(R"(name: t
precision: {weight_bits: 4}
layers:
  - {name: q, op: gemm, inputs: [], gemm: [10, 24, 16]}
  - {name: qk, op: act_matmul, inputs: [q, q], gemm: [10, 10, 8], heads: 3}
)",
                                       "t.yaml");
  CHECK(net.layers[1].precision.weight_bits == 0);  // the network's weight width passes over
  const auto b4 = net.with_batch(4);
  const auto& s = b4.layers[1].shape;
  CHECK(s.N == 1);
  CHECK(s.groups == 12);
  CHECK(s.weight_elems() == 4 * 3 * 10 * 8);
  CHECK(b4.macs() == 4 * net.macs());
  CHECK(b4.with_batch(2).layers[1].shape.groups == 6);
  CHECK(b4.with_batch(1).layers == net.layers);
}

TEST_CASE("weight transforms pass over an act_matmul; pruning cannot reach into one") {
  const std::string base = R"(name: t
layers:
  - {name: q, op: gemm, inputs: [], gemm: [10, 24, 16]}
  - {name: qk, op: act_matmul, inputs: [q, q], gemm: [10, 10, 8], heads: 3}
)";
  const auto net = parse_workload_yaml(base + R"(transforms:
  precision: [{layers: ["*"], weight_bits: 4, activation_bits: 6}]
  density: [{layers: ["*"], weight_density: 0.5}]
)",
                                       "t.yaml");
  CHECK(net.layers[0].precision.weight_bits == 4);
  CHECK(net.layers[0].density.weight == 0.5);
  CHECK(net.layers[1].precision.weight_bits == 0);
  CHECK(net.layers[1].precision.activation_bits == 6);
  CHECK(net.layers[1].density.weight == 1.0);
  CHECK_THAT(error_of(base + "transforms:\n  prune: [{layers: [qk], ratio: 0.5}]\n"),
             Catch::Contains("has weights"));
  CHECK_THAT(error_of(base + "transforms:\n  prune: [{layers: [q], ratio: 0.5}]\n"),
             Catch::Contains("cannot propagate pruning into act_matmul 'qk'"));
}

TEST_CASE("zoo vit_b_16 has torchvision's 17,563,828,224 MACs, exactly and per kind") {
  const auto net = zoo_load("vit_b_16");
  const std::int64_t L = 197, d = 768, f = 3072, blocks = 12;
  const auto e = encoder_layer_macs(L, d, f);
  const std::int64_t patch = d * 14 * 14 * 3 * 16 * 16;  // conv 16×16/16 on 224×224
  const std::int64_t head = d * 1000;                    // on the class token only
  const auto by_kind = macs_by_kind(net);
  CHECK(by_kind.at(OpKind::conv) == patch);
  CHECK(by_kind.at(OpKind::gemm) == blocks * e.gemm);
  CHECK(by_kind.at(OpKind::act_matmul) == blocks * e.act_matmul);
  CHECK(by_kind.at(OpKind::fc) == head);
  CHECK(by_kind.size() == 4);
  CHECK(net.macs() == 17563828224);
  CHECK(patch + blocks * (e.gemm + e.act_matmul) + head == 17563828224);
  // Non-MAC operators recorded with their tensor sizes.
  CHECK(count(net, OpKind::act_matmul) == 2 * blocks);
  CHECK(count(net, OpKind::softmax) == blocks);
  CHECK(count(net, OpKind::layernorm) == 2 * blocks + 1);
  CHECK(count(net, OpKind::activation) == blocks);  // GELU
  for (const auto& l : net.layers) {
    INFO(l.name);
    if (l.op == OpKind::softmax) CHECK(l.shape.ifmap_elems() == 12 * L * L);
    if (l.op == OpKind::layernorm) CHECK(l.shape.ifmap_elems() == L * d);
    if (l.op == OpKind::activation) CHECK(l.shape.ifmap_elems() == L * f);
    if (l.op == OpKind::act_matmul) CHECK(l.shape.weight_elems() == L * d);  // K or V, all heads
  }
  CHECK(channel_problems(net).empty());
}

TEST_CASE("zoo bert_base: 12 layers at sequence 128 and a pooler, per kind") {
  const auto net = zoo_load("bert_base");
  const auto e = encoder_layer_macs(128, 768, 3072);
  const auto by_kind = macs_by_kind(net);
  CHECK(by_kind.at(OpKind::gemm) == 12 * e.gemm);
  CHECK(by_kind.at(OpKind::act_matmul) == 12 * e.act_matmul);
  CHECK(by_kind.at(OpKind::fc) == 768 * 768);
  CHECK(net.macs() == 11174215680);
  // MobileBERT (Sun et al., ACL 2020, Table 4) reports 22.5 B FLOPs for BERT_BASE at sequence
  // 128; 2 FLOPs per MAC puts these MACs within 1% (the rest is softmax, norms, GELU).
  CHECK(2.0 * static_cast<double>(net.macs()) == Approx(22.5e9).epsilon(0.01));
  CHECK(count(net, OpKind::layernorm) == 2 * 12 + 1);
  CHECK(channel_problems(net).empty());
}

TEST_CASE("the 4-layer encoder (sequence 128, d 256, 4 heads, FFN 1024) has 436,207,616 MACs") {
  const auto net = load_workload_yaml(LOOM_TEST_DATA "/workloads/encoder_4l.yaml");
  const auto e = encoder_layer_macs(128, 256, 1024);
  const auto by_kind = macs_by_kind(net);
  CHECK(by_kind.at(OpKind::gemm) == 4 * e.gemm);
  CHECK(by_kind.at(OpKind::act_matmul) == 4 * e.act_matmul);
  CHECK(by_kind.size() == 2);
  CHECK(net.macs() == 436207616);
  for (const auto& l : net.layers)
    if (l.op == OpKind::act_matmul) {
      CHECK(l.shape.groups == 4);
      CHECK(l.inputs.size() == 2);
    }
  CHECK(channel_problems(net).empty());
}
