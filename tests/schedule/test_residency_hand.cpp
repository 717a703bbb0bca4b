// SPDX-License-Identifier: Apache-2.0
// Graph schedules of tiny networks on a 32x32 int8 WS array with one shared buffer, checked
// against DRAM bytes worked out by hand. Every layer below fits the array in one fold (C·R·S
// rows <= 32, M columns <= 32), so layerwise each layer reads its ifmap and weights once and
// writes its ofmap once: the layerwise bytes are sums of tensor sizes (int8: one byte each).
// The planner's footprint rule (schedule/residency.hpp): 2 x (ifmap + weights + ofmap at the
// 32-bit partial-sum width), the ifmap left out when it is resident (read in place).
#include <catch2/catch.hpp>

#include "schedule_fixtures.hpp"

using namespace loom;
using schedule::ScheduleKind;

namespace {

// input 3x8x8 = 192 B.
// c1: 3x3, 3 -> 16 channels: weights 16·27 = 432 B, output 16·64 = 1024 B.
// c2: 1x1, 16 -> 8: weights 128 B, output 512 B.   c3: 1x1, 8 -> 4: weights 32 B, output 256 B.
// Layerwise: c1 192 + 432 + 1024, c2 1024 + 128 + 512, c3 512 + 32 + 256 = 4112 B.
workloads::Network chain() {
  return workloads::parse_workload_yaml(R"(
name: chain
layers:
  - {name: c1, op: conv, C: 3, M: 16, H: 8, R: 3, padding: 1}
  - {name: c2, op: conv, C: 16, M: 8, H: 8}
  - {name: c3, op: conv, C: 8, M: 4, H: 8}
)",
                                        "chain.yaml");
}

const schedule::TensorRecord& record(const explore::RunResult& r, const std::string& name) {
  for (const auto& t : r.schedule->tensors)
    if (t.name == name) return t;
  FAIL("no tensor " << name);
  throw;
}

}  // namespace

TEST_CASE("a conv chain keeps only what fits beside each layer's footprint") {
  const auto net = chain();
  // Footprints: c1 2·(192 + 432 + 4096) = 9440 B; c2 2·(1024 + 128 + 2048) = 6400 B, or
  // 2·(128 + 2048) = 4352 B reading c1's output in place; c3 2·(512 + 32 + 1024) = 3136 B,
  // 2112 B in place. c1's output (1024 B) needs 1024 + 9440 = 10464 B at step c1; c2's (512 B),
  // with c1's in DRAM, 512 + 6400 = 6912 B at step c2.
  SECTION("4 KiB: nothing stays, graph = layerwise") {
    const auto r =
        test::run_closed_form(net, test::shared_buffer_ws(4096), ScheduleKind::graph, false);
    CHECK(r.schedule->layerwise_dram_bytes == 4112);
    CHECK(test::dram_bytes(r) == 4112);
    CHECK(r.schedule->residency.resident == std::vector<bool>{false, false, false});
  }
  SECTION("8 KiB: c2's output stays; its write and c3's read go (4112 - 2·512)") {
    const auto r =
        test::run_closed_form(net, test::shared_buffer_ws(8192), ScheduleKind::graph, false);
    CHECK(test::dram_bytes(r) == 3088);
    CHECK(r.schedule->residency.resident == std::vector<bool>{false, true, false});
    CHECK(record(r, "c2").resident_in == "buffer");
    CHECK(record(r, "c2").dram_write_bytes == 0);
    CHECK(record(r, "c1").dram_write_bytes == 1024);
    CHECK(record(r, "c1").dram_read_bytes == 1024);
  }
  SECTION("16 KiB: both stay; only input, weights and the output move (192 + 592 + 256)") {
    const auto r =
        test::run_closed_form(net, test::shared_buffer_ws(16384), ScheduleKind::graph, false);
    CHECK(test::dram_bytes(r) == 1040);
    CHECK(record(r, "input").dram_read_bytes == 192);
    CHECK(record(r, "c3").dram_write_bytes == 256);
    CHECK(record(r, "c1.weights").dram_read_bytes == 432);
  }
  SECTION("layerwise is today's evaluation, without a schedule block") {
    const auto r =
        test::run_closed_form(net, test::shared_buffer_ws(16384), ScheduleKind::layerwise);
    CHECK(test::dram_bytes(r) == 4112);
    CHECK(!r.schedule);
  }
}

