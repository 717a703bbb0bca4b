// SPDX-License-Identifier: Apache-2.0
// Writes the ONNX seed corpus (corpus/onnx_model) and the ONNX inputs that crashed Loom before
// issue 15 (crashes/onnx_model): small models built through the onnx protobuf API, so the seeds
// are reproducible and a few hundred bytes each. Run by hand: fuzz_onnx_seeds CORPUS CRASHES.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "onnx/onnx_builder.hpp"

using loom::test::OnnxBuilder;

namespace {

void save(const std::filesystem::path& dir, const std::string& name, const OnnxBuilder& b) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (name + ".onnx"), std::ios::binary) << b.bytes();
}

OnnxBuilder conv_pool_gemm() {
  OnnxBuilder b;
  b.input("x", {1, 3, 16, 16});
  b.weights("w", {8, 3, 3, 3});
  b.weights("fw", {10, 32});
  auto& c = b.node("Conv", {"x", "w"}, {"c"}, "conv1");
  OnnxBuilder::attr(c, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  OnnxBuilder::attr(c, "strides", std::vector<std::int64_t>{2, 2});
  b.node("Relu", {"c"}, {"r"});
  auto& p = b.node("MaxPool", {"r"}, {"p"}, "pool");
  OnnxBuilder::attr(p, "kernel_shape", std::vector<std::int64_t>{4, 4});
  OnnxBuilder::attr(p, "strides", std::vector<std::int64_t>{4, 4});
  b.node("Flatten", {"p"}, {"f"});
  auto& g = b.node("Gemm", {"f", "fw"}, {"y"}, "fc");
  OnnxBuilder::attr(g, "transB", std::int64_t{1});
  b.output("y");
  return b;
}

OnnxBuilder depthwise_same() {
  OnnxBuilder b;
  b.input("x", {-1, 8, 9, 9});
  b.weights("wd", {8, 1, 3, 3});
  b.weights("wp", {4, 8, 1, 1});
  auto& d = b.node("Conv", {"x", "wd"}, {"d"}, "dw");
  OnnxBuilder::attr(d, "group", std::int64_t{8});
  OnnxBuilder::attr(d, "auto_pad", std::string("SAME_UPPER"));
  OnnxBuilder::attr(d, "strides", std::vector<std::int64_t>{2, 2});
  b.node("Conv", {"d", "wp"}, {"y"}, "pw");
  b.output("y");
  return b;
}

OnnxBuilder residual_concat() {
  OnnxBuilder b;
  b.input("x", {1, 4, 8, 8});
  b.weights("w1", {4, 4, 3, 3});
  b.weights("w2", {4, 8, 1, 1});
  auto& c = b.node("Conv", {"x", "w1"}, {"c"}, "conv");
  OnnxBuilder::attr(c, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  b.node("Add", {"c", "x"}, {"a"}, "add");
  auto& cat = b.node("Concat", {"a", "x"}, {"k"}, "cat");
  OnnxBuilder::attr(cat, "axis", std::int64_t{1});
  b.node("Conv", {"k", "w2"}, {"y"}, "mix");
  b.output("y");
  return b;
}

OnnxBuilder squeeze_excite() {
  OnnxBuilder b;
  b.input("x", {1, 8, 4, 4});
  b.weights("w1", {2, 8, 1, 1});
  b.weights("w2", {8, 2, 1, 1});
  auto& m = b.node("ReduceMean", {"x"}, {"m"}, "squeeze");
  OnnxBuilder::attr(m, "axes", std::vector<std::int64_t>{2, 3});
  b.node("Conv", {"m", "w1"}, {"e1"}, "fc1");
  b.node("Relu", {"e1"}, {"r"});
  b.node("Conv", {"r", "w2"}, {"e2"}, "fc2");
  b.node("Sigmoid", {"e2"}, {"s"});
  b.node("Mul", {"x", "s"}, {"y"}, "scale");
  b.output("y");
  return b;
}

OnnxBuilder matmul_softmax() {
  OnnxBuilder b;
  b.input("x", {2, 16});
  b.input("z", {16, 3});
  b.weights("w", {16, 16});
  b.node("MatMul", {"x", "w"}, {"h"}, "proj");
  b.node("MatMul", {"h", "z"}, {"s"}, "scores");
  auto& sm = b.node("Softmax", {"s"}, {"y"});
  OnnxBuilder::attr(sm, "axis", std::int64_t{1});
  b.output("y");
  return b;
}

OnnxBuilder average_pool_ceil() {
  OnnxBuilder b;
  b.input("x", {1, 2, 7, 7});
  auto& p = b.node("AveragePool", {"x"}, {"y"}, "avg");
  OnnxBuilder::attr(p, "kernel_shape", std::vector<std::int64_t>{3, 3});
  OnnxBuilder::attr(p, "strides", std::vector<std::int64_t>{2, 2});
  OnnxBuilder::attr(p, "ceil_mode", std::int64_t{1});
  b.output("y");
  return b;
}

// Before issue 15 these reached ONNX's shape inference, which divided by the stride (SIGFPE)
// or read past a short raw_data (SIGSEGV).
OnnxBuilder stride_zero(const char* op) {
  OnnxBuilder b;
  b.input("x", {1, 2, 8, 8});
  b.weights("w", {2, 2, 3, 3});
  auto& n = std::string(op) == "Conv" ? b.node(op, {"x", "w"}, {"y"}) : b.node(op, {"x"}, {"y"});
  OnnxBuilder::attr(n, "kernel_shape", std::vector<std::int64_t>{3, 3});
  OnnxBuilder::attr(n, "strides", std::vector<std::int64_t>{0, 1});
  b.output("y");
  return b;
}

// A residual block whose weights hold all-zero filters and a 2:4 pattern, for --compact.
OnnxBuilder zeroed_filters() {
  OnnxBuilder b;
  b.input("x", {1, 4, 6, 6});
  std::vector<float> w0(8 * 4), w1(8 * 8 * 9);
  for (std::size_t i = 0; i < w0.size(); ++i) w0[i] = i / 4 == 3 || i / 4 == 6 ? 0.0F : 1.0F;
  for (std::size_t i = 0; i < w1.size(); ++i)
    w1[i] = i / 72 == 3 || (i / 9) % 4 < 2 ? 0.0F : 0.5F;  // filter 3 zero; 2:4 along C
  b.floats("w0", {8, 4, 1, 1}, w0);
  b.floats("w1", {8, 8, 3, 3}, w1);
  b.node("Conv", {"x", "w0"}, {"c0"});
  b.node("Relu", {"c0"}, {"r0"});
  auto& c1 = b.node("Conv", {"r0", "w1"}, {"c1"});
  OnnxBuilder::attr(c1, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
  b.node("Add", {"r0", "c1"}, {"y"});
  b.output("y");
  return b;
}

OnnxBuilder short_raw_data() {
  OnnxBuilder b;
  b.input("x", {1, 2, 4, 4});
  b.node("Reshape", {"x", "shape"}, {"y"});
  auto* t = b.model().mutable_graph()->add_initializer();
  t->set_name("shape");
  t->set_data_type(::onnx::TensorProto::INT64);
  t->add_dims(2);
  t->mutable_raw_data()->assign(3, '\0');
  b.output("y");
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz_onnx_seeds CORPUS_DIR CRASHES_DIR\n");
    return 2;
  }
  const std::filesystem::path corpus = argv[1], crashes = argv[2];
  save(corpus, "conv_pool_gemm", conv_pool_gemm());
  save(corpus, "depthwise_same", depthwise_same());
  save(corpus, "residual_concat", residual_concat());
  save(corpus, "squeeze_excite", squeeze_excite());
  save(corpus, "matmul_softmax", matmul_softmax());
  save(corpus, "average_pool_ceil", average_pool_ceil());
  save(corpus, "zeroed_filters", zeroed_filters());
  save(crashes, "issue15_conv_stride_0", stride_zero("Conv"));
  save(crashes, "issue15_maxpool_stride_0", stride_zero("MaxPool"));
  save(crashes, "issue15_averagepool_stride_0", stride_zero("AveragePool"));
  save(crashes, "issue15_short_raw_data", short_raw_data());
  return 0;
}
