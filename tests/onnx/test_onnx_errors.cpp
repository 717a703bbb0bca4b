// SPDX-License-Identifier: Apache-2.0
// What the ONNX importer refuses, and how it says so: one loom::Error naming the file, the node
// and the operator — never a crash or a silently wrong shape.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "onnx/onnx_builder.hpp"
#include "onnx/onnx_import.hpp"

using namespace loom;
using loom::test::OnnxBuilder;

namespace {

std::string error_of(const std::string& bytes) {
  try {
    (void)loom::onnx::parse_onnx(bytes, "model.onnx");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

OnnxBuilder conv_model() {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.weights("w", {4, 3, 3, 3});
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  b.output("y");
  return b;
}

}  // namespace

TEST_CASE("onnx an unsupported operator is named with its node and the file") {
  OnnxBuilder b = conv_model();
  b.node("LRN", {"y"}, {"z"}, "norm1");
  b.output("z");
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("model.onnx"));
  CHECK_THAT(msg, Catch::Contains("node 'norm1' (LRN)"));
  CHECK_THAT(msg, Catch::Contains("unsupported ONNX operator 'LRN'"));
  CHECK_THAT(msg, Catch::Contains("Conv, Gemm, MatMul"));  // and what is supported
}

TEST_CASE("onnx an operator of another domain is refused by name") {
  OnnxBuilder b = conv_model();
  b.node("FusedConv", {"y"}, {"z"}, "fused").set_domain("com.microsoft");
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("'FusedConv' of domain 'com.microsoft'"));
}

TEST_CASE("onnx a truncated file is a clear error, not a crash") {
  const std::string bytes = conv_model().bytes();
  // Cut inside the weights so that the last field's length runs past the end.
  const std::string msg = error_of(bytes.substr(0, bytes.size() / 2));
  CHECK_THAT(msg, Catch::Contains("model.onnx"));
  CHECK_THAT(msg, Catch::Contains("truncated"));
  CHECK_THAT(error_of("not a model at all"), Catch::Contains("model.onnx"));
}

TEST_CASE("onnx a missing file names the file") {
  CHECK_THROWS_WITH(loom::onnx::load_onnx("/no/such/model.onnx"),
                    Catch::Contains("/no/such/model.onnx"));
}

TEST_CASE("onnx a Reshape whose shape is computed at run time is refused, not guessed") {
  OnnxBuilder b = conv_model();
  b.input("shape", {2});
  b.node("Reshape", {"y", "shape"}, {"z"}, "dyn");
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("node 'dyn' (Reshape)"));
  CHECK_THAT(msg, Catch::Contains("not a constant"));
}

TEST_CASE("onnx a symbolic size other than the batch is refused") {
  OnnxBuilder b;
  b.input("x", {-1, 3, 8, 8});
  b.model()
      .mutable_graph()
      ->mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(2)
      ->set_dim_param("height");
  b.weights("w", {4, 3, 3, 3});
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  CHECK_THAT(error_of(b.bytes()), Catch::Contains("symbolic size"));
}

TEST_CASE("onnx weights that do not fit the input channels are an error naming the conv") {
  OnnxBuilder b;
  b.input("x", {1, 6, 8, 8});
  b.weights("w", {4, 4, 3, 3});
  b.node("Conv", {"x", "w"}, {"y"}, "bad");
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("node 'bad' (Conv)"));
  CHECK_THAT(msg, Catch::Contains("6 channels"));
}

TEST_CASE("onnx files load through workloads::load_workload when the importer is registered") {
  const std::string path = LOOM_TEST_DATA "/onnx/squeezenet1_1.onnx";
  CHECK(workloads::load_workload(path, loom::onnx::workload_importers()).macs() == 349151936);
  CHECK_THROWS_WITH(workloads::load_workload(path), Catch::Contains("not a zoo network"));
}

TEST_CASE("onnx every truncation and single-byte corruption of a model is imported or refused") {
  // A small graph with shape arithmetic, so corrupted dims and constants reach the folding.
  OnnxBuilder b;
  b.input("x", {1, 4, 6, 6});
  b.weights("w", {4, 4, 1, 1});
  b.ints("one", {1}, true);
  b.ints("flat", {1, -1});
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  b.node("Shape", {"y"}, {"s"});
  b.node("Gather", {"s", "one"}, {"c"});
  b.node("Reshape", {"y", "flat"}, {"f"}, "flatten");
  b.output("f");
  const std::string good = b.bytes();
  int refused = 0, imported = 0;
  const auto attempt = [&](const std::string& bytes) {
    try {
      (void)loom::onnx::parse_onnx(bytes, "fuzz.onnx");
      ++imported;
    } catch (const Error&) {
      ++refused;  // a loom::Error is the only acceptable failure
    }
  };
  for (std::size_t n = 0; n < good.size(); ++n) attempt(good.substr(0, n));
  for (std::size_t i = 0; i < good.size(); ++i)
    for (int v : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(v);
      attempt(bad);
    }
  CHECK(refused > 0);
  CHECK(imported > 0);
}
