// SPDX-License-Identifier: Apache-2.0
#include "rtl/array_cosim.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

#include "dataflow/systolic_axes.hpp"
#include "rtl/verilated_array.hpp"
#include "sim/array_module.hpp"
#include "sim/systolic_array.hpp"

namespace loom::rtl {
namespace {

using arch::Dataflow;

// The PeModel the engine clocks: sim::CppPe, with the Verilated array clocked beside it from
// the same edge inputs and every PE's registers compared after each edge.
class LockstepPe final : public sim::PeModel {
 public:
  LockstepPe(VerilatedArray& rtl, int operand_bits, CosimCounts& counts)
      : rtl_(rtl), operand_bits_(operand_bits), counts_(counts) {}

  void reset(std::size_t pes, const sim::PeConfig& config) override {
    config_ = config;
    config_.operand_bits = operand_bits_;
    model_.reset(pes, config_);
    rtl_.reset(config_);
    rtl_out_.assign(pes, sim::PeOut{});
    cycle_ = 0;
  }

  void clock(std::span<const sim::PeIn> in, std::span<sim::PeOut> out) override {
    model_.clock(in, out);
    rtl_.clock(in);
    rtl_.read(rtl_out_);
    const auto cols = static_cast<std::size_t>(rtl_.cols());
    for (std::size_t k = 0; k < out.size(); ++k)
      compare_pe(rtl_out_[k], out[k], config_.mode,
                 Mismatch{.gemm = gemm, .cycle = cycle_, .row = static_cast<std::int64_t>(k / cols),
                          .col = static_cast<std::int64_t>(k % cols)},
                 counts_);
    ++cycle_;
    ++counts_.vectors;
  }

  std::int64_t gemm = 0;

 private:
  VerilatedArray& rtl_;
  int operand_bits_;
  CosimCounts& counts_;
  sim::CppPe model_;
  sim::PeConfig config_{};
  std::vector<sim::PeOut> rtl_out_;
  std::int64_t cycle_ = 0;
};

struct Gemm {
  std::int64_t groups = 1, mpx = 1, k = 1, m = 1;
  std::vector<std::int32_t> a, b;
  std::vector<sim::Fold> folds;
};

std::int64_t uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// A random GEMM and a random fold order covering it exactly once: array rows and columns tiled
// by the array, time cut into chunks of a random length, the three loops nested in a random
// order (time innermost keeps os outputs and ws/is stationary tiles across folds).
Gemm random_gemm(std::mt19937_64& rng, std::int64_t ar, std::int64_t ac, Dataflow df) {
  Gemm g;
  g.groups = uniform(rng, 1, 2);
  g.mpx = uniform(rng, 1, 2 * std::max(ar, ac) + 3);
  g.k = uniform(rng, 1, 2 * ar + 3);
  g.m = uniform(rng, 1, 2 * ac + 3);
  g.a.resize(static_cast<std::size_t>(g.groups * g.mpx * g.k));
  g.b.resize(static_cast<std::size_t>(g.groups * g.k * g.m));
  for (auto& v : g.a) v = static_cast<std::int32_t>(static_cast<std::uint32_t>(rng()));
  for (auto& v : g.b) v = static_cast<std::int32_t>(static_cast<std::uint32_t>(rng()));
  // Extents along the array's rows, columns and time (dataflow/systolic_axes.hpp).
  const auto [er, ec, et] = dataflow::systolic_axes(df).place({g.mpx, g.k, g.m});
  const std::int64_t chunk = uniform(rng, 1, et);
  std::array<int, 3> order{0, 1, 2};  // 0 rows, 1 columns, 2 time; outermost first
  std::shuffle(order.begin(), order.end(), rng);
  const std::array<std::int64_t, 3> extent{er, ec, et}, step{ar, ac, chunk};
  for (std::int64_t grp = 0; grp < g.groups; ++grp) {
    std::array<std::int64_t, 3> at{};
    for (at[order[0]] = 0; at[order[0]] < extent[order[0]]; at[order[0]] += step[order[0]])
      for (at[order[1]] = 0; at[order[1]] < extent[order[1]]; at[order[1]] += step[order[1]])
        for (at[order[2]] = 0; at[order[2]] < extent[order[2]]; at[order[2]] += step[order[2]])
          g.folds.push_back({.group = grp,
                             .row0 = at[0],
                             .rows = std::min(ar, er - at[0]),
                             .col0 = at[1],
                             .cols = std::min(ac, ec - at[1]),
                             .t0 = at[2],
                             .steps = std::min(chunk, et - at[2])});
  }
  return g;
}

// y = A·B per group with each product the Bit Fusion lane sum, wrapped to 32 bits.
std::vector<std::int64_t> golden(const Gemm& g, int operand_bits) {
  std::vector<std::int64_t> y(static_cast<std::size_t>(g.groups * g.mpx * g.m), 0);
  for (std::int64_t grp = 0; grp < g.groups; ++grp)
    for (std::int64_t p = 0; p < g.mpx; ++p)
      for (std::int64_t n = 0; n < g.m; ++n) {
        std::int64_t s = 0;
        for (std::int64_t k = 0; k < g.k; ++k)
          s += sim::pe_product(g.a[static_cast<std::size_t>((grp * g.mpx + p) * g.k + k)],
                               g.b[static_cast<std::size_t>((grp * g.k + k) * g.m + n)],
                               operand_bits);
        y[static_cast<std::size_t>((grp * g.mpx + p) * g.m + n)] = sim::wrap_to(s, 32);
      }
  return y;
}

}  // namespace

ArrayCosimResult run_array_cosim(const ArrayCosimOptions& o) {
  if (!arch::is_systolic(o.dataflow))
    throw std::invalid_argument("run_array_cosim: dataflow must be os, ws or is");
  if (o.operand_bits != 8 && o.operand_bits != 4 && o.operand_bits != 2)
    throw std::invalid_argument("run_array_cosim: operand_bits must be 8, 4 or 2");
  VerilatedArray rtl(o.rows, o.cols, o.fault);
  ArrayCosimResult r;
  LockstepPe pe(rtl, o.operand_bits, r.counts);
  std::unique_ptr<sim::ArrayRunner> engine;
  if (o.systemc)
    engine = std::make_unique<sim::ArraySimulation>(
        sim::ArraySimulationConfig{
            .rows = o.rows, .cols = o.cols, .dataflow = o.dataflow, .accumulator_bits = 32},
        pe);
  else
    engine = std::make_unique<sim::SystolicArray>(o.rows, o.cols, o.dataflow, 32, pe);
  std::mt19937_64 rng(o.seed);
  const auto t0 = std::chrono::steady_clock::now();
  while (r.gemms < o.gemms || r.counts.vectors < o.min_cycles) {
    const Gemm g = random_gemm(rng, o.rows, o.cols, o.dataflow);
    std::vector<std::int64_t> y(static_cast<std::size_t>(g.groups * g.mpx * g.m), 0);
    pe.gemm = r.gemms;
    const auto st = engine->run({.mpx = g.mpx, .k = g.k, .m = g.m, .a = g.a, .b = g.b, .y = y,
                                 .groups = g.groups},
                                g.folds);
    r.macs += st.macs;
    const auto want = golden(g, o.operand_bits);
    r.outputs_checked += static_cast<std::int64_t>(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) r.output_errors += y[i] != want[i] ? 1 : 0;
    ++r.gemms;
  }
  r.counts.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace loom::rtl
