// SPDX-License-Identifier: Apache-2.0
// The import loop: graph inputs and initializers become tensors, each node becomes a layer or
// a folded constant, and every computed shape is checked against ONNX's shape inference.
#include "onnx/importer.hpp"

#include <onnx/defs/schema.h>

#include <cmath>
#include <set>
#include <string_view>

#include "core/error.hpp"

namespace loom::onnx::detail {
namespace {

using workloads::OpKind;

constexpr const char* kSupported =
    "Conv, Gemm, MatMul, MaxPool, AveragePool, GlobalAveragePool, ReduceMean, Add, Sub, Mul, "
    "Div, Concat, Split, Slice, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, Shape, Gather, "
    "Cast, Constant, Identity, Dropout, Pad, Resize, BatchNormalization, Relu, Clip, Sigmoid, "
    "HardSigmoid, HardSwish, Softmax, QuantizeLinear, DequantizeLinear, QLinearConv, "
    "QLinearMatMul, ConvInteger, MatMulInteger, ConstantOfShape, Expand, Equal, Where, Pow, "
    "Sqrt, Erf, Tanh, LayerNormalization, Trilu, Or, And, Not";

// Static dims of a tensor type; a symbolic dimension becomes -1, and its name is kept in
// `symbols` (same length as the result, empty for numeric dims).
Dims shape_of(const ::onnx::TypeProto& type, std::vector<std::string>* symbols = nullptr) {
  Dims d;
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return d;
  for (const auto& dim : type.tensor_type().shape().dim()) {
    d.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    if (symbols) symbols->push_back(dim.has_dim_value() ? "" : dim.dim_param());
  }
  return d;
}

// Where a node is named in messages: its name, or its position when it has none.
std::string node_key(const ::onnx::NodeProto& n, std::size_t index) {
  const std::string name = n.name().empty() ? "#" + std::to_string(index) : n.name();
  return "node '" + name + "' (" + n.op_type() + ")";
}

// Operator domains Loom imports besides the default one ("" or "ai.onnx"), with their
// operators: QONNX's quantizers (FINN's older exports name the domain finn.custom_op.general).
constexpr const char* kQonnxOps = "Quant, BipolarQuant, Trunc";
const std::set<std::string, std::less<>> kImportedDomains = {"qonnx.custom_op.general",
                                                             "finn.custom_op.general"};

bool default_domain(std::string_view d) { return d.empty() || d == "ai.onnx"; }

bool qonnx_op(std::string_view op) {
  return op == "Quant" || op == "BipolarQuant" || op == "Trunc";
}

bool supported_op(std::string_view op) {
  static const std::set<std::string, std::less<>> ops = [] {
    std::set<std::string, std::less<>> out;
    const std::string_view list = kSupported;
    for (std::size_t b = 0; b < list.size();) {
      const std::size_t e = std::min(list.find(", ", b), list.size());
      out.emplace(list.substr(b, e - b));
      b = e + 2;
    }
    return out;
  }();
  return ops.contains(op);
}

bool imported_op(const ::onnx::NodeProto& n) {
  if (default_domain(n.domain())) return supported_op(n.op_type());
  return kImportedDomains.contains(n.domain()) && qonnx_op(n.op_type());
}

std::string unsupported_message(const ::onnx::NodeProto& n) {
  if (!default_domain(n.domain()))
    return "unsupported operator '" + n.op_type() + "' of domain '" + n.domain() +
           "'; Loom imports the standard ONNX operators " + kSupported + ", and " + kQonnxOps +
           " of domain qonnx.custom_op.general";
  return "unsupported ONNX operator '" + n.op_type() + "'; Loom imports " + kSupported;
}

// The opset of the default domain must be one this ONNX library knows: shape inference and
// the operator semantics Loom follows depend on it.
void check_opsets(const ::onnx::ModelProto& model, const std::string& file) {
  const auto& ranges = ::onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  const auto known = ranges.find("");
  const int lo = known == ranges.end() ? 1 : known->second.first;
  const int hi = known == ranges.end() ? 1 : known->second.second;
  const std::string range = std::to_string(lo) + " to " + std::to_string(hi);
  bool found = false;
  for (const auto& op : model.opset_import()) {
    if (!default_domain(op.domain())) continue;
    found = true;
    if (op.version() < lo || op.version() > hi)
      throw Error(Diagnostic{file, "opset_import", 0,
                             "default-domain opset " + std::to_string(op.version()) +
                                 " is not one Loom's ONNX library knows (expected " + range + ")"});
  }
  if (!found)
    throw Error(Diagnostic{file, "opset_import", 0,
                           "no opset for the default ONNX domain, so the operator versions are "
                           "unknown (expected an opset_import of domain '' with version " +
                               range + ")"});
}

// Window attributes of Conv and the pools: every entry in [lo, kMaxDim], and auto_pad one of
// ONNX's four values. Stride 0 would divide by zero inside ONNX's shape inference.
void check_window_attributes(const ::onnx::NodeProto& n, const std::string& file,
                             std::size_t index) {
  const auto bad = [&](const std::string& what) {
    throw Error(Diagnostic{file, node_key(n, index), 0, what});
  };
  for (const auto& a : n.attribute()) {
    const std::string& k = a.name();
    const std::int64_t lo = k == "pads" ? 0 : 1;
    if (k == "strides" || k == "dilations" || k == "kernel_shape" || k == "pads")
      for (auto v : a.ints())
        if (v < lo || v > kMaxDim)
          bad("attribute " + k + " has " + std::to_string(v) + " (expected integers from " +
              std::to_string(lo) + " to " + std::to_string(kMaxDim) + ")");
    if (k == "group" && (a.i() < 1 || a.i() > kMaxDim))
      bad("attribute group is " + std::to_string(a.i()) + " (expected an integer from 1 to " +
          std::to_string(kMaxDim) + ")");
    if (k == "auto_pad" && a.s() != "NOTSET" && a.s() != "SAME_UPPER" && a.s() != "SAME_LOWER" &&
        a.s() != "VALID")
      bad("attribute auto_pad is '" + a.s() +
          "' (expected one of: NOTSET, SAME_UPPER, SAME_LOWER, VALID)");
  }
}

}  // namespace

void validate_model(const ::onnx::ModelProto& model, const std::string& file) {
  check_opsets(model, file);
  const auto& g = model.graph();
  for (const auto& init : g.initializer()) {
    if (auto p = storage_problem(init))
      throw Error(Diagnostic{file, "initializer '" + init.name() + "'", 0, *p});
    for (auto d : init.dims())
      if (d > kMaxDim)
        throw Error(Diagnostic{file, "initializer '" + init.name() + "'", 0,
                               "has a dimension of " + std::to_string(d) + " (expected at most " +
                                   std::to_string(kMaxDim) + ")"});
  }
  for (const auto& input : g.input()) {
    if (!input.type().has_tensor_type()) continue;
    for (const auto& d : input.type().tensor_type().shape().dim())
      if (d.has_dim_value() && d.dim_value() > kMaxDim)
        throw Error(Diagnostic{file, "graph.input '" + input.name() + "'", 0,
                               "has a dimension of " + std::to_string(d.dim_value()) +
                                   " (expected at most " + std::to_string(kMaxDim) + ")"});
  }
  std::size_t index = 0;
  for (const auto& n : g.node()) {
    if (!imported_op(n))
      throw Error(Diagnostic{file, node_key(n, index), 0, unsupported_message(n)});
    const std::string& op = n.op_type();
    if (op == "Conv" || op == "MaxPool" || op == "AveragePool" || op == "QLinearConv" ||
        op == "ConvInteger")
      check_window_attributes(n, file, index);
    if (const auto* t = attr_tensor(n, "value"))
      if (auto p = storage_problem(*t))
        throw Error(Diagnostic{file, node_key(n, index), 0, "value tensor " + *p});
    ++index;
  }
}

Importer::Importer(const ::onnx::ModelProto& model, std::string file, int batch_axis)
    : model_(model), file_(std::move(file)), batch_axis_(batch_axis) {
  const auto& g = model.graph();
  for (const auto& init : g.initializer()) {
    Tensor t;
    t.shape.assign(init.dims().begin(), init.dims().end());
    t.proto = &init;
    t.integer = is_integer_type(init.data_type());
    t.bits = integer_bits(init.data_type());
    tensors_[init.name()] = t;
  }
  std::set<std::string> batch_symbols;  // names exporters give a dynamic batch ("batch_size")
  bool batch_from_input = true;
  for (const auto& input : g.input()) {
    if (tensors_.contains(input.name())) continue;  // an initializer listed as an input
    std::vector<std::string> symbols;
    Tensor t;
    t.shape = shape_of(input.type(), &symbols);
    t.integer = is_integer_type(input.type().tensor_type().elem_type());
    t.bits = integer_bits(input.type().tensor_type().elem_type());
    if (!input.type().tensor_type().has_shape())
      throw Error(Diagnostic{file_, "graph.input '" + input.name() + "'", 0,
                             "has no shape; export the model with fixed input sizes"});
    // A free leading dimension is the batch: Loom imports one image and sets N with --batch.
    if (!t.shape.empty() && t.shape[0] < 0) {
      t.shape[0] = 1;
      if (!symbols[0].empty()) batch_symbols.insert(symbols[0]);
    }
    for (auto d : t.shape)
      if (d < 0)
        throw Error(Diagnostic{file_, "graph.input '" + input.name() + "'", 0,
                               "has a symbolic size other than the batch; export the model "
                               "with fixed input sizes"});
    const auto axis = static_cast<std::size_t>(batch_from_input ? batch_axis_ : 0);
    // A square matrix input is an attention mask [L, L] (a causal mask passed in), not a batch.
    const bool mask = t.shape.size() == 2 && t.shape[0] == t.shape[1] && !batch_from_input;
    if (t.shape.size() >= 2 && axis < t.shape.size() && !mask) input_batches_.insert(t.shape[axis]);
    if (batch_from_input && axis < t.shape.size() && t.shape[axis] > 0) {
      batch_ = t.shape[axis];
      net_.batch = batch_;  // act_matmuls carry it in their groups; Network::with_batch divides
      first_input_ = t.shape;
      batch_from_input = false;
    }
    tensors_[input.name()] = t;
  }
  // Shapes ONNX inferred, kept where every dimension is known (the batch symbol counts as 1);
  // anything with an unknown size is not compared.
  for (const auto* list : {&g.value_info(), &g.output()})
    for (const auto& vi : *list) {
      if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape()) continue;
      std::vector<std::string> symbols;
      Dims d = shape_of(vi.type(), &symbols);
      bool known = true;
      for (std::size_t i = 0; i < d.size(); ++i) {
        if (d[i] < 0 && batch_symbols.contains(symbols[i])) d[i] = 1;
        known = known && d[i] >= 0;
      }
      if (known) inferred_[vi.name()] = d;
    }
}

