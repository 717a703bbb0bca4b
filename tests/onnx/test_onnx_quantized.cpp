// SPDX-License-Identifier: Apache-2.0
// Quantized and pruned models built in the test: each MAC layer's bits come from the integer
// types the graph states (QDQ pairs, QLinear and Integer operators), and its weight density is
// the fraction of nonzero weights, counted here independently of the importer from the values
// the test wrote (a quantized weight at its zero point is a zero).
#include <catch2/catch.hpp>
#include <fstream>
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
using workloads::OpKind;
using TP = ::onnx::TensorProto;

namespace {

workloads::Network import_checked(const OnnxBuilder& b) {
  auto net = loom::onnx::parse_onnx(b.bytes(), "quantized.onnx");
  CHECK(workloads::channel_problems(net).empty());
  // Bits and densities survive the trip through workload YAML.
  const auto back = workloads::parse_workload_yaml(workloads::to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
  return net;
}

// Deterministic weights with zeros among them: (i·step mod span) − offset.
std::vector<std::int64_t> pattern(std::size_t n, int step, int span, int offset) {
  std::vector<std::int64_t> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<std::int64_t>((i * static_cast<std::size_t>(step)) % span) - offset;
  return v;
}

// Fraction of entries of `v` that differ from their zero point; per-channel points apply to
// consecutive blocks of v.size() / zp.size() entries (output channel outermost).
double density(const std::vector<std::int64_t>& v, const std::vector<std::int64_t>& zp) {
  const std::size_t block = v.size() / zp.size();
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < v.size(); ++i) zeros += v[i] == zp[i / block] ? 1 : 0;
  REQUIRE(zeros > 0);  // the test's weights must contain zeros to check anything
  return 1.0 - static_cast<double>(zeros) / static_cast<double>(v.size());
}

// Quantize then dequantize `x` with the shared activation scale: an int8 activation edge.
void qdq(OnnxBuilder& b, const std::string& x, const std::string& y) {
  b.node("QuantizeLinear", {x, "act_scale", "act_zp"}, {y + "_q"});
  b.node("DequantizeLinear", {y + "_q", "act_scale", "act_zp"}, {y});
}

// A ResNet-style block in QDQ form, as ONNX Runtime's static quantizer writes it: conv, a 1×1
// conv with per-channel int8 weights, a residual add, global pooling and a fully-connected head.
OnnxBuilder qdq_resnet(std::vector<std::int64_t>& w1, std::vector<std::int64_t>& w2,
                       std::vector<std::int64_t>& w2_zp, std::vector<std::int64_t>& w3) {
  OnnxBuilder b;
  b.input("x", {1, 8, 8, 8});
  b.floats("act_scale", {}, {0.05F});
  b.integers("act_zp", {}, TP::UINT8, {128});
  qdq(b, "x", "xd");
  w1 = pattern(8 * 8 * 9, 1, 7, 3);  // zero where i mod 7 = 3
  b.integers("w1", {8, 8, 3, 3}, TP::INT8, w1);
  b.floats("w1_scale", {}, {0.02F});
  b.integers("w1_zp", {}, TP::INT8, {0});
  b.node("DequantizeLinear", {"w1", "w1_scale", "w1_zp"}, {"w1d"});
  auto& c1 = b.node("Conv", {"xd", "w1d"}, {"c1"});
  OnnxBuilder::attr(c1, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  qdq(b, "c1", "c1d");
  w2 = pattern(8 * 8, 5, 9, 4);
  w2_zp = pattern(8, 1, 8, 4);  // channel c's zero point is c − 4
  b.integers("w2", {8, 8, 1, 1}, TP::INT8, w2);
  b.floats("w2_scale", {8}, std::vector<float>(8, 0.01F));
  b.integers("w2_zp", {8}, TP::INT8, w2_zp);
  auto& d2 = b.node("DequantizeLinear", {"w2", "w2_scale", "w2_zp"}, {"w2d"});
  OnnxBuilder::attr(d2, "axis", std::int64_t{0});
  b.node("Conv", {"c1d", "w2d"}, {"c2"});
  b.node("Add", {"c2", "xd"}, {"r"});
  qdq(b, "r", "rd");
  b.node("GlobalAveragePool", {"rd"}, {"g"});
  b.node("Flatten", {"g"}, {"f"});
  qdq(b, "f", "fd");
  w3 = pattern(10 * 8, 3, 11, 5);
  b.integers("w3", {10, 8}, TP::INT8, w3);
  b.floats("w3_scale", {}, {0.03F});
  b.node("DequantizeLinear", {"w3", "w3_scale"}, {"w3d"});
  auto& fc = b.node("Gemm", {"fd", "w3d"}, {"y"});
  OnnxBuilder::attr(fc, "transB", std::int64_t{1});
  b.output("y");
  return b;
}

}  // namespace

TEST_CASE("onnx QDQ int8 graph: each MAC layer's bits and weight density come from the model") {
  std::vector<std::int64_t> w1, w2, w2_zp, w3;
  const auto net = import_checked(qdq_resnet(w1, w2, w2_zp, w3));
  auto l = by_name(net);
  // Quantize/Dequantize nodes are no layers: conv, pointwise conv, add, pool, flatten, fc.
  REQUIRE(net.layers.size() == 6);
  CHECK(net.macs() == 8 * 8 * 8 * 8 * 9 + 8 * 8 * 8 * 8 + 8 * 10);
  CHECK(l["c1"].precision == workloads::Precision{8, 8, 8});  // its output is quantized next
  CHECK(l["c2"].op == OpKind::pointwise);
  CHECK(l["c2"].precision == workloads::Precision{8, 8, 0});  // its output goes to a float Add
  CHECK(l["y"].op == OpKind::fc);
  CHECK(l["y"].precision == workloads::Precision{8, 8, 0});
  CHECK(l["c1"].inputs.empty());  // the graph input, through Q/DQ
  CHECK(l["c2"].inputs == std::vector<std::string>{"c1"});
  CHECK(l["r"].inputs == std::vector<std::string>{"c2"});
  CHECK(l["c1"].density.weight == Approx(density(w1, {0})).epsilon(1e-12));
  CHECK(l["c2"].density.weight == Approx(density(w2, w2_zp)).epsilon(1e-12));
  CHECK(l["y"].density.weight == Approx(density(w3, {0})).epsilon(1e-12));
  CHECK(l["c1"].density.weight < 1.0);
  CHECK(l["r"].density == workloads::Density{});  // non-MAC layers stay dense
}

TEST_CASE("onnx QLinearConv, ConvInteger, QLinearMatMul and MatMulInteger: operand types' bits") {
  OnnxBuilder b;
  b.input("x", {1, 4, 8, 8}, TP::UINT8);
  b.input("a", {2, 16}, TP::UINT8);
  b.floats("s", {}, {0.1F});
  b.integers("zp_u8", {}, TP::UINT8, {128});
  b.integers("zp_i8", {}, TP::INT8, {0});
  const auto wq = pattern(6 * 4 * 9, 7, 13, 6);
  b.integers("wq", {6, 4, 3, 3}, TP::INT8, wq);
  b.floats("wq_scale", {6}, std::vector<float>(6, 0.02F));
  b.integers("wq_zp", {6}, TP::INT8, std::vector<std::int64_t>(6, 0));
  b.integers("bias", {6}, TP::INT32, {1, -2, 3, -4, 5, -6});
  b.node("QLinearConv", {"x", "s", "zp_u8", "wq", "wq_scale", "wq_zp", "s", "zp_u8", "bias"},
         {"q1"});
  const auto wi = pattern(4 * 6, 1, 5, -1);  // 1..5; the zero point 3 is the zero
  b.integers("wi", {4, 6, 1, 1}, TP::UINT8, wi);
  b.integers("wi_zp", {}, TP::UINT8, {3});
  b.node("ConvInteger", {"q1", "wi", "zp_u8", "wi_zp"}, {"ci"});
  const auto bq = pattern(16 * 4, 3, 7, 3);
  b.integers("bq", {16, 4}, TP::INT8, bq);
  b.node("QLinearMatMul", {"a", "s", "zp_u8", "bq", "s", "zp_i8", "s", "zp_u8"}, {"qm"});
  const auto bi = pattern(4 * 3, 1, 4, 2);
  b.integers("bi", {4, 3}, TP::INT8, bi);
  b.node("MatMulInteger", {"qm", "bi", "zp_u8", "zp_i8"}, {"mi"});
  b.output("ci");
  b.output("mi");
  const auto net = import_checked(b);
  auto l = by_name(net);
  REQUIRE(net.layers.size() == 4);
  CHECK(l["q1"].op == OpKind::conv);
  CHECK(l["q1"].macs() == 6 * 6 * 6 * 4 * 9);
  CHECK(l["q1"].precision == workloads::Precision{8, 8, 8});
  CHECK(l["ci"].op == OpKind::pointwise);
  CHECK(l["ci"].inputs == std::vector<std::string>{"q1"});
  CHECK(l["ci"].precision == workloads::Precision{8, 8, 32});  // int32 accumulators out
  CHECK(l["qm"].op == OpKind::fc);
  CHECK(l["qm"].macs() == 16 * 4);  // per image: --batch sets N
  CHECK(l["qm"].precision == workloads::Precision{8, 8, 8});
  CHECK(l["mi"].precision == workloads::Precision{8, 8, 32});
  CHECK(l["q1"].density.weight == Approx(density(wq, {0})).epsilon(1e-12));
  CHECK(l["ci"].density.weight == Approx(density(wi, {3})).epsilon(1e-12));
  CHECK(l["qm"].density.weight == Approx(density(bq, {0})).epsilon(1e-12));
  CHECK(l["mi"].density.weight == Approx(density(bi, {0})).epsilon(1e-12));
}

TEST_CASE("onnx float weights pruned to zeros give the fraction of nonzero weights") {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8});
  std::vector<float> w(10 * 3 * 9);
  std::vector<std::int64_t> as_int(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    w[i] = i % 10 < 7 ? 0.0F : 0.25F * static_cast<float>(i % 10);  // 70% pruned, as in the issue
    as_int[i] = w[i] == 0.0F ? 0 : 1;
  }
  b.floats("w", {10, 3, 3, 3}, w);
  b.weights("placeholder", {16, 10, 1, 1});  // all zeros: an export without trained weights
  b.node("Conv", {"x", "w"}, {"c"});
  b.node("Conv", {"c", "placeholder"}, {"p"});
  b.output("p");
  auto l = by_name(import_checked(b));
  CHECK(l["c"].density.weight == Approx(density(as_int, {0})).epsilon(1e-12));
  CHECK(l["c"].density.weight == Approx(0.3).epsilon(1e-12));
  CHECK(l["c"].precision == workloads::Precision{});  // float: the accelerator's widths
  CHECK(l["p"].density.weight == 1.0);
}

