// SPDX-License-Identifier: Apache-2.0
// Transformers on both dataflow families: a small act_matmul's DRAM and buffer traffic against a
// hand count (the second operand travels in the filter slot at activation width), and the zoo's
// vit_b_16 and the 4-layer encoder mapped on edge_ws_32x32 and eyeriss, priced by level.
#include <catch2/catch.hpp>
#include <string>

#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "energy/energy_table.hpp"
#include "explore/evaluate.hpp"
#include "explore/layer_mapper.hpp"
#include "workloads/network.hpp"

using namespace loom;
using arch::Operand;

namespace {

// heads (M×K)·(K×N) products at `bits`-bit activations, read from two network inputs.
workloads::Layer act_matmul(std::int64_t heads, std::int64_t rows, std::int64_t n, std::int64_t k,
                            int bits) {
  const auto net = workloads::parse_workload_yaml(
      "name: t\nlayers:\n  - {name: qk, op: act_matmul, inputs: [], gemm: [" +
          std::to_string(rows) + ", " + std::to_string(n) + ", " + std::to_string(k) +
          "], heads: " + std::to_string(heads) +
          ", precision: {activation_bits: " + std::to_string(bits) + "}}\n",
      "t.yaml");
  return net.layers.front();
}

int level(const arch::Accelerator& acc, const std::string& name) {
  for (std::size_t l = 0; l < acc.levels.size(); ++l)
    if (acc.levels[l].name == name) return static_cast<int>(l);
  FAIL("no level " << name);
  return -1;
}

}  // namespace

// 3 heads of (6×8)·(8×5) at 4-bit activations on an 8×8-bit array: every head's K×N = 8×5
// second operand fits the 32×32 array in one weight-stationary fold, and every tile fits its
// SRAM, so each operand crosses DRAM once and the array reads each stationary value once.
TEST_CASE("act_matmul traffic on a weight-stationary systolic array matches a hand count") {
  const std::int64_t h = 3, rows = 6, n = 5, k = 8;
  const int bits = 4;
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto c = dataflow::family_of(acc).closed_form(act_matmul(h, rows, n, k, bits), acc);
  const int d = acc.dram_level();
  // The second operand is an activation: 4 bits, not the PE's 8-bit weight width.
  CHECK(c.precision.weight_bits == bits);
  CHECK(c.macs == h * rows * n * k);
  // DRAM: the first operand, the second (in the filter slot) and the outputs, once each.
  CHECK(c.access.at(d, Operand::ifmap).reads == h * rows * k);
  CHECK(c.access.at(d, Operand::filter).reads == h * k * n);
  CHECK(c.access.at(d, Operand::filter).read_bits == h * k * n * bits);
  CHECK(c.access.at(d, Operand::ofmap).writes == h * rows * n);
  CHECK(c.access.at(d, Operand::ofmap).reads == 0);
  // SRAM: the array loads each head's K×N once, streams its rows of K through, and writes each
  // finished output once (K fits one fold: no partial sums).
  CHECK(c.sram_filter_reads == h * k * n);
  CHECK(c.sram_ifmap_reads == h * rows * k);
  CHECK(c.sram_ofmap_writes == h * rows * n);
  CHECK(c.sram_ofmap_reads == 0);
  const int f = level(acc, "filter_sram");
  CHECK(c.access.at(f, Operand::filter).writes == h * k * n);
  CHECK(c.access.at(f, Operand::filter).read_bits == h * k * n * bits);
}

