// SPDX-License-Identifier: Apache-2.0
// Bit-packed storage and traffic, and the Bit Fusion-style precision-scalable PE (Sharma et al.,
// ISCA 2018), against hand derivations: MACs per cycle from the BitBrick grid, cycle counts of
// small layers worked out by hand, bytes moved and buffer fits at each width.
#include <catch2/catch.hpp>

#include "dataflow/precision.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_timing.hpp"

using namespace loom;
using arch::Operand;
using dataflow::Dim;

namespace {

arch::PeSpec fusion_pe() {
  arch::PeSpec pe;
  pe.precision_scalable = true;
  pe.fusion_bits = 2;
  return pe;
}

dataflow::ResolvedPrecision bits(int w, int a) { return {w, a, a, 32}; }

workloads::Layer at_bits(workloads::Layer l, int w, int a) {
  l.precision = {w, a, a};
  return l;
}

// A 1x1 conv: 64 input channels, 16 filters, 8x8 outputs (65536 MACs).
workloads::Layer pointwise() {
  workloads::Layer l;
  l.name = "pw";
  l.shape.C = 64;
  l.shape.M = 16;
  l.shape.H = l.shape.W = l.shape.P = l.shape.Q = 8;
  return l;
}

// 4x4 spatial array: dram, a shared 64 KiB buffer, a per-PE register file of `rf_bytes`.
arch::Accelerator spatial(bool scalable, std::int64_t rf_bytes = 1024) {
  arch::Accelerator a;
  a.name = "fused";
  a.dataflow = arch::Dataflow::spatial;
  a.array.rows = a.array.cols = 4;
  if (scalable) a.array.pe = fusion_pe();
  a.levels.resize(3);
  a.levels[0] = {.name = "dram", .kind = arch::LevelKind::dram};
  a.levels[1] = {.name = "glb", .kind = arch::LevelKind::sram, .size_bytes = 65536};
  a.levels[2] = {.name = "rf", .kind = arch::LevelKind::sram, .size_bytes = rf_bytes};
  a.levels[2].per_pe = true;
  return a;
}

// M over the 4x4 PEs; each PE runs C in 4 register-file tiles of 16 (its own loop); the output
// pixels walk at DRAM. Per PE: 64 pixels x 4 x 16 = 4096 MAC steps = 65536 MACs / 16 PEs.
dataflow::Mapping pointwise_mapping() {
  dataflow::Mapping m;
  m.levels.resize(3);
  m.levels[0].factors[static_cast<int>(Dim::P)] = 8;
  m.levels[0].factors[static_cast<int>(Dim::Q)] = 8;
  m.levels[2].factors[static_cast<int>(Dim::C)] = 4;
  m.spatial_rows[static_cast<int>(Dim::M)] = 4;
  m.spatial_cols[static_cast<int>(Dim::M)] = 4;
  m.pe.factors[static_cast<int>(Dim::C)] = 16;
  return m;
}

dataflow::LayerCounts spatial_counts(const arch::Accelerator& acc, int w, int a) {
  const auto layer = at_bits(pointwise(), w, a);
  const auto ev = dataflow::evaluate_spatial_mapping(layer, acc, pointwise_mapping(),
                                                     dataflow::resolve_precision(layer, acc));
  REQUIRE(ev.valid);
  return ev.counts;
}

// 32x32 weight-stationary array with ample buffers, no bandwidth limit.
arch::Accelerator systolic_ws(bool scalable) {
  arch::Accelerator a;
  a.name = "fused_ws";
  a.dataflow = arch::Dataflow::ws;
  a.array.rows = a.array.cols = 32;
  if (scalable) a.array.pe = fusion_pe();
  a.levels.resize(2);
  a.levels[0] = {.name = "dram", .kind = arch::LevelKind::dram};
  a.levels[1] = {.name = "sram", .kind = arch::LevelKind::sram, .size_bytes = 1 << 20};
  return a;
}

// GEMM view on a 32x32 ws array: K = 32 rows, 32 filter columns, T = 64x64 = 4096 pixels.
workloads::Layer one_fold() {
  workloads::Layer l;
  l.name = "fold";
  l.shape.C = l.shape.M = 32;
  l.shape.H = l.shape.W = l.shape.P = l.shape.Q = 64;
  return l;
}

}  // namespace

TEST_CASE("bit fusion: 1 MAC per cycle at 8x8 bits, 4 at 4x4, 16 at 2x2, 4 at 8x2") {
  // Bit Fusion (ISCA 2018, Sec. III): 16 2-bit BitBricks form one 8x8, four 4x4 or sixteen
  // 2x2 multipliers; with one 8-bit and one 2-bit operand they form four 8x2 ones.
  const auto pe = fusion_pe();
  CHECK(dataflow::macs_per_pe_cycle(pe, bits(8, 8)) == 1);
  CHECK(dataflow::macs_per_pe_cycle(pe, bits(4, 4)) == 4);
  CHECK(dataflow::macs_per_pe_cycle(pe, bits(2, 2)) == 16);
  CHECK(dataflow::macs_per_pe_cycle(pe, bits(8, 2)) == 4);
  CHECK(dataflow::macs_per_pe_cycle(pe, bits(4, 2)) == 8);
  // Widths between brick sizes occupy the next one: 3 bits as 4, 5 as 8, 1 as 2.
  CHECK(dataflow::fused_operand_bits(3, 2) == 4);
  CHECK(dataflow::fused_operand_bits(5, 2) == 8);
  CHECK(dataflow::macs_per_pe_cycle(pe, bits(3, 1)) == 8);
  CHECK(dataflow::macs_per_pe_cycle(pe, bits(5, 5)) == 1);
  // A fixed-width PE does one MAC per cycle whatever the widths.
  CHECK(dataflow::macs_per_pe_cycle(arch::PeSpec{}, bits(2, 2)) == 1);
}

