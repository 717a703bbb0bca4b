// SPDX-License-Identifier: Apache-2.0
// The built-in zoo against published MAC counts. Every expected number below is derived
// independently of Loom: from the papers' layer tables by the per-layer formula
// MACs = M·P·Q·(C/groups)·R·S (fc: C_in·C_out), or from the ONNX profile in tests/data.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "workloads/network.hpp"

using namespace loom::workloads;

namespace {

bool is_conv_like(OpKind op) {
  return op == OpKind::conv || op == OpKind::depthwise || op == OpKind::pointwise;
}

const Layer& layer(const Network& net, const std::string& name) {
  const auto it = std::find_if(net.layers.begin(), net.layers.end(),
                               [&](const Layer& l) { return l.name == name; });
  REQUIRE(it != net.layers.end());
  return *it;
}

std::int64_t macs_where(const Network& net, bool (*keep)(const Layer&)) {
  std::int64_t total = 0;
  for (const auto& l : net.layers)
    if (keep(l)) total += l.macs();
  return total;
}

std::int64_t macs_with_prefix(const Network& net, const std::string& prefix) {
  std::int64_t total = 0;
  for (const auto& l : net.layers)
    if (l.name.rfind(prefix, 0) == 0) total += l.macs();
  return total;
}

std::int64_t count_ops(const Network& net, OpKind op) {
  return std::count_if(net.layers.begin(), net.layers.end(),
                       [&](const Layer& l) { return l.op == op; });
}

}  // namespace

// ResNet-18: 1.814 G MACs (conv + fc, one 224×224 image) — the figure torchvision profilers and
// the ResNet paper's "1.8 × 10^9 FLOPs" (multiply-adds) report.
TEST_CASE("zoo resnet18 has the published MAC count") {
  const auto net = zoo_load("resnet18");
  CHECK(net.macs() == 1814073344);
  for (const auto& l : net.layers)
    if (l.op == OpKind::conv || l.op == OpKind::pointwise) CHECK_THAT(l.name, Catch::Contains("conv"));
}

TEST_CASE("zoo holds the eight built-in networks, each loads and names its convs 'conv'") {
  std::vector<std::string> names;
  for (const auto& z : zoo_list()) {
    names.push_back(z.name);
    CHECK_FALSE(z.description.empty());
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"alexnet", "bert_base", "ghostnet", "mobilenet_v2",
                                          "resnet18", "resnet50", "vgg16", "vit_b_16"});
  for (const auto& name : names) {
    INFO("network " << name);
    const auto net = zoo_load(name);
    CHECK(net.name == name);
    CHECK_FALSE(net.source.empty());
    CHECK(net.macs() > 0);
    CHECK(count_ops(net, OpKind::fc) == (name == "alexnet" || name == "vgg16" ? 3 : 1));
    for (const auto& l : net.layers) {
      INFO("layer " << l.name);
      if (is_conv_like(l.op)) CHECK_THAT(l.name, Catch::Contains("conv"));
      if (!does_macs(l.op)) CHECK(l.macs() == 0);
      CHECK(l.shape.P >= 1);
    }
  }
}

// Eyeriss (Chen et al., ISSCC 2016 paper 14.5; JSSC 2017): AlexNet's five CONV layers need
// 666 M MACs per 227×227 image. Per layer, M·P·Q·(C/groups)·R·S:
//   CONV1 96·55·55·3·11·11   = 105,415,200
//   CONV2 256·27·27·48·5·5   = 223,948,800   (groups 2)
//   CONV3 384·13·13·256·3·3  = 149,520,384
//   CONV4 384·13·13·192·3·3  = 112,140,288   (groups 2)
//   CONV5 256·13·13·192·3·3  =  74,760,192   (groups 2)
//   sum                        665,784,864
// FC6 9216·4096 + FC7 4096·4096 + FC8 4096·1000 = 58,621,952.
TEST_CASE("zoo alexnet conv layers total Eyeriss's 666 M MACs") {
  const auto net = zoo_load("alexnet");
  CHECK(layer(net, "conv1").macs() == 105415200);
  CHECK(layer(net, "conv2").macs() == 223948800);
  CHECK(layer(net, "conv3").macs() == 149520384);
  CHECK(layer(net, "conv4").macs() == 112140288);
  CHECK(layer(net, "conv5").macs() == 74760192);
  const auto conv = macs_where(net, [](const Layer& l) { return is_conv_like(l.op); });
  CHECK(conv == 665784864);
  CHECK(conv == Approx(666e6).epsilon(0.001));
  CHECK(macs_where(net, [](const Layer& l) { return l.op == OpKind::fc; }) == 58621952);
  // The 3×3/2 pools take 55 → 27, 27 → 13 and 13 → 6, so FC6 sees 256·6·6 = 9216 features.
  CHECK(layer(net, "pool1").shape.P == 27);
  CHECK(layer(net, "pool2").shape.P == 13);
  CHECK(layer(net, "pool5").shape.P == 6);
  CHECK(layer(net, "fc6").shape.C == 9216);
}

