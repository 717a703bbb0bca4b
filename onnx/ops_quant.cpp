// SPDX-License-Identifier: Apache-2.0
// Quantized graphs (ONNX opset 10–17): QuantizeLinear / DequantizeLinear pass their input
// through (shape unchanged, no layer) and record the quantized type's width on the tensor, so a
// MAC layer reads its weight bits from the Dequantize of its weights and its activation bits
// from the Quantize→Dequantize pair before it. QLinearConv, QLinearMatMul, ConvInteger and
// MatMulInteger are MAC layers whose bits are their operands' integer types. Every MAC layer's
// weight density is the fraction of nonzero weights, counted exactly from the initializer; a
// quantized value equal to its zero point is a zero (it dequantizes to exactly 0).
#include <algorithm>
#include <cmath>
#include <memory>

#include "onnx/importer.hpp"

namespace loom::onnx::detail {
namespace {

// Input positions per the ONNX operator definitions (QLinearConv-10, QLinearMatMul-10,
// ConvInteger-10, MatMulInteger-10).
struct QuantInputs {
  int weight = 1, weight_zero_point = -1, output_zero_point = -1;
};

QuantInputs quant_inputs(const std::string& op) {
  if (op == "QLinearConv" || op == "QLinearMatMul") return {3, 5, 7};
  if (op == "ConvInteger" || op == "MatMulInteger") return {1, 3, -1};
  return {};
}

// Which entry of a per-tensor (one value) or per-axis (one per index of `axis` of `dims`)
// parameter applies to element i of a row-major tensor; nullopt if the sizes do not fit.
struct PerAxis {
  std::int64_t inner = 1, count = 1;
  [[nodiscard]] std::size_t at(std::size_t i) const {
    return static_cast<std::size_t>((static_cast<std::int64_t>(i) / inner) % count);
  }
};

std::optional<PerAxis> per_axis(std::size_t entries, const Dims& dims, std::int64_t axis) {
  PerAxis p;
  if (entries <= 1) return p;
  const auto rank = static_cast<std::int64_t>(dims.size());
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank || dims[axis] != static_cast<std::int64_t>(entries))
    return std::nullopt;
  for (std::int64_t k = axis + 1; k < rank; ++k) p.inner *= dims[k];
  p.count = dims[axis];
  return p;
}

using Mask = std::shared_ptr<const std::vector<bool>>;

// The values that are not zeros, or null when every value is a zero: exporters write all-zero
// placeholders when they keep only the architecture.
template <class IsNonzero>
Mask mask_of(std::size_t size, IsNonzero nonzero) {
  auto m = std::make_shared<std::vector<bool>>(size);
  bool any = false;
  for (std::size_t i = 0; i < size; ++i) any = ((*m)[i] = nonzero(i)) || any;
  return any ? m : nullptr;
}

// Nonzero values of `v` whose zero points are `zp` (empty: 0); null when none is or the zero
// points do not fit `dims`.
Mask nonzero_mask(const std::vector<double>& v, const std::vector<double>& zp, const Dims& dims,
                  std::int64_t axis) {
  const auto p = per_axis(zp.size(), dims, axis);
  if (v.empty() || !p) return nullptr;
  return mask_of(v.size(),
                 [&](std::size_t i) { return v[i] != (zp.empty() ? 0.0 : zp[p->at(i)]); });
}

// The stored values of a constant tensor, decoded up to kMaxCountedElements.
std::optional<std::vector<double>> stored_values(const Tensor& t) {
  if (t.value) return t.value;
  if (t.proto) return decode(*t.proto, kMaxCountedElements);
  return std::nullopt;
}

// How a float tensor is quantized: q = saturate(round_half_even(x / scale) + zero point) in
// [lo, hi], with per-tensor or per-axis scales and zero points.
struct Quantizer {
  std::vector<double> scale, zero_point;
  double lo = 0, hi = 255;
  std::int64_t axis = 1;
};

// The values of `v` that quantize to something other than their zero point (those dequantize
// to exactly 0); null when none does or the parameters do not fit `dims`.
Mask quantized_mask(const std::vector<double>& v, const Quantizer& q, const Dims& dims) {
  const auto ps = per_axis(q.scale.size(), dims, q.axis);
  const auto pz = per_axis(q.zero_point.size(), dims, q.axis);
  if (v.empty() || q.scale.empty() || !ps || !pz) return nullptr;
  return mask_of(v.size(), [&](std::size_t i) {
    const double zp = q.zero_point.empty() ? 0.0 : q.zero_point[pz->at(i)];
    return std::clamp(std::nearbyint(v[i] / q.scale[ps->at(i)]) + zp, q.lo, q.hi) != zp;
  });
}

}  // namespace

