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
  CHECK(latency.reference == ref.processing_latency_ms);
  CHECK(std::abs(latency.loom - ref.processing_latency_ms) <= 0.15 * ref.processing_latency_ms);
  CHECK(std::abs(find(s, "active PEs (time average)").loom - ref.active_pes) <= 8.0);
  CHECK(std::abs(find(s, "DRAM traffic").loom - ref.dram_mb) <= 0.20 * ref.dram_mb);
  CHECK(std::abs(find(s, "global-buffer traffic").loom - ref.glb_mb) <= 0.20 * ref.glb_mb);
  // Power is reported, not gated: Loom prices dynamic energy only. It must still be a
  // plausible share of the measured 278 mW (clock tree, control and leakage make up the rest).
  const double mw = find(s, "chip power").loom;
  CHECK(mw > 0.4 * ref.power_mw);
  CHECK(mw < 1.2 * ref.power_mw);
  for (const auto& c : s.checks) CHECK(c.passed());
}

TEST_CASE("ISCA'16 at 256 PEs and equal storage area: row-stationary is the most energy-efficient") {
  const auto s = validate::isca16_dataflows(mapper::MapperOptions{});
  const double ws = find(s, "WS / RS energy").loom;
  const double os = find(s, "OS / RS energy").loom;
  const double nlr = find(s, "NLR / RS energy").loom;
  CHECK(ws > 1.0);
  CHECK(os > 1.0);
  CHECK(nlr > 1.0);
  // NLR, which reuses nothing in the PEs, is the worst, as in the paper.
  CHECK(nlr > ws);
  CHECK(nlr > os);
  CHECK(nlr < 1.2 * validate::kIsca16RsAdvantageHigh);
}