TEST_CASE("fused spatial array: 4/4 bits take exactly 1/4 of the 8-bit compute cycles, 2/2 1/16") {
  const auto acc = spatial(true);
  const auto c8 = spatial_counts(acc, 8, 8);
  const auto c4 = spatial_counts(acc, 4, 4);
  const auto c2 = spatial_counts(acc, 2, 2);
  // Per PE: 64 pixels x 4 register-file tiles x 16 PE steps; the PE loop of 16 channels takes
  // 16, 4 and 1 cycles at 1, 4 and 16 MACs per cycle.
  CHECK(c8.compute_cycles == 64 * 4 * 16);
  CHECK(c4.compute_cycles == 64 * 4 * 4);
  CHECK(c2.compute_cycles == 64 * 4 * 1);
  CHECK(c8.total_cycles == c8.compute_cycles);  // no bandwidth limit: not memory-bound
  CHECK(c4.total_cycles * 4 == c8.total_cycles);
  CHECK(c2.total_cycles * 16 == c8.total_cycles);
  // Every PE busy every cycle at every width: 100% of the peak at that width.
  CHECK(c4.compute_util_pct == Approx(100.0));
  CHECK(c2.overall_util_pct == Approx(100.0));
  // A fixed-width PE gains no cycles from narrow operands.
  CHECK(spatial_counts(spatial(false), 4, 4).compute_cycles == 64 * 4 * 16);
}

TEST_CASE("fused ws systolic array: each fold runs its time steps in a quarter, or a 16th") {
  // One fold (K = 32 rows, 32 columns) streaming T = 4096 pixels, then the fill and drain skew
  // of 2 AR + AC - 2 = 94 cycles (docs/modelling.md); fused, T takes ceil(T / k) cycles.
  const auto acc = systolic_ws(true);
  const auto c8 = dataflow::analyze_systolic(at_bits(one_fold(), 8, 8), acc);
  const auto c4 = dataflow::analyze_systolic(at_bits(one_fold(), 4, 4), acc);
  const auto c2 = dataflow::analyze_systolic(at_bits(one_fold(), 2, 2), acc);
  CHECK(c8.compute_cycles == 4096 + 94);
  CHECK(c4.compute_cycles == 1024 + 94);
  CHECK(c2.compute_cycles == 256 + 94);
  CHECK(c4.macs_per_pe_cycle == 4);
  // The mapper's path (the GEMM-view mapping SCALE-Sim would use) agrees with the closed form.
  for (const int b : {8, 4, 2}) {
    const auto layer = at_bits(one_fold(), b, b);
    const dataflow::SystolicMapSpace space(layer, acc);
    const auto ev = dataflow::evaluate_systolic_mapping(
        layer, acc, space.decode(space.scalesim_genes()), dataflow::resolve_precision(layer, acc));
    INFO(b << " bits");
    CHECK(ev.counts.compute_cycles == dataflow::analyze_systolic(layer, acc).compute_cycles);
  }
}

TEST_CASE("storage and traffic are bit-packed: bytes moved halve from 8 to 4 bits") {
  const auto acc = spatial(true);
  const auto c8 = spatial_counts(acc, 8, 8);
  const auto c4 = spatial_counts(acc, 4, 4);
  // Each tensor crosses DRAM once: 64x64 ifmap, 16x64 weights and 16x64 outputs (the channel
  // reduction completes on chip, so outputs leave at output width = activation width).
  CHECK(c8.access.bytes(0) == Approx((4096 + 1024 + 1024) * 1.0));
  CHECK(c4.access.bytes(0) == Approx((4096 + 1024 + 1024) * 0.5));
  // Elements are the same; bits halve at every level.
  for (int l = 0; l < 3; ++l)
    for (int o = 0; o < 2; ++o) {
      INFO("level " << l << " operand " << o);
      CHECK(c4.access.cells[l][o].reads == c8.access.cells[l][o].reads);
      CHECK(c4.access.cells[l][o].read_bits * 2 == c8.access.cells[l][o].read_bits);
    }
}

TEST_CASE("buffer capacity is checked in bits: a tile too big at 8 bits fits at 4") {
  // Per-PE tile: 64 ifmap and 64 weight values plus one 32-bit partial sum: 8-bit 132 bytes,
  // 4-bit 68 bytes. A 100-byte register file holds only the 4-bit one.
  const auto acc = spatial(true, 100);
  const auto run = [&](int b) {
    const auto layer = at_bits(pointwise(), b, b);
    return dataflow::evaluate_spatial_mapping(layer, acc, pointwise_mapping(),
                                              dataflow::resolve_precision(layer, acc));
  };
  CHECK_FALSE(run(8).valid);
  CHECK(run(4).valid);
}
