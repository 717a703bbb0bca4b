// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "common/error_of.hpp"
#include "common/scratch_dir.hpp"
#include "sweep/accuracy.hpp"
#include "sweep/algorithm.hpp"
#include "sweep/space.hpp"
#include "sweep/spec.hpp"
#include "sweep_fixtures.hpp"

using namespace loom;
using sweep_test::write_sweep;

TEST_CASE("a sweep file's problems are all reported at once, with file, key and line") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
axes:
  - {name: rows, set: [pe_array.rows], pow2: {from: 64, to: 8}}
  - {name: clock, set: [clock_mhz], range: {from: 100, to: 500, step: 0}}
  - {name: glb, set: [levels.glb.size_kib], pow2: {from: 48, to: 64}}
objectives: [energy, power]
strategy: {kind: grid, seeed: 3}
)");
  const std::string e = error_of([&] { (void)sweep::load_sweep(file.string()); });
  const std::string f = file.string();
  CHECK_THAT(e, Catch::Contains(f + ":15 axes[0].pow2.to: expected to >= from (64), got 8"));
  CHECK_THAT(e, Catch::Contains(f + ":16 axes[1].range.step: expected a number > 0, got 0"));
  CHECK_THAT(e, Catch::Contains(f + ":17 axes[2].pow2.from: expected a power of two, got 48"));
  CHECK_THAT(e, Catch::Contains(f + ":18 objectives: unknown objective 'power'"));
  CHECK_THAT(e, Catch::Contains(f + ":19 strategy.seeed: unknown key"));
}

TEST_CASE("every axis value is tried on the base accelerator before any point runs") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
axes:
  - {name: rows, set: [pe_array.rows], values: [8, -4]}
  - {name: buf, set: [levels.sram.size_kib], values: [64]}
  - {name: df, set: [dataflow], values: [ws, rs]}
objectives: [energy]
strategy: {kind: grid}
)");
  const std::string e = error_of([&] { (void)sweep::load_sweep(file.string()); });
  CHECK_THAT(e, Catch::Contains(":15 axes[0]: value '-4' on"));
  CHECK_THAT(e, Catch::Contains("pe_array.rows: expected an integer > 0"));
  CHECK_THAT(e, Catch::Contains(":16 axes[1]: value '64' on"));
  CHECK_THAT(e, Catch::Contains("no level named 'sram' (levels: dram, glb)"));
  // A row-stationary array needs per-PE scratchpads: the systolic base cannot take rs.
  CHECK_THAT(e, Catch::Contains(":17 axes[2]: value 'rs' on"));
  CHECK_THAT(e, Catch::Contains("needs a per-PE level"));
}

TEST_CASE("pow2 and range axes enumerate their values; point ids are mixed-radix indices") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
axes:
  - {name: array, set: [pe_array.rows, pe_array.cols], pow2: {from: 8, to: 64}}
  - {name: clock, set: [clock_mhz], range: {from: 250, to: 1000, step: 250}}
  - {name: df, set: [dataflow], values: [ws, os, is]}
objectives: [energy, latency]
strategy: {kind: grid}
)");
  const auto spec = sweep::load_sweep(file.string());
  REQUIRE(spec.axes.size() == 3);
  CHECK(spec.axes[0].values == std::vector<std::string>{"8", "16", "32", "64"});
  CHECK(spec.axes[1].values == std::vector<std::string>{"250", "500", "750", "1000"});
  CHECK(spec.axes[0].numeric);
  CHECK_FALSE(spec.axes[2].numeric);
  CHECK(spec.point_count() == 48);
  // Last axis fastest: (array 16, clock 750, os) = 1*12 + 2*3 + 1 = 19.
  CHECK(spec.encode({1, 2, 1}) == 19);
  CHECK(spec.decode(19) == std::vector<std::size_t>{1, 2, 1});
  const auto acc = sweep::point_accelerator(spec, spec.decode(19));
  CHECK(acc.array.rows == 16);
  CHECK(acc.array.cols == 16);
  CHECK(acc.clock_hz == 750e6);
  CHECK(acc.dataflow == arch::Dataflow::os);
}

TEST_CASE("a dataflow axis takes its base from dataflow_bases") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
dataflow_bases: {rs: eyeriss}
axes:
  - {name: df, set: [dataflow], values: [ws, rs]}
  - {name: glb, set: [levels.glb.size_kib], values: [64, 100]}
