// SPDX-License-Identifier: Apache-2.0
// What the ONNX importer refuses, and how it says so: one loom::Error naming the file, the node
// and the operator — never a crash or a silently wrong shape.
#include <catch2/catch.hpp>
#include <filesystem>

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

// Issue 15: what used to crash ONNX's shape inference (SIGFPE, SIGSEGV) or was accepted
// silently is now refused before the inference runs, with the node and the expected range.
TEST_CASE("onnx stride 0 on a window operator is refused before shape inference") {
  for (const char* op : {"Conv", "MaxPool", "AveragePool"}) {
    OnnxBuilder b;
    b.input("x", {1, 3, 8, 8});
    b.weights("w", {4, 3, 3, 3});
    auto& n = std::string(op) == "Conv" ? b.node(op, {"x", "w"}, {"y"}, "win")
                                        : b.node(op, {"x"}, {"y"}, "win");
    if (std::string(op) != "Conv")
      OnnxBuilder::attr(n, "kernel_shape", std::vector<std::int64_t>{3, 3});
    OnnxBuilder::attr(n, "strides", std::vector<std::int64_t>{0, 1});
    OnnxBuilder::attr(n, "auto_pad", std::string("SAME_UPPER"));
    b.output("y");
    const std::string msg = error_of(b.bytes());
    CHECK_THAT(msg, Catch::Contains("model.onnx"));
    CHECK_THAT(msg, Catch::Contains("node 'win' (" + std::string(op) + ")"));
    CHECK_THAT(msg, Catch::Contains("strides has 0 (expected integers from 1 to 2147483647)"));
  }
}

// Found by fuzzing: ONNX's Conv shape inference indexes past its arrays when the weights have
// another rank than the input. It now runs in a child process; its crash is a refusal.
TEST_CASE("onnx a malformed graph that crashes ONNX's shape inference is refused") {
  OnnxBuilder b;
  b.input("x", {1, 4, 8});       // 3-D: a 1-D convolution's input
  b.weights("w", {4, 4, 3, 3});  // 4-D: a 2-D convolution's weights
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  b.output("y");
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("model.onnx graph: ONNX's shape inference crashed"));
  CHECK_THAT(msg, Catch::Contains("onnx.checker.check_model"));
}

TEST_CASE("onnx an unknown auto_pad is refused with the four valid values") {
  OnnxBuilder b = conv_model();
  OnnxBuilder::attr(*b.model().mutable_graph()->mutable_node(0), "auto_pad",
                    std::string("SAME_MIDDLE"));
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("node 'conv' (Conv)"));
  CHECK_THAT(msg, Catch::Contains("NOTSET, SAME_UPPER, SAME_LOWER, VALID"));
}

TEST_CASE("onnx an initializer whose raw_data is shorter than its dims is refused") {
  OnnxBuilder b = conv_model();
  b.ints("shape", {1, -1});
  auto* t = b.model().mutable_graph()->mutable_initializer(1);
  t->clear_int64_data();
  t->mutable_raw_data()->assign(3, '\0');  // 3 bytes for two int64 values
  b.node("Reshape", {"y", "shape"}, {"z"}, "flat");
  b.output("z");
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("initializer 'shape'"));
  CHECK_THAT(msg, Catch::Contains("holds 3 bytes of raw_data, but its 2 elements need 16"));
}

TEST_CASE("onnx a weight dimension beyond 2^31 - 1 is refused before any product is formed") {
  OnnxBuilder b;
  b.input("x", {1, 3, 8, 8});
  auto* w = b.model().mutable_graph()->add_initializer();  // dims only, as external weights
  w->set_name("w");
  w->set_data_type(::onnx::TensorProto::FLOAT);
  for (std::int64_t d : {std::int64_t{4}, std::int64_t{1} << 40, std::int64_t{3}, std::int64_t{3}})
    w->add_dims(d);
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  CHECK_THAT(error_of(b.bytes()),
             Catch::Contains("initializer 'w': has a dimension of 1099511627776 (expected at most "
                             "2147483647)"));
}

TEST_CASE("onnx an opset ONNX does not know, or none, is refused") {
  OnnxBuilder b(99);
  b.input("x", {1, 3, 8, 8});
  b.weights("w", {4, 3, 3, 3});
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  CHECK_THAT(error_of(b.bytes()), Catch::Contains("default-domain opset 99 is not one"));
  OnnxBuilder none = conv_model();
  none.model().clear_opset_import();
  CHECK_THAT(error_of(none.bytes()), Catch::Contains("no opset for the default ONNX domain"));
  // Another domain's opset beside the default one is fine as long as no node uses it.
  OnnxBuilder extra = conv_model();
  auto* ml = extra.model().add_opset_import();
  ml->set_domain("ai.onnx.ml");
  ml->set_version(3);
  CHECK(error_of(extra.bytes()) == "no error");
}

TEST_CASE("onnx a Softmax axis outside the input's rank is refused") {
  OnnxBuilder b = conv_model();
  auto& n = b.node("Softmax", {"y"}, {"z"}, "soft");
  OnnxBuilder::attr(n, "axis", std::int64_t{99});
  b.output("z");
  const std::string msg = error_of(b.bytes());
  CHECK_THAT(msg, Catch::Contains("node 'soft' (Softmax)"));
  CHECK_THAT(msg, Catch::Contains("axis is 99 (expected -4 to 3"));
}

TEST_CASE("onnx a directory or other non-regular file named .onnx is refused") {
  const auto dir = std::filesystem::temp_directory_path() / "loom_test_dir.onnx";
  std::filesystem::create_directories(dir);
  CHECK_THROWS_WITH(loom::onnx::load_onnx(dir), Catch::Contains("is not a regular file"));
  std::filesystem::remove(dir);
  CHECK_THROWS_WITH(loom::onnx::load_onnx("/dev/zero"), Catch::Contains("is not a regular file"));
}
