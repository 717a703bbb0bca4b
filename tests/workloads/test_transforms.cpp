// SPDX-License-Identifier: Apache-2.0
// Compression transforms against published configurations and hand derivations.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/error.hpp"
#include "workloads/graph.hpp"
#include "workloads/transforms.hpp"

using namespace loom::workloads;

namespace {

const Layer& named(const Network& net, const std::string& name) {
  const auto it = std::find_if(net.layers.begin(), net.layers.end(),
                               [&](const Layer& l) { return l.name == name; });
  REQUIRE(it != net.layers.end());
  return *it;
}

std::string error_of(const std::string& yaml) {
  try {
    (void)parse_workload_yaml(yaml, "t.yaml");
  } catch (const loom::Error& e) {
    return e.what();
  }
  return "";
}

Network prune(const Network& net, std::vector<std::string> layers, double ratio) {
  return prune_channels(net, {PruneRule{std::move(layers), ratio, {}}});
}

}  // namespace

TEST_CASE("layer patterns: * matches any run of characters") {
  CHECK(name_matches("conv1_*", "conv1_2"));
  CHECK(name_matches("*", ""));
  CHECK(name_matches("layer*.conv1", "layer3.4.conv1"));
  CHECK_FALSE(name_matches("layer*.conv1", "layer3.4.conv2"));
  CHECK(name_matches("a*b*c", "aXbYbZc"));
  CHECK_FALSE(name_matches("conv", "conv1"));
}

// Luo, Wu and Lin, "ThiNet", ICCV 2017, Sec. 4.2: conv1_1–conv4_3 keep half their filters.
// ThiNet-Conv keeps VGG-16's fc layers: 30.94 → 9.58 GFLOPs (3.23×). ThiNet-GAP replaces them
// by a global pool and one 512×1000 fc: 9.34 GFLOPs, the paper's headline 3.31×. By hand
// (MACs = 9·C·M·H² per conv): halving M of the first ten convs and C of the next leaves
// 4,667,572,224 conv MACs; + 123,633,664 fc = 4,791,205,888 (Conv), + 512,000 fc =
// 4,668,084,224 (GAP), against VGG-16's 15,470,264,320.
TEST_CASE("ThiNet VGG-16 reproduces the paper's FLOPs reductions (3.23x Conv, 3.31x GAP)") {
  const std::string dir = LOOM_SOURCE_DIR "/configs/workloads/";
  const auto vgg = zoo_load("vgg16");
  const auto conv = load_workload_yaml(dir + "thinet_vgg16_conv.yaml");
  const auto gap = load_workload_yaml(dir + "thinet_vgg16_gap.yaml");
  CHECK(conv.macs() == 4791205888);
  CHECK(gap.macs() == 4668084224);
  const double r_conv = static_cast<double>(vgg.macs()) / static_cast<double>(conv.macs());
  const double r_gap = static_cast<double>(vgg.macs()) / static_cast<double>(gap.macs());
  CHECK(r_conv == Approx(3.23).epsilon(0.05));
  CHECK(r_gap == Approx(3.31).epsilon(0.05));
  CHECK(r_gap == Approx(3.31).epsilon(0.002));  // 3.314 obtained
  CHECK(named(conv, "conv4_3").shape.M == 256);
  CHECK(named(conv, "conv5_1").shape.C == 256);
  CHECK(named(conv, "conv5_1").shape.M == 512);
  CHECK(named(conv, "fc6").shape.C == 25088);  // conv5_3 is not pruned
  CHECK(channel_problems(conv).empty());
}

TEST_CASE("pruning every ResNet-50 conv keeps every residual add consistent") {
  const auto net = zoo_load("resnet50");
  const auto pruned = prune(net, {"*conv*"}, 0.3);
  const auto producers = producer_indices(pruned);
  // Expected stream widths round(0.7·C): 256 → 179, 512 → 358, 1024 → 717, 2048 → 1434.
  const std::map<std::int64_t, std::int64_t> width{
      {256, 179}, {512, 358}, {1024, 717}, {2048, 1434}};
  int adds = 0;
  for (std::size_t i = 0; i < pruned.layers.size(); ++i) {
    const Layer& l = pruned.layers[i];
    if (l.op != OpKind::add) continue;
    ++adds;
    INFO(l.name);
    CHECK(l.shape.C == width.at(net.layers[i].shape.C));
    REQUIRE(producers[i].size() == 2);
    for (auto p : producers[i]) CHECK(pruned.layers[p].out_channels() == l.shape.C);
    CHECK(pruned.layers[producers[i][0]].shape.P == l.shape.H);
  }
  CHECK(adds == 16);
  CHECK(channel_problems(pruned).empty());
  CHECK(named(pruned, "fc").shape.C == 1434);
  CHECK(named(pruned, "layer1.0.conv1").shape.C == 45);  // round(0.7·64) from the stem
}

