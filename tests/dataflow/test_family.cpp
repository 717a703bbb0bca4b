// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "dataflow/family.hpp"
#include "dataflow/systolic.hpp"
#include "workloads/network.hpp"

using namespace loom;

TEST_CASE("every dataflow is run by exactly one registered family") {
  std::set<std::string_view> names;
  for (const auto* f : dataflow::families()) names.insert(f->name());
  CHECK(names.size() == dataflow::families().size());
  for (const auto& info : arch::kDataflowInfo) {
    int runners = 0;
    for (const auto* f : dataflow::families()) runners += f->runs(info.dataflow) ? 1 : 0;
    INFO(info.name);
    CHECK(runners == 1);
  }
}

TEST_CASE("systolic dataflows map in the GEMM view, spatial ones in the conv view") {
  for (const auto d : {arch::Dataflow::os, arch::Dataflow::ws, arch::Dataflow::is})
    CHECK(dataflow::family_of(d).mapping_view() == "gemm");
  for (const auto d : {arch::Dataflow::rs, arch::Dataflow::spatial_ws, arch::Dataflow::spatial_os,
                       arch::Dataflow::nlr, arch::Dataflow::spatial})
    CHECK(dataflow::family_of(d).mapping_view() == "conv");
}

TEST_CASE("a family without a closed form refuses --no-search, naming the option") {
  const auto acc = arch::load_accelerator("eyeriss");
  const auto& f = dataflow::family_of(acc);
  CHECK_FALSE(f.has_closed_form());
  CHECK(f.mapping_source(acc, true) == dataflow::MappingSource::search);
  try {
    (void)f.mapping_source(acc, false);
    FAIL("expected loom::Error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("--no-search"));
  }
}

TEST_CASE("compat: scalesim pins a systolic layer to SCALE-Sim's mapping") {
  auto acc = arch::load_accelerator("edge_ws_32x32");
  const auto& f = dataflow::family_of(acc);
  CHECK(f.mapping_source(acc, true) == dataflow::MappingSource::search);
  CHECK(f.mapping_source(acc, false) == dataflow::MappingSource::closed_form);
  const auto layer = workloads::zoo_load("alexnet").layers.front();
  const auto p = dataflow::resolve_precision(layer, acc);
  CHECK_FALSE(f.mapspace(layer, acc, p)->pinned().has_value());
  acc.compat = arch::Compat::scalesim;
  CHECK(f.mapping_source(acc, true) == dataflow::MappingSource::closed_form);
  const auto space = f.mapspace(layer, acc, dataflow::resolve_precision(layer, acc));
  REQUIRE(space->pinned().has_value());
  // SCALE-Sim's mapping keeps the whole time dimension in one fold: on a 32x32 weight-
  // stationary array, AlexNet conv1 (K = 11*11*3 = 363, M = 96, 55*55 = 3025 output pixels)
  // runs ceil(363/32) * ceil(96/32) = 12 * 3 = 36 folds.
  const auto ev = space->evaluate(*space->pinned());
  REQUIRE(ev.valid);
  CHECK(ev.counts.folds == 36);
}

TEST_CASE("a mapspace scores a point as its family scores the decoded mapping") {
  for (const char* preset : {"edge_ws_32x32", "eyeriss"}) {
    const auto acc = arch::load_accelerator(preset);
    const auto& f = dataflow::family_of(acc);
    // A small pointwise convolution: random points of bigger nests rarely fit Eyeriss's buffers.
    workloads::Layer layer;
    layer.name = "conv";
    layer.shape = {.N = 1, .M = 64, .C = 64, .P = 7, .Q = 7, .R = 1, .S = 1};
    layer.shape.H = layer.shape.W = 7;
    const auto p = dataflow::resolve_precision(layer, acc);
    const auto space = f.mapspace(layer, acc, p);
    std::vector<std::uint32_t> genes(space->domains().size());
    std::mt19937_64 rng(7);
    int valid = 0;
    for (std::uint32_t k = 0; k < 20000 && valid < 20; ++k) {
      for (std::size_t g = 0; g < genes.size(); ++g)
        genes[g] = (k * 2654435761u + static_cast<std::uint32_t>(g) * 40503u) % space->domains()[g];
      const auto a = space->evaluate(genes);
      const auto b = f.evaluate(layer, acc, space->decode(genes), p, dataflow::Fidelity::search);
      REQUIRE(a.valid == b.valid);
      if (!a.valid) continue;
      ++valid;
      CHECK(a.counts.total_cycles == b.counts.total_cycles);
      CHECK(a.counts.access.bytes(0) == b.counts.access.bytes(0));
    }
    INFO(preset);
    CHECK(valid == 20);  // random points of a spatial nest are mostly illegal: keep drawing
  }
}
