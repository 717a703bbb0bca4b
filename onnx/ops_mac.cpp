// SPDX-License-Identifier: Apache-2.0
// Conv, pooling, Gemm and MatMul: the windowed and matrix operators. Output sizes follow the
// ONNX operator specification (opset 1–17): explicit pads, auto_pad SAME_UPPER/SAME_LOWER/VALID,
// dilations and, for pools, ceil_mode. Asymmetric padding is kept as its leading part plus the
// exact output size (see workloads::LayerShape::pad_h).
#include "onnx/importer.hpp"

namespace loom::onnx::detail {
namespace {

using workloads::OpKind;

struct Window {
  std::int64_t out = 0, begin = 0;
};

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

Window window(const std::string& auto_pad, std::int64_t in, std::int64_t k, std::int64_t s,
              std::int64_t d, std::int64_t pb, std::int64_t pe, bool ceil_mode) {
  const std::int64_t eff = d * (k - 1) + 1;
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    const std::int64_t out = ceil_div(in, s);
    const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s + eff - in);
    // SAME_UPPER puts the odd extra pixel at the end, SAME_LOWER at the beginning.
    return {out, auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2};
  }
  if (auto_pad == "VALID") pb = pe = 0;
  const std::int64_t span = in + pb + pe - eff;
  if (span < 0) return {0, pb};
  return {(ceil_mode ? ceil_div(span, s) : span / s) + 1, pb};
}

}  // namespace

void Importer::conv(const Node& n, int weight) {
  const Tensor& x = in(n, 0);
  const Tensor& w = in(n, weight);
  if (x.shape.size() != 4 || w.shape.size() != 4)
    fail(n, "only 2-D convolutions are modelled (input " + dims_text(x.shape) + ", weights " +
                dims_text(w.shape) + ")");
  pool(n, weight);
}

void Importer::pool(const Node& n, int weight) {
  const std::string& op = n.op_type();
  const Tensor& x = in(n, 0);
  if (x.shape.size() != 4) fail(n, "expected a 4-D NCHW input, got " + dims_text(x.shape));
  const bool global = op == "GlobalAveragePool";
  const bool conv = !global && op != "MaxPool" && op != "AveragePool";
  workloads::LayerShape s;
  dims_into(s, x.shape);
  std::int64_t kh = s.H, kw = s.W;
  if (conv) {
    const Dims& w = in(n, weight).shape;
    s.groups = attr_int(n, "group", 1);
    if (s.groups < 1 || s.C % s.groups != 0 || w[1] * s.groups != s.C || w[0] % s.groups != 0)
      fail(n, "weights " + dims_text(w) + " with group = " + std::to_string(s.groups) +
                  " do not fit an input of " + std::to_string(s.C) + " channels");
    s.M = w[0];
    kh = w[2];
    kw = w[3];
  } else if (!global) {
    const auto k = attr_ints(n, "kernel_shape");
    if (!k || k->size() != 2) fail(n, "expected kernel_shape with two entries");
    kh = (*k)[0];
    kw = (*k)[1];
  }
  if (const auto k = attr_ints(n, "kernel_shape"); conv && k && *k != Dims{kh, kw})
    fail(n, "kernel_shape " + dims_text(*k) + " differs from the weights' window");
  const Dims strides = attr_ints(n, "strides").value_or(Dims{1, 1});
  const Dims dil = attr_ints(n, "dilations").value_or(Dims{1, 1});
  const Dims pads = attr_ints(n, "pads").value_or(Dims{0, 0, 0, 0});
  if (strides.size() != 2 || dil.size() != 2 || pads.size() != 4)
    fail(n, "expected two strides, two dilations and four pads");
  const std::string auto_pad = attr_string(n, "auto_pad", "NOTSET");
  const bool ceil_mode = attr_int(n, "ceil_mode", 0) != 0;
  s.R = kh;
  s.S = kw;
  if (!global) {
    s.stride_h = strides[0];
    s.stride_w = strides[1];
    s.dilation_h = dil[0];
    s.dilation_w = dil[1];
  }
  const Window h = window(auto_pad, s.H, kh, s.stride_h, s.dilation_h, pads[0], pads[2], ceil_mode);
  const Window v = window(auto_pad, s.W, kw, s.stride_w, s.dilation_w, pads[1], pads[3], ceil_mode);
  if (h.out < 1 || v.out < 1) fail(n, "the window does not fit the input " + dims_text(x.shape));
  s.P = h.out;
  s.Q = v.out;
  s.pad_h = h.begin;
  s.pad_w = v.begin;
  OpKind kind = global                ? OpKind::global_avgpool
                : op == "MaxPool"     ? OpKind::maxpool
                : op == "AveragePool" ? OpKind::avgpool
                                      : OpKind::conv;
  if (kind == OpKind::conv) {
    // Name the layer by what it is, as the workload YAML loader does.
    if (s.groups > 1 && s.groups == s.C && s.M % s.C == 0)
      kind = OpKind::depthwise;
    else if (s.R == 1 && s.S == 1 && s.groups == 1)
      kind = OpKind::pointwise;
  }
  auto& l = layer(n, kind);
  if (conv) {  // weights and bias are not edges, even when a graph input holds them
    l.inputs.clear();
    if (!x.producer.empty()) l.inputs.push_back(x.producer);
    quantization_into(l, n, 0, weight);
  }
  l.shape = s;
  Tensor t;
  t.shape = {s.N, s.M, s.P, s.Q};
  t.producer = l.name;
  t.bits = kind == OpKind::maxpool ? x.bits : l.precision.output_bits;  // a max keeps the grid
  out(n, 0, t);
  if (n.output_size() > 1) out(n, 1, t);  // MaxPool's indices
}

