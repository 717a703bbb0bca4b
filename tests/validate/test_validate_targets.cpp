// SPDX-License-Identifier: Apache-2.0
// The validation targets against their publications: the Eyeriss chip's AlexNet measurements
// within the bands of the acceptance criteria, the ISCA 2016 ordering of dataflows, TPU v1's
// production MLPs, Zhang et al.'s FPGA design on AlexNet, and the rows' own arithmetic. The
// published figures are measurements, never inputs of the model.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "arch/accelerator.hpp"
#include "dataflow/mapping_io.hpp"
#include "explore/map_network.hpp"
#include "validate/common.hpp"
#include "validate/eyeriss_reference.hpp"
#include "validate/targets.hpp"
#include "workloads/network.hpp"

using namespace loom;

namespace {

const validate::Row& find(const std::vector<validate::Row>& rows, const std::string& figure) {
  for (const auto& r : rows)
    if (r.figure == figure) return r;
  FAIL("no row named " << figure);
  throw;
}

}  // namespace

TEST_CASE("a row's error is against the nearer end of a published range, zero inside it") {
  validate::Row r;
  r.published = 1.4;
  r.published_high = 2.5;
  r.band_pct = 20;
  r.loom = 2.0;
  CHECK(r.error_pct() == 0);
  r.loom = 1.19;
  CHECK(r.error_pct() == Approx(-15.0));
  CHECK(r.within_band());
  r.loom = 3.1;
  CHECK(r.error_pct() == Approx(24.0));
  CHECK_FALSE(r.within_band());
  CHECK(r.fails());
  r.status = validate::Status::known_gap;  // a known gap never gates
  CHECK_FALSE(r.fails());
  CHECK(validate::all_checks_pass({r}));
}

TEST_CASE("the README table holds check and known-gap rows, not info rows") {
  std::vector<validate::Row> rows(3);
  rows[0] = {"t", "a", "ms", 10, 0, 11, 25, validate::Status::check, "paper, Table 1", ""};
  rows[1] = {"t", "b", "ms", 10, 0, 20, 25, validate::Status::known_gap, "paper", "needs X"};
  rows[2] = {"t", "c", "ms", 10, 0, 11, 25, validate::Status::info, "", ""};
  const auto md = validate::format_markdown(rows);
  CHECK_THAT(md, Catch::Contains("| t | a (ms) | 10 | 11 | +10.0% | ±25% in | check | paper, "
                                 "Table 1 |"));
  CHECK_THAT(md, Catch::Contains("| +100.0% | ±25% out | known-gap: needs X | paper |"));
  CHECK_THAT(md, !Catch::Contains("| c (ms)"));
  CHECK_FALSE(validate::all_checks_pass({rows[0], {"t", "d", "x", 1, 0, 2, 25}}));
}

TEST_CASE("Eyeriss chip, AlexNet CONV1-5 batch 4: latency, active PEs, DRAM and GLB traffic") {
  mapper::MapperOptions options;
  options.budget = validate::kValidationBudget;  // what `loom validate` uses
  const auto rows = validate::eyeriss_alexnet_rows(options);
  const auto& ref = validate::kEyerissAlexNet;
  const std::string a = "AlexNet CONV1-5, batch 4: ";
  const auto& latency = find(rows, a + "processing latency");
  // The reference transcribed as published (JSSC 2017, AlexNet CONV1-5, batch 4: 103.5 ms with
  // DRAM transfers fully overlapped), so a mistyped reference cannot loosen the check below.
  CHECK(latency.published == 103.5);
  CHECK(std::abs(latency.loom - ref.processing_latency_ms) <= 0.15 * ref.processing_latency_ms);
  CHECK(std::abs(find(rows, a + "active PEs (time average)").loom - ref.active_pes) <= 8.0);
  CHECK(std::abs(find(rows, a + "DRAM traffic").loom - ref.dram_mb) <= 0.20 * ref.dram_mb);
  CHECK(std::abs(find(rows, a + "global-buffer traffic").loom - ref.glb_mb) <= 0.20 * ref.glb_mb);
  // Power on the total: dynamic energy of MACs, RF, NoC and GLB (222 mW alone, -20% of the
  // measured 278 mW, JSSC 2017) plus leakage and register clock power from published per-unit
  // figures, none fitted to the chip (docs/energy.md). Within 25% (306 mW, +10%).
  const auto& power = find(rows, a + "chip power");
  CHECK(power.status == validate::Status::check);
  CHECK(power.loom < 1.25 * 278.0);
  CHECK(power.loom > 0.75 * 278.0);
  CHECK(validate::all_checks_pass(rows));
}

