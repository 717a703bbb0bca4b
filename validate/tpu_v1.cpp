// SPDX-License-Identifier: Apache-2.0
// Target `tpu_v1`: Google's TPU v1 (Jouppi et al., "In-Datacenter Performance Analysis of a
// Tensor Processing Unit", ISCA 2017) on its production MLPs and LSTMs, run as a plain `loom run`
// would on preset tpu_v1_like (the chip's stated configuration: 256x256 8-bit weight-stationary
// MACs at 700 MHz, 24 MiB unified buffer, 4 MiB accumulators, weight FIFO of four 64 KiB tiles,
// DDR3 weights at 34 GB/s). The networks:
// configs/workloads/tpu_v1_{mlp0,mlp1,lstm0,lstm1}.yaml.
#include <array>
#include <cctype>
#include <string>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "validate/common.hpp"
#include "validate/targets.hpp"

namespace loom::validate {
namespace {

constexpr const char* kSource = "Jouppi et al., ISCA 2017, Tables 1 and 3";

// Table 1 gives each app's weights and batch; Table 3 its measured TeraOps/s (the last row,
// "TeraOps/sec": MLP0 12.3, MLP1 9.7, LSTM0 3.7, LSTM1 2.8). Layer widths are not published:
// square layers whose weights add up to the stated count (MLP0 5 x 2000^2 = 20M, MLP1
// 4 x 1118^2 = 5.0M as Table 1's 5 and 4 layers; LSTM0 24 x 1472^2 = 52M, LSTM1 37 x 959^2 = 34M,
// an assumed split of the matrix weights). The MLPs are checks; the LSTMs are known gaps: their
// time also goes to the recurrence between steps (Table 3: RAW stalls 14.6% and 10.6%) and to
// vector layers, neither of which Loom models.
struct App {
  const char* name;
  int layers;
  std::int64_t width;
  std::int64_t batch;
  double tera_ops_per_s;
  Status status;
};
constexpr std::array<App, 4> kApps{{
    {"mlp0", 5, 2000, 200, 12.3, Status::check},
    {"mlp1", 4, 1118, 168, 9.7, Status::check},
    {"lstm0", 24, 1472, 64, 3.7, Status::known_gap},
    {"lstm1", 37, 959, 96, 2.8, Status::known_gap},
}};

const App& app(const std::string& name) {
  for (const auto& a : kApps)
    if (a.name == name) return a;
  throw Error(Diagnostic{"", "tpu_v1", 0, "no TPU v1 app named '" + name + "'"});
}

}  // namespace

workloads::Network tpu_v1_app(const std::string& name) {
  const App& m = app(name);
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
  for (const App& m : kApps) {
    const auto net = tpu_v1_app(m.name).with_batch(m.batch);
    const auto r = explore::evaluate_network(net, acc, plain_loom_run(options, acc));
    std::string upper = m.name;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    rows.push_back(
        {"tpu_v1", upper + ", batch " + std::to_string(m.batch) + ": throughput", "TOPS",
         m.tera_ops_per_s, 0, r.totals.effective_tops, kDefaultBandPct, m.status, kSource,
         m.status == Status::check
             ? "bound by weight traffic from DRAM"
             : "needs the recurrence between time steps (RAW stalls) and vector layers"});
  }
  return rows;
}

}  // namespace loom::validate
