// SPDX-License-Identifier: Apache-2.0
// Reading ONNX tensors and attributes: what shape arithmetic needs, and weights' values only to
// count their zeros (ops_quant.cpp); external-data weights are not read (their dims suffice).
#include <cstring>

#include "core/checked.hpp"
#include "onnx/importer.hpp"

namespace loom::onnx::detail {
namespace {

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

int integer_bits(int t) {
  using TP = ::onnx::TensorProto;
  switch (t) {
    case TP::INT8:
    case TP::UINT8:
      return 8;
    case TP::INT16:
    case TP::UINT16:
      return 16;
    case TP::INT32:
    case TP::UINT32:
      return 32;
    default:
      return 0;
  }
}

namespace {

// Bytes per element of the types whose raw_data length can be checked; 0 for the others
// (strings, unknown future types), whose storage is left to the operators that read them.
std::int64_t element_bytes(int t) {
  using TP = ::onnx::TensorProto;
  switch (t) {
    case TP::BOOL:
    case TP::INT8:
    case TP::UINT8:
      return 1;
    case TP::INT16:
    case TP::UINT16:
    case TP::FLOAT16:
    case TP::BFLOAT16:
      return 2;
    case TP::FLOAT:
    case TP::INT32:
    case TP::UINT32:
      return 4;
    case TP::DOUBLE:
    case TP::INT64:
    case TP::UINT64:
    case TP::COMPLEX64:
      return 8;
    case TP::COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

// Values stored in the typed field (not raw_data) that carries this data type.
int typed_values(const ::onnx::TensorProto& t) {
  using TP = ::onnx::TensorProto;
  switch (t.data_type()) {
    case TP::FLOAT:
    case TP::COMPLEX64:
      return t.float_data_size();
    case TP::DOUBLE:
    case TP::COMPLEX128:
      return t.double_data_size();
    case TP::INT64:
      return t.int64_data_size();
    case TP::UINT32:
    case TP::UINT64:
      return t.uint64_data_size();
    default:
      return t.int32_data_size();
  }
}

}  // namespace

std::optional<std::string> storage_problem(const ::onnx::TensorProto& t) {
  using TP = ::onnx::TensorProto;
  std::int64_t n = 1;
  for (auto d : t.dims()) {
    if (d < 0) return "has a negative dimension " + std::to_string(d);
    const auto p = core::checked_mul(n, d);
    if (!p) return "has more elements than a 64-bit count holds";
    n = *p;
  }
  if (t.data_location() == TP::EXTERNAL || t.data_type() == TP::STRING) return std::nullopt;
  const std::int64_t bytes = element_bytes(t.data_type());
  if (bytes == 0) return std::nullopt;
  const std::int64_t per_value =
      t.data_type() == TP::COMPLEX64 || t.data_type() == TP::COMPLEX128 ? 2 : 1;
  if (t.has_raw_data()) {
    const auto want = core::checked_mul(n, bytes);
    if (!want || static_cast<std::uint64_t>(*want) != t.raw_data().size())
      return "holds " + std::to_string(t.raw_data().size()) + " bytes of raw_data, but its " +
             std::to_string(n) + " elements need " +
             (want ? std::to_string(*want) : std::string("more than 2^63")) + " (truncated file?)";
    return std::nullopt;
  }
  const int stored = typed_values(t);
  // A tensor with no data at all is left alone: Loom reads only the dims of weights.
  if (stored != 0 && stored != n * per_value)
    return "holds " + std::to_string(stored) + " values, but its dims need " +
           std::to_string(n * per_value);
  return std::nullopt;
}

std::optional<std::vector<double>> decode(const ::onnx::TensorProto& t, std::int64_t max_elements) {
  using TP = ::onnx::TensorProto;
  std::int64_t n = 1;
  for (auto d : t.dims()) n *= d;
  if (n > max_elements || t.data_location() == TP::EXTERNAL) return std::nullopt;
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
    case TP::INT16:
      v = raw ? from_raw<std::int16_t>(t.raw_data()) : from_field(t.int32_data());
      break;
    case TP::UINT16:
      v = raw ? from_raw<std::uint16_t>(t.raw_data()) : from_field(t.int32_data());
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
