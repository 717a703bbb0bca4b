// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "common/error_of.hpp"
#include "core/error.hpp"
#include "workloads/network.hpp"

using namespace loom::workloads;

namespace {

std::string error_of(const std::string& yaml) {
  return ::error_of([&] { (void)parse_workload_yaml(yaml, "w.yaml"); });
}

}  // namespace

TEST_CASE("workload yaml derives output size with the floor convention") {
  const auto net = parse_workload_yaml(R"(
name: t
layers:
  - {name: conv1, op: conv, C: 3, M: 64, H: 224, R: 7, stride: 2, padding: 3}
  - {name: conv2, op: conv, inputs: [], C: 96, M: 256, H: 27, W: 27, R: 5, padding: 2, groups: 2}
  - {name: dw, op: conv, inputs: [], C: 32, M: 32, H: 112, R: 3, padding: 1, groups: 32}
  - {name: pool, op: maxpool, inputs: [], C: 64, H: 112, R: 3, stride: 2, padding: 1}
  - {name: fc6, op: fc, inputs: [], C: 256, H: 6, M: 4096}
  - {name: g, op: gemm, gemm: [128, 64, 256]}
)",
                                       "w.yaml");
  REQUIRE(net.layers.size() == 6);
  const auto& c1 = net.layers[0].shape;
  CHECK(c1.P == 112);  // floor((224 + 6 - 7) / 2) + 1
  CHECK(c1.Q == 112);
  CHECK(net.layers[0].macs() == 118013952);  // 64·112·112·3·7·7
  CHECK(net.layers[1].macs() == 223948800);  // AlexNet CONV2, grouped: 256·27·27·48·25
  CHECK(net.layers[2].op == OpKind::depthwise);
  CHECK(net.layers[2].macs() == 32 * 112 * 112 * 9);
  CHECK(net.layers[3].shape.P == 56);
  CHECK(net.layers[3].macs() == 0);
  CHECK(net.layers[4].shape.C == 256 * 36);
  CHECK(net.layers[4].macs() == 9216LL * 4096);
  CHECK(net.layers[5].macs() == 128LL * 64 * 256);
  CHECK(net.with_batch(4).macs() == 4 * net.macs());
}

TEST_CASE("workload yaml rejects unknown keys, bad values and impossible shapes at once") {
  const std::string msg = error_of(R"(
name: t
layers:
  - {name: a, op: conv, C: 3, M: 0, H: 8, R: 3}
  - {name: b, op: convv, C: 3, M: 4, H: 8}
  - {name: c, op: conv, C: 3, M: 4, H: 2, R: 5}
  - {name: d, op: conv, C: 3, M: 4, H: 8, groups: 2}
  - {name: e, op: conv, C: 3, M: 4, H: 8, strid: 2}
)");
  CHECK_THAT(msg, Catch::Contains(
                      "w.yaml:4 layers[0].M: expected an integer > 0 and <= 2147483647, got 0"));
  CHECK_THAT(msg, Catch::Contains("w.yaml:5 layers[1].op: unknown value 'convv'"));
  CHECK_THAT(msg, Catch::Contains("w.yaml:6 layers[2]: the filter window"));
  CHECK_THAT(msg, Catch::Contains("layers[3].groups: C = 3 is not divisible by groups = 2"));
  CHECK_THAT(msg, Catch::Contains("w.yaml:8 layers[4].strid: unknown key"));
}

TEST_CASE("workload yaml names a duplicate layer and a missing layer list") {
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: a, op: fc, C: 1, M: 1}\n  - {name: a, op: fc, "
                      "C: 1, M: 1}\n"),
             Catch::Contains("duplicate layer name 'a'"));
  CHECK_THAT(error_of("name: t\n"), Catch::Contains("layers: missing required key"));
  CHECK_THAT(error_of("name: [t\n"), Catch::Contains("malformed YAML"));
}

