// SPDX-License-Identifier: Apache-2.0
// The non-MAC operators on run-time tensors: recorded as layers with their tensor sizes so that
// shapes flow through the graph. Operand lists follow the ONNX operator specification; where an
// opset moved an attribute to an input (Split, Slice, Squeeze, Unsqueeze, Pad), both forms work.
#include <cmath>

#include "onnx/importer.hpp"

namespace loom::onnx::detail {
namespace {

using workloads::OpKind;

std::int64_t norm_axis(std::int64_t axis, std::size_t rank) {
  return axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis;
}

std::int64_t to_index(double v) {
  // Exporters write INT64_MAX/MIN for "to the end"; clamp before converting.
  return static_cast<std::int64_t>(std::clamp(v, -4e18, 4e18));
}

}  // namespace

void Importer::elementwise(const Node& n, OpKind op) {
  Dims shape = in(n, 0).shape;
  for (int i = 1; i < n.input_size(); ++i) {
    auto b = broadcast(shape, in(n, i).shape);
    if (!b)
      fail(n, "operands " + dims_text(shape) + " and " + dims_text(in(n, i).shape) +
                  " do not broadcast");
    shape = *b;
  }
  auto& l = layer(n, op);
  dims_into(l.shape, shape);
  Tensor t;
  t.shape = shape;
  t.producer = l.name;
  out(n, 0, t);
}

void Importer::same_shape(const Node& n, OpKind op) {
  const Dims shape = in(n, 0).shape;
  auto& l = layer(n, op);
  l.inputs.clear();  // Clip's bounds and BatchNormalization's statistics are not edges
  if (!in(n, 0).producer.empty()) l.inputs.push_back(in(n, 0).producer);
  dims_into(l.shape, shape);
  Tensor t;
  t.shape = shape;
  t.producer = l.name;
  out(n, 0, t);
}

void Importer::concat(const Node& n) {
  Dims shape = in(n, 0).shape;
  const auto axis = norm_axis(attr_int(n, "axis", 1), shape.size());
  if (axis < 0 || axis >= static_cast<std::int64_t>(shape.size()))
    fail(n, "axis out of range for " + dims_text(shape));
  const auto a = static_cast<std::size_t>(axis);
  for (int i = 1; i < n.input_size(); ++i) {
    Dims d = in(n, i).shape;
    if (d.size() != shape.size()) fail(n, "operands of different rank");
    shape[a] += d[a];
    d[a] = shape[a];
    if (d != shape) fail(n, "operands differ outside the concat axis");
  }
  auto& l = layer(n, OpKind::concat);
  dims_into(l.shape, shape);
  Tensor t;
  t.shape = shape;
  t.producer = l.name;
  out(n, 0, t);
}

void Importer::split(const Node& n) {
  const Dims shape = in(n, 0).shape;
  const auto axis = norm_axis(attr_int(n, "axis", 0), shape.size());
  if (axis < 0 || axis >= static_cast<std::int64_t>(shape.size()))
    fail(n, "axis out of range for " + dims_text(shape));
  const auto a = static_cast<std::size_t>(axis);
  Dims sizes;
  if (has_in(n, 1)) {
    for (double v : values(n, 1, "the split sizes")) sizes.push_back(to_index(v));
  } else if (auto s = attr_ints(n, "split")) {
    sizes = *s;
  } else {
    const std::int64_t parts = n.output_size();
    if (parts < 1 || shape[a] % parts != 0)
      fail(n, "cannot split " + std::to_string(shape[a]) + " into " + std::to_string(parts));
    sizes.assign(static_cast<std::size_t>(parts), shape[a] / parts);
  }
  std::int64_t total = 0;
  for (auto s : sizes) total += s;
  if (total != shape[a] || static_cast<int>(sizes.size()) != n.output_size())
    fail(n, "split sizes " + dims_text(sizes) + " do not cover " + std::to_string(shape[a]));
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    Dims o = shape;
    o[a] = sizes[i];
    auto& l = layer(n, OpKind::split, "." + std::to_string(i));
    sized_into(l.shape, shape, o);
    Tensor t;
    t.shape = o;
    t.producer = l.name;
    out(n, static_cast<int>(i), t);
  }
}