TEST_CASE("onnx QONNX Quant, BipolarQuant and Trunc give mixed 1-8 bit layers, odd widths too") {
  OnnxBuilder b(11);
  auto* domain = b.model().add_opset_import();
  domain->set_domain("qonnx.custom_op.general");
  domain->set_version(1);
  const auto quant = [&](const std::string& x, const std::string& bits, const std::string& y,
                         bool is_signed) {
    auto& q = b.node("Quant", {x, "scale", "zero", bits}, {y});
    q.set_domain("qonnx.custom_op.general");
    OnnxBuilder::attr(q, "signed", std::int64_t{is_signed ? 1 : 0});
    OnnxBuilder::attr(q, "narrow", std::int64_t{0});
    OnnxBuilder::attr(q, "rounding_mode", std::string("ROUND"));
  };
  b.input("x", {1, 4, 8, 8});
  b.floats("scale", {}, {0.5F});
  b.floats("zero", {}, {0.0F});
  for (int bits : {2, 3, 4, 5, 6, 8}) b.floats("b" + std::to_string(bits), {}, {float(bits)});
  // Weights k·scale + 0.1 with k in −3..3: round(w / scale) = k, so the zeros are the k = 0.
  const auto k1 = pattern(8 * 4 * 9, 1, 7, 3), k2 = pattern(8 * 8, 2, 3, 1);
  std::vector<float> w1, w2;
  for (auto k : k1) w1.push_back(0.5F * static_cast<float>(k) + 0.1F);
  for (auto k : k2) w2.push_back(0.5F * static_cast<float>(k) + 0.1F);
  b.floats("w1", {8, 4, 3, 3}, w1);
  b.floats("w2", {8, 8, 1, 1}, w2);
  b.floats("w3", {8, 10}, std::vector<float>(80, 0.25F));
  quant("x", "b4", "xq", true);
  quant("w1", "b3", "w1q", true);
  auto& c1 = b.node("Conv", {"xq", "w1q"}, {"c1"});
  OnnxBuilder::attr(c1, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  b.node("Relu", {"c1"}, {"r1"});
  quant("r1", "b5", "r1q", false);
  quant("w2", "b2", "w2q", true);
  b.node("Conv", {"r1q", "w2q"}, {"c2"});
  quant("c2", "b6", "c2q", true);
  b.node("Add", {"c2q", "r1q"}, {"a"});
  b.node("GlobalAveragePool", {"a"}, {"g"});
  auto& t = b.node("Trunc", {"g", "scale", "zero", "b8", "b6"}, {"gt"});
  t.set_domain("qonnx.custom_op.general");
  b.node("Flatten", {"gt"}, {"f"});
  auto& bq = b.node("BipolarQuant", {"w3", "scale"}, {"w3q"});
  bq.set_domain("qonnx.custom_op.general");
  b.node("MatMul", {"f", "w3q"}, {"y"});
  b.output("y");
  const auto net = import_checked(b);
  auto l = by_name(net);
  REQUIRE(net.layers.size() == 7);  // conv, relu, conv, add, pool, flatten, fc
  CHECK(l["c1"].precision == workloads::Precision{3, 4, 0});
  CHECK(l["c2"].precision == workloads::Precision{2, 5, 6});
  CHECK(l["y"].op == OpKind::fc);
  CHECK(l["y"].precision == workloads::Precision{1, 6, 0});  // Trunc's 6 bits, through Flatten
  CHECK(l["c1"].density.weight == Approx(density(k1, {0})).epsilon(1e-12));
  // 2 bits signed hold −2..1: k = −1, 0, 1 stay, so the zeros are again the k = 0.
  CHECK(l["c2"].density.weight == Approx(density(k2, {0})).epsilon(1e-12));
  CHECK(l["y"].density.weight == 1.0);  // ±1: bipolar weights are never zero
}

TEST_CASE("onnx float weights quantized in the graph: the values that round to zero are zeros") {
  OnnxBuilder b;
  b.input("x", {1, 2, 4, 4});
  // Channel c has scale c + 1: w = 0.4·(c + 1) rounds to 0 but 0.6·(c + 1) to 1.
  std::vector<float> w;
  std::size_t zeros = 0;
  for (int c = 0; c < 4; ++c)
    for (int i = 0; i < 2 * 9; ++i) {
      const bool zero = i % 3 == 0;
      zeros += zero ? 1 : 0;
      w.push_back((zero ? 0.4F : 0.6F) * static_cast<float>(c + 1) * (i % 2 ? -1.0F : 1.0F));
    }
  b.floats("w", {4, 2, 3, 3}, w);
  b.floats("w_scale", {4}, {1.0F, 2.0F, 3.0F, 4.0F});
  b.integers("w_zp", {4}, TP::INT8, {0, 0, 0, 0});
  auto& q = b.node("QuantizeLinear", {"w", "w_scale", "w_zp"}, {"wq"});
  OnnxBuilder::attr(q, "axis", std::int64_t{0});
  auto& d = b.node("DequantizeLinear", {"wq", "w_scale", "w_zp"}, {"wd"});
  OnnxBuilder::attr(d, "axis", std::int64_t{0});
  b.node("Conv", {"x", "wd"}, {"c"});
  b.output("c");
  auto l = by_name(import_checked(b));
  CHECK(l["c"].precision == workloads::Precision{8, 0, 0});
  CHECK(l["c"].density.weight == Approx(1.0 - static_cast<double>(zeros) / 72.0).epsilon(1e-12));
}

TEST_CASE("onnx QONNX Quant with a bit width that is not one integer from 1 to 32 is refused") {
  for (float bits : {0.0F, 3.5F, 33.0F}) {
    OnnxBuilder b;
    auto* domain = b.model().add_opset_import();
    domain->set_domain("qonnx.custom_op.general");
    domain->set_version(1);
    b.input("x", {1, 4});
    b.floats("one", {}, {1.0F});
    b.floats("zero", {}, {0.0F});
    b.floats("bits", {}, {bits});
    b.node("Quant", {"x", "one", "zero", "bits"}, {"y"}).set_domain("qonnx.custom_op.general");
    b.output("y");
    CHECK_THROWS_WITH(loom::onnx::parse_onnx(b.bytes(), "bits.onnx"),
                      Catch::Contains("(Quant)") &&
                          Catch::Contains("bit width must be one integer from 1 to 32"));
  }
}

TEST_CASE("onnx refuses an operator of another domain, naming the domains it imports") {
  OnnxBuilder b;
  b.input("x", {1, 4});
  auto& n = b.node("Quant", {"x"}, {"y"});
  n.set_domain("com.example");
  b.output("y");
  CHECK_THROWS_WITH(loom::onnx::parse_onnx(b.bytes(), "other.onnx"),
                    Catch::Contains("'Quant' of domain 'com.example'") &&
                        Catch::Contains("qonnx.custom_op.general"));
}

TEST_CASE("loom run accepts a QDQ model and layers.csv shows the model's bits and densities") {
  std::vector<std::int64_t> w1, w2, w2_zp, w3;
  const auto dir = loom_test::scratch("onnx_qdq_run");
  const auto model = dir / "qdq_resnet.onnx";
  std::ofstream(model, std::ios::binary) << qdq_resnet(w1, w2, w2_zp, w3).bytes();
  // Eyeriss's PE is 16-bit: the 8 in layers.csv is the model's width, not the accelerator's.
  const auto p = loom_test::run_loom("run -q --arch " LOOM_SOURCE_DIR "/configs/arch/eyeriss.yaml" +
                                     std::string(" --workload ") + model.string() + " -o " +
                                     (dir / "out").string());
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  std::ifstream in(dir / "out" / "layers.csv");
  std::string header, line;
  REQUIRE(std::getline(in, header));
  const auto column = [&](const std::string& name) {
    std::stringstream s(header);
    int k = 0;
    for (std::string c; std::getline(s, c, ','); ++k)
      if (c == name) return k;
    return -1;
  };
  const int wb = column("weight_bits"), ab = column("activation_bits");
  const int wd = column("weight_density"), id = column("ifmap_density");
  REQUIRE(wb >= 0);
  REQUIRE(ab >= 0);
  REQUIRE(wd >= 0);
  REQUIRE(id >= 0);
  const std::map<std::string, double> weight_density{
      {"c1", density(w1, {0})}, {"c2", density(w2, w2_zp)}, {"y", density(w3, {0})}};
  int rows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string c; std::getline(s, c, ',');) cells.push_back(c);
    if (cells[0] != "c1" && cells[0] != "c2" && cells[0] != "y") continue;
    ++rows;
    CHECK(cells[static_cast<std::size_t>(wb)] == "8");
    CHECK(cells[static_cast<std::size_t>(ab)] == "8");
    CHECK(std::stod(cells[static_cast<std::size_t>(wd)]) ==
          Approx(weight_density.at(cells[0])).epsilon(1e-12));
    CHECK(cells[static_cast<std::size_t>(id)] == "1");  // a file does not tell activations' zeros
  }
  CHECK(rows == 3);
}
