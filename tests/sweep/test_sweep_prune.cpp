// SPDX-License-Identifier: Apache-2.0
// Channel pruning as a sweep axis: pruned points are evaluated on the pruned network (MACs
// checked against a hand count and against workloads::prune_channels called directly), and
// pruning problems are refused up front with file, key and line.
#include <catch2/catch.hpp>

#include "common/error_of.hpp"
#include "common/scratch_dir.hpp"
#include "sweep/algorithm.hpp"
#include "sweep/evaluate_point.hpp"
#include "sweep/spec.hpp"
#include "sweep_fixtures.hpp"
#include "workloads/network.hpp"
#include "workloads/transforms.hpp"

using namespace loom;
using sweep_test::write_sweep;

namespace {

std::int64_t run_macs(const std::vector<explore::RunResult>& runs) {
  std::int64_t n = 0;
  for (const auto& r : runs) n += r.totals.macs;  // counted by the dataflow model per layer
  return n;
}

}  // namespace

TEST_CASE("a pruned point runs the pruned network: fewer MACs and less energy, all else equal") {
  ScratchDir dir;
  const auto file = write_sweep(dir.path(), R"(
axes:
  - {name: df, set: [dataflow], values: [ws, os]}
  - name: prune
    prune:
      - {name: none}
      - name: c1_25
        rules: [{layers: [c1], ratio: 0.25}]
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {budget: 200}
)");
  const auto spec = sweep::load_sweep(file.string());
  REQUIRE(spec.point_count() == 4);
  CHECK(spec.axes[1].label(1) == "c1_25");
  const sweep::PointEvaluator eval(spec);
  // Hand count (tests/sweep/sweep_fixtures.hpp's tiny net): c1 = 32·32 outputs × 16 × 3·3·3 =
  // 442,368; c2 (stride 2) = 16·16 × 32 × 16·3·3 = 1,179,648; fc = 8192 × 10 = 81,920.
  // c1 keeps round(16 · 0.75) = 12 channels, so c1 and c2 (C = 12) shrink to 3/4 each.
  const std::int64_t full = 442'368 + 1'179'648 + 81'920;
  const std::int64_t pruned = 442'368 * 3 / 4 + 1'179'648 * 3 / 4 + 81'920;
  for (std::size_t df = 0; df < 2; ++df) {
    const auto a = spec.encode({df, 0});
    const auto b = spec.encode({df, 1});
    CHECK(run_macs(eval.detail(a)) == full);
    CHECK(run_macs(eval.detail(b)) == pruned);
    const auto pa = eval.evaluate(a);
    const auto pb = eval.evaluate(b);
    REQUIRE(pa.feasible);
    REQUIRE(pb.feasible);
    CHECK(pb.energy_pj < pa.energy_pj);
    CHECK(pb.area_mm2 == pa.area_mm2);  // the hardware is the same
  }
}

