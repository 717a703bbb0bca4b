// SPDX-License-Identifier: Apache-2.0
// Layer fusion (schedule/fusion.hpp) on a chain of two 3x3 convolutions, against halo rows,
// recomputed MACs, buffer bits and DRAM bytes worked out by hand. Both layers fit the 32x32 WS
// array in one fold (C·R·S = 27 rows), so layerwise each reads its ifmap and weights once and
// writes its ofmap once (int8: one byte per element), and so does every tile step of the fused
// execution (schedule/fusion_price.hpp): no partial sums spill, so a step's DRAM traffic is the
// input rows loaded, the weights it fetches and the outputs it writes back.
//   a: 3x3, 3 -> 3 channels, 8x8, padding 1: input 192 B, weights 81 B, output 192 B, 5,184 MACs.
//   b: 3x3, 3 -> 4 channels, 8x8, padding 1: input 192 B, weights 108 B, output 256 B.
// Fused with tiles of 2 output rows of b (4 tiles): b reads rows [0,3) [1,5) [3,7) [5,8) of a
// (14 rows, at most 4, consecutive tiles share 2), a reads input rows [0,4) [0,6) [2,8) [4,8)
// (20 rows, at most 6, sharing 4).
#include <catch2/catch.hpp>

#include "schedule/fusion.hpp"
#include "schedule/fusion_price.hpp"
#include "schedule_fixtures.hpp"

using namespace loom;
using schedule::HaloPolicy;
using schedule::ScheduleKind;

namespace {

workloads::Network chain(bool branch) {
  std::string y = R"(
name: chain
layers:
  - {name: a, op: conv, C: 3, M: 3, H: 8, R: 3, padding: 1}
  - {name: b, op: conv, C: 3, M: 4, H: 8, R: 3, padding: 1}
)";
  // A third layer that reads a's tensor outside the group.
  if (branch) y += "  - {name: c, op: conv, inputs: [a], C: 3, M: 2, H: 8}\n";
  return workloads::parse_workload_yaml(y, "chain.yaml");
}

struct Fixture {
  workloads::Network net;
  arch::Accelerator acc = test::shared_buffer_ws(64 * 1024);
  explore::RunResult layerwise;
  std::vector<const dataflow::LayerCounts*> counts;
  schedule::GraphSchedule greedy;
  explore::RunResult make(bool branch) {
    net = chain(branch);
    return test::run_closed_form(net, acc, ScheduleKind::layerwise);
  }
  explicit Fixture(bool branch = false) : layerwise(make(branch)) {
    for (const auto& lr : layerwise.layers) counts.push_back(&lr.counts);
    greedy = schedule::plan_graph_schedule(net, acc, counts);
  }
  [[nodiscard]] schedule::FusionContext ctx() const {
    return {net,
            acc,
            greedy.liveness,
            counts,
            schedule::residency_level(acc),
            schedule::default_tile_eval(acc)};
  }
  // Layer `pos` of the group priced tile by tile, its input and output through DRAM.
  [[nodiscard]] dataflow::LayerCounts fused(const schedule::GroupPlan& g, std::size_t pos) const {
    const auto p = schedule::price_group(ctx(), g, false);
    REQUIRE(p);
    return (*p->counts[pos])[0][0];
  }
  [[nodiscard]] double dram(const schedule::GroupPlan& g, std::size_t pos) const {
    return fused(g, pos).access.bytes(0);
  }
};

}  // namespace

TEST_CASE("a fused chain recomputes its halo rows: extra MACs, input re-read from DRAM") {
  const Fixture f;
  REQUIRE(f.layerwise.layers[0].counts.access.bytes(0) == 192 + 81 + 192);
  REQUIRE(f.layerwise.layers[1].counts.access.bytes(0) == 192 + 108 + 256);
  const auto g = schedule::plan_group(f.ctx(), 0, 1, 2, HaloPolicy::recompute, true);
  REQUIRE(g);
  CHECK(g->tiles == 4);
  // Buffer: a's tile, 4 rows x 8 columns x 3 channels x 8 bits = 768; both weights resident
  // (81 + 108 B = 1,512 bits); twice the largest output tile at 32-bit partial sums (a's:
  // 4 rows x 8 x 3 x 32 = 3,072). The input tile: twice 6 rows x 8 x 3 x 8 bits.
  CHECK(g->buffer_bits == 768 + 1512 + 2 * 3072);
  CHECK(g->input_tile_bits == 2 * 6 * 192);
  // a computes 14 rows for b's 8: 14 x 8 x 3 x 27 = 9,072 MACs, 5,184 + 3,888 recomputed; its
  // input rows are loaded 20 times for 8 (480 B, 2.5 times 192); its output stays on chip. b
  // computes each of its rows once: 8 x 8 x 4 x 27 = 6,912 MACs.
  const auto a = f.fused(*g, 0);
  CHECK(a.macs == 5184 + 3888);
  CHECK(f.fused(*g, 1).macs == 6912);
  CHECK(a.access.at(0, arch::Operand::ifmap).read_bits == 480 * 8);
  CHECK(a.compute_cycles > f.counts[0]->compute_cycles);
  CHECK(f.dram(*g, 0) == 480 + 81);
  CHECK(f.dram(*g, 1) == 108 + 256);  // b reads a's tiles on chip
  CHECK(a.total_cycles >= f.counts[0]->total_cycles - 1);
}

TEST_CASE("a fused chain that caches its halos recomputes nothing and stores the halo rows") {
  const Fixture f;
  const auto g = schedule::plan_group(f.ctx(), 0, 1, 2, HaloPolicy::cache, true);
  REQUIRE(g);
  // The recompute buffer plus 2 halo rows of a's tensor (384 bits) and 4 of the input (768).
  CHECK(g->buffer_bits == 768 + 1512 + 2 * 3072 + 384 + 768);
  CHECK(f.fused(*g, 0).macs == 5184);
  CHECK(f.dram(*g, 0) == 192 + 81);
  CHECK(f.dram(*g, 1) == 108 + 256);
}

TEST_CASE("weights that do not stay for the group are read from DRAM once per tile") {
  const Fixture f;
  const auto g = schedule::plan_group(f.ctx(), 0, 1, 2, HaloPolicy::cache, false);
  REQUIRE(g);
  CHECK(g->buffer_bits == 768 + 2 * 864 + 2 * 3072 + 384 + 768);  // twice b's 108 B of weights
  // a runs a step in each tile (its rows [0,3) [3,5) [5,7) [7,8)), b too: 4 fetches each.
  CHECK(f.dram(*g, 0) == 192 + 4 * 81);
  CHECK(f.dram(*g, 1) == 4 * 108 + 256);
}

TEST_CASE("a fused tensor that a layer outside the group reads is still written to DRAM") {
  const Fixture f(true);
  const auto g = schedule::plan_group(f.ctx(), 0, 1, 2, HaloPolicy::cache, true);
  REQUIRE(g);
  CHECK(g->output_to_dram == std::vector<bool>{true, false});
  CHECK(f.dram(*g, 0) == 192 + 81 + 192);
  CHECK(f.dram(*g, 1) == 108 + 256);
}

TEST_CASE("a group whose buffers do not fit the level is illegal") {
  Fixture f;
  f.acc = test::shared_buffer_ws(1024);  // 8,192 bits: less than the buffers above
  CHECK_FALSE(schedule::plan_group(f.ctx(), 0, 1, 2, HaloPolicy::recompute, true));
  CHECK_FALSE(schedule::plan_group(f.ctx(), 0, 0, 2, HaloPolicy::recompute, true));
}
