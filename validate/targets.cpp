// SPDX-License-Identifier: Apache-2.0
#include "validate/targets.hpp"

#include "core/error.hpp"

namespace loom::validate {

const std::vector<Target>& targets() {
  static const std::vector<Target> all{
      {"eyeriss", "Eyeriss v1 chip (JSSC 2017): AlexNet and VGG-16", eyeriss_rows},
      {"isca16", "ISCA 2016 dataflow comparison at 256 PEs, equal storage area", isca16_rows},
      {"tpu_v1", "TPU v1 (ISCA 2017): production MLPs and LSTMs, plain loom run", tpu_v1_rows},
      {"nvdla", "NVDLA Primer: ResNet-50 at 2048, 256 and 64 MACs, plain loom run", nvdla_rows},
      {"zhang_fpga15", "Zhang et al. (FPGA 2015): AlexNet, float32 64x7 array, plain loom run",
       zhang_fpga15_rows},
  };
  return all;
}

const Target& find_target(std::string_view name) {
  std::string names;
  for (const auto& t : targets()) {
    if (t.name == name) return t;
    names += (names.empty() ? "" : ", ") + std::string(t.name);
  }
  throw Error(Diagnostic{
      "", "validate", 0,
      "unknown target '" + std::string(name) + "' (expected all or one of: " + names + ")"});
}

}  // namespace loom::validate
