// SPDX-License-Identifier: Apache-2.0
// Constant folding of shape arithmetic: the Shape → Gather → Div → Concat → Reshape chains that
// exporters emit (a channel shuffle's group size, a flatten's feature count) are evaluated here
// so the shapes downstream are static. Only operators whose inputs are all constants fold.
#include <cmath>

#include "onnx/importer.hpp"

namespace loom::onnx::detail {
namespace {

// Folded results stay small: shape vectors and index tensors, never activations.
constexpr std::int64_t kMaxFolded = 1 << 20;

std::int64_t product(const Dims& d, std::size_t from, std::size_t to) {
  std::int64_t p = 1;
  for (std::size_t i = from; i < to && i < d.size(); ++i) p *= d[i];
  return p;
}

std::int64_t axis_of(std::int64_t axis, std::size_t rank) {
  return axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis;
}

// Row-major strides of `shape` as seen from a broadcast output of rank `rank`.
std::vector<std::int64_t> broadcast_strides(const Dims& shape, std::size_t rank) {
  std::vector<std::int64_t> st(rank, 0);
  std::int64_t s = 1;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    const std::size_t i = shape.size() - 1 - k;
    st[rank - 1 - k] = shape[i] == 1 ? 0 : s;
    s *= shape[i];
  }
  return st;
}

}  // namespace

