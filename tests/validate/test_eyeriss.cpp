// SPDX-License-Identifier: Apache-2.0
// Loom against the Eyeriss publications (shared/reference/README.md): the chip's AlexNet
// measurements within the bands of the acceptance criteria, and the ISCA 2016 ordering of
// dataflows. The reference figures are measurements, never inputs of the model.
#include <catch2/catch.hpp>
#include <cmath>

#include "validate/eyeriss.hpp"
#include "validate/eyeriss_reference.hpp"

using namespace loom;

namespace {

const validate::Check& find(const validate::Section& s, const std::string& what) {
  for (const auto& c : s.checks)
    if (c.what == what) return c;
  FAIL("no check named " << what);
  throw;
}

}  // namespace

TEST_CASE("Eyeriss chip, AlexNet CONV1-5 batch 4: latency, active PEs, DRAM and GLB traffic") {
  mapper::MapperOptions options;
  options.budget = validate::kValidationBudget;  // what `loom validate` uses
  const auto s = validate::eyeriss_alexnet(options);
  const auto& ref = validate::kEyerissAlexNet;
  const auto& latency = find(s, "processing latency");
  // The reference transcribed as published (JSSC 2017, AlexNet CONV1-5, batch 4: 103.5 ms with
  // DRAM transfers fully overlapped), so a mistyped reference cannot loosen the check below.
  CHECK(latency.reference == 103.5);
  CHECK(std::abs(latency.loom - ref.processing_latency_ms) <= 0.15 * ref.processing_latency_ms);
  CHECK(std::abs(find(s, "active PEs (time average)").loom - ref.active_pes) <= 8.0);
  CHECK(std::abs(find(s, "DRAM traffic").loom - ref.dram_mb) <= 0.20 * ref.dram_mb);
  CHECK(std::abs(find(s, "global-buffer traffic").loom - ref.glb_mb) <= 0.20 * ref.glb_mb);
  // Power is reported, not gated: Loom's dynamic energy of MACs, RF, NoC and GLB (222 mW, -20%
  // of the measured 278 mW, JSSC 2017) plus leakage and register clock power from published
  // per-unit figures, none fitted to the chip (docs/energy.md). Within 25% (today 306 mW, +10%).
  const double mw = find(s, "chip power").loom;
  CHECK(mw < 1.25 * 278.0);
  CHECK(mw > 0.75 * 278.0);
  for (const auto& c : s.checks) CHECK(c.passed());
}

TEST_CASE(
    "ISCA'16 at 256 PEs and equal storage area: row-stationary is the most energy-efficient") {
  const auto s = validate::isca16_dataflows(mapper::MapperOptions{});
  const double ws = find(s, "WS / RS energy").loom;
  const double os = find(s, "OS / RS energy").loom;
  const double nlr = find(s, "NLR / RS energy").loom;
  // The paper (ISCA 2016, Sec. VI-B) finds RS 1.4x to 2.5x more energy-efficient than each
  // other dataflow. Each ratio must lie in that range widened by 20% (the tolerance of the
  // chip's traffic figures above): 1.4 / 1.2 to 2.5 x 1.2. Today WS 1.19, OS 1.27, NLR 2.63.
  for (const double ratio : {ws, os, nlr}) {
    CHECK(ratio >= 1.4 / 1.2);
    CHECK(ratio <= 2.5 * 1.2);
  }
  // NLR, which reuses nothing in the PEs, is the worst, as in the paper.
  CHECK(nlr > ws);
  CHECK(nlr > os);
}
