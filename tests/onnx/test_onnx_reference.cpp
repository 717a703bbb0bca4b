// SPDX-License-Identifier: Apache-2.0
// Real torchvision exports against their independent layer profiles (*.macs.json, computed from
// the PyTorch modules, not by Loom): every conv and linear layer's shape and MACs must be equal,
// and so must the totals. SqueezeNet 1.1 ships in tests/data; MobileNetV2 (14 MB) is read from
// ../shared/reference when that folder exists; otherwise its test exits with 77, which CTest
// reports as skipped (SKIP_RETURN_CODE, tests/CMakeLists.txt), never as passed.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "onnx/onnx_import.hpp"
#include "workloads/graph.hpp"

using namespace loom;
using workloads::OpKind;

namespace {

// Returns the number of MAC layers compared.
std::size_t check_against_profile(const workloads::Network& net, const std::string& json_path) {
  std::ifstream in(json_path);
  REQUIRE(in);
  const auto ref = nlohmann::json::parse(in);
  std::vector<const workloads::Layer*> mac;
  for (const auto& l : net.layers)
    if (workloads::does_macs(l.op)) mac.push_back(&l);
  const auto& layers = ref.at("layers");
  REQUIRE(mac.size() == layers.size());
  std::int64_t convs = 0, linears = 0;
  for (std::size_t i = 0; i < mac.size(); ++i) {
    const auto& l = *mac[i];
    const auto& r = layers[i];
    INFO("MAC layer " << i << " " << l.name);
    CHECK(l.shape.C == r.at("cin").get<std::int64_t>());
    CHECK(l.shape.M == r.at("cout").get<std::int64_t>());
    CHECK(l.macs() == r.at("macs").get<std::int64_t>());
    if (r.at("kind") == "linear") {
      CHECK(l.op == OpKind::fc);
      ++linears;
      continue;
    }
    ++convs;
    CHECK((l.op == OpKind::conv || l.op == OpKind::depthwise || l.op == OpKind::pointwise));
    CHECK(l.shape.groups == r.at("groups").get<std::int64_t>());
    CHECK(l.shape.R == r.at("kernel")[0].get<std::int64_t>());
    CHECK(l.shape.S == r.at("kernel")[1].get<std::int64_t>());
    CHECK(l.shape.stride_h == r.at("stride")[0].get<std::int64_t>());
    CHECK(l.shape.stride_w == r.at("stride")[1].get<std::int64_t>());
    CHECK(l.shape.P == r.at("out_hw")[0].get<std::int64_t>());
    CHECK(l.shape.Q == r.at("out_hw")[1].get<std::int64_t>());
  }
  CHECK(convs == ref.at("conv_layers").get<std::int64_t>());
  CHECK(linears == ref.at("linear_layers").get<std::int64_t>());
  CHECK(net.macs() == ref.at("total_macs").get<std::int64_t>());
  // The edges the importer records explain every layer's input channels.
  CHECK(workloads::channel_problems(net).empty());
  // And the network survives the trip through workload YAML unchanged.
  const auto back = workloads::parse_workload_yaml(workloads::to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
  return mac.size();
}

}  // namespace

TEST_CASE("squeezenet1_1.onnx matches its profile layer by layer (26 convs, 349.15 M MACs)") {
  const auto net = loom::onnx::load_onnx(LOOM_TEST_DATA "/onnx/squeezenet1_1.onnx");
  CHECK(check_against_profile(net, LOOM_TEST_DATA "/onnx/squeezenet1_1.macs.json") == 26);
  CHECK(net.name == "squeezenet1_1");
  std::int64_t concats = 0;
  for (const auto& l : net.layers) concats += l.op == OpKind::concat ? 1 : 0;
  CHECK(concats == 8);  // one per fire module (Iandola et al. 2016, Fig. 2)
}

TEST_CASE("mobilenet_v2.onnx from ../shared matches its profile layer by layer") {
  const std::filesystem::path path =
      std::filesystem::path(LOOM_SOURCE_DIR) / "../shared/reference/onnx/mobilenet_v2.onnx";
  if (!std::filesystem::exists(path)) {
    std::cout << "SKIP: " << path.string() << " is absent" << std::endl;
    std::exit(77);  // each test case runs in its own process (catch_discover_tests)
  }
  const auto net = loom::onnx::load_onnx(path);
  CHECK(check_against_profile(net, LOOM_TEST_DATA "/onnx/mobilenet_v2.macs.json") == 53);
  std::int64_t adds = 0;
  for (const auto& l : net.layers) adds += l.op == OpKind::add ? 1 : 0;
  CHECK(adds == 10);  // Sandler et al. 2018, Table 2: the repeated bottlenecks
}