// VGG-16 (config D): conv Σ 9·C·M·H² over the 13 layers =
//   224²·9·(3·64 + 64·64) + 112²·9·(64·128 + 128·128) + 56²·9·(128·256 + 2·256·256)
//   + 28²·9·(256·512 + 2·512·512) + 14²·9·(3·512·512) = 15,346,630,656
// (Eyeriss, ISSCC 2016: "15.3 billion MACs"); fc 25088·4096 + 4096·4096 + 4096·1000 =
// 123,633,664; total 15,470,264,320 — the 15.47 G usually quoted for VGG-16.
TEST_CASE("zoo vgg16 totals the published 15.47 G MACs") {
  const auto net = zoo_load("vgg16");
  CHECK(count_ops(net, OpKind::conv) + count_ops(net, OpKind::pointwise) == 13);
  CHECK(count_ops(net, OpKind::maxpool) == 5);
  CHECK(macs_where(net, [](const Layer& l) { return is_conv_like(l.op); }) == 15346630656);
  CHECK(macs_where(net, [](const Layer& l) { return l.op == OpKind::fc; }) == 123633664);
  CHECK(net.macs() == 15470264320);
  CHECK(net.macs() == Approx(15.47e9).epsilon(0.001));
  CHECK(layer(net, "fc6").shape.C == 25088);  // 512·7·7 after pool5
}

namespace {

// One ResNet-50 v1.5 stage from He et al. Table 1: `blocks` bottlenecks of width w on an
// h×h output, the first taking `cin` channels at input size h·stride and adding a projection.
std::int64_t bottleneck_stage_macs(std::int64_t cin, std::int64_t w, std::int64_t blocks,
                                   std::int64_t h, std::int64_t stride) {
  const std::int64_t hin = h * stride, out = h * h;
  std::int64_t m = cin * w * hin * hin  // 1×1 reduce at the input size (v1.5)
                   + w * w * 9 * out    // 3×3, strided
                   + w * 4 * w * out    // 1×1 expand
                   + cin * 4 * w * out; // projection shortcut
  m += (blocks - 1) * (4 * w * w * out + w * w * 9 * out + w * 4 * w * out);
  return m;
}

}  // namespace

// ResNet-50, torchvision v1.5: conv1 64·112²·3·49 = 118,013,952; stages per Table 1;
// fc 2048·1000. Total 4,089,184,256 (the 4.09 G torchvision and profilers report; the paper's
// 3.8 × 10^9 is v1, which strides the first 1×1 conv instead).
TEST_CASE("zoo resnet50 totals torchvision's 4.09 G MACs") {
  const auto net = zoo_load("resnet50");
  CHECK(layer(net, "conv1").macs() == 118013952);
  CHECK(macs_with_prefix(net, "layer1.") == bottleneck_stage_macs(64, 64, 3, 56, 1));
  CHECK(macs_with_prefix(net, "layer2.") == bottleneck_stage_macs(256, 128, 4, 28, 2));
  CHECK(macs_with_prefix(net, "layer3.") == bottleneck_stage_macs(512, 256, 6, 14, 2));
  CHECK(macs_with_prefix(net, "layer4.") == bottleneck_stage_macs(1024, 512, 3, 7, 2));
  CHECK(layer(net, "fc").macs() == 2048000);
  CHECK(net.macs() == 4089184256);
  CHECK(count_ops(net, OpKind::add) == 16);  // one per bottleneck: 3 + 4 + 6 + 3
  CHECK(layer(net, "layer2.0.conv2").shape.stride_h == 2);
  CHECK(layer(net, "layer2.0.conv1").shape.stride_h == 1);
}

