// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "dataflow/sram_ports.hpp"
#include "dataflow/systolic.hpp"
#include "workloads/network.hpp"

using namespace loom;
using arch::Dataflow;

namespace {

arch::Accelerator make_acc(std::int64_t rows, std::int64_t cols, Dataflow df, arch::Compat compat,
                           std::int64_t sram_bytes = 1 << 20, double bw = 0) {
  arch::Accelerator a;
  a.name = "t";
  a.dataflow = df;
  a.compat = compat;
  a.array.rows = rows;
  a.array.cols = cols;
  a.levels.push_back({.name = "dram", .kind = arch::LevelKind::dram});
  a.levels.back().bandwidth_bytes_per_cycle = bw;
  const char* names[3] = {"ifmap_sram", "filter_sram", "ofmap_sram"};
  for (int o = 0; o < 3; ++o) {
    arch::MemoryLevel l{.name = names[o], .kind = arch::LevelKind::sram};
    l.holds = {o == 0, o == 1, o == 2};
    l.size_bytes = sram_bytes;
    a.levels.push_back(l);
  }
  return a;
}

workloads::Layer gemm(std::int64_t m, std::int64_t n, std::int64_t k) {
  workloads::Layer l;
  l.name = "g";
  l.op = workloads::OpKind::gemm;
  l.shape.H = l.shape.P = m;
  l.shape.M = n;
  l.shape.C = k;
  return l;
}

// SCALE-Sim's per-fold accounting, enumerated fold by fold (no closed forms): the independent
// reference for arrays and shapes beyond the recorded runs.
struct FoldReference {
  std::int64_t cycles = 0;
  double mapping_eff = 0, compute_util = 0;
};

FoldReference enumerate_folds(std::int64_t sr, std::int64_t sc, std::int64_t t, std::int64_t ar,
                              std::int64_t ac, bool os) {
  FoldReference ref;
  std::int64_t folds = 0;
  for (std::int64_t r0 = 0; r0 < sr; r0 += ar)
    for (std::int64_t c0 = 0; c0 < sc; c0 += ac) {
      const std::int64_t rows = std::min(ar, sr - r0), cols = std::min(ac, sc - c0);
      ref.cycles += os ? t + ar + ac - 2 : t + 2 * ar + ac - 2;
      ref.mapping_eff += static_cast<double>(rows * cols) / static_cast<double>(ar * ac);
      const std::int64_t d = os ? t + ar + ac - 2 : t + 2 * ar + 2 * ac - 3;
      ref.compute_util +=
          static_cast<double>(rows * cols * t) / static_cast<double>(ar * ac * d);
      ++folds;
    }
  ref.cycles -= 1;
  ref.mapping_eff = 100.0 * ref.mapping_eff / static_cast<double>(folds);
  ref.compute_util = 100.0 * ref.compute_util / static_cast<double>(folds);
  return ref;
}

}  // namespace

TEST_CASE("scalesim compat closed forms equal fold-by-fold enumeration on non-square arrays") {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> dim(1, 300), arr(1, 48);
  for (int trial = 0; trial < 300; ++trial) {
    const std::int64_t m = dim(rng), n = dim(rng), k = dim(rng), ar = arr(rng), ac = arr(rng);
    for (Dataflow df : {Dataflow::os, Dataflow::ws, Dataflow::is}) {
      INFO("M=" << m << " N=" << n << " K=" << k << " array " << ar << "x" << ac << " df "
                << static_cast<int>(df));
      const auto acc = make_acc(ar, ac, df, arch::Compat::scalesim);
      const auto r = dataflow::analyze_systolic(gemm(m, n, k), acc);
      std::int64_t sr = m, sc = n, t = k;
      if (df == Dataflow::ws) sr = k, sc = n, t = m;
      if (df == Dataflow::is) sr = k, sc = m, t = n;
      const auto ref = enumerate_folds(sr, sc, t, ar, ac, df == Dataflow::os);
      REQUIRE(r.total_cycles == ref.cycles);
      REQUIRE(r.mapping_efficiency_pct == Approx(ref.mapping_eff).epsilon(1e-12));
      REQUIRE(r.compute_util_pct == Approx(ref.compute_util).epsilon(1e-12));
      REQUIRE(r.overall_util_pct ==
              Approx(100.0 * static_cast<double>(m * n * k) /
                     static_cast<double>(ref.cycles * ar * ac)).epsilon(1e-12));
    }
  }
}

