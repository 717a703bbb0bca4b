// SPDX-License-Identifier: Apache-2.0
// The spatial array's microarchitecture in the nest analysis (dataflow/spatial_micro.hpp):
// ideal by default, each mechanism adds exactly what its contract says and never removes
// cycles (the exact mapper's lower bounds stay admissible).
#include <catch2/catch.hpp>
#include <random>

#include "arch/accelerator.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/spatial_micro.hpp"
#include "dataflow/systolic.hpp"

using namespace loom;

namespace {

workloads::Layer conv3() {  // AlexNet CONV3's shape, batch 2
  workloads::Layer l;
  l.name = "conv3";
  l.shape = {.N = 2, .M = 384, .C = 256, .P = 13, .Q = 13, .R = 3, .S = 3};
  l.shape.pad_h = l.shape.pad_w = 1;
  l.shape.H = l.shape.W = 13;
  return l;
}

arch::MemoryLevel& noc_of(arch::Accelerator& acc) {
  return acc.levels[static_cast<std::size_t>(dataflow::noc_level(acc))];
}

// Eyeriss with every mechanism at its ideal default.
arch::Accelerator ideal_eyeriss() {
  auto acc = arch::load_accelerator("eyeriss");
  acc.array.pe.pipeline_stages = 1;
  for (auto& l : acc.levels) l.single_port = false;
  auto& noc = noc_of(acc);
  noc.bus_bits = {0, 0, 0};
  noc.layer_setup_cycles = noc.pass_setup_cycles = 0;
  noc.psum_hop_cycles = noc.psum_accumulate_cycles = 0;
  return acc;
}

}  // namespace

TEST_CASE("spatial microarchitecture: ideal by default, each mechanism only adds cycles") {
  const auto ideal = ideal_eyeriss();
  const auto layer = conv3();
  const auto p = dataflow::resolve_precision(layer, ideal);
  const dataflow::SpatialMapSpace space(layer, ideal, p);
  std::mt19937_64 rng(3);
  int checked = 0;
  // About 1 random point in 400 of this space is legal: draw enough to find five whatever the
  // gene domains (dataflow/spatial_mapspace.hpp).
  for (int attempt = 0; attempt < 20000 && checked < 5; ++attempt) {
    std::vector<std::uint32_t> g;
    for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    const auto m = space.decode(g);
    const auto base = dataflow::analyze_nest(layer, ideal, m, p);
    if (!base.valid) continue;
    ++checked;
    CHECK(base.overheads == dataflow::ArrayOverheads{});
    CHECK(base.events.passes >= 1);
    const auto with = [&](auto&& change) {
      auto acc = ideal;
      change(acc);
      return dataflow::analyze_nest(layer, acc, m, p);
    };
    // A pipeline of 3 stages fills and drains once per pass.
    const auto piped = with([](arch::Accelerator& a) { a.array.pe.pipeline_stages = 3; });
    CHECK(piped.overheads.serial_cycles == 2.0 * static_cast<double>(base.events.passes));
    CHECK(piped.total_cycles >= base.total_cycles);
    // The psum chain: one hop per PE beyond the first that adds into an output.
    const auto hops = with([](arch::Accelerator& a) { noc_of(a).psum_hop_cycles = 1; });
    CHECK(hops.overheads.serial_cycles ==
          static_cast<double>(base.events.passes * (base.events.psum_chain - 1)));
    // Each partial sum a PE receives costs its datapath a cycle, averaged over the PEs.
    const auto adds = with([](arch::Accelerator& a) { noc_of(a).psum_accumulate_cycles = 1; });
    CHECK(adds.overheads.serial_cycles ==
          Approx(base.events.psums_received / static_cast<double>(base.pes_used)));
    CHECK(adds.total_cycles >= base.total_cycles);
    const auto setup = with([](arch::Accelerator& a) {
      noc_of(a).layer_setup_cycles = 1000;
      noc_of(a).pass_setup_cycles = 2;
    });
    CHECK(setup.overheads.serial_cycles == static_cast<double>(1000 + 2 * base.events.passes));
    // The busiest bus bounds the layer; buses move what the levels say crossed them.
    const auto bus = with([](arch::Accelerator& a) { noc_of(a).bus_bits = {16, 16, 16}; });
    double busiest = 0;
    for (double b : base.events.bus_bits) busiest = std::max(busiest, b / 16.0);
    busiest = std::max(busiest, base.events.psum_in_bits / 16.0);
    CHECK(bus.overheads.bus_cycles == busiest);
    CHECK(bus.total_cycles >= static_cast<std::int64_t>(busiest));
    CHECK(bus.total_cycles >= base.total_cycles);
  }
  CHECK(checked == 5);
}

TEST_CASE("blocked GLB banks: each operand's stream through one bank bounds the layer") {
  const auto ideal = ideal_eyeriss();
  const auto layer = conv3();
  const auto p = dataflow::resolve_precision(layer, ideal);
  const dataflow::SpatialMapSpace space(layer, ideal, p);
  auto blocked = ideal;
  for (auto& l : blocked.levels)
    if (l.name == "glb") {
      l.ports = 1;
      l.bank_layout = arch::MemoryLevel::BankLayout::blocked;
    }
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int attempt = 0; attempt < 2000 && checked < 5; ++attempt) {
    std::vector<std::uint32_t> g;
    for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
    const auto m = space.decode(g);
    const auto base = dataflow::analyze_nest(layer, ideal, m, p);
    if (!base.valid) continue;
    ++checked;
    const auto b = dataflow::analyze_nest(layer, blocked, m, p);
    // Eyeriss's GLB holds ifmaps and partial sums; filters come straight from DRAM. Partial
    // sums written in and read back share their bank's 64-bit port.
    const auto& e = base.events;
    const double ifmap = e.bus_bits[0] / 64.0;
    const double psum = (e.bus_bits[2] + e.psum_in_bits) / 64.0;
    CHECK(b.overheads.bus_cycles == std::max(ifmap, psum));
    CHECK(b.overheads.serial_cycles == base.overheads.serial_cycles);
    CHECK(b.total_cycles >= base.total_cycles);
    CHECK(b.total_cycles >= static_cast<std::int64_t>(std::max(ifmap, psum)));
    // Interleaved banks are the ideal default: no bound from the banks.
    CHECK(dataflow::blocked_bank_cycles(ideal, e) == 0.0);
  }
  CHECK(checked == 5);
}