void Importer::slice(const Node& n) {
  const Dims shape = in(n, 0).shape;
  Dims starts, ends, axes, steps;
  const auto ints = [&](int i, const char* attr, const char* what) {
    Dims d;
    if (has_in(n, i)) {
      for (double v : values(n, i, what)) d.push_back(to_index(v));
    } else if (auto s = attr_ints(n, attr)) {
      d = *s;
    }
    return d;
  };
  starts = ints(1, "starts", "the slice starts");
  ends = ints(2, "ends", "the slice ends");
  axes = ints(3, "axes", "the slice axes");
  steps = ints(4, "steps", "the slice steps");
  if (axes.empty())
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (starts.size() != ends.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail(n, "starts, ends, axes and steps differ in length");
  Dims o = shape;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const auto ax = norm_axis(axes[i], shape.size());
    if (ax < 0 || ax >= static_cast<std::int64_t>(shape.size())) fail(n, "axis out of range");
    const std::int64_t dim = shape[static_cast<std::size_t>(ax)], step = steps[i];
    if (step == 0) fail(n, "a slice step of 0");
    std::int64_t b = starts[i] < 0 ? starts[i] + dim : starts[i];
    std::int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
    std::int64_t len = 0;
    if (step > 0) {
      b = std::clamp<std::int64_t>(b, 0, dim);
      e = std::clamp<std::int64_t>(e, 0, dim);
      len = e > b ? (e - b + step - 1) / step : 0;
    } else {
      b = std::clamp<std::int64_t>(b, 0, dim - 1);
      e = std::clamp<std::int64_t>(e, -1, dim - 1);
      len = b > e ? (b - e - step - 1) / -step : 0;
    }
    o[static_cast<std::size_t>(ax)] = len;
  }
  auto& l = layer(n, OpKind::slice);
  l.inputs.clear();
  if (!in(n, 0).producer.empty()) l.inputs.push_back(in(n, 0).producer);
  sized_into(l.shape, shape, o);
  Tensor t;
  t.shape = o;
  t.producer = l.name;
  out(n, 0, t);
}

void Importer::gather(const Node& n) {
  // x[:, 0] in PyTorch (Inception's input transform) exports as Gather along the channels.
  const Dims shape = in(n, 0).shape;
  const Dims idx = in(n, 1).shape;
  (void)values(n, 1, "the indices");
  const auto axis = norm_axis(attr_int(n, "axis", 0), shape.size());
  if (axis < 0 || axis >= static_cast<std::int64_t>(shape.size()))
    fail(n, "axis out of range for " + dims_text(shape));
  const auto a = static_cast<std::size_t>(axis);
  std::int64_t picked = 1;
  for (auto d : idx) picked *= d;
  Dims o(shape.begin(), shape.begin() + axis);
  o.insert(o.end(), idx.begin(), idx.end());
  o.insert(o.end(), shape.begin() + axis + 1, shape.end());
  // Recorded as a selection with the gathered axis kept (size = the number of indices), so that
  // channel counts stay comparable with the producer's.
  Dims kept = shape;
  kept[a] = picked;
  auto& l = layer(n, OpKind::slice);
  l.inputs.clear();
  if (!in(n, 0).producer.empty()) l.inputs.push_back(in(n, 0).producer);
  sized_into(l.shape, shape, kept);
  Tensor t;
  t.shape = o;
  t.producer = l.name;
  out(n, 0, t);
}

Dims Importer::squeeze_axes(const Node& n, bool squeeze) const {
  if (has_in(n, 1)) {
    Dims d;
    for (double v : values(n, 1, squeeze ? "the squeeze axes" : "the unsqueeze axes"))
      d.push_back(to_index(v));
    return d;
  }
  return attr_ints(n, "axes").value_or(Dims{});
}

