// SPDX-License-Identifier: Apache-2.0
// Small models built in the test through the onnx protobuf API, one per feature of real
// exports. Expected shapes and MACs are derived by hand from the ONNX operator definitions:
// out = floor((in + pad_begin + pad_end − dilation·(k − 1) − 1) / stride) + 1 and
// MACs = M·P·Q·(C/groups)·R·S (Gemm/MatMul: rows·K·N).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "onnx/onnx_builder.hpp"
#include "onnx/onnx_import.hpp"
#include "workloads/graph.hpp"

using namespace loom;
using loom::test::OnnxBuilder;
using workloads::Layer;
using workloads::OpKind;

namespace {

const Layer& named(const workloads::Network& net, const std::string& name) {
  const auto it = std::find_if(net.layers.begin(), net.layers.end(),
                               [&](const Layer& l) { return l.name == name; });
  REQUIRE(it != net.layers.end());
  return *it;
}

workloads::Network import_model(const OnnxBuilder& b) {
  auto net = loom::onnx::parse_onnx(b.bytes(), "synthetic.onnx");
  CHECK(workloads::channel_problems(net).empty());
  // Every imported network is expressible as workload YAML and reads back equal.
  const auto back = workloads::parse_workload_yaml(workloads::to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
  return net;
}

}  // namespace

TEST_CASE("onnx grouped, depthwise and dilated convs keep groups, strides and dilation") {
  OnnxBuilder b;
  b.input("x", {-1, 16, 32, 32});
  b.weights("wg", {32, 4, 3, 3});
  b.weights("wd", {32, 1, 3, 3});
  b.weights("wl", {8, 32, 3, 3});
  auto& g = b.node("Conv", {"x", "wg"}, {"g"}, "grouped");
  OnnxBuilder::attr(g, "group", std::int64_t{4});
  OnnxBuilder::attr(g, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  auto& d = b.node("Conv", {"g", "wd"}, {"d"}, "depthwise");
  OnnxBuilder::attr(d, "group", std::int64_t{32});
  OnnxBuilder::attr(d, "strides", std::vector<std::int64_t>{2, 2});
  OnnxBuilder::attr(d, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  auto& l = b.node("Conv", {"d", "wl"}, {"y"}, "dilated");
  OnnxBuilder::attr(l, "dilations", std::vector<std::int64_t>{2, 2});
  OnnxBuilder::attr(l, "pads", std::vector<std::int64_t>{2, 2, 2, 2});
  b.output("y");
  const auto net = import_model(b);
  REQUIRE(net.layers.size() == 3);
  // grouped: 32·32·32·(16/4)·3·3
  CHECK(named(net, "grouped").shape.groups == 4);
  CHECK(named(net, "grouped").shape.P == 32);
  CHECK(named(net, "grouped").macs() == 1179648);
  // depthwise: floor((32 + 2 − 3) / 2) + 1 = 16; 32·16·16·1·9
  CHECK(named(net, "depthwise").op == OpKind::depthwise);
  CHECK(named(net, "depthwise").shape.P == 16);
  CHECK(named(net, "depthwise").macs() == 73728);
  // dilated: window 2·2 + 1 = 5, floor((16 + 4 − 5) / 1) + 1 = 16; 8·16·16·32·9
  CHECK(named(net, "dilated").shape.dilation_h == 2);
  CHECK(named(net, "dilated").shape.P == 16);
  CHECK(named(net, "dilated").macs() == 589824);
  CHECK(named(net, "dilated").inputs == std::vector<std::string>{"depthwise"});
  CHECK(named(net, "grouped").inputs.empty());  // reads the graph input
}

TEST_CASE("onnx auto_pad SAME_UPPER/SAME_LOWER and ceil_mode pools give ONNX's output sizes") {
  OnnxBuilder b;
  b.input("x", {1, 3, 15, 15});
  b.weights("w", {4, 3, 4, 4});
  auto& up = b.node("Conv", {"x", "w"}, {"u"}, "same_upper");
  OnnxBuilder::attr(up, "auto_pad", std::string("SAME_UPPER"));
  OnnxBuilder::attr(up, "strides", std::vector<std::int64_t>{2, 2});
  auto& lo = b.node("Conv", {"x", "w"}, {"v"}, "same_lower");
  OnnxBuilder::attr(lo, "auto_pad", std::string("SAME_LOWER"));
  OnnxBuilder::attr(lo, "strides", std::vector<std::int64_t>{2, 2});
  auto& mp = b.node("MaxPool", {"u"}, {"p"}, "pool");
  OnnxBuilder::attr(mp, "kernel_shape", std::vector<std::int64_t>{3, 3});
  OnnxBuilder::attr(mp, "strides", std::vector<std::int64_t>{2, 2});
  OnnxBuilder::attr(mp, "ceil_mode", std::int64_t{1});
  b.output("p");
  b.output("v");
  const auto net = import_model(b);
  // SAME: P = ceil(15 / 2) = 8; total padding (8 − 1)·2 + 4 − 15 = 3, split 1 + 2 (upper puts
  // the extra pixel at the end) or 2 + 1 (lower). MACs 4·8·8·3·4·4.
  const auto& u = named(net, "same_upper").shape;
  CHECK(u.P == 8);
  CHECK(u.Q == 8);
  CHECK(u.pad_h == 1);
  CHECK(named(net, "same_upper").macs() == 12288);
  CHECK(named(net, "same_lower").shape.pad_h == 2);
  CHECK(named(net, "same_lower").shape.P == 8);
  // ceil((8 − 3) / 2) + 1 = 4 where the floor convention would give 3.
  CHECK(named(net, "pool").shape.P == 4);
}

TEST_CASE("onnx channel shuffle: Shape → Gather → Div → Reshape → Transpose → Reshape folds") {
  OnnxBuilder b;
  b.input("x", {1, 8, 4, 4});
  b.weights("w0", {8, 8, 1, 1});
  b.weights("w1", {16, 8, 1, 1});
  b.ints("one", {1}, true);
  b.ints("two", {2}, true);
  b.ints("axes0", {0});
  b.ints("lead", {1, 2});
  b.ints("hw", {4, 4});
  b.ints("flat", {1, -1, 4, 4});
  b.node("Conv", {"x", "w0"}, {"y"}, "conv0");
  b.node("Shape", {"y"}, {"s"});
  b.node("Gather", {"s", "one"}, {"c"});
  b.node("Div", {"c", "two"}, {"cg"});
  b.node("Unsqueeze", {"cg", "axes0"}, {"cg1"});
  OnnxBuilder::attr(b.node("Concat", {"lead", "cg1", "hw"}, {"shape5"}), "axis", std::int64_t{0});
  b.node("Reshape", {"y", "shape5"}, {"r1"}, "split_groups");
  OnnxBuilder::attr(b.node("Transpose", {"r1"}, {"t"}, "shuffle"), "perm",
                    std::vector<std::int64_t>{0, 2, 1, 3, 4});
  b.node("Reshape", {"t", "flat"}, {"r2"}, "merge_groups");
  b.node("Conv", {"r2", "w1"}, {"z"}, "conv1");
  b.output("z");
  const auto net = import_model(b);
  // Shape, Gather, Div, Unsqueeze and Concat fold away: five layers remain.
  REQUIRE(net.layers.size() == 5);
  CHECK(net.layers[1].op == OpKind::reshape);
  CHECK(net.layers[2].op == OpKind::transpose);
  CHECK(net.layers[2].shape.C == 8);  // [1, 4, 2, 4, 4]: 4·2 channels of 4×4
  CHECK(named(net, "conv1").inputs == std::vector<std::string>{"merge_groups"});
  CHECK(named(net, "conv1").shape.C == 8);
  CHECK(named(net, "conv1").macs() == 16 * 16 * 8);
}

TEST_CASE("onnx concat adds its inputs' channels and records both edges") {
  OnnxBuilder b;
  b.input("x", {1, 8, 10, 10});
  b.weights("wa", {16, 8, 1, 1});
  b.weights("wb", {24, 8, 3, 3});
  b.weights("wc", {10, 40, 1, 1});
  b.node("Conv", {"x", "wa"}, {"a"}, "branch_a");
  OnnxBuilder::attr(b.node("Conv", {"x", "wb"}, {"b"}, "branch_b"), "pads",
                    std::vector<std::int64_t>{1, 1, 1, 1});
  OnnxBuilder::attr(b.node("Concat", {"a", "b"}, {"cat"}, "cat"), "axis", std::int64_t{1});
  b.node("Conv", {"cat", "wc"}, {"y"}, "fuse");
  b.output("y");
  const auto net = import_model(b);
  CHECK(named(net, "cat").shape.C == 40);
  CHECK(named(net, "cat").inputs == std::vector<std::string>{"branch_a", "branch_b"});
  CHECK(named(net, "fuse").macs() == 10 * 100 * 40);
}

TEST_CASE("onnx squeeze-excitation: ReduceMean is a global pool and Mul joins the gate") {
  OnnxBuilder b;
  b.input("x", {1, 16, 8, 8});
  b.weights("w0", {16, 16, 3, 3});
  b.weights("wr", {4, 16, 1, 1});
  b.weights("we", {16, 4, 1, 1});
  OnnxBuilder::attr(b.node("Conv", {"x", "w0"}, {"y"}, "conv0"), "pads",
                    std::vector<std::int64_t>{1, 1, 1, 1});
  auto& rm = b.node("ReduceMean", {"y"}, {"s"}, "squeeze");
  OnnxBuilder::attr(rm, "axes", std::vector<std::int64_t>{2, 3});
  b.node("Conv", {"s", "wr"}, {"r"}, "reduce");
  b.node("Relu", {"r"}, {"ra"}, "relu");
  b.node("Conv", {"ra", "we"}, {"e"}, "expand");
  b.node("HardSigmoid", {"e"}, {"gate"}, "gate");
  b.node("Mul", {"y", "gate"}, {"z"}, "excite");
  b.output("z");
  const auto net = import_model(b);
  const auto& sq = named(net, "squeeze");
  CHECK(sq.op == OpKind::global_avgpool);
  CHECK(sq.shape.R == 8);
  CHECK(sq.shape.P == 1);
  CHECK(named(net, "reduce").macs() == 4 * 16);
  const auto& mul = named(net, "excite");
  CHECK(mul.op == OpKind::mul);
  CHECK(mul.inputs == std::vector<std::string>{"conv0", "gate"});
  CHECK(mul.shape.C == 16);
  CHECK(mul.shape.H == 8);
}

TEST_CASE("onnx MatMul: with weights a fc layer, between activations an act_matmul") {
  OnnxBuilder b;
  b.input("x", {1, 4, 2, 2});
  b.input("q", {1, 6, 8});
  b.weights("w", {16, 10});
  b.node("Flatten", {"x"}, {"f"}, "flatten");
  b.node("MatMul", {"f", "w"}, {"y"}, "linear");
  OnnxBuilder::attr(b.node("Transpose", {"q"}, {"kt"}, "kt"), "perm",
                    std::vector<std::int64_t>{0, 2, 1});
  b.node("MatMul", {"q", "kt"}, {"att"}, "scores");
  b.output("y");
  b.output("att");
  const auto net = import_model(b);
  const auto& fc = named(net, "linear");
  CHECK(fc.op == OpKind::fc);
  CHECK(fc.shape.C == 16);
  CHECK(fc.shape.M == 10);
  CHECK(fc.macs() == 160);
  const auto& g = named(net, "scores");
  CHECK(g.op == OpKind::act_matmul);
  CHECK(g.macs() == 6 * 6 * 8);  // (6×8)·(8×6)
  CHECK(g.shape.weight_elems() == 8 * 6);  // the second operand, Kᵀ
  CHECK(g.inputs == std::vector<std::string>{"kt"});
}

TEST_CASE("onnx weights given as graph inputs instead of initializers") {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.input("w", {4, 3, 3, 3});
  b.input("fcw", {10, 144});
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  b.node("Flatten", {"y"}, {"f"}, "flatten");
  OnnxBuilder::attr(b.node("Gemm", {"f", "fcw"}, {"z"}, "fc"), "transB", std::int64_t{1});
  b.output("z");
  const auto net = import_model(b);
  CHECK(named(net, "conv").macs() == 4 * 36 * 3 * 9);  // 6×6 outputs
  CHECK(named(net, "fc").op == OpKind::fc);
  CHECK(named(net, "fc").macs() == 144 * 10);
  CHECK(named(net, "fc").inputs == std::vector<std::string>{"flatten"});
}

TEST_CASE("onnx a model over 100 MB loads (protobuf's default size cap lifted)") {
  const auto path = std::filesystem::temp_directory_path() / "loom_test_large.onnx";
  {
    OnnxBuilder b;
    b.input("x", {1, 25000});
    b.weights("w", {25000, 1100});  // 27.5 M floats = 110 MB
    b.node("MatMul", {"x", "w"}, {"y"}, "big");
    b.output("y");
    std::ofstream out(path, std::ios::binary);
    REQUIRE(b.model().SerializeToOstream(&out));
  }
  CHECK(std::filesystem::file_size(path) > 100'000'000u);
  const auto net = loom::onnx::load_onnx(path);
  std::filesystem::remove(path);
  REQUIRE(net.layers.size() == 1);
  CHECK(net.layers[0].macs() == 25000 * 1100);
}

TEST_CASE("onnx Inception's input transform: Gather of channels, scaled, concatenated") {
  OnnxBuilder b;
  b.input("x", {1, 3, 16, 16});
  b.weights("w", {8, 3, 3, 3});
  b.weights("scale", {1});
  b.weights("shift", {1});
  b.ints("ax1", {1});
  for (int c = 0; c < 3; ++c) {
    const std::string k = std::to_string(c);
    b.ints("i" + k, {c}, true);
    OnnxBuilder::attr(b.node("Gather", {"x", "i" + k}, {"g" + k}, "pick" + k), "axis",
                      std::int64_t{1});
    b.node("Unsqueeze", {"g" + k, "ax1"}, {"u" + k}, "unsq" + k);
    b.node("Mul", {"u" + k, "scale"}, {"m" + k}, "mul" + k);
    b.node("Add", {"m" + k, "shift"}, {"a" + k}, "add" + k);
  }
  OnnxBuilder::attr(b.node("Concat", {"a0", "a1", "a2"}, {"xt"}, "cat"), "axis", std::int64_t{1});
  b.node("Conv", {"xt", "w"}, {"y"}, "conv");
  b.output("y");
  const auto net = import_model(b);
  const auto& pick = named(net, "pick1");
  CHECK(pick.op == OpKind::slice);
  CHECK(pick.shape.C == 3);
  CHECK(pick.shape.M == 1);
  CHECK(pick.shape.P == 16);
  CHECK(named(net, "cat").shape.C == 3);
  CHECK(named(net, "conv").macs() == 8 * 14 * 14 * 3 * 9);
}

TEST_CASE("onnx Split, Pad, Resize and Slice of run-time tensors keep their sizes") {
  OnnxBuilder b;
  b.input("x", {1, 8, 6, 6});
  b.weights("w", {4, 4, 1, 1});
  b.weights("w2", {3, 2, 1, 1});
  b.ints("halves", {4, 4});
  b.ints("pads", {0, 0, 1, 0, 0, 0, 2, 3});
  b.weights("roi", {0});
  auto* scales = b.model().mutable_graph()->add_initializer();
  scales->set_name("scales");
  scales->set_data_type(::onnx::TensorProto::FLOAT);
  scales->add_dims(4);
  for (float s : {1.0f, 1.0f, 2.0f, 2.0f}) scales->add_float_data(s);
  b.ints("s0", {0});
  b.ints("s1", {2});
  b.ints("s_axes", {1});
  OnnxBuilder::attr(b.node("Split", {"x", "halves"}, {"h0", "h1"}, "chunk"), "axis",
                    std::int64_t{1});
  b.node("Conv", {"h1", "w"}, {"c"}, "branch");
  OnnxBuilder::attr(b.node("Concat", {"h0", "c"}, {"cat"}, "cat"), "axis", std::int64_t{1});
  b.node("Pad", {"cat", "pads"}, {"p"}, "pad");
  b.node("Resize", {"p", "roi", "scales"}, {"r"}, "up");
  b.node("Slice", {"r", "s0", "s1", "s_axes"}, {"sl"}, "first2");
  b.node("Conv", {"sl", "w2"}, {"y"}, "head");
  b.output("y");
  const auto net = import_model(b);
  CHECK(named(net, "chunk.0").shape.M == 4);
  CHECK(named(net, "chunk.1").shape.M == 4);
  CHECK(named(net, "branch").inputs == std::vector<std::string>{"chunk.1"});
  CHECK(named(net, "cat").inputs == std::vector<std::string>{"chunk.0", "branch"});
  // Pad: top 1, bottom 2 → 9 rows; left 0, right 3 → 9 columns.
  CHECK(named(net, "pad").shape.P == 9);
  CHECK(named(net, "pad").shape.Q == 9);
  CHECK(named(net, "up").shape.P == 18);
  CHECK(named(net, "first2").shape.M == 2);
  CHECK(named(net, "head").macs() == 3 * 18 * 18 * 2);
}
