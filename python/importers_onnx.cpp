// SPDX-License-Identifier: Apache-2.0
#include "onnx/onnx_import.hpp"
#include "python/importers.hpp"

namespace loom::python {

workloads::WorkloadImporters workload_importers() { return onnx::workload_importers(); }

workloads::Network parse_onnx_bytes(std::string_view bytes, const std::string& name) {
  return onnx::parse_onnx(bytes, name);
}

}  // namespace loom::python