TEST_CASE("load_workload names a missing file and lists the zoo") {
  CHECK_THROWS_WITH(load_workload("/no/such.yaml"), Catch::Contains("/no/such.yaml"));
  CHECK_THROWS_WITH(load_workload("resnet1"), Catch::Contains("resnet18"));
}

TEST_CASE("workload yaml rejects shapes whose counts would overflow, and absurd batches") {
  CHECK_THAT(
      error_of("name: t\nlayers:\n  - {name: g, op: gemm, gemm: [1000000, 1000000, 1000000]}\n"),
      Catch::Contains("layers[0].gemm: more than Loom's limit of 1e15 MACs"));
  CHECK_THAT(
      error_of("name: t\nlayers:\n  - {name: c, op: conv, C: 100000, M: 100000, H: 1000, R: 3}\n"),
      Catch::Contains("more than Loom's limit of 1e15"));
  const auto net =
      parse_workload_yaml("name: t\nlayers:\n  - {name: f, op: fc, C: 8, M: 8}\n", "w");
  CHECK_THROWS_WITH(net.with_batch(0), Catch::Contains("--batch: expected an integer > 0"));
  CHECK_THROWS_WITH(net.with_batch(1000000), Catch::Contains("<= 1000"));
}

TEST_CASE("workload yaml: every size is at most 2^31 - 1 and products never overflow") {
  // Issue 15: H = 2^32 on an fc layer wrapped C·H·W (SIGSEGV in the mapper, -nan without it).
  CHECK(error_of("name: t\nlayers:\n  - {name: f, op: fc, C: 8, M: 8, H: 4294967296}\n") ==
        "w.yaml:3 layers[0].H: expected an integer > 0 and <= 2147483647, got 4294967296");
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: f, op: fc, C: 2147483647, M: 1, "
                      "H: 2147483647, W: 2147483647}\n"),
             Catch::Contains("input features, more than Loom's limit of 1e15"));
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: c, op: conv, C: 1, M: 1, H: 8, R: 3, "
                      "padding: 9223372036854775807}\n"),
             Catch::Contains("layers[0].padding: expected an integer >= 0 and <= 2147483647"));
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: c, op: conv, C: 1, M: 1, H: 8, R: 3, "
                      "dilation: [1, 9223372036854775807]}\n"),
             Catch::Contains("layers[0].dilation: expected integers >= 1 and <= 2147483647"));
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: g, op: gemm, gemm: [1, 1, 2147483648]}\n"),
             Catch::Contains("layers[0].gemm: expected integers >= 1 and <= 2147483647"));
  // Few MACs (a huge stride) over an input tensor too large to count in bytes.
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: c, op: conv, C: 1000, M: 1, H: 2000000000, "
                      "R: 1, stride: 2000000000}\n"),
             Catch::Contains("elements per image, more than Loom's limit of 1e15"));
}

TEST_CASE("an unknown key of a gemm layer is reported once") {
  const std::string msg =
      error_of("name: t\nlayers:\n  - {name: g, op: gemm, gemm: [2, 2, 2], C: 4}\n");
  CHECK(msg ==
        "w.yaml:3 layers[0].C: unknown key (expected one of: name, op, inputs, gemm, "
        "precision, ifmap_density, weight_density, ofmap_density, nm_sparsity, "
        "zero_filters, zero_channels)");
}

TEST_CASE("workload yaml reads the structure of a layer's zero weights and writes it back") {
  const auto net = parse_workload_yaml(R"(
name: t
layers:
  - {name: a, op: conv, C: 8, M: 16, H: 8, R: 3, nm_sparsity: [2, 4], zero_filters: 3,
     zero_channels: 1}
  - {name: b, op: gemm, gemm: [4, 8, 16], nm_sparsity: [1, 8]}
  - {name: c, op: conv, C: 16, M: 4, H: 6}
)",
                                       "w.yaml");
  CHECK(net.layers[0].sparsity == WeightSparsity{2, 4, 3, 1});
  CHECK(net.layers[1].sparsity == WeightSparsity{1, 8, 0, 0});
  CHECK(net.layers[2].sparsity == WeightSparsity{});
  const std::string text = to_workload_yaml(net);
  CHECK_THAT(text, Catch::Contains("nm_sparsity: [2, 4], zero_filters: 3, zero_channels: 1}"));
  CHECK(parse_workload_yaml(text, "rt.yaml").layers == net.layers);
}

