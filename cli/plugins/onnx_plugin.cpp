// SPDX-License-Identifier: Apache-2.0
// libloom_plugin_onnx.so (LOOM_WITH_ONNX): the ONNX importer behind .onnx workloads
// (cli/optional_commands.hpp); only this plugin links protobuf and libonnx.
#include "cli/optional_commands.hpp"
#include "onnx/onnx_import.hpp"

extern "C" const loom::cli::OnnxPlugin* loom_onnx_plugin() {
  static const loom::cli::OnnxPlugin table{
      &loom::onnx::load_onnx, [](const std::filesystem::path& path) {
        return loom::onnx::load_onnx_with(path, {.compact = true});
      }};
  return &table;
}