namespace {

// ResNet-50 v1.5 bottleneck stage MACs with the two inner convs' widths scaled by k (ThiNet's
// ResNet-50 scheme, Sec. 4.3: prune only the first two layers of each block): conv1 C·kw·hin²,
// conv2 (kw)²·9·h², conv3 kw·4w·h², projection C·4w·h².
std::int64_t stage(std::int64_t cin, std::int64_t w, std::int64_t blocks, std::int64_t h,
                   std::int64_t stride, std::int64_t kw) {
  const std::int64_t hin = h * stride, out = h * h;
  std::int64_t m = cin * kw * hin * hin + kw * kw * 9 * out + kw * 4 * w * out + cin * 4 * w * out;
  m += (blocks - 1) * (4 * w * kw * out + kw * kw * 9 * out + kw * 4 * w * out);
  return m;
}

}  // namespace

TEST_CASE("ThiNet-style ResNet-50 pruning of the inner convs leaves the adds untouched") {
  const auto net = zoo_load("resnet50");
  const auto pruned = prune(net, {"layer*.conv1", "layer*.conv2"}, 0.5);
  const std::int64_t expected = 118013952 + stage(64, 64, 3, 56, 1, 32) +
                                stage(256, 128, 4, 28, 2, 64) + stage(512, 256, 6, 14, 2, 128) +
                                stage(1024, 512, 3, 7, 2, 256) + 2048000;
  CHECK(pruned.macs() == expected);
  for (std::size_t i = 0; i < net.layers.size(); ++i)
    if (net.layers[i].op == OpKind::add) CHECK(pruned.layers[i].shape == net.layers[i].shape);
}

TEST_CASE("pruning one operand of a residual add alone is an error naming the add") {
  const auto net = zoo_load("resnet50");
  CHECK_THROWS_WITH(
      prune(net, {"layer1.0.conv3"}, 0.5),
      Catch::Contains("operands of 'layer1.0.add' disagree") && Catch::Contains("same ratio"));
  CHECK_THROWS_WITH(prune(net, {"avgpool"}, 0.5), Catch::Contains("cannot be selected"));
  CHECK_THROWS_WITH(prune(net, {"nothing*"}, 0.5), Catch::Contains("matches no layer"));
}

TEST_CASE("depthwise layers follow their input; concats add up; fc scales per channel") {
  const auto mb = prune(zoo_load("mobilenet_v2"), {"features.2.conv.0.0"}, 0.5);
  const auto& dw = named(mb, "features.2.conv.1.0");  // 96 → 48 channels
  CHECK(dw.op == OpKind::depthwise);
  CHECK(dw.shape.C == 48);
  CHECK(dw.shape.M == 48);
  CHECK(dw.shape.groups == 48);
  CHECK(named(mb, "features.2.conv.2").shape.C == 48);

  const auto gh = prune(zoo_load("ghostnet"), {"blocks.2.0.ghost1.primary_conv"}, 0.5);
  CHECK(named(gh, "blocks.2.0.ghost1.cheap_conv").shape.M == 18);
  CHECK(named(gh, "blocks.2.0.ghost1.concat").shape.C == 36);  // 18 + 18
  CHECK(named(gh, "blocks.2.0.ghost2.primary_conv").shape.C == 36);

  const auto vgg = prune(zoo_load("vgg16"), {"conv5_3"}, 0.5);
  CHECK(named(vgg, "pool5").shape.C == 256);
  CHECK(named(vgg, "fc6").shape.C == 256 * 7 * 7);
}

// Han et al., "GhostNet", CVPR 2020, Eq. 4: replacing a k×k conv of c inputs by a ghost module
// of ratio s with d×d cheap ops speeds it up by r = c·k²·s / (c·k² + (s − 1)·d²). VGG-16 conv3_2
// (c = n = 256, k = d = 3, s = 2, 56×56): r = 4608 / 2313 = 1.99222; MACs 128·256·9·56² +
// 128·9·56² = 924,844,032 + 3,612,672 = 928,456,704.
TEST_CASE("a ghost module saves what GhostNet's Eq. 4 says") {
  const auto vgg = zoo_load("vgg16");
  const auto g = expand_ghost_modules(vgg, {GhostRule{{"conv3_2"}, 2, 3, {}}});
  REQUIRE(g.layers.size() == vgg.layers.size() + 2);
  const std::int64_t ghost =
      named(g, "conv3_2.primary_conv").macs() + named(g, "conv3_2.cheap_conv").macs();
  CHECK(ghost == 928456704);
  const double r = static_cast<double>(named(vgg, "conv3_2").macs()) / static_cast<double>(ghost);
  CHECK(r == Approx(4608.0 / 2313.0).epsilon(1e-9));
  CHECK(named(g, "conv3_2").op == OpKind::concat);
  CHECK(named(g, "conv3_2").inputs ==
        std::vector<std::string>{"conv3_2.primary_conv", "conv3_2.cheap_conv"});
  CHECK(named(g, "conv3_3").inputs == std::vector<std::string>{"conv3_2"});
  CHECK(channel_problems(g).empty());
  // Ratio 3 on 64 channels: ceil(64/3) = 22 intrinsic + 44 ghost maps, cut back to 64.
  const auto g3 = expand_ghost_modules(vgg, {GhostRule{{"conv1_2"}, 3, 3, {}}});
  CHECK(named(g3, "conv1_2").op == OpKind::slice);
  CHECK(named(g3, "conv1_2.concat").shape.C == 66);
  CHECK(named(g3, "conv1_2").out_channels() == 64);
  CHECK(channel_problems(g3).empty());
}