Dims Importer::view_shape(const Node& n) const {
  const std::string& op = n.op_type();
  const Dims in_shape = in(n, 0).shape;
  std::int64_t elements = 1;
  for (auto d : in_shape) elements *= d;
  if (op == "Reshape") {
    Dims o;
    std::int64_t known = 1, infer = -1;
    const auto target = values(n, 1, "the target shape");
    for (std::size_t i = 0; i < target.size(); ++i) {
      std::int64_t d = to_index(target[i]);
      if (d == 0 && attr_int(n, "allowzero", 0) == 0) {
        if (i >= in_shape.size()) fail(n, "a 0 in the target shape past the input's rank");
        d = in_shape[i];
      }
      if (d == -1) {
        if (infer >= 0) fail(n, "more than one -1 in the target shape");
        infer = static_cast<std::int64_t>(i);
      } else {
        known *= d;
      }
      o.push_back(d);
    }
    if (infer >= 0) {
      if (known == 0 || elements % known != 0) fail(n, "cannot infer the -1 dimension");
      o[static_cast<std::size_t>(infer)] = elements / known;
    }
    std::int64_t count = 1;
    for (auto d : o) count *= d;
    if (count != elements) fail(n, "cannot reshape " + dims_text(in_shape) + " to " + dims_text(o));
    return o;
  }
  if (op == "Flatten") {
    const auto axis = norm_axis(attr_int(n, "axis", 1), in_shape.size());
    if (axis < 0 || axis > static_cast<std::int64_t>(in_shape.size())) fail(n, "axis out of range");
    std::int64_t outer = 1;
    for (std::int64_t i = 0; i < axis; ++i) outer *= in_shape[static_cast<std::size_t>(i)];
    return {outer, outer == 0 ? 0 : elements / outer};
  }
  if (op == "Transpose") {
    Dims perm = attr_ints(n, "perm").value_or(Dims{});
    if (perm.empty())
      for (std::size_t i = in_shape.size(); i-- > 0;) perm.push_back(static_cast<std::int64_t>(i));
    if (perm.size() != in_shape.size()) fail(n, "perm does not match the input's rank");
    Dims o;
    for (auto p : perm) {
      if (p < 0 || p >= static_cast<std::int64_t>(in_shape.size())) fail(n, "perm out of range");
      o.push_back(in_shape[static_cast<std::size_t>(p)]);
    }
    return o;
  }
  const bool squeeze = op == "Squeeze";
  Dims axes = squeeze_axes(n, squeeze);
  const std::size_t rank = squeeze ? in_shape.size() : in_shape.size() + axes.size();
  std::vector<bool> marked(rank, false);
  for (auto ax : axes) {
    const auto a = norm_axis(ax, rank);
    if (a < 0 || a >= static_cast<std::int64_t>(rank)) fail(n, "axis out of range");
    marked[static_cast<std::size_t>(a)] = true;
  }
  Dims o;
  if (squeeze) {
    for (std::size_t i = 0; i < in_shape.size(); ++i) {
      const bool drop = axes.empty() ? in_shape[i] == 1 : marked[i];
      if (drop && in_shape[i] != 1)
        fail(n, "cannot squeeze a dimension of size " + std::to_string(in_shape[i]));
      if (!drop) o.push_back(in_shape[i]);
    }
    return o;
  }
  for (std::size_t i = 0, j = 0; i < rank; ++i) o.push_back(marked[i] ? 1 : in_shape[j++]);
  return o;
}

void Importer::view(const Node& n) {
  const Dims o = view_shape(n);
  const std::string& op = n.op_type();
  auto& l = layer(n, op == "Flatten"     ? OpKind::flatten
                     : op == "Transpose" ? OpKind::transpose
                                         : OpKind::reshape);
  l.inputs.clear();
  if (!in(n, 0).producer.empty()) l.inputs.push_back(in(n, 0).producer);
  dims_into(l.shape, o);
  Tensor t;
  t.shape = o;
  t.producer = l.name;
  t.bits = in(n, 0).bits;  // the same values, rearranged: quantized as they were
  out(n, 0, t);
}

