// SPDX-License-Identifier: Apache-2.0
#pragma once
// ONNX model → workloads::Network. Every node becomes a layer (MAC layers: Conv, Gemm, MatMul;
// the non-MAC operators of docs/workloads.md with their tensor sizes), except shape arithmetic
// (Shape, Gather, Constant, arithmetic on constants...), which is folded to constants, and
// Identity/Cast/Dropout, which pass their input through, as do the quantizers (QuantizeLinear,
// DequantizeLinear, QONNX Quant/BipolarQuant/Trunc), whose widths become the MAC layers'
// precision (QLinearConv/QLinearMatMul/ConvInteger/MatMulInteger are MAC layers too); each MAC
// layer's weight density is counted from its initializer, with the structure of its zeros
// (all-zero filters and input channels, N:M patterns: workloads::WeightSparsity). Edges follow the
// ONNX tensors, so Layer::inputs names each layer's producers. Shapes come from Loom's own
// propagation and are checked against ONNX's shape inference (libonnx 1.12) wherever that knows
// them. Bad input (unreadable or truncated file, an operator outside the supported list, a shape
// that cannot be determined) throws one loom::Error naming the file, the node and the op.
// This library alone links protobuf and libonnx; workloads stays free of them.
#include <filesystem>
#include <string>
#include <string_view>

#include "workloads/network.hpp"

namespace loom::onnx {

struct ImportOptions {
  // Remove the all-zero filters and input channels of the weights, as `loom import --compact`
  // does (docs/workloads.md): smaller M and C, densities recounted over the remaining weights.
  bool compact = false;
};

// Serialized ModelProto bytes (any size up to protobuf's 2 GB message limit).
workloads::Network parse_onnx(std::string_view bytes, const std::string& file_name,
                              const ImportOptions& options = {});
workloads::Network load_onnx(const std::filesystem::path& path);
workloads::Network load_onnx_with(const std::filesystem::path& path, const ImportOptions& options);

// {".onnx", load_onnx}, for workloads::load_workload.
workloads::WorkloadImporters workload_importers();

}  // namespace loom::onnx