TEST_CASE("workload yaml refuses a zero-weight structure that cannot be") {
  const auto layer = [](const std::string& keys) {
    return error_of("name: t\nlayers:\n  - {name: a, op: conv, C: 8, M: 4, H: 8, " + keys + "}\n");
  };
  CHECK_THAT(layer("nm_sparsity: [4, 4]"),
             Catch::Contains("layers[0].nm_sparsity: expected [N, M] with 1 <= N < M"));
  CHECK_THAT(layer("nm_sparsity: [2]"), Catch::Contains("expected [N, M]"));
  CHECK_THAT(layer("zero_filters: 4"), Catch::Contains("layers[0].zero_filters: expected"));
  CHECK_THAT(layer("zero_channels: 8"), Catch::Contains("layers[0].zero_channels: expected"));
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: p, op: maxpool, C: 8, H: 8, R: 2, "
                      "zero_filters: 1}\n"),
             Catch::Contains("layers[0].zero_filters: only layers with MACs have weights"));
}

TEST_CASE("workload yaml reads per-layer densities, dense by default") {
  const auto net = parse_workload_yaml(R"(
name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, ifmap_density: 0.5, weight_density: 0.25}
  - {name: g, op: gemm, gemm: [4, 4, 4], ofmap_density: 0.75}
)",
                                       "w.yaml");
  CHECK(net.layers[0].density.ifmap == 0.5);
  CHECK(net.layers[0].density.weight == 0.25);
  CHECK(net.layers[1].density.ifmap == 1.0);
  CHECK(net.layers[1].density.weight == 1.0);
  CHECK(net.layers[1].density.ofmap == 0.75);
}

TEST_CASE("a density of 0, above 1, negative or not a number is an error naming the key") {
  const std::string msg = error_of(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, ifmap_density: 0}
  - {name: b, op: conv, C: 3, M: 8, H: 8, weight_density: 1.5}
  - {name: c, op: conv, C: 3, M: 8, H: 8, ofmap_density: -0.2}
  - {name: d, op: gemm, gemm: [4, 4, 4], ifmap_density: sparse}
)");
  CHECK_THAT(msg,
             Catch::Contains("w.yaml:3 layers[0].ifmap_density: expected a number > 0, got 0"));
  CHECK_THAT(msg, Catch::Contains(
                      "w.yaml:4 layers[1].weight_density: expected a fraction of nonzero values "
                      "in (0, 1], got 1.5"));
  CHECK_THAT(msg, Catch::Contains("w.yaml:5 layers[2].ofmap_density: expected a number > 0"));
  CHECK_THAT(msg, Catch::Contains("w.yaml:6 layers[3].ifmap_density: expected a number > 0"));
}

TEST_CASE("an unstated ofmap density is the next MAC layer's stated ifmap density") {
  const auto net = parse_workload_yaml(R"(
name: t
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 8, R: 3}
  - {name: pool, op: maxpool, C: 8, H: 6, R: 2, stride: 2}
  - {name: c2, op: conv, C: 8, M: 8, H: 3, ifmap_density: 0.4}
  - {name: c3, op: conv, C: 8, M: 8, H: 3, ifmap_density: 0.3, ofmap_density: 0.9}
  - {name: c4, op: conv, C: 8, M: 8, H: 3, ifmap_density: 0.2}
  - {name: f5, op: fc, C: 72, M: 10}
)",
                                       "w.yaml");
  CHECK(net.layers[0].density.ofmap == 0.4);  // across the pool
  CHECK(net.layers[1].density.ofmap == 1.0);  // not a MAC layer
  CHECK(net.layers[2].density.ofmap == 0.3);
  CHECK(net.layers[3].density.ofmap == 0.9);  // stated wins
  CHECK(net.layers[4].density.ofmap == 1.0);  // f5 states no ifmap density
  CHECK(net.layers[5].density.ofmap == 1.0);  // last layer
}

