// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom map`: the mapper over every MAC layer of a network (or one of them), each repeated layer
// shape searched once, with the best mapping per layer written as YAML (one file per layer) that
// `loom run --mapping` reads back.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "arch/accelerator.hpp"
#include "explore/evaluate.hpp"
#include "explore/layer_mapper.hpp"
#include "mapper/mapper.hpp"
#include "workloads/network.hpp"

namespace loom::explore {

struct MapNetworkOptions {
  mapper::MapperOptions mapper;
  std::string only_layer;  // empty: every MAC layer
  // Called with the layer name and the mapper's progress, and once more when a layer is done.
  std::function<void(const std::string&, const mapper::Progress&)> on_progress;
};

struct LayerMappingResult {
  workloads::Layer layer;
  MappedLayer mapped;
  bool cached = false;  // same shape as an earlier layer: its search was reused
};

std::vector<LayerMappingResult> map_network(const workloads::Network& net,
                                            const arch::Accelerator& acc,
                                            const MapNetworkOptions& options);

// Writes DIR/<layer>.yaml for each result ('/' in names becomes '_'), all together or none;
// with `scheduled` (the network evaluated with these mappings under the graph schedule), also
// DIR/schedule.yaml (explore/mapped_schedule.hpp), and then a layer whose file would be named so
// is refused.
void write_mappings(const std::vector<LayerMappingResult>& results, const std::string& workload,
                    const mapper::Objective& objective, const arch::Accelerator& acc,
                    const std::filesystem::path& dir, const RunResult* scheduled = nullptr);

// Reads a mapping file, or every *.yaml of a folder but schedule.yaml, keyed by layer name. Each
// must map a MAC layer of `net`, and no layer twice; otherwise loom::Error names the file and
// the layer.
MappingSet read_mappings(const std::filesystem::path& file_or_dir, const arch::Accelerator& acc,
                         const workloads::Network& net);

}  // namespace loom::explore