// MobileNetV2 against the layer-by-layer profile of torchvision's ONNX export.
TEST_CASE("zoo mobilenet_v2 matches the torchvision ONNX profile layer by layer") {
  std::ifstream in(LOOM_TEST_DATA "/onnx/mobilenet_v2.macs.json");
  REQUIRE(in);
  const auto ref = nlohmann::json::parse(in);
  const auto net = zoo_load("mobilenet_v2");

  std::vector<const Layer*> mac_layers;
  for (const auto& l : net.layers)
    if (does_macs(l.op)) mac_layers.push_back(&l);
  const auto& ref_layers = ref.at("layers");
  REQUIRE(mac_layers.size() == ref_layers.size());
  CHECK(count_ops(net, OpKind::fc) == ref.at("linear_layers").get<std::int64_t>());

  for (std::size_t i = 0; i < mac_layers.size(); ++i) {
    const Layer& l = *mac_layers[i];
    const auto& r = ref_layers[i];
    INFO("MAC layer " << i << " (" << l.name << ")");
    CHECK(l.shape.C == r.at("cin").get<std::int64_t>());
    CHECK(l.shape.M == r.at("cout").get<std::int64_t>());
    CHECK(l.macs() == r.at("macs").get<std::int64_t>());
    if (r.at("kind") == "linear") {
      CHECK(l.op == OpKind::fc);
      continue;
    }
    CHECK(is_conv_like(l.op));
    CHECK(l.shape.groups == r.at("groups").get<std::int64_t>());
    CHECK(l.shape.R == r.at("kernel")[0].get<std::int64_t>());
    CHECK(l.shape.S == r.at("kernel")[1].get<std::int64_t>());
    CHECK(l.shape.stride_h == r.at("stride")[0].get<std::int64_t>());
    CHECK(l.shape.stride_w == r.at("stride")[1].get<std::int64_t>());
    CHECK(l.shape.P == r.at("out_hw")[0].get<std::int64_t>());
    CHECK(l.shape.Q == r.at("out_hw")[1].get<std::int64_t>());
  }
  CHECK(count_ops(net, OpKind::conv) + count_ops(net, OpKind::depthwise) +
            count_ops(net, OpKind::pointwise) ==
        ref.at("conv_layers").get<std::int64_t>());
  CHECK(net.macs() == ref.at("total_macs").get<std::int64_t>());  // 300,774,272
  CHECK(count_ops(net, OpKind::add) == 10);  // Table 2: the repeats of n = 2, 3, 4, 3, 3
}

// GhostNet 1.0×: Han et al. (CVPR 2020) Table 1 reports 141 M FLOPs (multiply-adds). The exact
// total is the per-layer formula summed over the official code's layers, by part:
//   stem 3×3/2 16·112²·27 = 5,419,008; ghost primary 1×1 convs 101,305,344; cheap 3×3 depthwise
//   12,390,336; stride-2 depthwise 4,012,512; shortcuts 6,489,168; SE 1×1 convs 1,498,944;
//   final 1×1 160·960·7² = 7,526,400; conv_head 960·1280 = 1,228,800; fc 1280·1000 = 1,280,000;
//   total 141,150,512.
TEST_CASE("zoo ghostnet totals the paper's 141 M MACs") {
  const auto net = zoo_load("ghostnet");
  CHECK(net.macs() == Approx(141e6).epsilon(0.03));
  CHECK(net.macs() == 141150512);
  CHECK(layer(net, "conv_stem").macs() == 5419008);
  CHECK(layer(net, "blocks.9.0.conv").macs() == 7526400);
  CHECK(layer(net, "conv_head").macs() == 1228800);
  CHECK(layer(net, "classifier").macs() == 1280000);
  // Table 1: 16 bottlenecks of two ghost modules each, SE in 7 of them, a stride-2 depthwise
  // conv in the 4 stride-2 ones, and a conv shortcut in the 5 that change channels or size.
  CHECK(count_ops(net, OpKind::add) == 16);
  CHECK(count_ops(net, OpKind::concat) == 32);
  CHECK(count_ops(net, OpKind::mul) == 7);
  CHECK(count_ops(net, OpKind::global_avgpool) == 8);  // 7 SE squeezes + the head
  CHECK(macs_with_prefix(net, "blocks.") == 141150512 - 5419008 - 1228800 - 1280000);
  const auto& cheap = layer(net, "blocks.3.0.ghost1.cheap_conv");
  CHECK(cheap.op == OpKind::depthwise);
  CHECK(cheap.shape.R == 3);
  const auto& se = layer(net, "blocks.3.0.se.conv_reduce");
  CHECK(se.shape.C == 72);
  CHECK(se.shape.M == 20);  // _make_divisible(72 / 4, 4)
}