objectives: [energy]
strategy: {kind: grid}
)");
  const auto spec = sweep::load_sweep(file.string());
  const auto ws = sweep::point_accelerator(spec, {0, 1});
  const auto rs = sweep::point_accelerator(spec, {1, 0});
  CHECK(ws.name == "base");
  CHECK(rs.name == "eyeriss");
  CHECK(rs.dataflow == arch::Dataflow::rs);
  CHECK(rs.levels[1].size_bytes == 64 * 1024);
  CHECK(ws.levels[1].size_bytes == 100 * 1024);
}

TEST_CASE("precision and density variants rewrite the named layers only") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
axes:
  - name: bits
    precision:
      - {name: int8, weight_bits: 8, activation_bits: 8}
      - name: mixed
        weight_bits: 4
        activation_bits: 4
        layers: {first: {weight_bits: 8, activation_bits: 8}, fc: {weight_bits: 2}}
  - name: sparsity
    density:
      - {name: dense}
      - {name: pruned, weight: 0.5, layers: {c2: {ifmap: 0.25}}}
objectives: [energy]
strategy: {kind: grid}
)");
  const auto spec = sweep::load_sweep(file.string());
  const auto net = sweep::apply_algorithms(spec.networks[0], spec, {1, 1});
  CHECK(net.layers[0].precision.weight_bits == 8);
  CHECK(net.layers[1].precision.weight_bits == 4);
  CHECK(net.layers[1].precision.activation_bits == 4);
  CHECK(net.layers[2].precision.weight_bits == 2);
  CHECK(net.layers[2].precision.activation_bits == 4);
  CHECK(net.layers[0].density.weight == 0.5);
  CHECK(net.layers[0].density.ifmap == 1.0);
  CHECK(net.layers[1].density.ifmap == 0.25);
  const auto dense = sweep::apply_algorithms(spec.networks[0], spec, {0, 0});
  CHECK(dense.layers[1].density == workloads::Density{});
}

TEST_CASE("accuracy comes only from the user: objectives needing it are refused without it") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
axes:
  - name: bits
    precision:
      - {name: int8, weight_bits: 8}
      - {name: w4, weight_bits: 4}
objectives: [energy, accuracy]
strategy: {kind: grid}
accuracy:
  source: "test table"
  baseline: {tiny: 70}
  table:
    - {workload: tiny, bits: int8, top1_pct: 70}
)");
  const std::string e = error_of([&] { (void)sweep::load_sweep(file.string()); });
  CHECK_THAT(e, Catch::Contains("no accuracy for workload 'tiny' with bits=w4"));
}

TEST_CASE("the sensitivity proxy subtracts the drops of the layers whose weights change bits") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
axes:
  - name: bits
    precision:
      - {name: int8, weight_bits: 8}
      - {name: w4, weight_bits: 4, layers: {first: {weight_bits: 8}}}
      - {name: w2, weight_bits: 2}
objectives: [energy, accuracy]
constraints: {accuracy_drop_max: 1.0}
strategy: {kind: grid}
accuracy:
  source: "made-up sensitivities for the test"
  baseline: {tiny: 70.0}
  table:
    - {workload: tiny, bits: w2, top1_pct: 41.5}
  sensitivity:
    tiny: {c1: {4: 1.5}, c2: {4: 0.25}, fc: {4: 0.5}}
)");
  const auto spec = sweep::load_sweep(file.string());
  const auto at = [&](std::size_t v) {
    const auto net = sweep::apply_algorithms(spec.networks[0], spec, {v});
    return sweep::point_accuracy(spec, 0, net, {v});
  };
  CHECK(at(0) == 70.0);               // all at baseline bits
  CHECK(at(1) == 70.0 - 0.25 - 0.5);  // c1 kept at 8 bits by `first`
  CHECK(at(2) == 41.5);               // measured row wins
}