bool Importer::fold(const Node& n) {
  const std::string& op = n.op_type();
  static const std::set<std::string, std::less<>> kFoldable{
      "Gather", "Unsqueeze", "Squeeze", "Reshape", "Flatten", "Concat",
      "Add",    "Sub",       "Mul",     "Div",     "Slice"};
  if (!kFoldable.contains(op) || n.input_size() == 0) return false;
  std::vector<std::vector<double>> v;
  for (int i = 0; i < n.input_size(); ++i) {
    if (!has_in(n, i)) {
      v.emplace_back();
      continue;
    }
    const Tensor& t = in(n, i);
    if (!t.constant()) return false;
    if (t.value) {
      v.push_back(*t.value);
    } else if (auto d = decode(*t.proto)) {
      v.push_back(*d);
    } else {
      return false;
    }
  }
  const Tensor& x = in(n, 0);
  Tensor r;
  r.integer = x.integer;
  if (op == "Gather") {
    const Tensor& idx = in(n, 1);
    const auto axis = axis_of(attr_int(n, "axis", 0), x.shape.size());
    if (axis < 0 || axis >= static_cast<std::int64_t>(x.shape.size()))
      fail(n, "axis out of range for " + dims_text(x.shape));
    const auto a = static_cast<std::size_t>(axis);
    r.shape.assign(x.shape.begin(), x.shape.begin() + axis);
    r.shape.insert(r.shape.end(), idx.shape.begin(), idx.shape.end());
    r.shape.insert(r.shape.end(), x.shape.begin() + axis + 1, x.shape.end());
    const std::int64_t outer = product(x.shape, 0, a), inner = product(x.shape, a + 1, 99);
    const std::int64_t len = x.shape[a];
    if (static_cast<long double>(outer) * static_cast<long double>(v[1].size()) * inner >
        kMaxFolded)
      return false;
    std::vector<double> o;
    for (std::int64_t p = 0; p < outer; ++p)
      for (double jd : v[1]) {
        auto j = static_cast<std::int64_t>(jd);
        if (j < 0) j += len;
        if (j < 0 || j >= len) fail(n, "index " + std::to_string(j) + " out of range");
        for (std::int64_t k = 0; k < inner; ++k)
          o.push_back(v[0][static_cast<std::size_t>((p * len + j) * inner + k)]);
      }
    r.value = o;
  } else if (op == "Unsqueeze" || op == "Squeeze" || op == "Reshape" || op == "Flatten") {
    r.shape = view_shape(n);
    r.value = v[0];
  } else if (op == "Concat") {
    const auto axis = axis_of(attr_int(n, "axis", 0), x.shape.size());
    if (axis < 0 || axis >= static_cast<std::int64_t>(x.shape.size()))
      fail(n, "axis out of range for " + dims_text(x.shape));
    const auto a = static_cast<std::size_t>(axis);
    r.shape = x.shape;
    r.shape[a] = 0;
    for (int i = 0; i < n.input_size(); ++i) {
      if (in(n, i).shape.size() != x.shape.size()) fail(n, "operands of different rank");
      r.shape[a] += in(n, i).shape[a];
    }
    const std::int64_t outer = product(x.shape, 0, a);
    std::vector<double> o;
    for (std::int64_t p = 0; p < outer; ++p)
      for (int i = 0; i < n.input_size(); ++i) {
        const std::int64_t chunk = product(in(n, i).shape, a, 99);
        const auto* base = v[static_cast<std::size_t>(i)].data() + p * chunk;
        o.insert(o.end(), base, base + chunk);
      }
    r.value = o;
  } else if (op == "Slice") {
    if (x.shape.size() != 1 || n.input_size() < 3 || v[1].empty() || v[2].empty()) return false;
    const auto len = static_cast<std::int64_t>(v[0].size());
    const auto clamp = [&](double d, std::int64_t lo, std::int64_t hi) {
      double c = d < 0 ? d + static_cast<double>(len) : d;
      return static_cast<std::int64_t>(
          std::clamp(c, static_cast<double>(lo), static_cast<double>(hi)));
    };
    const std::int64_t step =
        v.size() > 4 && !v[4].empty() ? static_cast<std::int64_t>(v[4][0]) : 1;
    if (step == 0) fail(n, "a slice step of 0");
    std::vector<double> o;
    if (step > 0) {
      for (auto i = clamp(v[1][0], 0, len); i < clamp(v[2][0], 0, len); i += step)
        o.push_back(v[0][static_cast<std::size_t>(i)]);
    } else {
      for (auto i = clamp(v[1][0], 0, len - 1); i > clamp(v[2][0], -1, len - 1); i += step)
        o.push_back(v[0][static_cast<std::size_t>(i)]);
    }
    r.shape = {static_cast<std::int64_t>(o.size())};
    r.value = o;
  } else {  // Add, Sub, Mul, Div with numpy broadcasting
    const Tensor& y = in(n, 1);
    auto shape = broadcast(x.shape, y.shape);
    if (!shape) fail(n, "cannot broadcast " + dims_text(x.shape) + " with " + dims_text(y.shape));
    r.shape = *shape;
    if (product(*shape, 0, 99) > kMaxFolded || product(*shape, 0, 99) < 0) return false;
    r.integer = x.integer && y.integer;
    const auto sx = broadcast_strides(x.shape, shape->size());
    const auto sy = broadcast_strides(y.shape, shape->size());
    std::vector<double> o(static_cast<std::size_t>(product(*shape, 0, 99)));
    for (std::size_t flat = 0; flat < o.size(); ++flat) {
      std::int64_t rem = static_cast<std::int64_t>(flat), ix = 0, iy = 0;
      for (std::size_t k = shape->size(); k-- > 0;) {
        const std::int64_t c = rem % (*shape)[k];
        rem /= (*shape)[k];
        ix += c * sx[k];
        iy += c * sy[k];
      }
      const double a = v[0][static_cast<std::size_t>(ix)], b = v[1][static_cast<std::size_t>(iy)];
      if (op == "Add")
        o[flat] = a + b;
      else if (op == "Sub")
        o[flat] = a - b;
      else if (op == "Mul")
        o[flat] = a * b;
      else if (b == 0.0)
        fail(n, "division by zero in shape arithmetic");
      else
        o[flat] = r.integer ? std::trunc(a / b) : a / b;
    }
    r.value = o;
  }
  out(n, 0, r);
  return true;
}

}  // namespace loom::onnx::detail