TEST_CASE("default mode pipelines folds: max(T, AR) per fold plus one fill and drain") {
  // GEMM 100x40x50 on a 16x8 output-stationary array: Sr=100, Sc=40, T=50,
  // row folds ceil(100/16)=7, column folds ceil(40/8)=5.
  const auto acc = make_acc(16, 8, Dataflow::os, arch::Compat::none);
  const auto r = dataflow::analyze_systolic(gemm(100, 40, 50), acc);
  CHECK(r.folds == 35);
  CHECK(r.compute_cycles == 35 * 50 + 2 * 16 + 8 - 2);
  CHECK(r.stall_cycles == 0);  // no bandwidth limit
  CHECK(r.mapping_efficiency_pct == Approx(100.0 * 4000 / (35 * 128)));
  CHECK(r.sram_ifmap_reads == 5 * 100 * 50);  // each input row fed once per column fold
  CHECK(r.sram_filter_reads == 7 * 40 * 50);
  CHECK(r.sram_ofmap_writes == 100 * 40);  // no bookkeeping writes outside compat mode
  // Everything fits on chip: each tensor crosses the DRAM interface exactly once.
  CHECK(r.access.at(0, arch::Operand::ifmap).reads == 100 * 50);
  CHECK(r.access.at(0, arch::Operand::filter).reads == 40 * 50);
  CHECK(r.access.at(0, arch::Operand::ofmap).writes == 100 * 40);
}

TEST_CASE("edge strides: each edge vector's bits over its SRAM's ports x banks x word_bits") {
  auto acc = make_acc(32, 32, Dataflow::os, arch::Compat::none);
  const dataflow::ResolvedPrecision p8{8, 8, 8, 32};
  CHECK(dataflow::edge_strides(acc, p8) == dataflow::EdgeStrides{1, 1});  // no ports: unlimited
  // os: the ifmap SRAM feeds 32 int8 a cycle (256 bits) through 1 port x 4 banks x 8 bits =
  // 32 bits: a step every 8 cycles. The ofmap SRAM drains 32 int32 (1024 bits) through
  // 2 x 4 x 32 = 256 bits: a drain row every 4 cycles.
  for (int l : {1, 2, 3}) acc.levels[l].banks = 4;
  acc.levels[1].ports = 1;
  acc.levels[3].ports = 2;
  acc.levels[3].word_bits = 32;
  CHECK(dataflow::edge_strides(acc, p8) == dataflow::EdgeStrides{8, 4});
  // The filter SRAM, 1 x 4 x 8 bits, also streams 256 bits: still 8. At 4-bit weights 4.
  acc.levels[2].ports = 1;
  CHECK(dataflow::edge_strides(acc, p8) == dataflow::EdgeStrides{8, 4});
  acc.levels[1].word_bits = 64;
  CHECK(dataflow::edge_strides(acc, dataflow::ResolvedPrecision{4, 8, 8, 32}) ==
        dataflow::EdgeStrides{4, 4});
  // ws: the filter SRAM now preloads (hold), the ofmap SRAM takes psums with the wavefront.
  acc.dataflow = Dataflow::ws;
  CHECK(dataflow::edge_strides(acc, p8) == dataflow::EdgeStrides{4, 8});
  // 2-bit weights preload 64 bits a row: 2 cycles. A Bit Fusion PE doing 4 MACs a cycle
  // holds 4 packed weights per lane: 8.
  const dataflow::ResolvedPrecision p2{2, 2, 8, 32};
  CHECK(dataflow::edge_strides(acc, p2) == dataflow::EdgeStrides{4, 2});
  CHECK(dataflow::edge_strides(acc, p2, 4) == dataflow::EdgeStrides{4, 8});
  // One SRAM feeding two vectors splits its ports: is streams filters (256 bits) and
  // preloads ifmaps (256 bits) from a shared 1 x 4 x 64-bit level: 512 / 256 = 2 each.
  acc.dataflow = Dataflow::is;
  acc.levels[1].holds = {true, true, false};
  acc.levels[2].holds = {false, false, false};
  acc.levels.erase(acc.levels.begin() + 2);
  CHECK(dataflow::edge_strides(acc, p8) == dataflow::EdgeStrides{4, 2});
  acc.compat = arch::Compat::scalesim;  // SCALE-Sim's SRAMs never throttle
  CHECK(dataflow::edge_strides(acc, p8) == dataflow::EdgeStrides{1, 1});
}

