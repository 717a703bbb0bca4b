// SPDX-License-Identifier: Apache-2.0
#include "workloads/network.hpp"

#include "core/csv.hpp"
#include "core/error.hpp"

namespace loom::workloads {

std::int64_t Network::macs() const {
  std::int64_t total = 0;
  for (const auto& l : layers) total += l.macs();
  return total;
}

Network Network::with_batch(std::int64_t batch) const {
  if (batch < 1 || batch > kMaxBatch)
    throw Error(Diagnostic{"", "--batch", 0,
                           "expected an integer > 0 and <= " + std::to_string(kMaxBatch) +
                               ", got " + std::to_string(batch)});
  Network out = *this;
  for (auto& l : out.layers) l.shape.N = batch;
  return out;
}

Network load_workload(const std::string& name_or_path, const WorkloadImporters& importers) {
  if (zoo_has(name_or_path)) return zoo_load(name_or_path);
  const std::filesystem::path p(name_or_path);
  const std::string ext = core::to_lower(p.extension().string());
  if (ext == ".yaml" || ext == ".yml") return load_workload_yaml(p, importers);
  if (ext == ".csv") return load_scalesim_topology(p);
  for (const auto& imp : importers)
    if (imp.extension == ext) return imp.load(p);
  std::string formats = ".yaml, .yml, SCALE-Sim .csv";
  for (const auto& imp : importers) formats += ", " + imp.extension;
  std::string names;
  for (const auto& z : zoo_list()) names += (names.empty() ? "" : ", ") + z.name;
  throw Error(
      Diagnostic{name_or_path, "--workload", 0,
                 "not a zoo network (" + names + ") nor a workload file (" + formats + ")"});
}

}  // namespace loom::workloads