void Importer::quantized_out(const Node& n, Tensor t, int bits) {
  t.bits = bits;
  t.value.reset();  // the quantized values are not folded (which are zero is kept)
  t.proto = nullptr;
  // A MAC layer whose output is quantized writes it at that width. The producer is usually the
  // layer just imported, so the search runs from the back.
  if (!t.producer.empty()) {
    const auto l = std::find_if(net_.layers.rbegin(), net_.layers.rend(),
                                [&](const workloads::Layer& x) { return x.name == t.producer; });
    if (l != net_.layers.rend() && workloads::does_macs(l->op) && l->precision.output_bits == 0)
      l->precision.output_bits = bits;
  }
  out(n, 0, std::move(t));
}

void Importer::quantize(const Node& n) {
  // y = saturate(round(x / scale) + zero_point); the zero point's type is y's type (uint8 when
  // absent, opset 10–17).
  Tensor t = in(n, 0);
  t.integer = true;
  const int bits = has_in(n, 2) ? in(n, 2).bits : 8;
  if (bits == 0) fail(n, "the zero point is not an integer tensor");
  if (t.constant() && !t.nonzero)
    if (auto v = stored_values(t)) {
      Quantizer q{values(n, 1, "the scale"), {}, 0, 255, attr_int(n, "axis", 1)};
      if (has_in(n, 2)) q.zero_point = values(n, 2, "the zero point");
      const auto type = has_in(n, 2) && in(n, 2).proto ? in(n, 2).proto->data_type() : 0;
      if (type == ::onnx::TensorProto::INT8 || type == ::onnx::TensorProto::INT16) {
        q.lo = -std::ldexp(1.0, bits - 1);
        q.hi = std::ldexp(1.0, bits - 1) - 1;
      } else {
        q.hi = std::ldexp(1.0, bits) - 1;
      }
      t.nonzero = quantized_mask(*v, q, t.shape);
    }
  quantized_out(n, std::move(t), bits);
}

void Importer::qonnx_quant(const Node& n) {
  // QONNX (github.com/fastmachinelearning/qonnx, docs/qonnx-custom-ops): Quant(x, scale,
  // zeropt, bitwidth) with attributes signed and narrow; BipolarQuant(x, scale) is 1 bit;
  // Trunc(x, scale, zeropt, in_bitwidth, out_bitwidth) keeps out_bitwidth bits.
  const std::string& op = n.op_type();
  const int bits_input = op == "Quant" ? 3 : op == "Trunc" ? 4 : -1;
  double bits = 1;
  if (bits_input >= 0) {
    const auto b = values(n, bits_input, "the bit width");
    if (b.size() != 1 || b[0] < 1 || b[0] > 32 || b[0] != std::floor(b[0]))
      fail(n, "the bit width must be one integer from 1 to 32");
    bits = b[0];
  }
  Tensor t = in(n, 0);
  t.integer = false;  // fake-quantized: float values on an integer grid
  if (op == "Quant" && t.constant() && !t.nonzero)
    if (auto v = stored_values(t)) {
      Quantizer q{values(n, 1, "the scale"), values(n, 2, "the zero point"), 0, 0, 0};
      const bool is_signed = attr_int(n, "signed", 1) != 0, narrow = attr_int(n, "narrow", 0) != 0;
      q.lo = is_signed ? -std::ldexp(1.0, static_cast<int>(bits) - 1) + (narrow ? 1 : 0) : 0;
      q.hi = (is_signed ? std::ldexp(1.0, static_cast<int>(bits) - 1)
                        : std::ldexp(1.0, static_cast<int>(bits))) -
             1 - (narrow && !is_signed ? 1 : 0);
      // Per-channel scales are broadcast-shaped: [M, 1, 1, 1] for Conv weights, [1, N] for
      // MatMul's.
      if (q.scale.size() > 1 && !t.shape.empty() &&
          t.shape[0] != static_cast<std::int64_t>(q.scale.size()))
        q.axis = static_cast<std::int64_t>(t.shape.size()) - 1;
      t.nonzero = quantized_mask(*v, q, t.shape);
    }
  quantized_out(n, std::move(t), static_cast<int>(bits));
}

