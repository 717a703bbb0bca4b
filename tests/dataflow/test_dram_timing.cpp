// SPDX-License-Identifier: Apache-2.0
// The DRAM device model (dataflow/dram_timing.hpp): an ideal channel moves bits at its
// bandwidth; bursts, rows and turnarounds make the time depend on the access pattern.
#include <catch2/catch.hpp>

#include "dataflow/dram_timing.hpp"

using namespace loom;
using arch::Operand;
using dataflow::DramRuns;

namespace {

arch::MemoryLevel dram(double bytes_per_cycle, arch::DramTiming t = {}) {
  arch::MemoryLevel l;
  l.name = "dram";
  l.kind = arch::LevelKind::dram;
  l.bandwidth_bytes_per_cycle = bytes_per_cycle;
  l.dram_timing = t;
  return l;
}

// LPDDR4-like timing at 1 GHz, 1 byte per cycle (the nvdla_64 preset's device).
const arch::DramTiming kDevice{32, 2048, 36, 10, 22};

workloads::LayerShape shape() {
  workloads::LayerShape s;
  s.C = 64;
  s.M = 128;
  s.H = s.W = 30;
  s.P = s.Q = 28;
  s.R = s.S = 3;
  return s;
}

}  // namespace

TEST_CASE("an ideal DRAM channel takes ceil(bytes / bandwidth) cycles whatever the pattern") {
  const auto d = dram(3.0);
  CHECK(dataflow::transfer_cycles(d, 8 * 100, {100, 1, 0, 1, 0}) == 34);
  CHECK(dataflow::transfer_cycles(d, 8 * 100, {1, 100, 4096, 1, 0}) == 34);
  dataflow::DramBus bus(d);
  CHECK(bus.cycles(8 * 30, {30, 1, 0, 1, 0}, false) == 10);
  CHECK(bus.cycles(8 * 30, {30, 1, 0, 1, 0}, true) == 10);
}

TEST_CASE("contiguous tiles stream near the bandwidth, strided short runs pay bursts and rows") {
  const auto d = dram(1.0, kDevice);
  // 8 KiB in one run: 8192 cycles of data, the first row's miss; the other 3 rows open behind.
  CHECK(dataflow::transfer_cycles(d, 8 * 8192, {8192, 1, 0, 1, 0}) == 8192 + 36);
  // 1024 runs of 8 bytes, 4 KiB apart: every run moves a 32-byte burst and opens its own row;
  // the bursts' 32,768 cycles outlast the 1,023 further activates (10 cycles each).
  CHECK(dataflow::transfer_cycles(d, 8 * 8192, {8, 1024, 4096, 1, 0}) == 36 + 32768);
  // On a fast channel the activates bound it: 32 B/cycle moves the bursts in 1024 cycles.
  const auto fast = dram(32.0, kDevice);
  CHECK(dataflow::transfer_cycles(fast, 8 * 8192, {8, 1024, 4096, 1, 0}) == 36 + 1023 * 10);
  // Runs packed closer than a row share rows: 64 runs of 16 B, 64 B apart, span 4 KiB: 2 rows.
  CHECK(dataflow::transfer_cycles(fast, 8 * 1024, {16, 64, 64, 1, 0}) == 36 + 64);
}

TEST_CASE("a transfer reversing the bus direction waits the turnaround") {
  const auto level = dram(1.0, {0, 0, 0, 0, 22});  // the bus keeps a pointer to it
  dataflow::DramBus bus(level);
  const DramRuns run{64, 1, 0, 1, 0};
  CHECK(bus.cycles(8 * 64, run, false) == 64);
  CHECK(bus.cycles(8 * 64, run, false) == 64);
  CHECK(bus.cycles(8 * 64, run, true) == 64 + 22);
  CHECK(bus.cycles(8 * 64, run, true) == 64);
  CHECK(bus.cycles(8 * 64, run, false) == 64 + 22);
}

TEST_CASE("tile runs follow the tensors' row-major layouts") {
  const auto s = shape();
  // Filters: m filters' taps [k0, k0 + k), one run each, C·R·S apart; all taps: one run.
  const DramRuns part = dataflow::tile_runs(s, Operand::filter, {0, 0, 0, 0, 72, 0, 16}, 8);
  CHECK(part.len == 72);
  CHECK(part.inner == 16);
  CHECK(part.inner_stride == 576);
  const DramRuns whole = dataflow::tile_runs(s, Operand::filter, {0, 0, 0, 0, 576, 0, 16}, 8);
  CHECK(whole.len == 576 * 16);
  CHECK(whole.inner == 1);
  // Outputs: per filter a run of the tile's pixels, P·Q apart.
  const DramRuns out = dataflow::tile_runs(s, Operand::ofmap, {0, 0, 28, 0, 0, 0, 4}, 32);
  CHECK(out.len == 28 * 4);
  CHECK(out.inner == 4);
  CHECK(out.inner_stride == 784 * 4);
  // Ifmap: one output row (28 pixels) of 2 channels' taps reads 3 whole input rows of 30 per
  // channel, one run per channel.
  const DramRuns in = dataflow::tile_runs(s, Operand::ifmap, {0, 0, 28, 0, 18, 0, 0}, 8);
  CHECK(in.len == 30 * 3);
  CHECK(in.inner == 1);
  CHECK(in.outer == 2);
  CHECK(in.outer_stride == 900);
  // Part of an output row: 3 rows of 10 columns in each of 2 channels.
  const DramRuns cut = dataflow::tile_runs(s, Operand::ifmap, {0, 0, 8, 0, 18, 0, 0}, 8);
  CHECK(cut.len == 10);
  CHECK(cut.inner == 3);
  CHECK(cut.outer == 2);
}
