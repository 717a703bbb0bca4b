// SPDX-License-Identifier: Apache-2.0
// Reading ONNX tensors and attributes: only what shape arithmetic needs. Weights are never
// decoded (their dims are enough), so large and external-data initializers cost nothing.
#include <cstring>

#include "onnx/importer.hpp"

namespace loom::onnx::detail {
namespace {

// Cap on what is folded: shape vectors and small index tensors, not weights.
constexpr std::int64_t kMaxFoldedElements = 1 << 20;

template <class T>
std::vector<double> from_raw(const std::string& raw) {
  std::vector<double> out(raw.size() / sizeof(T));
  for (std::size_t i = 0; i < out.size(); ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));  // little-endian per ONNX spec
    out[i] = static_cast<double>(v);
  }
  return out;
}

template <class Field>
std::vector<double> from_field(const Field& f) {
  return std::vector<double>(f.begin(), f.end());
}

}  // namespace

std::int64_t Tensor::elements() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

bool is_integer_type(int t) {
  using TP = ::onnx::TensorProto;
  return t == TP::INT64 || t == TP::INT32 || t == TP::INT16 || t == TP::INT8 || t == TP::UINT8 ||
         t == TP::UINT16 || t == TP::UINT32 || t == TP::UINT64 || t == TP::BOOL;
}

std::optional<std::vector<double>> decode(const ::onnx::TensorProto& t) {
  using TP = ::onnx::TensorProto;
  std::int64_t n = 1;
  for (auto d : t.dims()) n *= d;
  if (n > kMaxFoldedElements || t.data_location() == TP::EXTERNAL) return std::nullopt;
  const bool raw = t.has_raw_data();
  std::vector<double> v;
  switch (t.data_type()) {
    case TP::FLOAT:
      v = raw ? from_raw<float>(t.raw_data()) : from_field(t.float_data());
      break;
    case TP::DOUBLE:
      v = raw ? from_raw<double>(t.raw_data()) : from_field(t.double_data());
      break;
    case TP::INT64:
      v = raw ? from_raw<std::int64_t>(t.raw_data()) : from_field(t.int64_data());
      break;
    case TP::INT32:
      v = raw ? from_raw<std::int32_t>(t.raw_data()) : from_field(t.int32_data());
      break;
    case TP::INT8:
      v = raw ? from_raw<std::int8_t>(t.raw_data()) : from_field(t.int32_data());
      break;
    case TP::UINT8:
    case TP::BOOL:
      v = raw ? from_raw<std::uint8_t>(t.raw_data()) : from_field(t.int32_data());
      break;
    default:
      return std::nullopt;
  }
  if (static_cast<std::int64_t>(v.size()) != n) return std::nullopt;
  return v;
}

std::optional<Dims> broadcast(const Dims& a, const Dims& b) {
  Dims out(std::max(a.size(), b.size()), 1);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    const std::int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1) return std::nullopt;
    out[out.size() - 1 - i] = x == 1 ? y : x;
  }
  return out;
}

std::string dims_text(const Dims& d) {
  std::string s = "[";
  for (std::size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
  return s + "]";
}

namespace {

const ::onnx::AttributeProto* find(const ::onnx::NodeProto& n, const char* name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

}  // namespace

std::int64_t attr_int(const ::onnx::NodeProto& n, const char* name, std::int64_t fallback) {
  const auto* a = find(n, name);
  return a ? a->i() : fallback;
}

float attr_float(const ::onnx::NodeProto& n, const char* name, float fallback) {
  const auto* a = find(n, name);
  return a ? a->f() : fallback;
}

std::string attr_string(const ::onnx::NodeProto& n, const char* name, std::string fallback) {
  const auto* a = find(n, name);
  return a ? a->s() : fallback;
}

std::optional<Dims> attr_ints(const ::onnx::NodeProto& n, const char* name) {
  const auto* a = find(n, name);
  if (!a) return std::nullopt;
  return Dims(a->ints().begin(), a->ints().end());
}

const ::onnx::TensorProto* attr_tensor(const ::onnx::NodeProto& n, const char* name) {
  const auto* a = find(n, name);
  return a && a->has_t() ? &a->t() : nullptr;
}

}  // namespace loom::onnx::detail
