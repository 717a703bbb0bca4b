// SPDX-License-Identifier: Apache-2.0
// Target `nvdla`: NVIDIA's NVDLA at three sizes of the NVDLA Primer's table "Example Area and
// Performance with NVDLA" (nvdla.org/primer.html): int8 ResNet-50 frames/s at 1 GHz, NVIDIA's
// estimate from its performance estimator (not silicon measurements). Each configuration is a
// preset stating the table's MACs, convolution buffer and SDRAM bandwidth (configs/arch/
// nvdla_*.yaml), run on the zoo's ResNet-50 as a plain `loom run` would (batch 1).
#include <array>
#include <string>

#include "arch/accelerator.hpp"
#include "validate/common.hpp"
#include "validate/targets.hpp"
#include "workloads/network.hpp"

namespace loom::validate {
namespace {

constexpr const char* kSource = "NVDLA Primer, table \"Example Area and Performance with NVDLA\"";

struct Config {
  const char* preset;
  int macs;
  double frames_per_s;  // the table's "Int8 ResNet-50 (frames/sec)"
  Status status;
};
// The 64-MAC design (128 KB buffer, 1 GB/s) is a known gap: Loom is 47% faster than the
// estimate (54% on an ideal channel, before the presets took an LPDDR4 device's bursts, rows
// and turnarounds), as for the table's 32-MAC row, while the designs from 128 MACs and 2 GB/s
// up stay within 1-17%. DRAM efficiency does not explain it: at 64 MACs Loom moves 66 MB and
// computes for 70 M cycles, 93.5 M cycles in all, where the estimate's 7.3 frames/s is 137 M
// cycles (137 MB at full bandwidth). Candidates, not verified: the convolution buffer's fixed
// split between data and weight banks and NVDLA's fixed loop order (Loom's mapper tiles freely
// within the 128 KB).
constexpr std::array<Config, 3> kConfigs{{
    {"nvdla_2048", 2048, 269, Status::check},
    {"nvdla_256", 256, 46, Status::check},
    {"nvdla_64", 64, 7.3, Status::known_gap},
}};

}  // namespace

std::vector<Row> nvdla_rows(const mapper::MapperOptions& options) {
  const auto net = workloads::zoo_load("resnet50");
  std::vector<Row> rows;
  for (const auto& c : kConfigs) {
    const auto acc = arch::load_accelerator(c.preset);
    const auto r = explore::evaluate_network(net, acc, plain_loom_run(options, acc));
    rows.push_back({"nvdla", std::to_string(c.macs) + " MACs, ResNet-50, batch 1: frame rate",
                    "frames/s", c.frames_per_s, 0, r.totals.inferences_per_s, kDefaultBandPct,
                    c.status, kSource,
                    c.status == Status::check
                        ? "preset " + std::string(c.preset)
                        : "DRAM device modelled; the rest unexplained (docs/validation.md)"});
  }
  return rows;
}

}  // namespace loom::validate
