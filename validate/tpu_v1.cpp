// SPDX-License-Identifier: Apache-2.0
// Target `tpu_v1`: Google's TPU v1 (Jouppi et al., "In-Datacenter Performance Analysis of a
// Tensor Processing Unit", ISCA 2017) on its two production MLPs, run as a plain `loom run`
// would on preset tpu_v1_like (the chip's stated configuration: 256x256 8-bit weight-stationary
// MACs at 700 MHz, 24 MiB unified buffer, 4 MiB accumulators, weight FIFO of four 64 KiB tiles,
// DDR3 weights at 34 GB/s). The networks: configs/workloads/tpu_v1_mlp{0,1}.yaml.
#include <string>

#include "arch/accelerator.hpp"
#include "validate/common.hpp"
#include "validate/targets.hpp"

namespace loom::validate {
namespace {

constexpr const char* kSource = "Jouppi et al., ISCA 2017, Tables 1 and 3";

// Table 1 gives each MLP's layer count, weights and batch; Table 3 its measured TeraOps/s (the
// last row, "TeraOps/sec": MLP0 12.3, MLP1 9.7). Layer widths are not published: square layers
// whose weights add up to the stated count (5 x 2000^2 = 20M; 4 x 1118^2 = 5.0M).
struct Mlp {
  const char* name;
  int layers;
  std::int64_t width;
  std::int64_t batch;
  double tera_ops_per_s;
};
constexpr Mlp kMlp0{"mlp0", 5, 2000, 200, 12.3};
constexpr Mlp kMlp1{"mlp1", 4, 1118, 168, 9.7};

}  // namespace

workloads::Network tpu_v1_mlp(const std::string& name) {
  const Mlp& m = name == "mlp1" ? kMlp1 : kMlp0;
  workloads::Network net;
  net.name = std::string("tpu_v1_") + m.name;
  for (int i = 1; i <= m.layers; ++i) {
    workloads::Layer l;
    l.name = "fc" + std::to_string(i);
    l.op = workloads::OpKind::fc;
    l.shape.C = l.shape.M = m.width;
    l.shape.H = l.shape.W = l.shape.P = l.shape.Q = l.shape.R = l.shape.S = 1;
    net.layers.push_back(l);
  }
  return net;
}

std::vector<Row> tpu_v1_rows(const mapper::MapperOptions& options) {
  const auto acc = arch::load_accelerator("tpu_v1_like");
  std::vector<Row> rows;
  for (const Mlp& m : {kMlp0, kMlp1}) {
    const auto net = tpu_v1_mlp(m.name).with_batch(m.batch);
    const auto r = explore::evaluate_network(net, acc, plain_loom_run(options));
    std::string upper = m.name;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    rows.push_back({"tpu_v1", upper + ", batch " + std::to_string(m.batch) + ": throughput",
                    "TOPS", m.tera_ops_per_s, 0, r.totals.effective_tops, kDefaultBandPct,
                    Status::check, kSource, "bound by weight traffic from DRAM"});
  }
  return rows;
}

}  // namespace loom::validate