// On Eyeriss the filter slot bypasses the global buffer (DRAM → NoC → filter scratchpad), as
// weights do; the mapping below is written by hand so that its traffic can be counted by hand.
// 2 heads of (4×8)·(8×4) at 8-bit activations (the PE is 16-bit). One PE; each PE step runs
// the 8 taps of K (loops inside the PE); the global buffer's loops run N (outer) then rows.
//  - DRAM → GLB: the first operand once (h·rows·K); outputs once (h·rows·N).
//  - DRAM → filter spad: a K-column of the second operand per N step, kept across the rows
//    loop (which does not index it): h·N·K, the second operand once.
//  - GLB → ifmap spad: a row of K per (N, row) step: h·N·rows·K.
//  - psum spad → GLB: one finished output per (N, row) step: h·N·rows.
//  - spads read once per MAC: h·rows·N·K each; the psum spad, also written once per MAC, is
//    read once more per finished output as it drains to the GLB.
TEST_CASE("act_matmul traffic on Eyeriss under a hand-written mapping matches a hand count") {
  const std::int64_t h = 2, rows = 4, n = 4, k = 8, macs = h * rows * n * k;
  const int bits = 8;
  const auto acc = arch::load_accelerator("eyeriss");
  const auto layer = act_matmul(h, rows, n, k, bits);
  dataflow::Mapping m;
  m.levels.resize(acc.levels.size());
  const int glb = level(acc, "glb");
  m.levels[static_cast<std::size_t>(glb)].factors = {1, n, 1, rows, 1, 1, 1};  // order N, M, C, P
  m.pe.factors = {1, 1, k, 1, 1, 1, 1};
  const auto p = dataflow::resolve_precision(layer, acc);
  CHECK(p.weight_bits == bits);
  const auto ev = dataflow::family_of(acc).evaluate(layer, acc, m, p, dataflow::Fidelity::final);
  REQUIRE(ev.valid);
  const auto& a = ev.counts.access;
  const int d = acc.dram_level();
  const int fs = level(acc, "filter_spad"), is = level(acc, "ifmap_spad"),
            ps = level(acc, "psum_spad");
  CHECK(a.at(d, Operand::ifmap).reads == h * rows * k);
  CHECK(a.at(d, Operand::filter).reads == h * n * k);
  CHECK(a.at(d, Operand::filter).read_bits == h * n * k * bits);
  CHECK(a.at(d, Operand::ofmap).writes == h * rows * n);
  CHECK(a.at(glb, Operand::ifmap).writes == h * rows * k);
  CHECK(a.at(glb, Operand::filter).reads + a.at(glb, Operand::filter).writes == 0);
  CHECK(a.at(fs, Operand::filter).writes == h * n * k);
  CHECK(a.at(glb, Operand::ifmap).reads == h * n * rows * k);
  CHECK(a.at(is, Operand::ifmap).writes == h * n * rows * k);
  CHECK(a.at(glb, Operand::ofmap).writes == h * n * rows);
  CHECK(a.at(fs, Operand::filter).reads == macs);
  CHECK(a.at(is, Operand::ifmap).reads == macs);
  CHECK(a.at(ps, Operand::ofmap).writes == macs);
  CHECK(a.at(ps, Operand::ofmap).reads == macs + h * n * rows);
  CHECK(ev.counts.macs == macs);
}

TEST_CASE("vit_b_16 and the 4-layer encoder run mapped on edge_ws_32x32 and eyeriss") {
  struct Case {
    std::string workload;
    std::int64_t macs;
  };
  const Case cases[] = {{"vit_b_16", 17563828224},
                        {LOOM_TEST_DATA "/workloads/encoder_4l.yaml", 436207616}};
  for (const char* preset : {"edge_ws_32x32", "eyeriss"}) {
    const auto acc = arch::load_accelerator(preset);
    for (const auto& k : cases) {
      CAPTURE(preset, k.workload);
      const auto net = workloads::load_workload(k.workload);
      explore::RunOptions opt;
      opt.mapper.budget = 300;
      opt.mapper.threads = 1;
      const auto r = explore::evaluate_network(net, acc, opt);
      CHECK(r.totals.macs == k.macs);
      // Energy by level: every level is priced, and levels plus MACs make the total.
      double sum = r.energy.mac_pj;
      for (std::size_t l = 0; l < acc.levels.size(); ++l) {
        CHECK(r.energy.level_pj[l] >= 0.0);
        sum += r.energy.level_pj[l];
      }
      CHECK(r.energy.level_pj[static_cast<std::size_t>(acc.dram_level())] > 0.0);
      CHECK(sum == Approx(r.energy.total_pj).epsilon(1e-9));
      int act = 0;
      for (const auto& l : r.layers) {
        if (l.layer.op != workloads::OpKind::act_matmul) continue;
        ++act;
        // The second operand moves at activation width, and at least once from DRAM.
        CHECK(l.counts.precision.weight_bits == l.counts.precision.activation_bits);
        CHECK(l.counts.access.at(acc.dram_level(), Operand::filter).reads >=
              l.layer.shape.weight_elems());
      }
      CHECK(act > 0);
    }
  }
}
