// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "arch/accelerator.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

// A 45 nm Eyeriss-like spatial array (reference README): 12x14 PEs with their own scratchpads,
// a 128 KiB global buffer, LPDDR-class DRAM.
const char* kSpatial = R"(name: spatial_12x14
clock_mhz: 200
dataflow: spatial
pe_array: {rows: 12, cols: 14}
pe: {weight_bits: 16, activation_bits: 16, accumulator_bits: 32}
levels:
  - {name: dram, kind: dram, bandwidth_gb_per_s: 1.6}
  - {name: glb, kind: sram, holds: [ifmap, ofmap], size_kib: 108, word_bits: 64}
  - {name: rf, kind: sram, size_kib: 0.5, word_bits: 16, per_pe: true}
)";

}  // namespace

TEST_CASE("order indices enumerate each of the 5040 loop orders once") {
  std::set<std::array<dataflow::Dim, 7>> seen;
  for (std::uint32_t i = 0; i < 5040; ++i) seen.insert(dataflow::order_from_index(i));
  CHECK(seen.size() == 5040);
  CHECK(dataflow::order_from_index(0) == dataflow::kCanonicalOrder);
}

TEST_CASE("every point of the spatial mapspace covers the layer and fits the array") {
  const auto acc = arch::parse_accelerator_yaml(kSpatial, "s.yaml");
  std::mt19937_64 rng(9);
  int well_formed = 0, total = 0;
  for (const auto& l : workloads::zoo_load("alexnet").layers) {
    if (!workloads::does_macs(l.op)) continue;
    const dataflow::SpatialMapSpace space(l, acc, dataflow::resolve_precision(l, acc));
    for (int i = 0; i < 200; ++i) {
      std::vector<std::uint32_t> g;
      for (auto d : space.domains()) g.push_back(static_cast<std::uint32_t>(rng() % d));
      const auto m = space.decode(g);
      const auto why = dataflow::check_mapping_shape(l, acc, m);
      for (int d = 0; d < 7; ++d)
        REQUIRE(dataflow::coverage(m, static_cast<dataflow::Dim>(d)) >=
                dataflow::problem_bounds(l.shape)[d]);
      CHECK((why.empty() || why == "loops cover a dimension less than twice"));
      well_formed += why.empty() ? 1 : 0;
      ++total;
    }
  }
  CHECK(well_formed > total / 2);
}

TEST_CASE("a spatial mapping with channels across rows reduces partial sums in the array") {
  const auto acc = arch::parse_accelerator_yaml(kSpatial, "s.yaml");
  workloads::Layer l;
  l.name = "c";
  l.shape = {.N = 1, .M = 14, .C = 12, .H = 4, .W = 4, .P = 2, .Q = 2, .R = 3, .S = 3};
  dataflow::Mapping m;
  m.levels.resize(3);
  m.spatial_rows[static_cast<int>(dataflow::Dim::C)] = 12;
  m.spatial_cols[static_cast<int>(dataflow::Dim::M)] = 14;
  m.pe.factors[static_cast<int>(dataflow::Dim::P)] = 2;
  m.pe.factors[static_cast<int>(dataflow::Dim::Q)] = 2;
  m.pe.factors[static_cast<int>(dataflow::Dim::R)] = 3;
  m.pe.factors[static_cast<int>(dataflow::Dim::S)] = 3;
  const auto p = dataflow::resolve_precision(l, acc);
  const auto ev = dataflow::evaluate_spatial_mapping(l, acc, m, p);
  REQUIRE(ev.valid);
  const auto& a = ev.counts.access;
  using arch::Operand;
  // Every PE holds its 3x3 filter (read once from DRAM into the PEs, bypassing the GLB) and
  // its channel's 4x4 input window; the 12 channels' partial sums meet in the array, so the GLB
  // receives each of the 14·2·2 outputs once, and DRAM once more.
  CHECK(a.at(2, Operand::filter).writes == 12 * 14 * 9);
  CHECK(a.at(0, Operand::filter).reads == 12 * 14 * 9);
  CHECK(a.at(1, Operand::ofmap).writes == 14 * 4);
  CHECK(a.at(0, Operand::ofmap).writes == 14 * 4);
  CHECK(a.at(1, Operand::ifmap).reads == 12 * 16);  // each input sent once, multicast over M
  CHECK(a.at(2, Operand::ifmap).writes == 12 * 14 * 16);  // every PE keeps its copy
  CHECK(ev.counts.compute_cycles == 2 * 2 * 3 * 3);
  CHECK(ev.counts.mapping_efficiency_pct == Approx(100.0));
}