TEST_CASE("a 30% ThiNet-pruned ResNet-18 point has the MACs of the directly pruned network") {
  ScratchDir dir;
  sweep_test::write_text(dir / "s.yaml", std::string(R"(name: r18
workloads: [resnet18]
accelerator:)") + sweep_test::kSystolicBase + R"(
axes:
  - name: pruning
    prune:
      - {name: "0"}
      - name: "30"
        rules: [{layers: ["layer*.conv1"], ratio: 0.3}]
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {search: false}
)");
  const auto spec = sweep::load_sweep((dir / "s.yaml").string());
  const sweep::PointEvaluator eval(spec);
  // Independently: the zoo network pruned by the workload transform itself.
  const auto net = workloads::zoo_load("resnet18").with_batch(1);
  workloads::PruneRule rule;
  rule.layers = {"layer*.conv1"};
  rule.ratio = 0.3;
  const auto direct = workloads::prune_channels(net, {rule});
  CHECK(run_macs(eval.detail(0)) == net.macs());
  CHECK(run_macs(eval.detail(1)) == direct.macs());
  CHECK(direct.macs() < net.macs());
  // The pruned layers' shapes reach the hardware: layer2.0.conv1 keeps round(0.7·128) = 90.
  const auto runs = eval.detail(1);
  const auto& evaluated = runs.front().network;
  for (const auto& l : evaluated.layers) {
    if (l.name == "layer2.0.conv1") CHECK(l.shape.M == 90);
    if (l.name == "layer2.0.conv2") CHECK(l.shape.C == 90);
    if (l.name == "layer2.0.downsample.conv") CHECK(l.shape.M == 128);
  }
  const auto p0 = eval.evaluate(0);
  const auto p1 = eval.evaluate(1);
  CHECK(p1.energy_pj < p0.energy_pj);
  CHECK(p1.latency_s < p0.latency_s);
}

TEST_CASE("pruning problems are refused up front with file, key and line") {
  ScratchDir dir;
  // tiny has no residual add: a two-branch net with one to make the inconsistency possible.
  sweep_test::write_text(dir / "res.yaml", R"(name: res
layers:
  - {name: stem, op: conv, C: 3, M: 16, H: 16, R: 3, padding: 1}
  - {name: body, op: conv, C: 16, M: 16, H: 16, R: 3, padding: 1}
  - {name: add, op: add, inputs: [body, stem], C: 16, H: 16}
)");
  const auto file = write_sweep(dir.path(), R"(
axes:
  - name: prune
    prune:
      - name: bad
        rules:
          - {layers: [nosuch*], ratio: 0.3}
          - {layers: [c1], ratio: 1.0}
          - {layers: [c2], ratio: -0.1}
      - name: residual
        rules:
          - {layers: [body], ratio: 0.5}
objectives: [energy]
strategy: {kind: grid}
)");
  // Put the residual net beside the tiny one.
  std::string text = slurp(file);
  text.replace(text.find("[tiny.yaml]"), 11, "[tiny.yaml, res.yaml]");
  sweep_test::write_text(file, text);
  const std::string e = error_of([&] { (void)sweep::load_sweep(file.string()); });
  const std::string f = file.string();
  CHECK_THAT(e, Catch::Contains(f + ":20 axes[0].prune[0].rules[1].ratio: expected the fraction "
                                    "of output channels removed, in [0, 1), got 1"));
  CHECK_THAT(e, Catch::Contains(f + ":21 axes[0].prune[0].rules[2].ratio: expected the fraction "
                                    "of output channels removed, in [0, 1), got -0.1"));
  // Syntax errors stop the file before the workloads are pruned; fix them and look again.
  text.replace(text.find("ratio: 1.0"), 10, "ratio: 0.5");
  text.replace(text.find("ratio: -0.1"), 11, "ratio: 0.1");
  sweep_test::write_text(file, text);
  const std::string e2 = error_of([&] { (void)sweep::load_sweep(file.string()); });
  CHECK_THAT(e2, Catch::Contains(f + ":19 axes[0].prune[0].rules[0].layers: 'nosuch*' matches no "
                                     "layer of any workload (tiny, res)"));
  CHECK_THAT(e2, Catch::Contains(f + ":24 axes[0].prune[1].rules[0]: workload res: after "
                                     "pruning, the operands of 'add' disagree"));
  // The residual variant only fails on res: tiny has no layer `body`, so the rule skips it.
  CHECK_THAT(e2, !Catch::Contains("workload tiny"));
}

TEST_CASE("the sensitivity proxy does not cover pruning, and table rows key on the prune variant") {
  ScratchDir dir;
  const std::string axes = R"(
axes:
  - name: prune
    prune:
      - {name: none}
      - name: p50
        rules: [{layers: [c1], ratio: 0.5}]
objectives: [energy, accuracy]
strategy: {kind: grid}
mapper: {budget: 100}
)";
  const auto proxy = write_sweep(dir.path(), axes + R"(accuracy:
  source: test
  baseline: {tiny: 70}
  sensitivity: {tiny: {c1: {4: 1.0}}}
)",
                                 "proxy.yaml");
  CHECK_THAT(error_of([&] { (void)sweep::load_sweep(proxy.string()); }),
             Catch::Contains("axis 'prune' prunes channels, which the sensitivity proxy does "
                             "not cover"));
  const auto table = write_sweep(dir.path(), axes + R"(accuracy:
  source: test
  baseline: {tiny: 70}
  table:
    - {workload: tiny, prune: none, top1_pct: 70}
    - {workload: tiny, prune: p50, top1_pct: 68.5}
)",
                                 "table.yaml");
  const auto spec = sweep::load_sweep(table.string());
  const sweep::PointEvaluator eval(spec);
  CHECK(eval.evaluate(0).accuracy_pct == Approx(70.0));
  CHECK(eval.evaluate(1).accuracy_pct == Approx(68.5));
  CHECK(eval.evaluate(1).accuracy_drop_pp == Approx(1.5));
}

TEST_CASE("the shipped edge_codesign sweep's Pareto points cost what the README's table says") {
  // README, "Co-design sweeps": energy (mJ), latency (ms) and area (mm2) of the four Pareto
  // points (and 171), each for one ResNet-18 plus one MobileNetV2 inference, at the README's 3
  // digits.
  const auto spec =
      sweep::load_sweep(std::string(LOOM_SOURCE_DIR) + "/configs/sweeps/edge_codesign.yaml");
  const sweep::PointEvaluator eval(spec);
  struct Row {
    std::uint64_t point;
    double energy_mj, latency_ms, area_mm2;
  };
  // Under the graph schedule (the default); 171, on the front layerwise, is not.
  for (const Row& row : std::vector<Row>{{119, 5.68, 2.43, 6.83},
                                         {159, 3.64, 3.25, 6.45},
                                         {163, 2.91, 3.41, 6.45},
                                         {171, 3.56, 3.59, 7.66},
                                         {175, 2.31, 3.77, 7.66}}) {
    INFO("point " << row.point);
    const auto p = eval.evaluate(row.point);
    REQUIRE(p.feasible);
    CHECK(p.energy_pj * 1e-9 == Approx(row.energy_mj).margin(0.005));
    CHECK(p.latency_s * 1e3 == Approx(row.latency_ms).margin(0.005));
    CHECK(p.area_mm2 == Approx(row.area_mm2).margin(0.005));
  }
}
