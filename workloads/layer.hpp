// SPDX-License-Identifier: Apache-2.0
#pragma once
// One layer of a DNN as the 7-dim convolution loop nest (N, M, C, P, Q, R, S) with strides,
// dilation, padding and groups. FC and GEMM layers are convolutions with P=Q=R=S=1 (GEMM rows
// become P); depthwise layers use `groups`. Non-MAC operators (pooling, adds, activations) are
// recorded with their tensor sizes but do no MACs and are not mapped. `inputs` names the layers
// whose outputs a layer reads (its graph edges); empty means the network's input. Plain values.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/enum_table.hpp"

namespace loom::workloads {

enum class OpKind {
  conv,
  depthwise,
  pointwise,
  fc,
  gemm,
  act_matmul,
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
  layernorm,
  flatten,
  sub,
  div,
  reduce_mean,
  split,
  slice,
  pad,
  resize,
  reshape,
  transpose,
  where,    // element-wise select (attention masks: Where, Trilu)
  logical,  // element-wise comparison and logic (attention masks: Equal, Or, And, Not)
};

inline constexpr std::array<core::EnumName<OpKind>, 28> kOpKinds{{
    {OpKind::conv, "conv"},
    {OpKind::depthwise, "depthwise"},
    {OpKind::pointwise, "pointwise"},
    {OpKind::fc, "fc"},
    {OpKind::gemm, "gemm"},
    {OpKind::act_matmul, "act_matmul"},
    {OpKind::maxpool, "maxpool"},
    {OpKind::avgpool, "avgpool"},
    {OpKind::global_avgpool, "global_avgpool"},
    {OpKind::add, "add"},
    {OpKind::mul, "mul"},
    {OpKind::concat, "concat"},
    {OpKind::activation, "activation"},
    {OpKind::batchnorm, "batchnorm"},
    {OpKind::softmax, "softmax"},
    {OpKind::layernorm, "layernorm"},
    {OpKind::flatten, "flatten"},
    {OpKind::sub, "sub"},
    {OpKind::div, "div"},
    {OpKind::reduce_mean, "reduce_mean"},
    {OpKind::split, "split"},
    {OpKind::slice, "slice"},
    {OpKind::pad, "pad"},
    {OpKind::resize, "resize"},
    {OpKind::reshape, "reshape"},
    {OpKind::transpose, "transpose"},
    {OpKind::where, "where"},
    {OpKind::logical, "logical"},
}};

// Element-wise operators of two or more equally shaped (or broadcast) operands: their operands
// must agree in channels, which is what keeps pruning consistent across residual adds.
[[nodiscard]] constexpr bool is_elementwise(OpKind op) {
  return op == OpKind::add || op == OpKind::mul || op == OpKind::sub || op == OpKind::div;
}

// Limits that keep every count inside 64-bit integers, with room for a batch of kMaxBatch.
inline constexpr long double kMaxLayerMacs = 1e15L;
inline constexpr std::int64_t kMaxBatch = 1000;
// The largest value of one dimension, window, stride, dilation, padding or group count (2^31 − 1,
// ONNX's and SCALE-Sim's int32 sizes): it keeps window arithmetic such as
// in + 2·pad − dilation·(k − 1) exact in 64-bit integers. Products are checked separately.
inline constexpr std::int64_t kMaxDim = 2147483647;

[[nodiscard]] constexpr bool does_macs(OpKind op) {
  return op == OpKind::conv || op == OpKind::depthwise || op == OpKind::pointwise ||
         op == OpKind::fc || op == OpKind::gemm || op == OpKind::act_matmul;
}

// Whether the filter slot of a MAC layer holds pre-loaded weights, to which weight precision,
// weight density, pruning and compression apply. An act_matmul's filter slot is an activation.
[[nodiscard]] constexpr bool has_weights(OpKind op) {
  return does_macs(op) && op != OpKind::act_matmul;
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
  // Padding before the first row/column. The padding after the last one is whatever makes the
  // stored P and Q (ONNX allows asymmetric pads and ceil-mode pools); see padding_end().
  std::int64_t pad_h = 0, pad_w = 0;
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

// Output size with separate padding before and after (ONNX `pads`).
[[nodiscard]] constexpr std::int64_t window_output_size(std::int64_t in, std::int64_t k,
                                                        std::int64_t stride, std::int64_t pad_begin,
                                                        std::int64_t pad_end,
                                                        std::int64_t dilation) {
  const std::int64_t span = in + pad_begin + pad_end - dilation * (k - 1) - 1;
  if (span < 0) return 0;
  return span / stride + 1;
}

// The least padding after the last row that, with `pad_begin` before the first, gives `out`
// output rows under the floor convention; never negative.
[[nodiscard]] constexpr std::int64_t padding_end(std::int64_t in, std::int64_t k,
                                                 std::int64_t stride, std::int64_t pad_begin,
                                                 std::int64_t dilation, std::int64_t out) {
  const std::int64_t e = (out - 1) * stride + dilation * (k - 1) + 1 - in - pad_begin;
  return e < 0 ? 0 : e;
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

// Structure in a layer's zero weights, as found in a model's weights (ONNX import) or stated in
// a workload. Reported (layers.csv, imported YAML), not priced: Density::weight carries the
// zeros' effect on cost.
struct WeightSparsity {
  // N:M: every nm_m consecutive weights along the input channels (at one filter and one window
  // position) hold at most nm_n nonzeros, the tightest such pattern for nm_m in 4, 8, 16;
  // 0:0 = none known.
  int nm_n = 0, nm_m = 0;
  std::int64_t zero_filters = 0;   // output channels whose weights are all zero
  std::int64_t zero_channels = 0;  // input channels that every filter weights by zero
  friend bool operator==(const WeightSparsity&, const WeightSparsity&) = default;
};

struct Layer {
  std::string name;
  OpKind op = OpKind::conv;
  LayerShape shape;
  Precision precision;
  Density density;
  std::vector<std::string> inputs;  // producer layers, in operand order; empty = network input
  WeightSparsity sparsity;

  [[nodiscard]] std::int64_t macs() const { return does_macs(op) ? shape.macs() : 0; }
  // The fraction of nonzeros in the filter slot's operand: the weights', or for an act_matmul
  // its second activation's, which shares ifmap_density with the first (both are activations).
  [[nodiscard]] double filter_density() const {
    return has_weights(op) ? density.weight : density.ifmap;
  }
  // Channels of the tensor this layer writes (non-MAC layers keep M = C).
  [[nodiscard]] std::int64_t out_channels() const { return shape.M; }
  friend bool operator==(const Layer&, const Layer&) = default;
};

}  // namespace loom::workloads
