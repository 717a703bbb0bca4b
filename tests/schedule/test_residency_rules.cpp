// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "schedule/residency.hpp"
#include "schedule_fixtures.hpp"

using namespace loom;

TEST_CASE("tensors stay in the largest shared on-chip level that holds ifmaps") {
  const auto edge = arch::load_accelerator("edge_ws_32x32");
  CHECK(edge.levels[schedule::residency_level(edge)].name == "ifmap_sram");
  const auto eyeriss = arch::load_accelerator("eyeriss");
  CHECK(eyeriss.levels[schedule::residency_level(eyeriss)].name == "glb");  // not a scratchpad
  const auto shared = test::shared_buffer_ws(1 << 20);
  CHECK(schedule::residency_level(shared) == 1);
  auto no_ifmaps = edge;
  no_ifmaps.levels[1].holds = {false, true, false};
  CHECK(schedule::residency_level(no_ifmaps) == -1);
}

TEST_CASE("with no residency level every tensor goes through DRAM") {
  const auto net = workloads::zoo_load("resnet18");
  const auto live = schedule::compute_liveness(net, std::vector<int>(net.layers.size(), 8));
  const auto r =
      schedule::plan_residency(live, net, 0, std::vector<schedule::Footprint>(net.layers.size()));
  const std::vector<bool> none(net.layers.size(), false);
  CHECK(r.resident == none);
  CHECK(r.input_on_chip == none);
  CHECK(r.dram_needed == std::vector<bool>(net.layers.size(), true));
}

TEST_CASE("a layer's footprint is twice its operands in the level, capped, ifmap in place free") {
  // 1x1 conv, 16 -> 8 channels on 8x8, int8, 32-bit partial sums: ifmap 1024 B, weights
  // 128 B, outputs 512 elements = 2048 B at partial-sum width.
  const auto net = workloads::parse_workload_yaml(
      "name: one\nlayers:\n  - {name: c, op: conv, C: 16, M: 8, H: 8}\n", "one.yaml");
  const dataflow::ResolvedPrecision p{
      .weight_bits = 8, .activation_bits = 8, .output_bits = 8, .psum_bits = 32};
  arch::MemoryLevel shared;
  shared.size_bytes = 1 << 20;
  const auto all = schedule::layer_footprint(net.layers[0], p, shared);
  CHECK(all.full == 2 * (1024 + 128 + 2048) * 8);
  CHECK(all.in_place == 2 * (128 + 2048) * 8);
  arch::MemoryLevel ifmaps = shared;
  ifmaps.holds = {true, false, false};
  const auto only = schedule::layer_footprint(net.layers[0], p, ifmaps);
  CHECK(only.full == 2 * 1024 * 8);
  CHECK(only.in_place == 0);
  ifmaps.size_bytes = 1000;
  CHECK(schedule::layer_footprint(net.layers[0], p, ifmaps).full == 1000 * 8);
}