TEST_CASE("GhostNet 1.0x from the zoo is within 3% of the paper's 141 M MACs") {
  const auto net = zoo_load("ghostnet");
  CHECK(static_cast<double>(net.macs()) == Approx(141e6).epsilon(0.03));
}

TEST_CASE("a workload YAML derives from a base and applies every kind of transform") {
  const auto dir = std::filesystem::temp_directory_path() / "loom_transforms_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "base.yaml")
      << "name: b\nlayers:\n"
         "  - {name: c1, op: conv, C: 3, M: 16, H: 8, R: 3, padding: 1}\n"
         "  - {name: c2, op: conv, C: 16, M: 8, H: 8, R: 3, padding: 1}\n";
  std::ofstream(dir / "derived.yaml") << R"(name: derived
base: base.yaml
transforms:
  ghost: [{layers: [c2], ratio: 2, kernel: 3}]
  prune: [{layers: [c1], ratio: 0.25}]
  precision: [{layers: ["*"], weight_bits: 4, activation_bits: 4}]
  density: [{layers: [c1], weight_density: 0.5, ifmap_density: 0.75}]
)";
  const auto net = load_workload((dir / "derived.yaml").string());
  std::filesystem::remove_all(dir);
  CHECK(net.name == "derived");
  CHECK(named(net, "c1").shape.M == 12);
  CHECK(named(net, "c2.primary_conv").shape.C == 12);
  CHECK(named(net, "c2.primary_conv").shape.M == 4);
  CHECK(named(net, "c2.cheap_conv").precision.weight_bits == 4);
  CHECK(named(net, "c1").precision.activation_bits == 4);
  CHECK(named(net, "c1").density.weight == 0.5);
  CHECK(named(net, "c1").density.ifmap == 0.75);
  CHECK(named(net, "c2").density.weight == 1.0);
}

TEST_CASE("transform mistakes are errors naming the file, key and line") {
  CHECK_THAT(
      error_of("name: t\nbase: vgg16\ntransforms:\n  prune: [{layers: [conv9], ratio: 0.5}]\n"),
      Catch::Contains("t.yaml:4 transforms.prune[0]: 'conv9' matches no layer"));
  CHECK_THAT(
      error_of("name: t\nbase: vgg16\ntransforms:\n  prune: [{layers: [conv1_1], ratio: 1}]\n"),
      Catch::Contains("expected the fraction of output channels removed, in [0, 1)"));
  CHECK_THAT(error_of("name: t\nbase: vgg16\ntransforms:\n  prun: []\n"),
             Catch::Contains("unknown key"));
  CHECK_THAT(error_of("name: t\nbase: vgg16\nlayers: []\n"),
             Catch::Contains("either base or layers"));
  CHECK_THAT(error_of("name: t\nbase: no_such_net\n"), Catch::Contains("no_such_net"));
}

TEST_CASE("pruning reports only the inconsistencies it creates") {
  // y's C = 9 disagrees with x's 8 outputs already; pruning y does not make that pruning's fault.
  const auto net = parse_workload_yaml(R"(name: t
layers:
  - {name: x, op: conv, C: 3, M: 8, H: 8}
  - {name: y, op: conv, inputs: [x], C: 9, M: 4, H: 8}
  - {name: z, op: conv, C: 4, M: 2, H: 8}
)",
                                       "t.yaml");
  const auto pruned = prune(net, {"y"}, 0.5);
  CHECK(named(pruned, "z").shape.C == 2);
  CHECK_THROWS_WITH(prune(net, {"x"}, 0.5), Catch::Contains("layer 'y'"));
}

TEST_CASE("pruning forgets the zero-weight structure of every layer whose shape it changes") {
  const auto net = parse_workload_yaml(R"(
name: t
layers:
  - {name: a, op: conv, C: 8, M: 16, H: 8, R: 3, padding: 1, zero_filters: 2, nm_sparsity: [2, 4]}
  - {name: b, op: conv, C: 16, M: 8, H: 8, R: 3, padding: 1, zero_channels: 3}
  - {name: c, op: conv, C: 8, M: 4, H: 8, R: 3, padding: 1, zero_filters: 1}
)",
                                       "t.yaml");
  const auto out = prune(net, {"a"}, 0.5);
  CHECK(named(out, "a").shape.M == 8);
  // Which of a's weights went is not known: the counts would be guesses.
  CHECK(named(out, "a").sparsity == WeightSparsity{});
  CHECK(named(out, "b").sparsity == WeightSparsity{});
  CHECK(named(out, "c").sparsity == WeightSparsity{0, 0, 1, 0});  // untouched
}