TEST_CASE("a residual add keeps both branches on chip when the buffer is large") {
  // c1 (3x3, 3 -> 8: weights 216 B, out 512 B), c2 (1x1 8 -> 8: 64 B, 512 B), add(c2, c1)
  // (512 B, no MACs), c3 (1x1 8 -> 4: 32 B, 256 B). Layerwise: c1 192 + 216 + 512, c2 512 +
  // 64 + 512, c3 reads the add's 512 + 32 + 256 = 2808 B (the add itself moves nothing).
  const auto net = workloads::parse_workload_yaml(R"(
name: residual
layers:
  - {name: c1, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: c2, op: conv, C: 8, M: 8, H: 8}
  - {name: add, op: add, inputs: [c2, c1], C: 8, H: 8}
  - {name: c3, op: conv, C: 8, M: 4, H: 8}
)",
                                                  "residual.yaml");
  SECTION("1 MiB: input 192 + weights 312 + output 256") {
    const auto r =
        test::run_closed_form(net, test::shared_buffer_ws(1 << 20), ScheduleKind::graph, false);
    CHECK(r.schedule->layerwise_dram_bytes == 2808);
    CHECK(test::dram_bytes(r) == 760);
    CHECK(r.schedule->residency.resident == std::vector<bool>{true, true, true, false});
    CHECK(record(r, "add").resident_in == "buffer");
  }
  SECTION("5423 B: c1's output needs 512 + 2·(192 + 216 + 2048) = 5424 B; nothing stays") {
    const auto r =
        test::run_closed_form(net, test::shared_buffer_ws(5423), ScheduleKind::graph, false);
    CHECK(test::dram_bytes(r) == 2808);
  }
}

TEST_CASE("a concat of two branches of the network input stays on chip as a whole") {
  // a (3x3, 3 -> 8: 216 B, 512 B) and b (1x1, 3 -> 4: 12 B, 256 B) both read the input; c
  // (1x1, 12 -> 4: 48 B, 256 B) reads their concat (768 B). Layerwise: 192 + 216 + 512,
  // 192 + 12 + 256, 768 + 48 + 256 = 2452 B. Graph: each reader fetches the network input
  // (2·192) + weights 276 + output 256 = 916 B.
  const auto net = workloads::parse_workload_yaml(R"(
name: cat
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: b, op: conv, inputs: [], C: 3, M: 4, H: 8}
  - {name: cat, op: concat, inputs: [a, b], C: 12, H: 8}
  - {name: c, op: conv, C: 12, M: 4, H: 8}
)",
                                                  "cat.yaml");
  const auto big =
      test::run_closed_form(net, test::shared_buffer_ws(1 << 20), ScheduleKind::graph, false);
  CHECK(big.schedule->layerwise_dram_bytes == 2452);
  CHECK(test::dram_bytes(big) == 916);
  CHECK(record(big, "input").dram_read_bytes == 384);
  // 4 KiB: b's output alone would fit (256 + 2·(192 + 12 + 1024) = 2712 B), but a's does not
  // (512 + 2·(192 + 216 + 2048) = 5424 B), so neither can the concat: b's residency would save
  // nothing and is dropped.
  const auto tiny =
      test::run_closed_form(net, test::shared_buffer_ws(4096), ScheduleKind::graph, false);
  CHECK(test::dram_bytes(tiny) == 2452);
  CHECK(tiny.schedule->residency.resident == std::vector<bool>{false, false, false, false});
}
