// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "arch/accelerator.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic_timing.hpp"
#include "dataflow/systolic.hpp"
#include "energy/energy_table.hpp"
#include "explore/map_network.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

workloads::Layer layer_named(const workloads::Network& net, const std::string& name) {
  for (const auto& l : net.layers)
    if (l.name == name) return l;
  FAIL("no layer " << name);
  return {};
}

double score_of(const mapper::Objective& obj, const explore::MappedLayer& m) {
  return obj.score({m.energy.total_pj, static_cast<double>(m.counts.total_cycles)});
}

}  // namespace

TEST_CASE("mappings written by map and read back by run give identical numbers") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto net = workloads::zoo_load("resnet18");
  explore::MapNetworkOptions opt;
  opt.mapper.budget = 3000;
  const auto mapped = explore::map_network(net, acc, opt);
  const auto dir = std::filesystem::temp_directory_path() / "loom_test_roundtrip";
  std::filesystem::remove_all(dir);
  explore::write_mappings(mapped, net.name, acc, dir);
  const auto set = explore::read_mappings(dir, acc);
  REQUIRE(set.size() == mapped.size());
  explore::RunOptions ro;
  ro.mappings = &set;
  const auto run = explore::evaluate_network(net, acc, ro);
  REQUIRE(run.layers.size() == mapped.size());
  for (std::size_t i = 0; i < mapped.size(); ++i) {
    INFO(mapped[i].layer.name);
    CHECK(run.layers[i].counts.total_cycles == mapped[i].mapped.counts.total_cycles);
    CHECK(run.layers[i].energy.total_pj == mapped[i].mapped.energy.total_pj);  // bit for bit
    CHECK(run.layers[i].counts.access.bytes(0) == mapped[i].mapped.counts.access.bytes(0));
  }
}

TEST_CASE("the mapper never does worse than SCALE-Sim's mapping on the objective") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto table = energy::make_energy_table(acc);
  for (const char* objective : {"energy", "latency", "edp"}) {
    mapper::MapperOptions mo;
    mo.budget = 2000;
    mo.objective = mapper::parse_objective(objective);
    for (const auto& l : workloads::zoo_load("alexnet").layers) {
      if (!workloads::does_macs(l.op)) continue;
      INFO(objective << " " << l.name);
      const auto best = explore::map_layer(l, acc, table, mo);
      const dataflow::SystolicMapSpace space(l, acc);
      const auto p = dataflow::resolve_precision(l, acc);
      const auto base = dataflow::evaluate_systolic_mapping(l, acc, space.decode(space.scalesim_genes()), p);
      if (!base.valid) continue;  // SCALE-Sim's all-on-chip mapping does not fit this buffer
      const auto e = energy::price(base.counts.access, base.counts.macs, p.weight_bits,
                                   p.activation_bits, table);
      CHECK(score_of(mo.objective, best) <=
            mo.objective.score({e.total_pj, static_cast<double>(base.counts.total_cycles)}));
    }
  }
}

TEST_CASE("with 5% of an enumerable space the mapper lands within 2% of the exhaustive optimum") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto table = energy::make_energy_table(acc);
  const auto net = workloads::zoo_load("resnet18");
  for (const char* name : {"layer3.0.conv2", "layer2.0.downsample.conv", "fc"}) {
    const auto l = layer_named(net, name);
    const dataflow::SystolicMapSpace space(l, acc);
    std::uint64_t size = 1;
    for (auto d : space.domains()) size *= d;
    INFO(name << ": " << size << " mappings");
    mapper::MapperOptions all;
    all.strategy = mapper::Strategy::exhaustive;
    all.budget = size;
    const auto optimum = explore::map_layer(l, acc, table, all);
    for (std::uint64_t seed : {1, 2, 3}) {
      mapper::MapperOptions some;
      some.budget = std::max<std::uint64_t>(1, size / 20);
      some.seed = seed;
      const auto found = explore::map_layer(l, acc, table, some);
      CHECK(found.evaluated <= some.budget);
      CHECK(score_of(some.objective, found) <= 1.02 * score_of(all.objective, optimum));
    }
  }
}

TEST_CASE("map results depend on the seed and budget only, not on the thread count") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto net = workloads::zoo_load("mobilenet_v2");
  explore::MapNetworkOptions one, two;
  one.mapper.budget = two.mapper.budget = 1500;
  one.mapper.threads = 1;
  two.mapper.threads = 2;
  const auto a = explore::map_network(net, acc, one);
  const auto b = explore::map_network(net, acc, two);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].mapped.mapping == b[i].mapped.mapping);
    CHECK(a[i].mapped.energy.total_pj == b[i].mapped.energy.total_pj);
  }
}

TEST_CASE("asking to map a layer that does not exist names the layers that do") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  explore::MapNetworkOptions opt;
  opt.only_layer = "conv9";
  CHECK_THROWS_WITH(explore::map_network(workloads::zoo_load("alexnet"), acc, opt),
                    Catch::Contains("no MAC layer named 'conv9'") && Catch::Contains("conv5"));
}