TEST_CASE("densities survive with_batch") {
  const auto net = parse_workload_yaml(
      "name: t\nlayers:\n  - {name: f, op: fc, C: 8, M: 8, ifmap_density: 0.3, "
      "weight_density: 0.6, ofmap_density: 0.7}\n",
      "w.yaml");
  const auto b = net.with_batch(4);
  CHECK(b.layers[0].shape.N == 4);
  CHECK(b.layers[0].density == Density{0.3, 0.6, 0.7});
}

TEST_CASE("zoo alexnet carries Eyeriss's measured ifmap densities and dense fc layers") {
  // 1 − the ifmap zero fractions of Chen et al., JSSC 52(1) 2017 (AlexNet, batch 4).
  const auto net = zoo_load("alexnet");
  const auto layer = [&](const std::string& name) {
    for (const auto& l : net.layers)
      if (l.name == name) return l;
    FAIL("no layer " << name);
    return Layer{};
  };
  CHECK(layer("conv1").density.ifmap == Approx(1 - 0.0001));
  CHECK(layer("conv2").density.ifmap == Approx(1 - 0.387));
  CHECK(layer("conv3").density.ifmap == Approx(1 - 0.725));
  CHECK(layer("conv4").density.ifmap == Approx(1 - 0.793));
  CHECK(layer("conv5").density.ifmap == Approx(1 - 0.776));
  CHECK(layer("conv1").density.ofmap == Approx(1 - 0.387));
  CHECK(layer("conv4").density.ofmap == Approx(1 - 0.776));
  CHECK(layer("conv5").density.ofmap == 1.0);
  for (const char* fc : {"fc6", "fc7", "fc8"}) CHECK(layer(fc).density == Density{});
}

TEST_CASE("a layer without inputs: must read what the layer before it writes") {
  // conv b (no inputs:) follows a, which writes 8x8x8 (C x P x Q): b's 16x8x8 input is refused,
  // at b's line, naming both tensors.
  const std::string bad = error_of(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: b, op: conv, C: 16, M: 8, H: 8, R: 3, padding: 1}
)");
  CHECK_THAT(bad, Catch::Contains("w.yaml:4 layers[1]: takes a 16x8x8 (CxHxW) input, but 'a' "
                                  "listed before it writes 8x8x8"));
  CHECK_THAT(bad, Catch::Contains("inputs: [] for the network input"));
  // Rows and columns too: a stride-2 layer writes 8x4x4.
  CHECK_THAT(error_of(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, stride: 2, padding: 1}
  - {name: b, op: conv, C: 8, M: 8, H: 8, R: 3, padding: 1}
)"),
             Catch::Contains("takes a 8x8x8 (CxHxW) input, but 'a' listed before it writes 8x4x4"));
  // A flattening layer compares element counts: 8x4x4 = 128 features.
  CHECK(error_of(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, stride: 2, padding: 1}
  - {name: fc, op: fc, C: 8, H: 4, M: 10}
)")
            .empty());
  CHECK_THAT(error_of(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, stride: 2, padding: 1}
  - {name: fc, op: fc, C: 100, M: 10}
)"),
             Catch::Contains("takes 100 input elements, but 'a' listed before it writes 8x4x4"));
  // inputs: [] (the network input) or a named producer states the graph: no chain to check.
  CHECK(error_of(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: b, op: conv, inputs: [], C: 16, M: 8, H: 8, R: 3, padding: 1}
)")
            .empty());
}