workloads::Network Importer::run() {
  const auto& g = model_.graph();
  net_.name = g.name().empty() ? "onnx_model" : g.name();
  net_.source = "ONNX import of " + file_;
  for (const auto& n : g.node()) {
    node(n);
    ++index_;
  }
  if (net_.layers.empty())
    throw Error(Diagnostic{file_, "graph", 0, "the model has no layers Loom could import"});
  // Counts are 64-bit integers downstream; a shape this large is a corrupt file, not a network.
  for (const auto& l : net_.layers) {
    const auto& s = l.shape;
    const long double macs = static_cast<long double>(s.N) * s.M * s.P * s.Q * s.C * s.R * s.S;
    const long double in = static_cast<long double>(s.N) * s.C * s.H * s.W;
    if (macs > workloads::kMaxLayerMacs || in > workloads::kMaxLayerMacs)
      throw Error(Diagnostic{file_, "layer '" + l.name + "'", 0,
                             "more than Loom's limit of 1e15 MACs or elements in one layer"});
    for (auto d : {s.N, s.M, s.C, s.H, s.W, s.P, s.Q, s.R, s.S})
      if (d < 1)
        throw Error(Diagnostic{file_, "layer '" + l.name + "'", 0,
                               "a tensor or window of size 0; Loom models non-empty layers"});
  }
  return net_;
}

