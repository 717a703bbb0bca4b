// SPDX-License-Identifier: Apache-2.0
#include "core/features.hpp"
#include "core/plugin.hpp"
#include "python/importers.hpp"

namespace loom::python {

workloads::WorkloadImporters workload_importers() {
  return {{".onnx", [](const std::filesystem::path& path) -> workloads::Network {
             core::require(features::kOnnx, "reading an ONNX model (" + path.string() + ")");
             return {};
           }}};
}

workloads::Network parse_onnx_bytes(std::string_view, const std::string& name) {
  core::require(features::kOnnx, "reading an ONNX model (" + name + ")");
  return {};
}

}  // namespace loom::python
