// SPDX-License-Identifier: Apache-2.0
// Mapped layers passed between MPI ranks (sweep/layer_wire.hpp) come back exactly, and the
// layers a network would search are listed once per distinct shape (explore::search_tasks).
#include <catch2/catch.hpp>
#include <set>
#include <tuple>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "energy/energy_table.hpp"
#include "explore/evaluate.hpp"
#include "sweep/layer_wire.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

explore::MappedLayer map_first_layer(const arch::Accelerator& acc) {
  auto net = workloads::zoo_load("alexnet");
  mapper::MapperOptions opt;
  opt.budget = 20000;  // Eyeriss CONV1 has few legal points: 2,000 random ones may hold none
  return explore::map_layer(net.layers.front(), acc, energy::make_energy_table(acc), opt);
}

}  // namespace

TEST_CASE("mapped layers cross between ranks bit for bit") {
  const auto systolic = map_first_layer(arch::load_accelerator("edge_ws_32x32"));
  auto spatial = map_first_layer(arch::load_accelerator("eyeriss"));
  spatial.lower_bound = 1.25e-3;
  spatial.optimality_gap_pct = 0.0;
  std::string bytes;
  sweep::append_mapped_layer(bytes, "scope a\nlayer 1", systolic);
  sweep::append_mapped_layer(bytes, "scope b\nlayer 2", spatial);
  const auto back = sweep::read_mapped_layers(bytes);
  REQUIRE(back.size() == 2);
  CHECK(back[0].first == "scope a\nlayer 1");
  CHECK(back[1].first == "scope b\nlayer 2");
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& want = i == 0 ? systolic : spatial;
    const auto& got = back[i].second;
    CHECK(got.mapping == want.mapping);
    CHECK(got.counts.total_cycles == want.counts.total_cycles);
    CHECK(got.counts.access.bytes(0) == want.counts.access.bytes(0));
    CHECK(got.counts.compute_util_pct == want.counts.compute_util_pct);
    CHECK(got.energy.total_pj == want.energy.total_pj);
    CHECK(got.evaluated == want.evaluated);
    CHECK(got.lower_bound == want.lower_bound);
    CHECK(got.optimality_gap_pct == want.optimality_gap_pct);
  }
  CHECK_FALSE(back[0].second.lower_bound.has_value());
  // Written again, the records give the same bytes (every field, padding included, copied).
  std::string again;
  for (const auto& [key, layer] : back) sweep::append_mapped_layer(again, key, layer);
  CHECK(again == bytes);
  // Bytes cut inside a record are refused, never read past.
  for (const std::size_t cut : {std::size_t{3}, std::size_t{40}, bytes.size() - 1})
    CHECK_THROWS_AS(sweep::read_mapped_layers(std::string_view(bytes).substr(0, cut)), Error);
}

TEST_CASE("search_tasks lists each distinct searched layer of a network once") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto net = workloads::zoo_load("resnet18");
  explore::RunOptions opt;
  opt.cache_scope = "scope";
  const auto tasks = explore::search_tasks(net, acc, opt);
  // ResNet-18's MAC layers, with its repeated block shapes counted once each: computed from the
  // zoo's layers here by shape, independently of the key format.
  std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                      std::int64_t, std::int64_t>>
      shapes;
  std::size_t mac_layers = 0;
  for (const auto& l : net.layers) {
    if (!workloads::does_macs(l.op)) continue;
    ++mac_layers;
    const auto& s = l.shape;
    shapes.insert({s.M, s.C, s.P, s.R, s.stride_h, s.groups, s.N});
  }
  CHECK(tasks.size() == shapes.size());
  CHECK(tasks.size() < mac_layers);
  for (const auto& t : tasks) CHECK(t.key.rfind("scope\n", 0) == 0);
  opt.search = false;
  CHECK(explore::search_tasks(net, acc, opt).empty());
}