TEST_CASE(
    "per_layer_bits becomes one precision axis per MAC layer, checked against sensitivities") {
  ScratchDir dir;
  const std::string body = R"(
axes:
  - {name: df, set: [dataflow], values: [ws, os]}
  - {name: bits, per_layer_bits: {layers: all, bits: [4, 8]}}
objectives: [energy, accuracy]
strategy: {kind: nsga2, population: 8, generations: 2}
accuracy:
  source: "made-up sensitivities for the test"
  baseline: {tiny: 70.0}
  sensitivity:
    tiny: {c1: {4: 1.5}, c2: {4: 0.25}SENS}
)";
  const auto with = [&](const std::string& extra) {
    std::string b = body;
    b.replace(b.find("SENS"), 4, extra);
    return sweep_test::write_sweep(dir.path(), b);
  };
  CHECK_THAT(error_of([&] { (void)sweep::load_sweep(with("").string()); }),
             Catch::Contains("no sensitivity for workload 'tiny' layer 'fc' at 4 bits"));
  const auto spec = sweep::load_sweep(with(", fc: {4: 0.5}").string());
  REQUIRE(spec.axes.size() == 4);
  CHECK(spec.axes[1].name == "bits.c1");
  CHECK(spec.axes[3].name == "bits.fc");
  CHECK(spec.point_count() == 2 * 8);
  // c1 at 4 bits, c2 at 8, fc at 4: 70 - 1.5 - 0.5.
  const std::vector<std::size_t> choice{0, 0, 1, 0};
  const auto net = sweep::apply_algorithms(spec.networks[0], spec, choice);
  CHECK(net.layers[0].precision.weight_bits == 4);
  CHECK(net.layers[0].precision.activation_bits == 4);
  CHECK(net.layers[1].precision.weight_bits == 8);
  CHECK(sweep::point_accuracy(spec, 0, net, choice) == 68.0);
}

TEST_CASE("the shipped example sweeps load") {
  const auto ex =
      sweep::load_sweep(std::string(LOOM_SOURCE_DIR) + "/configs/sweeps/edge_codesign.yaml");
  CHECK(ex.point_count() == 4 * 4 * 3 * 2 * 2);  // arrays, buffers, dataflows, bits, pruning
  CHECK(ex.networks.size() == 2);
  // rs points take the row-stationary base; ws and os the systolic one.
  CHECK(sweep::point_accelerator(ex, {0, 0, 2, 0, 0}).name == "edge_rs");
  CHECK(sweep::point_accelerator(ex, {0, 0, 1, 0, 0}).name == "edge_systolic");
  // The pruning variant touches both networks: ResNet-18 loses 30% of layer1.0.conv1's 64
  // filters (round(44.8) = 45), MobileNetV2 30% of features.2.conv.0.0's 96 (round(67.2) = 67).
  REQUIRE(ex.axes[4].kind == sweep::AxisKind::prune);
  std::vector<std::pair<std::int64_t, std::int64_t>> macs;  // per network: before, after
  for (const auto& net : ex.networks) {
    const auto pruned = sweep::apply_prune(net, ex.axes[4].prune[1]);
    for (const auto& l : pruned.layers) {
      if (l.name == "layer1.0.conv1") CHECK(l.shape.M == 45);
      if (l.name == "features.2.conv.0.0") CHECK(l.shape.M == 67);
      if (l.name == "features.2.conv.1.0") CHECK(l.shape.groups == 67);
    }
    macs.emplace_back(net.macs(), pruned.macs());
  }
  // README, "Co-design sweeps": ResNet-18 1.814 -> 1.313 G MACs, MobileNetV2 300.8 -> 223.1 M,
  // 27.4% of the two networks' MACs removed.
  REQUIRE(macs.size() == 2);
  CHECK(macs[0].first == 1814073344);
  CHECK(macs[0].second == 1313266688);
  CHECK(macs[1].first == 300774272);
  CHECK(macs[1].second == 223145483);
  const double removed = 1.0 - static_cast<double>(macs[0].second + macs[1].second) /
                                   static_cast<double>(macs[0].first + macs[1].first);
  CHECK(removed == Approx(0.274).margin(0.0005));  // 27.35%
  const auto bench =
      sweep::load_sweep(std::string(LOOM_SOURCE_DIR) + "/bench/sweep_resnet50_1000.yaml");
  CHECK(bench.point_count() == 1000);
}

TEST_CASE("mapper search: false is refused up front when a point would be a spatial array") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
dataflow_bases: {rs: eyeriss}
axes:
  - {name: df, set: [dataflow], values: [ws, rs]}
objectives: [energy]
strategy: {kind: grid}
mapper: {search: false}
)");
  CHECK_THAT(
      error_of([&] { (void)sweep::load_sweep(file.string()); }),
      Catch::Contains(
          "mapper: search: false covers the dataflows with a closed form (os, ws, is) only"));
}
