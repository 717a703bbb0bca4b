// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "arch/accelerator.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/spatial_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_mapspace.hpp"
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
  CHECK(a.at(1, Operand::ifmap).reads == 12 * 16);        // each input sent once, multicast over M
  CHECK(a.at(2, Operand::ifmap).writes == 12 * 14 * 16);  // every PE keeps its copy
  CHECK(ev.counts.compute_cycles == 2 * 2 * 3 * 3);
  CHECK(ev.counts.mapping_efficiency_pct == Approx(100.0));
}

namespace {

// The factors of dimension `d` that decoding gives gene `gene` over its whole domain (every
// other gene 0), and those of the values the exact search tries for it at `depth`.
template <typename Read>
std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> factors_of_gene(
    const dataflow::SpatialMapSpace& space, std::size_t gene, std::size_t depth, Read read) {
  std::vector<std::uint32_t> g(space.domains().size(), 0);
  std::set<std::int64_t> decoded;
  for (std::uint32_t v = 0; v < space.domains()[gene]; ++v) {
    g[gene] = v;
    decoded.insert(read(space.decode(g)));
  }
  REQUIRE(space.search_order()[depth] == gene);
  std::vector<std::uint32_t> values;
  g[gene] = 0;
  space.search_candidates(g, depth, values);
  std::vector<std::int64_t> searched;
  for (auto v : values) {
    g[gene] = v;
    searched.push_back(read(space.decode(g)));
  }
  std::sort(searched.begin(), searched.end());  // the fractions' picks first, then the others
  return {{decoded.begin(), decoded.end()}, searched};
}

}  // namespace

TEST_CASE("every candidate factor of a dimension with more than 16 is some gene value's") {
  // Zhang et al.'s FPGA array: 64 rows of filters (nlr). CONV1's 96 filters have 18 candidate
  // factors up to 64; 16 fixed fraction steps never reached 48 (two passes of 48 filters).
  const auto acc = arch::load_accelerator("zhang_fpga15");
  const auto net = workloads::zoo_load("alexnet");
  const auto& conv1 = net.layers.front();
  REQUIRE(conv1.shape.M == 96);
  const dataflow::SpatialMapSpace space1(conv1, acc, dataflow::resolve_precision(conv1, acc));
  std::vector<std::int64_t> rows;
  for (auto f : dataflow::factor_candidates(96))
    if (f <= 64) rows.push_back(f);
  REQUIRE(rows.size() > dataflow::SpatialMapSpace::kFractionSteps);
  constexpr int kM = static_cast<int>(dataflow::Dim::M), kC = static_cast<int>(dataflow::Dim::C);
  // Genes 0, 1: the row slot's dimension (M, the first of C and M) and its factor.
  const auto [decoded, searched] =
      factors_of_gene(space1, 1, 1, [&](const dataflow::Mapping& m) { return m.spatial_rows[kM]; });
  CHECK(decoded == rows);
  CHECK(searched == rows);  // each once

  // Temporal factors: 384 channels have 38 candidates, at the PE's loops (slot 0) and at the
  // buffer (slot 2, level 1), the remainder left for DRAM.
  workloads::Layer conv4;
  conv4.name = "c384";
  conv4.shape = {.N = 1, .M = 16, .C = 384, .H = 3, .W = 3, .P = 1, .Q = 1, .R = 3, .S = 3};
  const dataflow::SpatialMapSpace space4(conv4, acc, dataflow::resolve_precision(conv4, acc));
  const auto all = dataflow::factor_candidates(384);
  REQUIRE(all.size() > dataflow::SpatialMapSpace::kFractionSteps);
  const std::size_t levels = acc.levels.size();
  for (std::size_t slot : {std::size_t{0}, std::size_t{2}}) {
    INFO("slot " << slot);
    const auto c = static_cast<std::size_t>(kC);
    const std::size_t gene = 4 + c * levels + slot, depth = 4 + slot * 7 + c;
    const auto [dec, srch] = factors_of_gene(space4, gene, depth, [&](const dataflow::Mapping& m) {
      return slot == 0 ? m.pe.factors[kC] : m.levels[levels - slot].factors[kC];
    });
    CHECK(dec == all);
    CHECK(srch == all);
  }
}