void Importer::gemm(const Node& n) {
  const Tensor& a = in(n, 0);
  const Tensor& b = in(n, 1);
  if (a.shape.size() != 2 || b.shape.size() != 2)
    fail(n, "expected 2-D operands, got " + dims_text(a.shape) + " and " + dims_text(b.shape));
  const bool ta = attr_int(n, "transA", 0) != 0, tb = attr_int(n, "transB", 0) != 0;
  const std::int64_t rows = ta ? a.shape[1] : a.shape[0], k = ta ? a.shape[0] : a.shape[1];
  const std::int64_t kb = tb ? b.shape[1] : b.shape[0], cols = tb ? b.shape[0] : b.shape[1];
  if (k != kb)
    fail(n, "inner dimensions differ: " + dims_text(a.shape) + " and " + dims_text(b.shape));
  // Weights: an initializer, a Constant, or a graph input (older exports list them there).
  const bool weights = b.producer.empty();
  const Rows r = rows_of(rows);
  auto& l = layer(n, weights && r.per_image == 1 ? OpKind::fc : OpKind::gemm);
  if (weights && r.per_image == 1) {
    // A fully-connected layer: one row per image (the batch), weights K×N.
    l.shape = workloads::LayerShape{.N = rows, .M = cols, .C = k};
  } else if (weights) {
    // Several rows per image (a transformer's tokens, [L·B, d] in attention's projections).
    l.shape =
        workloads::LayerShape{.N = r.images, .M = cols, .C = k, .H = r.per_image, .P = r.per_image};
  } else {
    l.shape = workloads::LayerShape{.M = cols, .C = k, .H = rows, .P = rows};
  }
  if (weights)
    l.inputs =
        a.producer.empty() ? std::vector<std::string>{} : std::vector<std::string>{a.producer};
  quantization_into(l, n, 0, 1);
  Tensor t;
  t.shape = {rows, cols};
  t.producer = l.name;
  out(n, 0, t);
}

void Importer::matmul(const Node& n, int b_index) {
  Dims a = in(n, 0).shape, b = in(n, b_index).shape;
  const bool weights = in(n, b_index).producer.empty();  // as for Gemm
  if (a.empty() || b.empty()) fail(n, "MatMul of a scalar");
  const bool a1 = a.size() == 1, b1 = b.size() == 1;
  if (a1) a.insert(a.begin(), 1);
  if (b1) b.push_back(1);
  const std::int64_t m = a[a.size() - 2], k = a.back(), kb = b[b.size() - 2], cols = b.back();
  if (k != kb) fail(n, "inner dimensions differ: " + dims_text(a) + " and " + dims_text(b));
  const auto batch = broadcast(Dims(a.begin(), a.end() - 2), Dims(b.begin(), b.end() - 2));
  if (!batch) fail(n, "batch dimensions do not broadcast: " + dims_text(a) + ", " + dims_text(b));
  Dims shape = *batch;
  if (!a1) shape.push_back(m);
  if (!b1) shape.push_back(cols);
  if (!weights) return act_matmul(n, b_index, *batch, m, k, cols, shape);
  std::int64_t total = m;
  for (auto d : *batch) total *= d;
  // [N, K]·W is a fully-connected layer; anything with more rows per image (the model's batch)
  // is a GEMM whose rows are the output pixels P.
  const Rows r = rows_of(total);
  const bool fc = r.per_image == 1;
  auto& l = layer(n, fc ? OpKind::fc : OpKind::gemm);
  if (fc) {
    l.shape = workloads::LayerShape{.N = total, .M = cols, .C = k};
  } else {
    l.shape =
        workloads::LayerShape{.N = r.images, .M = cols, .C = k, .H = r.per_image, .P = r.per_image};
  }
  if (!in(n, 0).producer.empty()) l.inputs = {in(n, 0).producer};
  quantization_into(l, n, 0, b_index);
  Tensor t;
  t.shape = shape;
  t.producer = l.name;
  t.bits = l.precision.output_bits;
  out(n, 0, t);
}