TEST_CASE(
    "ISCA'16 at 256 PEs and equal storage area: row-stationary is the most energy-efficient") {
  const auto rows = validate::isca16_rows(mapper::MapperOptions{});
  const std::string a = "AlexNet CONV1-5, batch 16: ";
  const double ws = find(rows, a + "WS / RS energy").loom;
  const double os = find(rows, a + "OS / RS energy").loom;
  const double nlr = find(rows, a + "NLR / RS energy").loom;
  // The paper (ISCA 2016, Sec. VI-B) finds RS 1.4x to 2.5x more energy-efficient than each
  // other dataflow. Each ratio must lie in that range widened by 20% (the tolerance of the
  // chip's traffic figures above). Today WS 1.19, OS 1.27, NLR 2.63 (docs/modelling.md says
  // why WS and OS sit below the paper's range).
  for (const double ratio : {ws, os, nlr}) {
    CHECK(ratio >= 1.4 * 0.8);
    CHECK(ratio <= 2.5 * 1.2);
  }
  // NLR, which reuses nothing in the PEs, is the worst, as in the paper.
  CHECK(nlr > ws);
  CHECK(nlr > os);
  CHECK(validate::all_checks_pass(rows));
}

TEST_CASE("TPU v1 production MLPs as a plain loom run: throughput within 25% of Table 3") {
  const auto rows = validate::tpu_v1_rows(mapper::MapperOptions{});
  REQUIRE(rows.size() == 4);
  // Jouppi et al., ISCA 2017, Table 3 (TeraOps/sec), transcribed as published.
  CHECK(find(rows, "MLP0, batch 200: throughput").published == 12.3);
  CHECK(find(rows, "MLP1, batch 168: throughput").published == 9.7);
  for (const auto& r : rows) {
    CAPTURE(r.figure, r.loom);
    if (r.figure.rfind("MLP", 0) == 0) {
      CHECK(r.status == validate::Status::check);
      CHECK(r.within_band());
    } else {
      CHECK(r.status == validate::Status::known_gap);  // the LSTMs: see validate/tpu_v1.cpp
    }
  }
}

TEST_CASE("the TPU v1 app files users run are the networks loom validate builds") {
  for (const std::string name : {"mlp0", "mlp1", "lstm0", "lstm1"}) {
    const auto file = workloads::load_workload(std::string(LOOM_SOURCE_DIR) +
                                               "/configs/workloads/tpu_v1_" + name + ".yaml");
    const auto built = validate::tpu_v1_app(name);
    REQUIRE(file.layers.size() == built.layers.size());
    for (std::size_t i = 0; i < built.layers.size(); ++i) {
      CHECK(file.layers[i].name == built.layers[i].name);
      CHECK(file.layers[i].macs() == built.layers[i].macs());
      CHECK(file.layers[i].shape.C == built.layers[i].shape.C);
      CHECK(file.layers[i].shape.M == built.layers[i].shape.M);
    }
  }
}

TEST_CASE("eyeriss_vgg16.yaml, what users run, carries the densities loom validate uses") {
  const auto file = workloads::load_workload(std::string(LOOM_SOURCE_DIR) +
                                             "/configs/workloads/eyeriss_vgg16.yaml");
  const auto built = validate::eyeriss_vgg16(1);
  for (const auto& b : built.layers) {
    const auto it = std::find_if(file.layers.begin(), file.layers.end(),
                                 [&](const workloads::Layer& l) { return l.name == b.name; });
    REQUIRE(it != file.layers.end());
    CAPTURE(b.name);
    CHECK(it->macs() == b.macs());
    CHECK(it->density.ifmap == Approx(b.density.ifmap).margin(1e-9));
    CHECK(it->density.ofmap == Approx(b.density.ofmap).margin(1e-9));
  }
}

TEST_CASE("Eyeriss VGG-16 batch 3 with the chip's densities: DRAM traffic within 25%") {
  // A plain `loom run`'s search: default budget, seed, strategy and objective (edp).
  const auto options = validate::plain_loom_run({}, arch::load_accelerator("eyeriss")).mapper;
  const auto rows = validate::eyeriss_vgg16_rows(options);
  const auto& dram = find(rows, "VGG-16 conv, batch 3: DRAM traffic");
  CHECK(dram.status == validate::Status::check);
  CHECK(dram.within_band());  // +11.8% (dense zoo VGG-16: +56%)
  // The latency stays a known gap (docs/modelling.md, "Explaining Eyeriss's VGG-16 latency").
  CHECK(find(rows, "VGG-16 conv, batch 3: processing latency").status ==
        validate::Status::known_gap);
}