TEST_CASE("narrow ports stretch the pipelined schedule and report the bubbles as port stalls") {
  // The GEMM above on 16x8 os, the ifmap SRAM 1 x 1 x 32 bits for 16 int8 (128 bits): a step
  // every 4 cycles. 35 folds of 50 steps: 34 x max(200, 16) + (4 x 49 + 1) + 16 + 8 - 2 + 16.
  auto acc = make_acc(16, 8, Dataflow::os, arch::Compat::none);
  acc.levels[1].ports = 1;
  acc.levels[1].word_bits = 32;
  const auto r = dataflow::analyze_systolic(gemm(100, 40, 50), acc);
  CHECK(r.compute_cycles == 34 * 200 + 197 + 16 + 8 - 2 + 16);
  CHECK(r.port_stall_cycles == r.compute_cycles - (35 * 50 + 2 * 16 + 8 - 2));
}

TEST_CASE("default mode fold cost is bounded below by the stationary tile load") {
  // ws with T = Mpx = 4 pixels on a 32-row array: loading the next 32-row weight tile (32
  // cycles) dominates each fold but the last, which needs no successor loaded.
  const auto acc = make_acc(32, 32, Dataflow::ws, arch::Compat::none);
  const auto r = dataflow::analyze_systolic(gemm(4, 64, 64), acc);
  CHECK(r.folds == 4);
  CHECK(r.compute_cycles == 3 * 32 + 4 + 2 * 32 + 32 - 2);
}

TEST_CASE("SCALE-Sim's schedule spills weight-stationary partial sums a small buffer cannot hold") {
  // K = 256 over a 16-row array: 16 row folds accumulate into 512x16 outputs of one byte
  // (SCALE-Sim's word) = 8 KiB, more than half of an 8 KiB ofmap buffer, in either fold order.
  const auto acc = make_acc(16, 16, Dataflow::ws, arch::Compat::scalesim, 8 * 1024);
  const auto r = dataflow::analyze_systolic(gemm(512, 16, 256), acc);
  const auto& dram_of = r.access.at(0, arch::Operand::ofmap);
  CHECK(dram_of.writes == 512 * 16 * 16);  // 15 spills + the final write per output
  CHECK(dram_of.reads == 512 * 16 * 15);
  const auto big = make_acc(16, 16, Dataflow::ws, arch::Compat::scalesim, 1 << 20);
  const auto r2 = dataflow::analyze_systolic(gemm(512, 16, 256), big);
  CHECK(r2.access.at(0, arch::Operand::ofmap).writes == 512 * 16);
  CHECK(r2.access.at(0, arch::Operand::ofmap).reads == 0);
}

TEST_CASE("default mode chunks the weight-stationary time dimension so partial sums stay on chip") {
  // Same layer, 32-bit partial sums: 4 KiB usable holds 16 columns x 64 pixels, so T = 512
  // pixels run as 8 chunks, each sweeping all 16 row folds; the 4 KiB of weights fit and are
  // fetched once but enter the array once per chunk.
  const auto acc = make_acc(16, 16, Dataflow::ws, arch::Compat::none, 8 * 1024);
  const auto r = dataflow::analyze_systolic(gemm(512, 16, 256), acc);
  CHECK(r.access.at(0, arch::Operand::ofmap).writes == 512 * 16);
  CHECK(r.access.at(0, arch::Operand::ofmap).reads == 0);
  CHECK(r.access.at(0, arch::Operand::filter).reads == 256 * 16);
  CHECK(r.sram_filter_reads == 256 * 16 * 8);
  CHECK(r.folds == 16 * 8);
  CHECK(r.compute_cycles == 16 * 8 * 64 + 2 * 16 + 16 - 2);
}

TEST_CASE("output-stationary re-streams filters once per row fold when they do not fit") {
  // 64x256 weights at 8 bits = 16 KiB > half of a 16 KiB filter buffer; the ifmap slice of one
  // row fold fits, so rows-outer re-reads the filters per row fold (4 of them) while
  // columns-outer would re-read the 256x64 ifmap per column fold (16): Loom picks rows-outer.
  const auto acc = make_acc(64, 16, Dataflow::os, arch::Compat::none, 16 * 1024);
  const auto r = dataflow::analyze_systolic(gemm(256, 256, 64), acc);
  CHECK(r.access.at(0, arch::Operand::filter).reads == 4 * 256 * 64);
  CHECK(r.access.at(0, arch::Operand::ifmap).reads == 256 * 64);
}