Importer::Rows Importer::rows_of(std::int64_t total) const {
  // The batch leads a model's tensors ([N, K] is N images of one row, as a graph input's
  // leading dimension is its batch), except inside attention, whose [L, B, d] and [L·B, d]
  // tensors put it second: rows are counted per image either way.
  if (input_batches_.contains(total)) return {total, 1};
  if (total % batch_ == 0) return {batch_, total / batch_};
  return {1, total};
}

void Importer::act_matmul(const Node& n, int b_index, const Dims& batch, std::int64_t m,
                          std::int64_t k, std::int64_t cols, const Dims& shape) {
  // Both operands are activations (Q·Kᵀ, A·V): one (m×k)·(k×cols) product per element of the
  // batch dimensions (images × heads), kept as groups (workloads/layer.hpp says why). An
  // operand broadcast over some batch dimensions is counted once per group all the same.
  std::int64_t groups = 1;
  for (auto d : batch) groups *= d;
  // PyTorch's attention works on [L, B, d] whichever layout its input has, so its rows m are
  // the sequence: rows equal to a 3-D token input's leading dim (and not to its second) mean
  // that input is [L, B, d], sequence-first, and its batch is the second dim.
  const Dims& x = first_input_;
  if (batch_axis_ == 0 && x.size() == 3 && m == x[0] && x[0] != x[1]) throw SequenceFirst{};
  if (groups % batch_ != 0)
    fail(n, "the batch dimensions " + dims_text(batch) +
                " of a product of two activations do "
                "not hold the model's batch of " +
                std::to_string(batch_));
  auto& l = layer(n, OpKind::act_matmul);
  l.shape =
      workloads::LayerShape{.M = cols * groups, .C = k * groups, .H = m, .P = m, .groups = groups};
  quantization_into(l, n, 0, b_index);
  // The second operand's width and zeros are an activation's, not a weight's.
  l.precision.weight_bits = 0;
  l.density.weight = 1.0;
  l.sparsity = {};
  Tensor t;
  t.shape = shape;
  t.producer = l.name;
  t.bits = l.precision.output_bits;
  out(n, 0, t);
}

void Importer::weights_into(workloads::Layer& l, const Node& n, int w,
                            const std::vector<bool>& nonzero) {
  const Dims& d = in(n, w).shape;
  WeightMask m;
  if (d.size() == 4) {  // Conv: [M, C / group, R, S], already filter by filter
    m = {d[0], d[1], d[2] * d[3], attr_int(n, "group", 1), nonzero};
  } else if (d.size() == 2) {
    // Gemm with transB holds [N, K], a filter per row; MatMul and Gemm without it [K, N].
    const bool rows = n.op_type() == "Gemm" && attr_int(n, "transB", 0) != 0;
    m = {rows ? d[0] : d[1], rows ? d[1] : d[0], 1, 1, {}};
    if (rows) {
      m.nonzero = nonzero;
    } else {
      m.nonzero.resize(nonzero.size());
      for (std::int64_t k = 0; k < d[0]; ++k)
        for (std::int64_t f = 0; f < d[1]; ++f)
          m.nonzero[static_cast<std::size_t>(f * d[0] + k)] =
              nonzero[static_cast<std::size_t>(k * d[1] + f)];
    }
  } else {
    return;  // batched weights: a density only
  }
  if (m.groups < 1 || m.filters % m.groups != 0 ||
      static_cast<std::int64_t>(m.nonzero.size()) != m.filters * m.channels * m.window)
    return;
  l.sparsity = weight_sparsity(m);
  masks_[l.name] = std::move(m);
}

}  // namespace loom::onnx::detail
