// SPDX-License-Identifier: Apache-2.0
#pragma once
// A DNN as an ordered list of layers (execution order). Loaders for Loom's workload YAML, the
// built-in zoo and SCALE-Sim topology CSVs all return a Network; errors throw loom::Error
// naming the file, key and line.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/layer.hpp"

namespace loom::workloads {

struct Network {
  std::string name;
  std::string source;  // where the shapes come from (paper, table), for reports
  std::vector<Layer> layers;
  // The batch the layers carry (their N; an act_matmul's groups, layer.hpp): 1 as loaded.
  std::int64_t batch = 1;

  [[nodiscard]] std::int64_t macs() const;
  // A copy with every layer's batch dimension N set to `new_batch` (must be >= 1); an
  // act_matmul's groups scale instead (layer.hpp).
  [[nodiscard]] Network with_batch(std::int64_t new_batch) const;
};

// A loader for a workload file format that lives outside this library (ONNX is in loom::onnx,
// so that only programs importing ONNX link protobuf). Registered explicitly by the caller:
// `extension` is lower case with its dot (".onnx").
struct WorkloadImporter {
  std::string extension;
  std::function<Network(const std::filesystem::path&)> load;
};
using WorkloadImporters = std::vector<WorkloadImporter>;

// Loom workload YAML; the format is documented in docs/configuration.md. A file with `base:`
// derives from a zoo network or another workload file (resolved next to `file_name`, loaded
// with `importers` when it is not YAML) and applies its `transforms:`.
Network parse_workload_yaml(std::string_view text, const std::string& file_name,
                            const WorkloadImporters& importers = {});
Network load_workload_yaml(const std::filesystem::path& path,
                           const WorkloadImporters& importers = {});

// Loom workload YAML text that parse_workload_yaml reads back into an equal Network (layer
// names, ops, shapes, edges, precisions and densities). Throws loom::Error for a layer the
// format cannot express (a gemm with a batch, a window op whose sizes are inconsistent).
std::string to_workload_yaml(const Network& net);

// SCALE-Sim v2 topology CSV: conv rows (name, ifmap h, ifmap w, filter h, filter w, channels,
// filters, stride) or GEMM rows (name, M, N, K), told apart by the header's column count.
// Output sizes follow SCALE-Sim's convention ceil((H − R + stride) / stride); names containing
// "DP" are depthwise, as in SCALE-Sim.
Network load_scalesim_topology(const std::filesystem::path& path);

// Built-in networks shipped as YAML under workloads/zoo/ and compiled into the binary.
struct ZooEntry {
  std::string name;
  std::string description;
};
std::vector<ZooEntry> zoo_list();
[[nodiscard]] bool zoo_has(std::string_view name);
Network zoo_load(std::string_view name);

// A zoo name, a .yaml/.yml file, a SCALE-Sim .csv file, or a file one of `importers` reads.
Network load_workload(const std::string& name_or_path, const WorkloadImporters& importers = {});

}  // namespace loom::workloads