std::set<std::string> Importer::output_layers() const {
  std::set<std::string> out;
  for (const auto& o : model_.graph().output())
    if (const auto t = tensors_.find(o.name()); t != tensors_.end() && !t->second.producer.empty())
      out.insert(t->second.producer);
  return out;
}

void Importer::fail(const Node& n, const std::string& message) const {
  throw Error(Diagnostic{file_, node_key(n, index_), 0, message});
}

bool Importer::has_in(const Node& n, int i) const {
  return i < n.input_size() && !n.input(i).empty();
}

const Tensor& Importer::in(const Node& n, int i) const {
  if (!has_in(n, i)) fail(n, "input " + std::to_string(i) + " is missing");
  const auto it = tensors_.find(n.input(i));
  if (it == tensors_.end())
    fail(n, "input '" + n.input(i) +
                "' is not produced by an earlier node, an initializer or "
                "a graph input");
  return it->second;
}

std::vector<double> Importer::values(const Node& n, int i, const char* what) const {
  const Tensor& t = in(n, i);
  if (t.value) return *t.value;
  if (t.proto)
    if (auto v = decode(*t.proto)) return *v;
  fail(n, std::string(what) + " (input '" + n.input(i) +
              "') is not a constant Loom could fold; the importer needs it to know the shape");
}

