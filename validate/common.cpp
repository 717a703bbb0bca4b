// SPDX-License-Identifier: Apache-2.0
#include "validate/common.hpp"

#include "arch/accelerator.hpp"
#include "explore/run_request.hpp"
#include "workloads/network.hpp"

namespace loom::validate {

explore::RunOptions validation_run(const mapper::MapperOptions& options) {
  explore::RunOptions r;
  r.mapper = options;
  return r;
}

explore::RunOptions plain_loom_run(const mapper::MapperOptions& options,
                                   const arch::Accelerator& acc) {
  auto r = explore::run_options(explore::RunRequest{}, acc);
  r.mapper.threads = options.threads;
  r.mapper.on_progress = options.on_progress;
  return r;
}

double level_bytes(const explore::LayerResult& lr, const arch::Accelerator& acc,
                   std::string_view level) {
  double b = 0;
  for (std::size_t i = 0; i < acc.levels.size(); ++i)
    if (acc.levels[i].name == level) b += lr.counts.access.bytes(static_cast<int>(i));
  return b;
}

double on_chip_energy_pj(const explore::LayerResult& lr, const arch::Accelerator& acc) {
  double pj = lr.energy.total_pj;
  for (std::size_t i = 0; i < acc.levels.size(); ++i)
    if (acc.levels[i].kind == arch::LevelKind::dram) pj -= lr.energy.level_pj[i];
  return pj;
}

double on_chip_energy_pj(const explore::RunResult& r) {
  double pj = 0;
  for (const auto& lr : r.layers) pj += on_chip_energy_pj(lr, r.accelerator);
  return pj;
}

workloads::Network conv_layers(const std::string& name, std::int64_t batch) {
  auto net = workloads::zoo_load(name);
  std::erase_if(net.layers, [](const workloads::Layer& l) {
    return l.op != workloads::OpKind::conv && l.op != workloads::OpKind::depthwise &&
           l.op != workloads::OpKind::pointwise;
  });
  net.name += "_conv";
  return net.with_batch(batch);
}

}  // namespace loom::validate
