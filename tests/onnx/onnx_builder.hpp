// SPDX-License-Identifier: Apache-2.0
#pragma once
// Builds small ONNX models in tests through the onnx protobuf API, so that every operator the
// importer handles is exercised without shipping model files.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace loom::test {

class OnnxBuilder {
 public:
  explicit OnnxBuilder(std::int64_t opset = 13) {
    model_.set_ir_version(7);
    auto* op = model_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    model_.mutable_graph()->set_name("test_graph");
  }

  // A graph input NCHW (or any rank), float unless `type` says otherwise; a first dim of -1 is a
  // symbolic batch.
  void input(const std::string& name, const std::vector<std::int64_t>& dims,
             int type = ::onnx::TensorProto::FLOAT) {
    auto* in = model_.mutable_graph()->add_input();
    in->set_name(name);
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(type);
    for (auto d : dims) {
      auto* dim = t->mutable_shape()->add_dim();
      if (d < 0)
        dim->set_dim_param("batch");
      else
        dim->set_dim_value(d);
    }
  }

  // A float initializer of zeros (weights: only its dims matter to Loom).
  void weights(const std::string& name, const std::vector<std::int64_t>& dims) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::FLOAT);
    std::int64_t n = 1;
    for (auto d : dims) {
      t->add_dims(d);
      n *= d;
    }
    t->mutable_raw_data()->assign(static_cast<std::size_t>(n) * sizeof(float), '\0');
  }

  // A float initializer holding `values`, row-major, as raw data (how exporters store weights).
  void floats(const std::string& name, const std::vector<std::int64_t>& dims,
              const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::FLOAT);
    for (auto d : dims) t->add_dims(d);
    t->mutable_raw_data()->assign(reinterpret_cast<const char*>(values.data()),
                                  values.size() * sizeof(float));
  }

  // An INT8, UINT8 or INT32 initializer holding `values`, row-major, as little-endian raw data;
  // no dims makes a scalar.
  void integers(const std::string& name, const std::vector<std::int64_t>& dims, int type,
                const std::vector<std::int64_t>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (auto d : dims) t->add_dims(d);
    const std::size_t width = type == ::onnx::TensorProto::INT32 ? 4 : 1;
    std::string raw;
    for (auto v : values)
      for (std::size_t k = 0; k < width; ++k)
        raw += static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * k)) & 0xff);
    t->set_raw_data(raw);
  }

  // An int64 initializer (shapes, axes, split sizes).
  void ints(const std::string& name, const std::vector<std::int64_t>& values, bool scalar = false) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::INT64);
    if (!scalar) t->add_dims(static_cast<std::int64_t>(values.size()));
    for (auto v : values) t->add_int64_data(v);
  }

  ::onnx::NodeProto& node(const std::string& op, std::initializer_list<std::string> inputs,
                          std::initializer_list<std::string> outputs,
                          const std::string& name = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? outputs.begin()[0] : name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }

  static void attr(::onnx::NodeProto& n, const std::string& name, std::int64_t v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr(::onnx::NodeProto& n, const std::string& name,
                   const std::vector<std::int64_t>& v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  static void attr(::onnx::NodeProto& n, const std::string& name, const std::string& v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::STRING);
    a->set_s(v);
  }

  void output(const std::string& name) {
    auto* o = model_.mutable_graph()->add_output();
    o->set_name(name);
    o->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
  }

  [[nodiscard]] std::string bytes() const { return model_.SerializeAsString(); }
  ::onnx::ModelProto& model() { return model_; }

 private:
  ::onnx::ModelProto model_;
};

}  // namespace loom::test
