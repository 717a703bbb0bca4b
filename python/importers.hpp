// SPDX-License-Identifier: Apache-2.0
#pragma once
// The workload importers of the Python package: ONNX linked in when the build has
// LOOM_WITH_ONNX (importers_onnx.cpp), else an importer naming the option (importers_none.cpp).
#include <string>
#include <string_view>

#include "workloads/network.hpp"

namespace loom::python {

workloads::WorkloadImporters workload_importers();
// A serialized ONNX ModelProto. Throws loom::Error (bad model, or no ONNX in this build).
workloads::Network parse_onnx_bytes(std::string_view bytes, const std::string& name);

}  // namespace loom::python
