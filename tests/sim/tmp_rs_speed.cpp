#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include "arch/accelerator.hpp"
#include "energy/energy_table.hpp"
#include "explore/layer_mapper.hpp"
#include "sim/spatial_array.hpp"
#include "workloads/network.hpp"
using namespace loom;
TEST_CASE("TMP rs speed") {
  auto acc = arch::load_accelerator("eyeriss");
  auto net = workloads::zoo_load("alexnet");
  mapper::MapperOptions opt; opt.budget = 20000;
  for (auto& l : net.layers) {
    if (!workloads::does_macs(l.op) || l.op == workloads::OpKind::fc) continue;
    auto ml = explore::map_layer(l, acc, energy::make_energy_table(acc), opt);
    auto data = sim::random_layer_data(l.shape, 16, 16, 1);
    auto t0 = std::chrono::steady_clock::now();
    auto r = sim::simulate_spatial_array(l, acc, ml.mapping, data);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s cycles %ld ana %ld total %ld macs %ld mism %ld  %.2f s  %.1f M PE-cycles/s\n", l.name.c_str(), (long)r.cycles, (long)ml.counts.compute_cycles, (long)ml.counts.total_cycles, (long)r.macs, (long)r.mismatches, s, double(r.cycles)*168/s/1e6);
  }
}