TEST_CASE(
    "eyeriss_micro under total_energy keeps the chip's PEs busy and its AlexNet bands but GLB") {
  // The chip's array microarchitecture with mappings chosen for total (dynamic + static)
  // energy, as a plain `loom run --arch eyeriss_micro --objective total_energy` does: processing
  // latency +4.3%, active PEs 144.5, DRAM +2.4%, power -5.5% (docs/modelling.md). GLB traffic
  // (-20.8%) is left out: over the full mapspace the chip's GLB figure sits among mappings that
  // are nearly equal under every objective, and which one wins moves it by +-30% (the table in
  // docs/modelling.md), so it is reported as a gap, not checked here.
  auto options = validate::plain_loom_run({}, arch::load_accelerator("eyeriss_micro")).mapper;
  options.objective = mapper::parse_objective("total_energy");
  const auto rows = validate::eyeriss_alexnet_rows(options, "eyeriss_micro");
  int checked = 0;
  for (const auto& r : rows) {
    if (r.status != validate::Status::check) continue;
    if (r.figure.find("global-buffer") != std::string::npos) continue;
    CAPTURE(r.figure, r.loom, r.error_pct());
    CHECK(r.within_band());
    ++checked;
  }
  CHECK(checked == 5);
}

TEST_CASE("Zhang et al. FPGA 2015 on AlexNet as a plain loom run: GFLOPS within 25%") {
  // The preset states the paper's configuration: 64 x 7 float32 MACs (Tm x Tn) with no local
  // reuse, 100 MHz, layer by layer.
  const auto acc = arch::load_accelerator("zhang_fpga15");
  CHECK(acc.array.rows == 64);
  CHECK(acc.array.cols == 7);
  CHECK(acc.clock_hz == 100e6);
  CHECK(acc.dataflow == arch::Dataflow::nlr);
  const auto rows = validate::zhang_fpga15_rows(mapper::MapperOptions{});
  REQUIRE(rows.size() == 1);
  const auto& r = rows[0];
  CHECK(r.published == 61.62);  // as published (abstract), never an input of the model
  CHECK(r.status == validate::Status::check);
  CAPTURE(r.loom);
  CHECK(r.within_band());
}

TEST_CASE("Eyeriss AlexNet with the chip's own mappings: every total within its band") {
  // The model apart from the search: the mappings Eyeriss ran (JSSC 2017 Table III) on the
  // chip's array microarchitecture (eyeriss_micro). Processing latency -2.0%, total +0.4%,
  // occupied PEs 150.0, DRAM +1.8%, GLB +10.8%, power -6.0% (docs/validation.md).
  const auto rows = validate::eyeriss_chip_mapping_rows();
  int checked = 0;
  for (const auto& r : rows) {
    if (r.status != validate::Status::check) continue;
    CAPTURE(r.figure, r.loom, r.error_pct());
    CHECK(r.within_band());
    ++checked;
  }
  CHECK(checked == 6);
  // Each layer occupies the PEs the chip's table gives (CONV2's 5 x 27 set folds onto a 10 x 14
  // rectangle, one column of it empty: 140 against 135).
  for (const auto& [layer, pes] : {std::pair{"conv1", 154.0},
                                   {"conv2", 140.0},
                                   {"conv3", 156.0},
                                   {"conv4", 156.0},
                                   {"conv5", 156.0}})
    CHECK(find(rows, std::string(layer) + " (chip's mapping) active PEs").loom == Approx(pes));
}

TEST_CASE("the chip's mapping files users pass to loom run are the ones loom validate runs") {
  const auto acc = arch::load_accelerator("eyeriss_micro");
  const auto net = validate::conv_layers("alexnet", 4);
  const auto built = validate::eyeriss_alexnet_chip_mappings(acc, net);
  const auto read = explore::read_mappings(
      std::string(LOOM_SOURCE_DIR) + "/configs/mappings/eyeriss_alexnet_chip", acc, net);
  REQUIRE(built.size() == 5);
  REQUIRE(read.size() == built.size());
  for (const auto& [layer, m] : built) {
    CAPTURE(layer);
    REQUIRE(read.count(layer) == 1);
    CHECK(dataflow::format_loop_nest(read.at(layer), acc) == dataflow::format_loop_nest(m, acc));
  }
}
