// SPDX-License-Identifier: Apache-2.0
#include "cli/optional_commands.hpp"

#include "core/features.hpp"
#include "core/plugin.hpp"

namespace loom::cli {
namespace {

// Each plugin exports `const Table* <entry>()`; the table lives as long as the process.
template <class Table>
const Table& load(const features::Part& part, std::string_view what, std::string_view name,
                  const char* entry) {
  core::require(part, what);
  using Entry = const Table* (*)();
  return *reinterpret_cast<Entry>(core::plugin_entry(name, entry))();
}

}  // namespace

// A static reference per table: loaded once; a failed load throws and is tried again next call.
const SimPlugin& sim_plugin(std::string_view what) {
  static const auto& table =
      load<SimPlugin>(features::kSim, what, "loom_plugin_sim", "loom_sim_plugin");
  return table;
}

const RtlPlugin& rtl_plugin(std::string_view what) {
  static const auto& table =
      load<RtlPlugin>(features::kRtl, what, "loom_plugin_rtl", "loom_rtl_plugin");
  return table;
}

workloads::WorkloadImporters workload_importers(bool compact) {
  return {{".onnx", [compact](const std::filesystem::path& path) {
             static const auto& onnx =
                 load<OnnxPlugin>(features::kOnnx, "reading an ONNX model (" + path.string() + ")",
                                  "loom_plugin_onnx", "loom_onnx_plugin");
             return compact ? onnx.load_onnx_compact(path) : onnx.load_onnx(path);
           }}};
}

}  // namespace loom::cli
