// SPDX-License-Identifier: Apache-2.0
// The structure of zero weights, in models built here: densities of unstructured pruning
// counted independently, N:M patterns (2:4, 1:4, 4:8) along the input channels, all-zero
// filters and input channels, and `loom import --compact`, which removes them (shapes and MACs
// worked out by hand below).
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "cli/run_loom.hpp"
#include "onnx/layers_by_name.hpp"
#include "onnx/onnx_builder.hpp"
#include "onnx/onnx_import.hpp"
#include "workloads/graph.hpp"

using namespace loom;
using loom::test::by_name;
using loom::test::OnnxBuilder;
using workloads::WeightSparsity;
using TP = ::onnx::TensorProto;

namespace {

workloads::Network import_checked(const OnnxBuilder& b, bool compact = false) {
  auto net = loom::onnx::parse_onnx(b.bytes(), "sparse.onnx", {.compact = compact});
  CHECK(workloads::channel_problems(net).empty());
  // The structure survives the trip through workload YAML.
  const auto back = workloads::parse_workload_yaml(workloads::to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
  return net;
}

// Conv weights [m, c, r, s] from `value(m, c, k)` (k = r·s + s), row-major as ONNX stores them.
using Value = std::function<float(std::int64_t, std::int64_t, std::int64_t)>;
std::vector<float> conv_weights(std::int64_t m, std::int64_t c, std::int64_t k, const Value& v) {
  std::vector<float> w;
  for (std::int64_t f = 0; f < m; ++f)
    for (std::int64_t ch = 0; ch < c; ++ch)
      for (std::int64_t i = 0; i < k; ++i) w.push_back(v(f, ch, i));
  return w;
}

// A nonzero weight that differs from position to position.
float nz(std::int64_t f, std::int64_t c, std::int64_t k) {
  return 0.125F + static_cast<float>((f * 7 + c * 3 + k) % 5);
}

void conv(OnnxBuilder& b, const std::string& x, const std::string& w, const std::string& y,
          std::int64_t pad) {
  auto& n = b.node("Conv", {x, w}, {y});
  OnnxBuilder::attr(n, "pads", std::vector<std::int64_t>{pad, pad, pad, pad});
}

}  // namespace

TEST_CASE("onnx unstructured pruning: each layer's density is its nonzero weights counted here") {
  OnnxBuilder b;
  b.input("x", {1, 4, 8, 8});
  // A linear congruential sequence zeroes about 60% of the weights at no regular positions.
  std::uint32_t state = 12345;
  const auto next = [&] {
    state = state * 1664525U + 1013904223U;
    return state >> 8;
  };
  std::map<std::string, double> counted;
  const auto pruned = [&](const std::string& name, std::size_t n) {
    std::vector<float> w(n);
    std::size_t nonzero = 0;
    for (auto& v : w) {
      v = next() % 10 < 6 ? 0.0F : 0.5F + static_cast<float>(next() % 7);
      nonzero += v != 0.0F ? 1 : 0;
    }
    counted[name] = static_cast<double>(nonzero) / static_cast<double>(n);
    return w;
  };
  b.floats("w1", {8, 4, 3, 3}, pruned("c1", 8 * 4 * 9));
  b.floats("w2", {16, 8, 1, 1}, pruned("c2", 16 * 8));
  b.floats("w3", {10, 16}, pruned("fc", 10 * 16));
  conv(b, "x", "w1", "c1", 1);
  b.node("Relu", {"c1"}, {"r1"});
  conv(b, "r1", "w2", "c2", 0);
  b.node("GlobalAveragePool", {"c2"}, {"g"});
  b.node("Flatten", {"g"}, {"f"});
  auto& fc = b.node("Gemm", {"f", "w3"}, {"fc"});
  OnnxBuilder::attr(fc, "transB", std::int64_t{1});
  b.output("fc");
  auto l = by_name(import_checked(b));
  for (const auto& [name, d] : counted) {
    INFO(name);
    CHECK(d > 0.2);
    CHECK(d < 0.6);
    CHECK(l[name].density.weight == Approx(d).epsilon(1e-12));
  }
}

TEST_CASE("onnx N:M sparsity: 2:4, 1:4 and 4:8 weights report their tightest pattern") {
  OnnxBuilder b;
  b.input("x", {1, 8, 4, 4});
  // 2:4 along C at every filter and window position, the two kept weights moving around.
  b.floats("w24", {4, 8, 3, 3}, conv_weights(4, 8, 9, [](auto f, auto c, auto k) {
             const auto first = (f + k) % 4, second = (first + 1 + (f % 3)) % 4;
             return c % 4 == first || c % 4 == second ? nz(f, c, k) : 0.0F;
           }));
  conv(b, "x", "w24", "c24", 1);
  // 4:8 but not 2:4: the four nonzeros of each eight are side by side.
  b.floats("w48", {8, 4, 1, 1}, conv_weights(8, 4, 1, [](auto f, auto c, auto k) {
             return c < 4 && f % 2 == 0 ? nz(f, c, k) : 0.0F;
           }));
  // (c24 writes 4 channels; w48 reads them: 4 channels, so no 8-group: see the 1×1 below.)
  conv(b, "c24", "w48", "c48", 0);
  b.node("Flatten", {"c48"}, {"flat"});  // 8·4·4 = 128 features
  // MatMul weights [K, N]: 1:4 along K, stored column by column in the test's own loop.
  std::vector<float> mm(128 * 6, 0.0F);
  for (std::int64_t k = 0; k < 128; ++k)
    for (std::int64_t n = 0; n < 6; ++n)
      if (k % 4 == n % 4) mm[static_cast<std::size_t>(k * 6 + n)] = nz(n, k, 0);
  b.floats("w14", {128, 6}, mm);
  b.node("MatMul", {"flat", "w14"}, {"m14"});
  // Gemm with transB: weights [N, K] = [16, 6]; K = 6 takes no M of 4, 8 or 16: no pattern.
  b.floats("wd", {16, 6}, conv_weights(16, 6, 1, nz));
  auto& g = b.node("Gemm", {"m14", "wd"}, {"dense"});
  OnnxBuilder::attr(g, "transB", std::int64_t{1});
  b.output("dense");
  auto l = by_name(import_checked(b));
  CHECK(l["c24"].sparsity == WeightSparsity{2, 4, 0, 0});
  CHECK(l["c24"].density.weight == Approx(0.5).epsilon(1e-12));
  // c48: 4 input channels take only M = 4, and a 4-group holds 4 nonzeros (no pattern); half
  // the filters are zero.
  CHECK(l["c48"].sparsity == WeightSparsity{0, 0, 4, 0});
  CHECK(l["m14"].sparsity == WeightSparsity{1, 4, 0, 0});
  CHECK(l["m14"].density.weight == Approx(0.25).epsilon(1e-12));
  CHECK(l["dense"].sparsity == WeightSparsity{});
}

TEST_CASE("onnx N:M sparsity: 4:8 along 16 channels, and int8 weights 2:4 after dequantizing") {
  OnnxBuilder b;
  b.input("x", {1, 16, 4, 4});
  b.floats("w48", {2, 16, 1, 1}, conv_weights(2, 16, 1, [](auto f, auto c, auto k) {
             return c % 8 < 4 ? nz(f, c, k) : 0.0F;
           }));
  conv(b, "x", "w48", "c48", 0);
  // int8 MatMul weights [K, N] = [8, 4] with zero point 3 (a stored 3 dequantizes to 0): two
  // of every four along K.
  std::vector<std::int64_t> q(8 * 4);
  for (std::int64_t k = 0; k < 8; ++k)
    for (std::int64_t n = 0; n < 4; ++n)
      q[static_cast<std::size_t>(k * 4 + n)] = (k + n) % 4 < 2 ? 3 : -20 + k + n;
  b.integers("wq", {8, 4}, TP::INT8, q);
  b.floats("wq_scale", {}, {0.05F});
  b.integers("wq_zp", {}, TP::INT8, {3});
  b.node("DequantizeLinear", {"wq", "wq_scale", "wq_zp"}, {"wqd"});
  b.node("GlobalAveragePool", {"c48"}, {"g"});
  b.node("Flatten", {"g"}, {"f"});  // 2 features, widened to the 8 that wq reads
  b.floats("wup", {2, 8}, conv_weights(2, 8, 1, nz));
  b.node("MatMul", {"f", "wup"}, {"up"});
  b.node("MatMul", {"up", "wqd"}, {"mq"});
  b.output("mq");
  auto l = by_name(import_checked(b));
  CHECK(l["c48"].sparsity == WeightSparsity{4, 8, 0, 8});  // channels 4-7 and 12-15 unread
  CHECK(l["mq"].sparsity == WeightSparsity{2, 4, 0, 0});
  CHECK(l["mq"].density.weight == Approx(0.5).epsilon(1e-12));
  CHECK(l["up"].sparsity == WeightSparsity{});
}

namespace {

// x (3 channels, 8×8) → c1 (8 filters, 3×3; filters 2 and 5 all zero) → relu → c2 (16 filters,
// 1×1; filter 0 all zero, input channel 7 read by none) → relu → c3 (4 filters, 3×3) → output.
// Compacting removes c1's filters 2, 5 (zero) and 7 (unread), c2's filter 0, and with them
// c2's input channels 2, 5, 7 and c3's input channel 0.
OnnxBuilder zeroed_filters() {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.floats("w1", {8, 3, 3, 3}, conv_weights(8, 3, 9, [](auto f, auto c, auto k) {
             return f == 2 || f == 5 ? 0.0F : nz(f, c, k);
           }));
  b.floats("w2", {16, 8, 1, 1}, conv_weights(16, 8, 1, [](auto f, auto c, auto k) {
             return f == 0 || c == 7 || (f + c) % 3 == 0 ? 0.0F : nz(f, c, k);
           }));
  b.floats("w3", {4, 16, 3, 3}, conv_weights(4, 16, 9, [](auto f, auto c, auto k) {
             return (f + c + k) % 4 == 0 ? 0.0F : nz(f, c, k);
           }));
  conv(b, "x", "w1", "c1", 1);
  b.node("Relu", {"c1"}, {"r1"});
  conv(b, "r1", "w2", "c2", 0);
  b.node("Relu", {"c2"}, {"r2"});
  conv(b, "r2", "w3", "c3", 1);
  b.output("c3");
  return b;
}

// Nonzero weights of `value` over the filters and channels kept, as a fraction.
double kept_density(std::int64_t m, std::int64_t c, std::int64_t k, const Value& value,
                    const std::function<bool(std::int64_t)>& keep_filter,
                    const std::function<bool(std::int64_t)>& keep_channel) {
  std::int64_t nonzero = 0, all = 0;
  for (std::int64_t f = 0; f < m; ++f)
    for (std::int64_t ch = 0; ch < c; ++ch)
      for (std::int64_t i = 0; i < k; ++i)
        if (keep_filter(f) && keep_channel(ch)) {
          ++all;
          nonzero += value(f, ch, i) != 0.0F ? 1 : 0;
        }
  return static_cast<double>(nonzero) / static_cast<double>(all);
}

}  // namespace

TEST_CASE("onnx all-zero filters and input channels are counted per layer") {
  auto l = by_name(import_checked(zeroed_filters()));
  CHECK(l["c1"].sparsity.zero_filters == 2);
  CHECK(l["c1"].sparsity.zero_channels == 0);
  CHECK(l["c2"].sparsity.zero_filters == 1);
  CHECK(l["c2"].sparsity.zero_channels == 1);
  CHECK(l["c3"].sparsity.zero_filters == 0);
  CHECK(l["c3"].sparsity.zero_channels == 0);
  CHECK(l["c1"].shape.M == 8);  // without --compact nothing is removed
}

TEST_CASE("onnx --compact removes zero filters and unread channels: shapes and MACs by hand") {
  const auto net = import_checked(zeroed_filters(), true);
  auto l = by_name(net);
  CHECK(l["c1"].shape.M == 5);
  CHECK(l["c1"].shape.C == 3);  // the network's input keeps its channels
  CHECK(l["r1"].shape.C == 5);
  CHECK(l["c2"].shape.C == 5);
  CHECK(l["c2"].shape.M == 15);
  CHECK(l["c3"].shape.C == 15);
  CHECK(l["c3"].shape.M == 4);
  // 8×8 outputs: 5·3·9·64 + 15·5·64 + 4·15·9·64.
  CHECK(l["c1"].macs() == 8640);
  CHECK(l["c2"].macs() == 4800);
  CHECK(l["c3"].macs() == 34560);
  CHECK(net.macs() == 48000);
  // Densities over the weights that remain; nothing all-zero is left.
  CHECK(l["c1"].density.weight == 1.0);
  const auto w2 = [](auto f, auto c, auto k) {
    return f == 0 || c == 7 || (f + c) % 3 == 0 ? 0.0F : nz(f, c, k);
  };
  CHECK(l["c2"].density.weight == Approx(kept_density(
                                             16, 8, 1, w2, [](auto f) { return f != 0; },
                                             [](auto c) { return c != 2 && c != 5 && c != 7; }))
                                      .epsilon(1e-12));
  const auto w3 = [](auto f, auto c, auto k) { return (f + c + k) % 4 == 0 ? 0.0F : nz(f, c, k); };
  CHECK(l["c3"].density.weight ==
        Approx(kept_density(
                   4, 16, 9, w3, [](auto) { return true; }, [](auto c) { return c != 0; }))
            .epsilon(1e-12));
  for (const auto& name : {"c1", "c2", "c3"}) {
    INFO(name);
    CHECK(l[name].sparsity.zero_filters == 0);
    CHECK(l[name].sparsity.zero_channels == 0);
  }
}

TEST_CASE("onnx --compact keeps a channel that a model output shows, though no layer reads it") {
  auto b = zeroed_filters();
  b.output("r1");  // c1's channel 7 is unread by c2, but the model returns it
  auto l = by_name(import_checked(b, true));
  CHECK(l["c1"].shape.M == 6);  // only the zero filters 2 and 5 go
  CHECK(l["c2"].shape.C == 6);
  CHECK(l["c2"].sparsity.zero_channels == 1);
}

TEST_CASE("onnx --compact removes from a residual stream only what every writer leaves zero") {
  // c0 (1×1, 3 → 8; filters 3, 6 zero) → relu r0 → c1 (3×3, 8 → 8; filters 1, 3 zero);
  // add(r0, c1) → c2 (1×1, 8 → 4). Only channel 3 is zero in both operands of the add.
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.floats("w0", {8, 3, 1, 1}, conv_weights(8, 3, 1, [](auto f, auto c, auto k) {
             return f == 3 || f == 6 ? 0.0F : nz(f, c, k);
           }));
  b.floats("w1", {8, 8, 3, 3}, conv_weights(8, 8, 9, [](auto f, auto c, auto k) {
             return f == 1 || f == 3 ? 0.0F : nz(f, c, k);
           }));
  b.floats("w2", {4, 8, 1, 1}, conv_weights(4, 8, 1, nz));
  conv(b, "x", "w0", "c0", 0);
  b.node("Relu", {"c0"}, {"r0"});
  conv(b, "r0", "w1", "c1", 1);
  b.node("Add", {"r0", "c1"}, {"sum"});
  conv(b, "sum", "w2", "c2", 0);
  b.output("c2");
  auto before = by_name(import_checked(b));
  CHECK(before["c0"].sparsity.zero_filters == 2);
  CHECK(before["c1"].sparsity.zero_filters == 2);
  const auto net = import_checked(b, true);
  auto l = by_name(net);
  CHECK(l["c0"].shape.M == 7);
  CHECK(l["c1"].shape.C == 7);
  CHECK(l["c1"].shape.M == 7);
  CHECK(l["sum"].shape.C == 7);
  CHECK(l["c2"].shape.C == 7);
  // 7·3·64 + 7·7·9·64 + 4·7·64.
  CHECK(net.macs() == 1344 + 28224 + 1792);
  CHECK(l["c0"].sparsity.zero_filters == 1);  // filter 6: only c0 leaves it zero
  CHECK(l["c1"].sparsity.zero_filters == 1);  // filter 1
  // c1 lost input channel 3 (nonzero weights of its filters but a channel of zeros).
  CHECK(l["c1"].density.weight == Approx(6.0 / 7.0).epsilon(1e-12));
}

TEST_CASE("loom import --compact writes the smaller workload; without it the counts are shown") {
  const auto dir = loom_test::scratch("onnx_compact");
  const auto model = dir / "zeroed.onnx";
  std::ofstream(model, std::ios::binary) << zeroed_filters().bytes();
  const auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const auto plain =
      loom_test::run_loom("import " + model.string() + " -o " + (dir / "plain.yaml").string());
  INFO(plain.output);
  REQUIRE(plain.exit_code == 0);
  CHECK_THAT(plain.output, Catch::Contains("58880 MACs"));  // 8·27·64 + 16·8·64 + 4·16·9·64
  CHECK_THAT(read(dir / "plain.yaml"),
             Catch::Contains("zero_filters: 2") && Catch::Contains("zero_channels: 1"));
  const auto compact = loom_test::run_loom("import --compact " + model.string() + " -o " +
                                           (dir / "compact.yaml").string());
  INFO(compact.output);
  REQUIRE(compact.exit_code == 0);
  CHECK_THAT(compact.output, Catch::Contains("48000 MACs"));
  const std::string yaml = read(dir / "compact.yaml");
  CHECK_THAT(yaml, Catch::Contains("name: \"c1\", op: conv, C: 3, M: 5"));
  CHECK_THAT(yaml, !Catch::Contains("zero_filters"));
  // The compacted workload runs.
  const auto run =
      loom_test::run_loom("run -q --no-search --workload " + (dir / "compact.yaml").string() +
                          " -o " + (dir / "out").string());
  INFO(run.output);
  CHECK(run.exit_code == 0);
}

TEST_CASE("onnx --compact carries removed channels through depthwise layers and concats") {
  // x → c1 (1×1, 3 → 8; filters 1, 4 zero) → dw (3×3 depthwise) → c2 (1×1, 8 → 6), and
  // x → a (1×1, 3 → 4; filter 0 zero), x → b (1×1, 3 → 4), concat(a, b) → c3 (1×1, 8 → 2).
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.floats("w1", {8, 3, 1, 1}, conv_weights(8, 3, 1, [](auto f, auto c, auto k) {
             return f == 1 || f == 4 ? 0.0F : nz(f, c, k);
           }));
  // The depthwise filters of channels 0 and 4 hold zeros: 10 of 72 weights.
  b.floats("wdw", {8, 1, 3, 3}, conv_weights(8, 1, 9, [](auto f, auto c, auto k) {
             return (f == 0 && k < 5) || (f == 4 && k < 5) ? 0.0F : nz(f, c, k);
           }));
  b.floats("w2", {6, 8, 1, 1}, conv_weights(6, 8, 1, nz));
  conv(b, "x", "w1", "c1", 0);
  auto& dw = b.node("Conv", {"c1", "wdw"}, {"dw"});
  OnnxBuilder::attr(dw, "group", std::int64_t{8});
  OnnxBuilder::attr(dw, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  conv(b, "dw", "w2", "c2", 0);
  b.floats("wa", {4, 3, 1, 1}, conv_weights(4, 3, 1, [](auto f, auto c, auto k) {
             return f == 0 ? 0.0F : nz(f, c, k);
           }));
  b.floats("wb", {4, 3, 1, 1}, conv_weights(4, 3, 1, nz));
  b.floats("w3", {2, 8, 1, 1}, conv_weights(2, 8, 1, nz));
  conv(b, "x", "wa", "a", 0);
  conv(b, "x", "wb", "b", 0);
  auto& cat = b.node("Concat", {"a", "b"}, {"cat"});
  OnnxBuilder::attr(cat, "axis", std::int64_t{1});
  conv(b, "cat", "w3", "c3", 0);
  b.output("c2");
  b.output("c3");
  CHECK(by_name(import_checked(b))["dw"].density.weight == Approx(62.0 / 72.0).epsilon(1e-12));
  const auto net = import_checked(b, true);
  auto l = by_name(net);
  CHECK(l["c1"].shape.M == 6);
  CHECK(l["dw"].shape.C == 6);
  CHECK(l["dw"].shape.M == 6);
  CHECK(l["dw"].shape.groups == 6);
  CHECK(l["c2"].shape.C == 6);
  CHECK(l["a"].shape.M == 3);
  CHECK(l["cat"].shape.C == 7);
  CHECK(l["c3"].shape.C == 7);
  // 6·3·64 + 6·9·64 + 6·6·64, and 3·3·64 + 4·3·64 + 2·7·64.
  CHECK(net.macs() == 1152 + 3456 + 2304 + 576 + 768 + 896);
  // dw kept channel 0's filter (5 zeros) and lost channel 4's: 49 of 54 nonzero.
  CHECK(l["dw"].density.weight == Approx(49.0 / 54.0).epsilon(1e-12));
}
