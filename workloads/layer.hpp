// SPDX-License-Identifier: Apache-2.0
#pragma once
// One layer of a DNN as the 7-dim convolution loop nest (N, M, C, P, Q, R, S) with strides,
// dilation, padding and groups. FC and GEMM layers are convolutions with P=Q=R=S=1 (GEMM rows
// become P); depthwise layers use `groups`. Non-MAC operators (pooling, adds, activations) are
// recorded with their tensor sizes but do no MACs and are not mapped. Plain values throughout.
#include <array>
#include <cstdint>
#include <string>

#include "core/enum_table.hpp"

namespace loom::workloads {

enum class OpKind {
  conv,
  depthwise,
  pointwise,
  fc,
  gemm,
  // Recorded, not mapped:
  maxpool,
  avgpool,
  global_avgpool,
  add,
  mul,
  concat,
  activation,
  batchnorm,
  softmax,
  flatten,
};

inline constexpr std::array<core::EnumName<OpKind>, 15> kOpKinds{{
    {OpKind::conv, "conv"},
    {OpKind::depthwise, "depthwise"},
    {OpKind::pointwise, "pointwise"},
    {OpKind::fc, "fc"},
    {OpKind::gemm, "gemm"},
    {OpKind::maxpool, "maxpool"},
    {OpKind::avgpool, "avgpool"},
    {OpKind::global_avgpool, "global_avgpool"},
    {OpKind::add, "add"},
    {OpKind::mul, "mul"},
    {OpKind::concat, "concat"},
    {OpKind::activation, "activation"},
    {OpKind::batchnorm, "batchnorm"},
    {OpKind::softmax, "softmax"},
    {OpKind::flatten, "flatten"},
}};

// Limits that keep every count inside 64-bit integers, with room for a batch of kMaxBatch.
inline constexpr long double kMaxLayerMacs = 1e15L;
inline constexpr std::int64_t kMaxBatch = 1000;

[[nodiscard]] constexpr bool does_macs(OpKind op) {
  return op == OpKind::conv || op == OpKind::depthwise || op == OpKind::pointwise ||
         op == OpKind::fc || op == OpKind::gemm;
}

struct LayerShape {
  std::int64_t N = 1;  // batch
  std::int64_t M = 1;  // output channels (filters)
  std::int64_t C = 1;  // input channels
  std::int64_t H = 1;  // input height (before padding)
  std::int64_t W = 1;  // input width
  std::int64_t P = 1;  // output height
  std::int64_t Q = 1;  // output width
  std::int64_t R = 1;  // filter height
  std::int64_t S = 1;  // filter width
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_h = 0, pad_w = 0;  // per side
  std::int64_t groups = 1;

  [[nodiscard]] constexpr std::int64_t channels_per_group() const { return C / groups; }
  [[nodiscard]] constexpr std::int64_t macs() const {
    return N * M * P * Q * channels_per_group() * R * S;
  }
  [[nodiscard]] constexpr std::int64_t weight_elems() const {
    return M * channels_per_group() * R * S;
  }
  [[nodiscard]] constexpr std::int64_t ifmap_elems() const { return N * C * H * W; }
  [[nodiscard]] constexpr std::int64_t ofmap_elems() const { return N * M * P * Q; }

  friend bool operator==(const LayerShape&, const LayerShape&) = default;
};

// Output size of a sliding window under the usual floor convention (PyTorch, ONNX):
// floor((in + 2·pad − dilation·(k − 1) − 1) / stride) + 1. May be <= 0 for impossible shapes.
[[nodiscard]] constexpr std::int64_t conv_output_size(std::int64_t in, std::int64_t k,
                                                      std::int64_t stride, std::int64_t pad,
                                                      std::int64_t dilation) {
  const std::int64_t span = in + 2 * pad - dilation * (k - 1) - 1;
  if (span < 0) return 0;
  return span / stride + 1;
}

// Bit widths of one layer's operands; 0 means "the PE's native width" and is resolved when the
// layer meets an accelerator.
struct Precision {
  int weight_bits = 0;
  int activation_bits = 0;
  int output_bits = 0;
  friend bool operator==(const Precision&, const Precision&) = default;
};

// Fraction of nonzero values in each tensor, in (0, 1]; 1 = dense. Only hardware that exploits
// zeros (PE zero-gating, compressed DRAM transfers) reads these; dense models ignore them.
struct Density {
  double ifmap = 1.0;
  double weight = 1.0;
  double ofmap = 1.0;
  friend bool operator==(const Density&, const Density&) = default;
};

struct Layer {
  std::string name;
  OpKind op = OpKind::conv;
  LayerShape shape;
  Precision precision;
  Density density;

  [[nodiscard]] std::int64_t macs() const { return does_macs(op) ? shape.macs() : 0; }
};

}  // namespace loom::workloads