void Importer::pad(const Node& n) {
  const Dims shape = in(n, 0).shape;
  Dims pads;
  if (has_in(n, 1)) {
    for (double v : values(n, 1, "the pads")) pads.push_back(to_index(v));
  } else {
    pads = attr_ints(n, "pads").value_or(Dims{});
  }
  if (shape.size() != 4 || pads.size() != 8)
    fail(n, "expected a 4-D NCHW input with 8 pads, got " + dims_text(shape) + " and " +
                dims_text(pads));
  if (pads[0] || pads[1] || pads[4] || pads[5])
    fail(n, "padding of the batch or channel dimension is not supported");
  for (auto p : pads)
    if (p < 0) fail(n, "negative pads (cropping) are not supported");
  auto& l = layer(n, OpKind::pad);
  l.inputs.clear();
  if (!in(n, 0).producer.empty()) l.inputs.push_back(in(n, 0).producer);
  dims_into(l.shape, shape);
  l.shape.pad_h = pads[2];
  l.shape.pad_w = pads[3];
  l.shape.P = shape[2] + pads[2] + pads[6];
  l.shape.Q = shape[3] + pads[3] + pads[7];
  Tensor t;
  t.shape = {shape[0], shape[1], l.shape.P, l.shape.Q};
  t.producer = l.name;
  out(n, 0, t);
}

void Importer::resize(const Node& n) {
  const Dims shape = in(n, 0).shape;
  Dims o;
  if (has_in(n, 3)) {
    for (double v : values(n, 3, "the output sizes")) o.push_back(to_index(v));
  } else {
    // Opset 10 has (X, scales); opset 11+ has (X, roi, scales, sizes).
    const int at = n.input_size() == 2 ? 1 : 2;
    const auto scales = values(n, at, "the scales");
    if (scales.size() != shape.size()) fail(n, "one scale per dimension expected");
    for (std::size_t i = 0; i < shape.size(); ++i)
      o.push_back(static_cast<std::int64_t>(std::floor(static_cast<double>(shape[i]) * scales[i])));
  }
  if (o.size() != 4 || shape.size() != 4 || o[0] != shape[0] || o[1] != shape[1])
    fail(n, "only resizing the height and width of a 4-D NCHW tensor is supported");
  auto& l = layer(n, OpKind::resize);
  l.inputs.clear();
  if (!in(n, 0).producer.empty()) l.inputs.push_back(in(n, 0).producer);
  dims_into(l.shape, shape);
  l.shape.P = o[2];
  l.shape.Q = o[3];
  Tensor t;
  t.shape = o;
  t.producer = l.name;
  out(n, 0, t);
}

void Importer::reduce_mean(const Node& n) {
  const Dims shape = in(n, 0).shape;
  Dims axes = attr_ints(n, "axes").value_or(Dims{});
  if (axes.empty() && has_in(n, 1))
    for (double v : values(n, 1, "the axes")) axes.push_back(to_index(v));
  std::vector<bool> reduced(shape.size(), axes.empty());
  for (auto ax : axes) {
    const auto a = norm_axis(ax, shape.size());
    if (a < 0 || a >= static_cast<std::int64_t>(shape.size())) fail(n, "axis out of range");
    reduced[static_cast<std::size_t>(a)] = true;
  }
  const bool keep = attr_int(n, "keepdims", 1) != 0;
  Dims o, kept = shape;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (reduced[i]) kept[i] = 1;
    if (!reduced[i] || keep) o.push_back(reduced[i] ? 1 : shape[i]);
  }
  // The mean over height and width of NCHW is a global average pool (squeeze-excitation).
  const bool spatial = shape.size() == 4 && !reduced[0] && !reduced[1] && reduced[2] && reduced[3];
  auto& l = layer(n, spatial ? OpKind::global_avgpool : OpKind::reduce_mean);
  if (spatial) {
    dims_into(l.shape, shape);
    l.shape.R = l.shape.H;
    l.shape.S = l.shape.W;
    l.shape.P = l.shape.Q = 1;
  } else {
    sized_into(l.shape, shape, kept);
  }
  Tensor t;
  t.shape = o;
  t.producer = l.name;
  out(n, 0, t);
}

}  // namespace loom::onnx::detail
