// SPDX-License-Identifier: Apache-2.0
#pragma once
// A DNN as an ordered list of layers (execution order). Loaders for Loom's workload YAML, the
// built-in zoo and SCALE-Sim topology CSVs all return a Network; errors throw loom::Error
// naming the file, key and line.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/layer.hpp"

namespace loom::workloads {

struct Network {
  std::string name;
  std::string source;  // where the shapes come from (paper, table), for reports
  std::vector<Layer> layers;

  [[nodiscard]] std::int64_t macs() const;
  // A copy with every layer's batch dimension N set to `batch` (must be >= 1).
  [[nodiscard]] Network with_batch(std::int64_t batch) const;
};

// Loom workload YAML; the format is documented in docs/configuration.md.
Network parse_workload_yaml(std::string_view text, const std::string& file_name);
Network load_workload_yaml(const std::filesystem::path& path);

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

// A zoo name, a .yaml/.yml file or a SCALE-Sim .csv file.
Network load_workload(const std::string& name_or_path);

}  // namespace loom::workloads
