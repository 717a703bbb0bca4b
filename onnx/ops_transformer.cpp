// SPDX-License-Identifier: Apache-2.0
// Operators transformer exports add: ConstantOfShape, Expand, Equal and Where (which torch's
// `expand(n, -1, -1)` of ViT's class token and mask handling emit on shape constants), the
// element-wise math of decomposed LayerNorm and GELU (Pow, Sqrt, Erf, Tanh) and opset 17's
// LayerNormalization. Constants fold; run-time tensors become recorded (non-MAC) layers.
#include <cmath>

#include "onnx/importer.hpp"

namespace loom::onnx::detail {
namespace {

using workloads::OpKind;

// Folded results stay small, as in fold.cpp: class tokens and shape vectors, not activations.
constexpr std::int64_t kMaxFolded = 1 << 20;

std::int64_t elements_of(const Dims& d) {
  std::int64_t p = 1;
  for (auto x : d) p *= x;
  return p;
}

// The value at flat index `flat` of an output of `shape`, read from `v` of shape `from` under
// numpy broadcasting.
double broadcast_at(const std::vector<double>& v, const Dims& from, const Dims& shape,
                    std::int64_t flat) {
  std::int64_t index = 0, stride = 1;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    const std::size_t o = shape.size() - 1 - k;
    const std::int64_t c = flat % shape[o];
    flat /= shape[o];
    if (k < from.size()) {
      const std::int64_t size = from[from.size() - 1 - k];
      if (size != 1) index += c * stride;
      stride *= size;
    }
  }
  return v[static_cast<std::size_t>(index)];
}

}  // namespace

bool Importer::transformer_op(const Node& n) {
  const std::string& op = n.op_type();
  if (op == "ConstantOfShape") {
    // The fill value is a one-element tensor attribute (float 0 when absent).
    Tensor t;
    for (double d : values(n, 0, "the shape")) t.shape.push_back(static_cast<std::int64_t>(d));
    double fill = 0.0;
    if (const auto* v = attr_tensor(n, "value")) {
      t.integer = is_integer_type(v->data_type());
      if (const auto d = decode(*v); d && !d->empty()) fill = d->front();
    }
    if (elements_of(t.shape) <= kMaxFolded)
      t.value = std::vector<double>(static_cast<std::size_t>(elements_of(t.shape)), fill);
    else
      fail(n, "a constant of " + dims_text(t.shape) + " is larger than Loom folds");
    out(n, 0, t);
    return true;
  }
  if (op == "Expand") return expand(n), true;
  if (op == "Equal" || op == "Where") return select(n), true;
  if (op == "Pow" || op == "Sqrt" || op == "Erf" || op == "Tanh") {
    const Tensor& x = in(n, 0);
    if (x.constant() && (op != "Pow" || in(n, 1).constant())) {
      // Shape arithmetic rarely takes roots, but a scale 1/sqrt(d) may be computed from one.
      Tensor t = x;
      t.proto = nullptr;
      auto v = values(n, 0, "the operand");
      const auto e = op == "Pow" ? values(n, 1, "the exponent") : std::vector<double>{};
      if (op == "Pow" && e.size() != 1) return false;
      for (auto& a : v)
        a = op == "Sqrt"   ? std::sqrt(a)
            : op == "Erf"  ? std::erf(a)
            : op == "Tanh" ? std::tanh(a)
                           : std::pow(a, e[0]);
      t.value = v;
      t.integer = false;
      out(n, 0, t);
      return true;
    }
    // LayerNorm's square and root and GELU's erf are element-wise activations of their input.
    same_shape(n, OpKind::activation);
    return true;
  }
  if (op == "LayerNormalization") {
    // Scale and bias are parameters, not edges; the optional mean and inverse deviation
    // outputs are statistics no exporter feeds onwards.
    same_shape(n, OpKind::layernorm);
    return true;
  }
  return false;
}

void Importer::expand(const Node& n) {
  const Tensor& x = in(n, 0);
  Dims target;
  for (double d : values(n, 1, "the target shape")) target.push_back(static_cast<std::int64_t>(d));
  const auto shape = broadcast(x.shape, target);
  if (!shape) fail(n, "cannot expand " + dims_text(x.shape) + " to " + dims_text(target));
  if (x.constant()) {
    // ViT's class token expanded to the batch: a constant the Concat after it takes in.
    if (elements_of(*shape) > kMaxFolded)
      fail(n, "an expanded constant of " + dims_text(*shape) + " is larger than Loom folds");
    const auto v = values(n, 0, "the expanded tensor");
    Tensor t;
    t.shape = *shape;
    t.integer = x.integer;
    std::vector<double> o(static_cast<std::size_t>(elements_of(*shape)));
    for (std::size_t i = 0; i < o.size(); ++i)
      o[i] = broadcast_at(v, x.shape, *shape, static_cast<std::int64_t>(i));
    t.value = o;
    return out(n, 0, t);
  }
  // A run-time tensor repeated along broadcast axes: a view of its output's size.
  auto& l = layer(n, OpKind::reshape);
  l.inputs.clear();
  if (!x.producer.empty()) l.inputs.push_back(x.producer);
  dims_into(l.shape, *shape);
  Tensor t;
  t.shape = *shape;
  t.producer = l.name;
  t.bits = x.bits;
  out(n, 0, t);
}

void Importer::select(const Node& n) {
  // Equal(a, b) and Where(condition, a, b) on constants (torch's expand with -1 sizes compares
  // the target shape with -1 and picks the input's sizes there).
  const bool where = n.op_type() == "Where";
  const int count = where ? 3 : 2;
  Dims shape;
  for (int i = 0; i < count; ++i) {
    const Tensor& t = in(n, i);
    if (!t.constant())
      fail(n, std::string(where ? "Where" : "Equal") +
                  " of a run-time tensor (an attention mask) is not imported; Loom folds it on "
                  "constants only (export the model without masks)");
    const auto b = broadcast(shape, t.shape);
    if (!b) fail(n, "operands do not broadcast: " + dims_text(shape) + ", " + dims_text(t.shape));
    shape = *b;
  }
  if (elements_of(shape) > kMaxFolded)
    fail(n, "a folded result of " + dims_text(shape) + " is larger than Loom folds");
  std::vector<std::vector<double>> v;
  for (int i = 0; i < count; ++i) v.push_back(values(n, i, "an operand"));
  Tensor r;
  r.shape = shape;
  r.integer = where ? in(n, 1).integer && in(n, 2).integer : true;
  std::vector<double> o(static_cast<std::size_t>(elements_of(shape)));
  for (std::size_t i = 0; i < o.size(); ++i) {
    const auto f = static_cast<std::int64_t>(i);
    const double a = broadcast_at(v[0], in(n, 0).shape, shape, f);
    const double b = broadcast_at(v[1], in(n, 1).shape, shape, f);
    o[i] = where ? (a != 0.0 ? b : broadcast_at(v[2], in(n, 2).shape, shape, f))
                 : (a == b ? 1.0 : 0.0);
  }
  r.value = o;
  out(n, 0, r);
}

}  // namespace loom::onnx::detail