void Importer::out(const Node& n, int i, Tensor t) {
  if (i >= n.output_size() || n.output(i).empty()) return;
  const std::string& name = n.output(i);
  const auto it = inferred_.find(name);
  if (it != inferred_.end() && it->second != t.shape)
    fail(n, "Loom computes output '" + name + "' as " + dims_text(t.shape) +
                " but ONNX shape inference gives " + dims_text(it->second));
  for (auto d : t.shape)
    if (d < 0) fail(n, "output '" + name + "' has a negative size " + dims_text(t.shape));
  tensors_[name] = std::move(t);
}

std::vector<std::string> Importer::producers(const Node& n) const {
  std::vector<std::string> p;
  for (int i = 0; i < n.input_size(); ++i)
    if (has_in(n, i) && !in(n, i).producer.empty()) p.push_back(in(n, i).producer);
  return p;
}

void Importer::sized_into(workloads::LayerShape& s, const Dims& in, const Dims& out) const {
  dims_into(s, in);
  workloads::LayerShape os;
  dims_into(os, out);
  s.M = os.C;
  s.P = os.H;
  s.Q = os.W;
}

void Importer::dims_into(workloads::LayerShape& s, const Dims& d) const {
  // NCHW; rank 2 is [N, features]; the dims between C and the last two fold into channels.
  s = workloads::LayerShape{};
  const std::size_t r = d.size();
  if (r >= 1) s.N = r >= 2 ? d[0] : 1;
  if (r == 1) s.C = d[0];
  if (r >= 2) s.C = d[1];
  // A leading dim that is not the batch (attention's [L, B, d] and [B·h, L, L]) holds no
  // images: it folds into the channels, so the per-image sizes keep every element.
  if (r >= 2 && s.N != batch_ && s.N > 0) {
    const std::int64_t images = s.N % batch_ == 0 ? batch_ : 1;
    s.C *= s.N / images;
    s.N = images;
  }
  if (r == 3) s.H = d[2];
  if (r >= 4) {
    for (std::size_t k = 2; k + 2 < r; ++k) s.C *= d[k];
    s.H = d[r - 2];
    s.W = d[r - 1];
  }
  s.M = s.C;
  s.P = s.H;
  s.Q = s.W;
}

workloads::Layer& Importer::layer(const Node& n, OpKind op, const std::string& suffix) {
  std::string base = n.name().empty() ? n.op_type() + "_" + std::to_string(index_) : n.name();
  base += suffix;
  std::string name = base;
  for (int k = 2; names_.contains(name); ++k) name = base + "_" + std::to_string(k);
  names_.insert(name);
  workloads::Layer l;
  l.name = name;
  l.op = op;
  l.inputs = producers(n);
  net_.layers.push_back(l);
  return net_.layers.back();
}

