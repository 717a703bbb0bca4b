// SPDX-License-Identifier: Apache-2.0
// Operators transformer exports add: ConstantOfShape, Expand, Equal and Where (which torch's
// `expand(n, -1, -1)` of ViT's class token and mask handling emit on shape constants, and
// attention masks on run-time tensors), Trilu (a causal mask), the element-wise math of
// decomposed LayerNorm and GELU (Pow, Sqrt, Erf, Tanh) and opset 17's LayerNormalization.
// Constants fold; run-time tensors, and constants too large to fold, become recorded (non-MAC)
// layers.
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
  if (op == "Equal" || op == "Where" || op == "Or" || op == "And" || op == "Not")
    return select(n), true;
  if (op == "Trilu") return trilu(n), true;
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
  // Equal, Or, And, Not and Where(condition, a, b) fold on constants (torch's expand with -1
  // sizes compares the target shape with -1 and picks the input's sizes there); on a run-time
  // tensor (an attention mask built from a mask input) they are recorded, as any element-wise
  // operator is.
  const std::string& op = n.op_type();
  const int count = op == "Where" ? 3 : op == "Not" ? 1 : 2;
  Dims shape;
  bool constant = true;
  for (int i = 0; i < count; ++i) {
    const Tensor& t = in(n, i);
    constant = constant && t.constant();
    const auto b = broadcast(shape, t.shape);
    if (!b) fail(n, "operands do not broadcast: " + dims_text(shape) + ", " + dims_text(t.shape));
    shape = *b;
  }
  if (!constant || elements_of(shape) > kMaxFolded) {
    const bool where = op == "Where";
    return recorded(n, where ? OpKind::where : OpKind::logical, shape, where ? in(n, 1).bits : 0);
  }
  std::vector<std::vector<double>> v;
  for (int i = 0; i < count; ++i) v.push_back(values(n, i, "an operand"));
  Tensor r;
  r.shape = shape;
  r.integer = op != "Where" || (in(n, 1).integer && in(n, 2).integer);
  std::vector<double> o(static_cast<std::size_t>(elements_of(shape)));
  for (std::size_t i = 0; i < o.size(); ++i) {
    const auto f = static_cast<std::int64_t>(i);
    const auto at = [&](int k) {
      return broadcast_at(v[static_cast<std::size_t>(k)], in(n, k).shape, shape, f);
    };
    const double a = at(0);
    if (op == "Not") {
      o[i] = a == 0.0 ? 1.0 : 0.0;
      continue;
    }
    const double b = at(1);
    o[i] = op == "Where"   ? (a != 0.0 ? b : at(2))
           : op == "Equal" ? (a == b ? 1.0 : 0.0)
           : op == "Or"    ? (a != 0.0 || b != 0.0 ? 1.0 : 0.0)
                           : (a != 0.0 && b != 0.0 ? 1.0 : 0.0);
  }
  r.value = o;
  out(n, 0, r);
}

void Importer::trilu(const Node& n) {
  // The upper (or lower) triangle of each matrix, from diagonal k on: torch's causal mask,
  // triu(full(L, L, -inf), 1), which the exporter leaves unfolded.
  const Tensor& x = in(n, 0);
  if (x.shape.size() < 2)
    fail(n, "expected a matrix or a stack of them, got " + dims_text(x.shape));
  if (!x.constant() || x.elements() > kMaxFolded || (has_in(n, 1) && !in(n, 1).constant()))
    return recorded(n, OpKind::where, x.shape, x.bits);
  std::int64_t k = 0;
  if (has_in(n, 1)) {
    const auto kv = values(n, 1, "the diagonal k");
    if (kv.size() != 1) fail(n, "the diagonal k must be a scalar");
    k = static_cast<std::int64_t>(kv.front());
  }
  const bool upper = attr_int(n, "upper", 1) != 0;
  const std::int64_t rows = x.shape[x.shape.size() - 2], cols = x.shape.back();
  auto v = values(n, 0, "the matrix");
  for (std::size_t e = 0; e < v.size(); ++e) {
    const auto f = static_cast<std::int64_t>(e);
    const std::int64_t i = f / cols % rows, j = f % cols;
    if (upper ? j - i < k : j - i > k) v[e] = 0.0;
  }
  Tensor t = x;
  t.proto = nullptr;
  t.value = v;
  t.nonzero = nullptr;
  out(n, 0, t);
}

void Importer::recorded(const Node& n, OpKind op, const Dims& shape, int bits) {
  auto& l = layer(n, op);
  dims_into(l.shape, shape);
  Tensor t;
  t.shape = shape;
  t.producer = l.name;
  t.bits = bits;
  out(n, 0, t);
}

}  // namespace loom::onnx::detail