void Importer::dequantize(const Node& n) {
  const Tensor& x = in(n, 0);
  Tensor t = x;
  t.integer = false;
  t.value.reset();
  if (x.constant()) {
    // Dequantize the constant: (x − zero point) · scale, per tensor or per index of `axis`.
    const auto v = stored_values(x);
    const std::int64_t axis = attr_int(n, "axis", 1);
    const std::vector<double> zp =
        has_in(n, 2) ? values(n, 2, "the zero point") : std::vector<double>{};
    if (v && !x.nonzero) t.nonzero = nonzero_mask(*v, zp, x.shape, axis);
    const auto scale = values(n, 1, "the scale");
    const auto ps = per_axis(scale.size(), x.shape, axis), pz = per_axis(zp.size(), x.shape, axis);
    if (v && ps && pz && x.elements() <= kMaxFoldedElements) {
      t.value = *v;
      for (std::size_t i = 0; i < v->size(); ++i)
        (*t.value)[i] = ((*v)[i] - (zp.empty() ? 0.0 : zp[pz->at(i)])) * scale[ps->at(i)];
    }
    t.proto = nullptr;  // the stored values are the quantized ones; large weights keep only dims
  }
  out(n, 0, t);
}

void Importer::quantized_mac(const Node& n) {
  const std::string& op = n.op_type();
  const QuantInputs q = quant_inputs(op);
  if (op == "QLinearConv" || op == "ConvInteger") return conv(n, q.weight);
  return matmul(n, q.weight);
}

void Importer::quantization_into(workloads::Layer& l, const Node& n, int x, int w) {
  const QuantInputs q = quant_inputs(n.op_type());
  l.precision.activation_bits = in(n, x).bits;
  const Tensor& wt = in(n, w);
  if (wt.producer.empty()) {
    l.precision.weight_bits = wt.bits;
    Mask nonzero = wt.nonzero;
    if (!nonzero)
      if (auto v = stored_values(wt)) {
        const std::vector<double> zp = q.weight_zero_point >= 0 && has_in(n, q.weight_zero_point)
                                           ? values(n, q.weight_zero_point, "the weight zero point")
                                           : std::vector<double>{};
        // Per-channel zero points: output channels (Conv weights' axis 0, MatMul's columns).
        const bool is_conv = wt.shape.size() == 4;
        const auto axis = is_conv ? 0 : static_cast<std::int64_t>(wt.shape.size()) - 1;
        nonzero = nonzero_mask(*v, zp, wt.shape, axis);
      }
    if (nonzero) {
      const auto count = std::count(nonzero->begin(), nonzero->end(), true);
      l.density.weight = static_cast<double>(count) / static_cast<double>(nonzero->size());
      weights_into(l, n, w, *nonzero);
    }
  }
  if (q.output_zero_point >= 0)
    l.precision.output_bits = has_in(n, q.output_zero_point) ? in(n, q.output_zero_point).bits : 8;
  else if (n.op_type() == "ConvInteger" || n.op_type() == "MatMulInteger")
    l.precision.output_bits = 32;  // the int32 accumulators the operator writes
}

}  // namespace loom::onnx::detail