void Importer::node(const Node& n) {
  const std::string& op = n.op_type();
  if (!default_domain(n.domain())) {
    if (!imported_op(n)) fail(n, unsupported_message(n));
    return qonnx_quant(n);
  }
  if (op == "Constant") {
    Tensor t;
    if (const auto* v = attr_tensor(n, "value")) {
      t.shape.assign(v->dims().begin(), v->dims().end());
      t.proto = v;
      t.integer = is_integer_type(v->data_type());
      t.bits = integer_bits(v->data_type());
    } else {
      for (const auto& a : n.attribute()) {
        if (a.name() == "value_int" || a.name() == "value_ints") {
          t.value = a.name() == "value_int" ? std::vector<double>{static_cast<double>(a.i())}
                                            : std::vector<double>(a.ints().begin(), a.ints().end());
          t.integer = true;
        } else if (a.name() == "value_float" || a.name() == "value_floats") {
          t.value = a.name() == "value_float"
                        ? std::vector<double>{a.f()}
                        : std::vector<double>(a.floats().begin(), a.floats().end());
        }
        if (a.name() == "value_ints" || a.name() == "value_floats")
          t.shape = {static_cast<std::int64_t>(t.value->size())};
      }
      if (!t.value) fail(n, "a Constant needs a value, value_int(s) or value_float(s)");
    }
    return out(n, 0, t);
  }
  if (op == "Identity" || op == "Dropout" || op == "Cast") {
    Tensor t = in(n, 0);
    if (op == "Cast") {
      t.integer = is_integer_type(static_cast<int>(attr_int(n, "to", 1)));
      if (t.integer && t.constant()) {
        auto v = values(n, 0, "the cast tensor");
        for (auto& x : v) x = std::trunc(x);
        t.value = v;
        t.proto = nullptr;
      }
    }
    out(n, 0, t);
    if (op == "Dropout" && n.output_size() > 1) out(n, 1, in(n, 0));
    return;
  }
  if (op == "Shape") {
    const Dims& d = in(n, 0).shape;
    auto r = static_cast<std::int64_t>(d.size());
    std::int64_t start = attr_int(n, "start", 0), end = attr_int(n, "end", r);
    if (start < 0) start += r;
    if (end < 0) end += r;
    start = std::clamp<std::int64_t>(start, 0, r);
    end = std::clamp<std::int64_t>(end, start, r);
    Tensor t;
    t.shape = {end - start};
    t.value = std::vector<double>(d.begin() + start, d.begin() + end);
    t.integer = true;
    return out(n, 0, t);
  }
  if (op == "QuantizeLinear") return quantize(n);
  if (op == "DequantizeLinear") return dequantize(n);
  if (op == "QLinearConv" || op == "QLinearMatMul" || op == "ConvInteger" || op == "MatMulInteger")
    return quantized_mac(n);
  if (fold(n)) return;
  if (transformer_op(n)) return;
  if (op == "Conv") return conv(n);
  if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") return pool(n);
  if (op == "Gemm") return gemm(n);
  if (op == "MatMul") return matmul(n);
  if (op == "Add") return elementwise(n, OpKind::add);
  if (op == "Sub") return elementwise(n, OpKind::sub);
  if (op == "Mul") return elementwise(n, OpKind::mul);
  if (op == "Div") return elementwise(n, OpKind::div);
  if (op == "Relu" || op == "Clip" || op == "Sigmoid" || op == "HardSigmoid" || op == "HardSwish")
    return same_shape(n, OpKind::activation);
  if (op == "BatchNormalization") return same_shape(n, OpKind::batchnorm);
  if (op == "Softmax") {
    // Opset 13 moved the default axis from 1 to -1; either must name an axis of the input.
    const auto rank = static_cast<std::int64_t>(in(n, 0).shape.size());
    const std::int64_t axis = attr_int(n, "axis", -1);
    if (rank > 0 && (axis < -rank || axis >= rank))
      fail(n, "attribute axis is " + std::to_string(axis) + " (expected " + std::to_string(-rank) +
                  " to " + std::to_string(rank - 1) + " for the input " +
                  dims_text(in(n, 0).shape) + ")");
    return same_shape(n, OpKind::softmax);
  }
  if (op == "Concat") return concat(n);
  if (op == "Split") return split(n);
  if (op == "Slice") return slice(n);
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze" ||
      op == "Transpose")
    return view(n);
  if (op == "Pad") return pad(n);
  if (op == "Resize") return resize(n);
  if (op == "ReduceMean") return reduce_mean(n);
  if (op == "Gather") return gather(n);
  fail(n, unsupported_message(n));
}

}  // namespace loom::onnx::detail
