// SPDX-License-Identifier: Apache-2.0
// `loom sim` on attention's products of two activations (act_matmul: Q·Kᵀ and A·V, heads ×
// batch as groups, the second operand in the filter slot): real data through the cycle-level
// arrays of two shipped presets under the mapper's mapping (as `loom sim` maps, at a budget of
// 3,000), every output equal to the golden product, and the cycles and DRAM traffic those of
// the analytical model for the same mapping: exactly on the systolic array (every level); on the
// row-stationary one compute cycles and DRAM traffic exactly, total cycles within issue 5's 5% band
// (`loom sim --arch eyeriss --batch 2` on these layers: 1,164 against 1,120 cycles for Q·Kᵀ).
#include <catch2/catch.hpp>
#include <cmath>

#include "arch/accelerator.hpp"
#include "sim/golden.hpp"
#include "simulate/simulate_network.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

// Q·Kᵀ of a 12-token sequence with 3 heads of width 8, and A·V: non-square on purpose, so a
// transposed operand would not fit. Batch 2: 6 groups each.
workloads::Network attention() {
  const auto net = workloads::parse_workload_yaml(R"(name: attention
layers:
  - {name: qk, op: act_matmul, inputs: [], gemm: [12, 12, 8], heads: 3}
  - {name: av, op: act_matmul, inputs: [qk, qk], gemm: [12, 8, 12], heads: 3}
)",
                                                  "attention.yaml");
  return net.with_batch(2);
}

// The golden the simulator checks against is the batched product: for group g (head × image),
// out[g] = A[g] · B[g] with A = rows × K (the ifmap's channels g·K … of each row) and
// B = K × N (the filter slot's filters g·N …).
void check_golden_is_the_product(const workloads::Layer& l) {
  const auto& s = l.shape;
  const auto d = sim::random_layer_data(s, 8, 8, 3);
  const auto y = sim::golden_conv(s, d, {});
  const std::int64_t k = s.C / s.groups, n = s.M / s.groups;
  for (std::int64_t g = 0; g < s.groups; ++g)
    for (std::int64_t i = 0; i < s.P; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        std::int64_t sum = 0;
        for (std::int64_t x = 0; x < k; ++x)
          sum += std::int64_t{d.ifmap.at(0, g * k + x, i, 0)} * d.weights.at(g * n + j, x, 0, 0);
        REQUIRE(y.at(0, g * n + j, i, 0) == sum);
      }
}

std::vector<simulate::SimulatedLayer> simulate_attention(const arch::Accelerator& acc) {
  const auto net = attention();
  for (const auto& l : net.layers) {
    REQUIRE(l.op == workloads::OpKind::act_matmul);
    REQUIRE(l.shape.groups == 6);
    check_golden_is_the_product(l);
  }
  simulate::SimulateOptions options;
  options.mapper.budget = 3000;
  // Each layer against the analytical model of its own mapping, from DRAM to DRAM.
  options.schedule = schedule::ScheduleKind::layerwise;
  auto runs = simulate::simulate_network(net, acc, options);
  REQUIRE(runs.size() == 2);
  for (const auto& r : runs) {
    INFO(acc.name << " " << r.layer.name);
    CHECK(r.sim.elements_checked == r.layer.shape.ofmap_elems());
    CHECK(r.sim.mismatches == 0);
    CHECK(r.sim.macs == r.layer.macs());
    CHECK(r.sim.compute_cycles == r.analytical.compute_cycles);
    // Both operands are activations: the filter slot moves at activation width.
    CHECK(r.analytical.precision.weight_bits == r.analytical.precision.activation_bits);
  }
  return runs;
}

}  // namespace

TEST_CASE("act_matmul on the systolic array: golden outputs, analytical cycles and DRAM bytes") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  for (const auto& r : simulate_attention(acc)) {
    INFO(r.layer.name);
    CHECK(r.sim.total_cycles == r.analytical.total_cycles);
    const auto& a = r.analytical.access;
    for (int l = 0; l < a.levels; ++l)
      for (auto o : {arch::Operand::ifmap, arch::Operand::filter, arch::Operand::ofmap}) {
        INFO("level " << l << " operand " << static_cast<int>(o));
        CHECK(r.sim.access.at(l, o).reads == a.at(l, o).reads);
        CHECK(r.sim.access.at(l, o).writes == a.at(l, o).writes);
        CHECK(r.sim.access.at(l, o).read_bits == a.at(l, o).read_bits);
        CHECK(r.sim.access.at(l, o).write_bits == a.at(l, o).write_bits);
      }
    // Every element of both operands comes from DRAM at least once, and the outputs go back.
    const int d = acc.dram_level();
    const auto& s = r.layer.shape;
    CHECK(a.at(d, arch::Operand::ifmap).reads >= s.ifmap_elems());
    CHECK(a.at(d, arch::Operand::filter).reads >= s.weight_elems());
    CHECK(a.at(d, arch::Operand::ofmap).writes == s.ofmap_elems());
  }
}

TEST_CASE("act_matmul on the row-stationary array: golden outputs, cycles within 5%") {
  const auto acc = arch::load_accelerator("eyeriss");
  const int d = acc.dram_level();
  for (const auto& r : simulate_attention(acc)) {
    INFO(r.layer.name << " simulated " << r.sim.total_cycles << " analytical "
                      << r.analytical.total_cycles);
    const double err = std::abs(static_cast<double>(r.sim.total_cycles) -
                                static_cast<double>(r.analytical.total_cycles)) /
                       static_cast<double>(r.analytical.total_cycles);
    CHECK(err <= 0.05);
    const auto& a = r.analytical.access;
    for (auto o : {arch::Operand::ifmap, arch::Operand::filter, arch::Operand::ofmap}) {
      INFO("operand " << static_cast<int>(o));
      CHECK(r.sim.access.at(d, o).reads == a.at(d, o).reads);
      CHECK(r.sim.access.at(d, o).writes == a.at(d, o).writes);
      CHECK(r.sim.access.at(d, o).read_bits == a.at(d, o).read_bits);
      CHECK(r.sim.access.at(d, o).write_bits == a.at(d, o).write_bits);
    }
    CHECK(r.sim.access.at(d, arch::Operand::ofmap).writes == r.layer.shape.ofmap_elems());
  }
}
