// SPDX-License-Identifier: Apache-2.0
// Reading an ONNX file: protobuf parsing without the default message-size cap (models of
// hundreds of MB), ONNX shape inference to cross-check Loom's shapes, then the import.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>
#include <limits>

#include "core/error.hpp"
#include "onnx/importer.hpp"
#include "onnx/onnx_import.hpp"

namespace loom::onnx {

workloads::Network parse_onnx(std::string_view bytes, const std::string& file_name) {
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
  try {
    // Fills value_info for the intermediate tensors; Loom checks its own shapes against them.
    // A model the checker cannot infer completely is still imported on Loom's shapes alone.
    ::onnx::shape_inference::InferShapes(model);
  } catch (const std::exception&) {
    model.mutable_graph()->clear_value_info();
  }
  // Loom's networks are per image (`--batch` sets N), so the export's batch size is dropped.
  return detail::Importer(model, file_name).run().with_batch(1);
}

workloads::Network load_onnx(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(Diagnostic{path.string(), "", 0,
                           std::filesystem::exists(path, ec)
                               ? "is not a regular file (a directory, device or pipe)"
                               : "cannot open the ONNX file (does it exist?)"});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Diagnostic{path.string(), "", 0, "cannot open the ONNX file"});
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto net = parse_onnx(bytes, path.string());
  if (net.name == "onnx_model" || net.name == "main_graph" || net.name == "torch-jit-export" ||
      net.name == "torch_jit")
    net.name = path.stem().string();  // exporters' default graph names say nothing
  return net;
}

workloads::WorkloadImporters workload_importers() { return {{".onnx", load_onnx}}; }

}  // namespace loom::onnx
