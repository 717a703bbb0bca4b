// SPDX-License-Identifier: Apache-2.0
// Target `eyeriss`, the model apart from the search: AlexNet CONV1-5 at batch 4 run with the
// mappings the chip itself ran (JSSC 2017, Table III; configs/mappings/eyeriss_alexnet_chip/,
// compiled in), on the preset with the chip's array microarchitecture.
#include <algorithm>
#include <string>
#include <utility>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "dataflow/mapping_check.hpp"
#include "dataflow/mapping_io.hpp"
#include "validate/common.hpp"
#include "validate/eyeriss_alexnet.hpp"
#include "validate/targets.hpp"

namespace loom::validate {

// Generated from configs/mappings/eyeriss_alexnet_chip/*.yaml by cmake/LoomEmbedScript.cmake.
const std::vector<std::pair<std::string_view, std::string_view>>& chip_mapping_files();

explore::MappingSet eyeriss_alexnet_chip_mappings(const arch::Accelerator& acc,
                                                  const workloads::Network& net) {
  explore::MappingSet out;
  for (const auto& [stem, text] : chip_mapping_files()) {
    const std::string file = "configs/mappings/eyeriss_alexnet_chip/" + std::string(stem) + ".yaml";
    const auto mf = dataflow::parse_mapping_yaml(text, file, acc);
    const auto layer = std::find_if(net.layers.begin(), net.layers.end(),
                                    [&](const workloads::Layer& l) { return l.name == mf.layer; });
    if (layer == net.layers.end())
      throw Error(Diagnostic{file, "layer", 0, "network has no layer '" + mf.layer + "'"});
    if (const auto problems = dataflow::check_mapping_file(mf, *layer, acc, file);
        !problems.empty())
      throw Error(problems);
    out[mf.layer] = mf.mapping;
  }
  return out;
}

std::vector<Row> eyeriss_chip_mapping_rows(std::string_view preset) {
  const auto acc = arch::load_accelerator(std::string(preset));
  const auto net = conv_layers("alexnet", 4);
  const auto mappings = eyeriss_alexnet_chip_mappings(acc, net);
  explore::RunOptions run;
  run.mappings = &mappings;
  const auto r = explore::evaluate_network(net, acc, run);
  std::vector<Row> rows;
  add_eyeriss_alexnet_rows(
      rows, r,
      {"AlexNet CONV1-5, batch 4, the chip's mappings (" + std::string(preset) + "): ",
       " (chip's mapping)", true, "Chen et al., JSSC 52(1) 2017, Sec. VI; mappings: Table III"});
  return rows;
}

}  // namespace loom::validate
