// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <random>

#include "common/random_mapping.hpp"
#include "arch/accelerator.hpp"
#include "dataflow/nest_analysis.hpp"
#include "dataflow/systolic_mapping.hpp"
#include "dataflow/systolic_mapspace.hpp"
#include "dataflow/systolic.hpp"
#include "dataflow/systolic_timing.hpp"
#include "workloads/network.hpp"

using namespace loom;

TEST_CASE("factor candidates are every distinct ceil(n/k), ascending") {
  CHECK(dataflow::factor_candidates(1) == std::vector<std::int64_t>{1});
  CHECK(dataflow::factor_candidates(7) == std::vector<std::int64_t>{1, 2, 3, 4, 7});
  CHECK(dataflow::factor_candidates(12) == std::vector<std::int64_t>{1, 2, 3, 4, 6, 12});
  // By brute force for many n.
  for (std::int64_t n = 1; n < 400; ++n) {
    std::vector<std::int64_t> ref;
    for (std::int64_t k = n; k >= 1; --k) {
      const std::int64_t v = (n + k - 1) / k;
      if (ref.empty() || ref.back() != v) ref.push_back(v);
    }
    REQUIRE(dataflow::factor_candidates(n) == ref);
  }
}

TEST_CASE("SCALE-Sim's genes evaluate to the closed-form SCALE-Sim numbers, every dataflow") {
  auto acc = arch::load_scalesim_cfg(LOOM_TEST_DATA "/scalesim/scale_os_alexnet/scale.cfg");
  for (auto df : {arch::Dataflow::os, arch::Dataflow::ws, arch::Dataflow::is}) {
    acc.dataflow = df;
    for (const auto& l : workloads::zoo_load("alexnet").layers) {
      if (!workloads::does_macs(l.op)) continue;
      INFO(l.name << " " << static_cast<int>(df));
      const dataflow::SystolicMapSpace space(l, acc);
      const auto closed = dataflow::analyze_systolic(l, acc);
      const auto ev = dataflow::evaluate_systolic_mapping(l, acc, space.decode(space.scalesim_genes()),
                                                          closed.precision);
      CHECK(ev.counts.total_cycles == closed.total_cycles);
      CHECK(ev.counts.sram_ifmap_reads == closed.sram_ifmap_reads);
      CHECK(ev.counts.sram_filter_reads == closed.sram_filter_reads);
      CHECK(ev.counts.sram_ofmap_writes == closed.sram_ofmap_writes);
    }
  }
}

TEST_CASE("every point of a systolic mapspace is a well-formed mapping") {
  const auto acc = arch::load_accelerator("edge_ws_32x32");
  std::mt19937_64 rng(3);
  for (const auto& l : workloads::zoo_load("resnet50").layers) {
    if (!workloads::does_macs(l.op)) continue;
    const dataflow::SystolicMapSpace space(l, acc);
    for (int i = 0; i < 50; ++i) {
      const auto m = loom_test::random_mapping(space, rng);
      REQUIRE(dataflow::check_mapping_shape(space.gemm(), acc, m).empty());
    }
  }
}

// The search's closed form (nest analysis) against the tile-by-tile count the final evaluation
// books (tile_plan.hpp): equal wherever no loop over-covers a dimension, where the closed form
// refetches tiles that the empty edge iterations would leave on chip (then never below).
TEST_CASE("nest analysis DRAM traffic equals the tile-by-tile count without over-covering loops") {
  auto acc = arch::load_accelerator("edge_ws_32x32");
  std::mt19937_64 rng(9);
  int exact = 0, over = 0;
  for (auto df : {arch::Dataflow::os, arch::Dataflow::ws, arch::Dataflow::is}) {
    acc.dataflow = df;
    for (const auto& l : workloads::zoo_load("resnet18").layers) {
      if (!workloads::does_macs(l.op)) continue;
      const dataflow::SystolicMapSpace space(l, acc);
      const auto p = dataflow::resolve_precision(l, acc);
      for (int i = 0; i < 8; ++i) {
        const auto m = loom_test::random_mapping(space, rng);
        const auto closed =
            dataflow::evaluate_systolic_mapping(l, acc, m, p, dataflow::Fidelity::search);
        const auto tiles =
            dataflow::evaluate_systolic_mapping(l, acc, m, p, dataflow::Fidelity::final);
        if (!closed.valid) continue;
        const auto bounds = dataflow::problem_bounds(space.gemm().shape);
        bool covers_once = true;
        for (int d = 0; d < dataflow::kDims; ++d)
          covers_once = covers_once && dataflow::coverage(m, static_cast<dataflow::Dim>(d)) ==
                                           bounds[static_cast<std::size_t>(d)];
        INFO(l.name << " " << arch::dataflow_info(df).name << " mapping " << i);
        for (auto o : {arch::Operand::filter, arch::Operand::ofmap}) {
          const auto& c = closed.counts.access.at(0, o);
          const auto& t = tiles.counts.access.at(0, o);
          if (covers_once) {
            CHECK(c.reads == t.reads);
            CHECK(c.writes == t.writes);
          } else {
            CHECK(c.reads >= t.reads);
            CHECK(c.writes >= t.writes);
          }
        }
        (covers_once ? exact : over) += 1;
      }
    }
  }
  CHECK(exact > 20);
  CHECK(over > 20);
}
