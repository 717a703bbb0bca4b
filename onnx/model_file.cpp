// SPDX-License-Identifier: Apache-2.0
// Reading an ONNX file: protobuf parsing without the default message-size cap (models of
// hundreds of MB), ONNX shape inference to cross-check Loom's shapes, then the import.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <limits>

#include "core/error.hpp"
#include "core/isolated.hpp"
#include "onnx/importer.hpp"
#include "onnx/onnx_import.hpp"

namespace loom::onnx {
namespace {

// ONNX's shape inference indexes by attributes and ranks it does not check: a Conv whose input
// has another rank than its weights reads past its arrays (SIGSEGV, found by fuzzing). Loom's
// checks before it (validate_model) cannot see ranks that only inference would establish, so
// inference runs in a child process (core/isolated.hpp) and sends back only the shapes it
// found: the graph's value_info and outputs. Generous CPU cap: the largest exports infer in
// about a second.
constexpr unsigned kInferenceCpuSeconds = 60;

void infer_shapes(::onnx::ModelProto& model, const std::string& file_name) {
  const auto r = core::run_isolated(
      [&] {
        // In the child this is the child's copy of the model (fork's copy-on-write memory).
        ::onnx::shape_inference::InferShapes(model);
        ::onnx::GraphProto shapes;
        *shapes.mutable_value_info() = model.graph().value_info();
        *shapes.mutable_output() = model.graph().output();
        return shapes.SerializeAsString();
      },
      kInferenceCpuSeconds);
  ::onnx::GraphProto shapes;
  switch (r.status) {
    case core::IsolatedStatus::ok:
      if (!shapes.ParseFromString(r.output))
        throw Error(Diagnostic{file_name, "", 0, "ONNX's shape inference returned no shapes"});
      // Fills value_info for the intermediate tensors; Loom checks its own shapes against them.
      *model.mutable_graph()->mutable_value_info() = shapes.value_info();
      *model.mutable_graph()->mutable_output() = shapes.output();
      return;
    case core::IsolatedStatus::refused:
    case core::IsolatedStatus::failed:
      // A model the checker cannot infer completely is still imported on Loom's shapes alone.
      model.mutable_graph()->clear_value_info();
      return;
    case core::IsolatedStatus::crashed:
    case core::IsolatedStatus::cpu_limit:
    case core::IsolatedStatus::out_of_memory:
      break;
  }
  throw Error(Diagnostic{
      file_name, "graph", 0,
      std::string("ONNX's shape inference ") +
          (r.status == core::IsolatedStatus::crashed ? "crashed on this model"
           : r.status == core::IsolatedStatus::cpu_limit
               ? "did not finish within " + std::to_string(kInferenceCpuSeconds) + " s of CPU time"
               : "ran out of memory") +
          ": the graph is malformed (an operator whose inputs do not have the ranks or sizes "
          "its specification requires, e.g. a 4-D Conv weight on a 3-D input); check it "
          "with onnx.checker.check_model(model, full_check=True)"});
}

}  // namespace

workloads::Network parse_onnx(std::string_view bytes, const std::string& file_name,
                              const ImportOptions& options) {
  if (bytes.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw Error(Diagnostic{file_name, "", 0,
                           "larger than protobuf's 2 GB message limit; export the weights as "
                           "ONNX external data (Loom reads only their dims)"});
  ::onnx::ModelProto model;
  google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&raw);
  coded.SetTotalBytesLimit(std::numeric_limits<int>::max());
  if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
    throw Error(Diagnostic{file_name, "", 0,
                           "not a readable ONNX model (truncated or not an ONNX protobuf file)"});
  if (!model.has_graph() || model.graph().node_size() == 0)
    throw Error(Diagnostic{file_name, "graph", 0, "the ONNX model has no graph nodes"});
  detail::validate_model(model, file_name);  // what would crash the shape inference below
  infer_shapes(model, file_name);
  const auto import = [&](int batch_axis) {
    // Loom's networks are per image (`--batch` sets N), so the export's batch size is dropped.
    detail::Importer importer(model, file_name, batch_axis);
    auto net = importer.run().with_batch(1);
    return options.compact
               ? detail::compact(net, importer.weight_masks(), importer.output_layers(), file_name)
               : net;
  };
  try {
    return import(0);
  } catch (const detail::SequenceFirst&) {
    return import(1);  // the first attention showed the tokens as [L, B, d]
  }
}

workloads::Network load_onnx(const std::filesystem::path& path) { return load_onnx_with(path, {}); }

workloads::Network load_onnx_with(const std::filesystem::path& path, const ImportOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(Diagnostic{path.string(), "", 0,
                           std::filesystem::exists(path, ec)
                               ? "is not a regular file (a directory, device or pipe)"
                               : "cannot open the ONNX file (does it exist?)"});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Diagnostic{path.string(), "", 0, "cannot open the ONNX file"});
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto net = parse_onnx(bytes, path.string(), options);
  if (net.name == "onnx_model" || net.name == "main_graph" || net.name == "torch-jit-export" ||
      net.name == "torch_jit")
    net.name = path.stem().string();  // exporters' default graph names say nothing
  return net;
}

workloads::WorkloadImporters workload_importers() { return {{".onnx", load_onnx}}; }

}  // namespace loom::onnx
