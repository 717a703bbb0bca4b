// SPDX-License-Identifier: Apache-2.0
// Target `isca16`: the dataflow comparison of Chen, Emer, Sze, ISCA 2016 (Sec. VI-B, Fig. 10-11):
// AlexNet CONV1-5 at batch 16 on 256 PEs with equal storage area (presets isca16_*_256), each
// array mapped for minimum energy, as the study compares energy at equal parallelism.
#include <string>
#include <utility>

#include "arch/accelerator.hpp"
#include "validate/common.hpp"
#include "validate/eyeriss_reference.hpp"
#include "validate/targets.hpp"

namespace loom::validate {

std::vector<Row> isca16_rows(const mapper::MapperOptions& options) {
  const auto net = conv_layers("alexnet", 16);
  const auto energy_of = [&](const char* preset) {
    auto opt = validation_run(options);
    opt.mapper.objective = mapper::Objective{mapper::ObjectiveKind::energy};
    return explore::evaluate_network(net, arch::load_accelerator(preset), opt).totals.pj_per_mac;
  };
  const double rs = energy_of("isca16_rs_256");
  std::vector<Row> rows;
  rows.push_back({"isca16", "RS energy (baseline of the ratios)", "pJ/MAC", 0, 0, rs,
                  kDefaultBandPct, Status::info, "", "mapper objective: energy"});
  for (const auto& [name, preset] :
       {std::pair{"WS", "isca16_spatial_ws_256"}, std::pair{"OS", "isca16_spatial_os_256"},
        std::pair{"NLR", "isca16_nlr_256"}}) {
    // Band 20%: the tolerance of the chip's traffic figures; the paper states a range.
    rows.push_back({"isca16", std::string("AlexNet CONV1-5, batch 16: ") + name + " / RS energy",
                    "x", kIsca16RsAdvantageLow, kIsca16RsAdvantageHigh, energy_of(preset) / rs, 20,
                    Status::check, "Chen et al., ISCA 2016, Sec. VI-B (Fig. 10-11)",
                    "error to the nearer end of the paper's range; see docs/modelling.md"});
  }
  return rows;
}

}  // namespace loom::validate