TEST_CASE("a bandwidth-bound layer stalls for the transfer time beyond compute") {
  // 1x1 GEMM-like layer with almost no reuse on a 1 B/cycle channel.
  auto acc = make_acc(8, 8, Dataflow::os, arch::Compat::none, 1 << 20, 1.0);
  const auto r = dataflow::analyze_systolic(gemm(64, 64, 64), acc);
  const std::int64_t bytes = 64 * 64 * 3;  // ifmap, filter, ofmap once each, 8-bit words
  CHECK(r.compute_cycles == 64 * 64 + 16 + 8 - 2);
  CHECK(r.total_cycles == bytes);
  CHECK(r.stall_cycles == bytes - r.compute_cycles);
  CHECK(r.overall_util_pct == Approx(100.0 * 64 * 64 * 64 / (bytes * 64.0)));
}

TEST_CASE("grouped convolutions run one GEMM per group") {
  workloads::Layer l;
  l.name = "conv2";
  l.op = workloads::OpKind::conv;
  l.shape = {.N = 1, .M = 256, .C = 96, .H = 27, .W = 27, .P = 27, .Q = 27, .R = 5, .S = 5,
             .pad_h = 2, .pad_w = 2, .groups = 2};
  const auto acc = make_acc(32, 32, Dataflow::os, arch::Compat::scalesim);
  const auto r = dataflow::analyze_systolic(l, acc);
  // Per group: Sr = 729 pixels -> 23 row folds, Sc = 128 filters -> 4 column folds.
  CHECK(r.folds == 2 * 23 * 4);
  CHECK(r.macs == 256LL * 27 * 27 * 48 * 25);
  CHECK(r.compute_cycles == 2 * 23 * 4 * (48 * 25 + 32 + 32 - 2) - 1);
}

TEST_CASE("a weight tile that cannot fit its buffer is rejected with the level named") {
  auto acc = make_acc(32, 32, Dataflow::ws, arch::Compat::none, 1024);
  acc.source = "edge.yaml";
  CHECK_THROWS_WITH(dataflow::analyze_systolic(gemm(8, 8, 8), acc),
                    Catch::Contains("levels.filter_sram.size_kib") &&
                        Catch::Contains("double-buffered weight tile of 1024 filter elements"));
}

TEST_CASE("a layer wider than the PE's multiplier is rejected") {
  auto l = gemm(8, 8, 8);
  l.precision.weight_bits = 16;
  const auto acc = make_acc(4, 4, Dataflow::os, arch::Compat::none);
  CHECK_THROWS_WITH(dataflow::analyze_systolic(l, acc), Catch::Contains("16-bit weights"));
}

TEST_CASE("without shadow registers every fold but the last waits for the next tile's preload") {
  // ws: rows K = 50, columns M = 40, time Mpx = 100 on 16 x 8: 4 x 5 = 20 folds of 100 steps.
  // With shadow registers each holds max(100, 16); without, each but the last also waits the
  // 16 cycles of the next preload. With T = 4 < AR = 32 a fold's wavefront enters in 4 cycles
  // and the preload adds those 4 to the 32 the shadow load took.
  auto acc = make_acc(16, 8, Dataflow::ws, arch::Compat::none);
  auto stall = acc;
  stall.array.pe.stationary_preload = arch::PeSpec::Preload::stall;
  const auto a = dataflow::analyze_systolic(gemm(100, 40, 50), acc);
  const auto b = dataflow::analyze_systolic(gemm(100, 40, 50), stall);
  CHECK(a.folds == 20);
  CHECK(b.compute_cycles - a.compute_cycles == 19 * 16);
  CHECK(b.port_stall_cycles == 0);
  const auto wide = make_acc(32, 32, Dataflow::ws, arch::Compat::none);
  auto wide_stall = wide;
  wide_stall.array.pe.stationary_preload = arch::PeSpec::Preload::stall;
  const auto c = dataflow::analyze_systolic(gemm(4, 64, 64), wide);
  const auto d = dataflow::analyze_systolic(gemm(4, 64, 64), wide_stall);
  CHECK(d.compute_cycles - c.compute_cycles == (c.folds - 1) * 4);
}
