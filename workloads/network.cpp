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

Network Network::with_batch(std::int64_t new_batch) const {
  if (new_batch < 1 || new_batch > kMaxBatch)
    throw Error(Diagnostic{"", "--batch", 0,
                           "expected an integer > 0 and <= " + std::to_string(kMaxBatch) +
                               ", got " + std::to_string(new_batch)});
  // An act_matmul keeps N = 1 and carries the batch in its groups (layer.hpp).
  const std::int64_t current = batch;
  Network out = *this;
  out.batch = new_batch;
  for (auto& l : out.layers) {
    if (l.op != OpKind::act_matmul) {
      l.shape.N = new_batch;
      continue;
    }
    LayerShape& s = l.shape;
    const std::int64_t per_group_m = s.M / s.groups, per_group_c = s.C / s.groups;
    s.groups = s.groups / current * new_batch;
    s.M = per_group_m * s.groups;
    s.C = per_group_c * s.groups;
  }
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
