// SPDX-License-Identifier: Apache-2.0
#pragma once
// The options `loom run`, `map` and `sim` share, and `loom map`: each layer's best mapping
// written as YAML, with the graph schedule those mappings run under (schedule.yaml) unless the
// run is layerwise or maps one layer.
#include <string>

#include "arch/accelerator.hpp"
#include "explore/run_request.hpp"

namespace loom::cli {

// The options of `loom run` (their defaults: explore::RunRequest, shared with the Python
// package) and the command's own output settings.
struct RunArgs : explore::RunRequest {
  std::string out_dir = "out";
  bool quiet = false;
};

inline arch::Accelerator load_arch(const RunArgs& a) {
  return explore::with_dataflow(arch::load_accelerator(a.arch), a.dataflow);
}

struct MapArgs {
  RunArgs run;
  std::string layer;
  std::string strategy = "exact";
  double time_limit_s = 0;
};

// Exit 0 after writing the mapping files; loom::Error for bad input.
int cmd_map(const MapArgs& a);

}  // namespace loom::cli
