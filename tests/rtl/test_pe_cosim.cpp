// SPDX-License-Identifier: Apache-2.0
// The Verilated PEs against sim::CppPe, vector by vector: corners then 1,000,000 random vectors
// per mode and precision with zero mismatches, and every altered PE caught.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "rtl/pe_cosim.hpp"
#include "rtl/verilated_pe.hpp"

using namespace loom;
using namespace loom::rtl;
using sim::PeMode;

namespace {

constexpr std::int64_t kVectors = 1'000'000;

void require_clean(const PeCosimOptions& o) {
  const auto r = run_pe_cosim(o);
  INFO((r.first ? describe(*r.first) : std::string("no mismatch")));
  CHECK(r.vectors > o.vectors);  // the corners come first
  CHECK(r.mismatches == 0);
}

void require_caught(const PeCosimOptions& o) {
  const auto r = run_pe_cosim(o);
  CHECK(r.mismatches > 0);
  REQUIRE(r.first.has_value());
  CHECK(r.first->row == 0);
  CHECK(r.first->col == 0);
  CHECK(r.first->cycle >= 0);
  CHECK(r.first->cycle < r.vectors);
  CHECK(r.first->rtl != r.first->model);
  CHECK(!r.first->field.empty());
}

}  // namespace

TEST_CASE("Bit Fusion PE equals CppPe over 1,000,000 random vectors: os, 8/4/2-bit") {
  for (int bits : {8, 4, 2}) {
    INFO(bits << "-bit");
    require_clean({.mode = PeMode::output_stationary, .operand_bits = bits, .vectors = kVectors,
                   .seed = 11});
  }
}

TEST_CASE("Bit Fusion PE equals CppPe over 1,000,000 random vectors: ws/is, 8/4/2-bit") {
  for (int bits : {8, 4, 2}) {
    INFO(bits << "-bit");
    require_clean({.mode = PeMode::stationary_operand, .operand_bits = bits, .vectors = kVectors,
                   .seed = 12});
  }
}

TEST_CASE("16-bit MAC PE equals CppPe over 1,000,000 random vectors, os and ws/is") {
  for (auto mode : {PeMode::output_stationary, PeMode::stationary_operand})
    require_clean({.kind = RtlPe::mac16, .mode = mode, .vectors = kVectors, .seed = 13});
}

TEST_CASE("the carry fault is caught in every mode and precision, with its cycle and PE") {
  for (auto mode : {PeMode::output_stationary, PeMode::stationary_operand})
    for (int bits : {8, 4, 2})
      require_caught({.fault = Fault::carry, .mode = mode, .operand_bits = bits,
                      .vectors = 20000});
}

TEST_CASE("the split fault is caught in 4- and 2-bit modes and is invisible in 8-bit mode") {
  for (auto mode : {PeMode::output_stationary, PeMode::stationary_operand}) {
    for (int bits : {4, 2})
      require_caught({.fault = Fault::split, .mode = mode, .operand_bits = bits,
                      .vectors = 20000});
    // 8-bit mode uses one lane: the swapped lanes carry no operand (bf_fusion_unit.sv).
    const auto r = run_pe_cosim(
        {.fault = Fault::split, .mode = mode, .operand_bits = 8, .vectors = 20000});
    CHECK(r.mismatches == 0);
  }
}

TEST_CASE("corners alone: extreme products wrap the 32-bit accumulator both ways") {
  // 131,088 MACs of (-128)*(-128) = 16384 pass 2^31 and wrap; the RTL must agree throughout.
  const auto r = run_pe_cosim({.mode = PeMode::output_stationary, .operand_bits = 8,
                               .vectors = 0, .seed = 1});
  CHECK(r.vectors > 2 * 131072);
  CHECK(r.mismatches == 0);
}

TEST_CASE("loom sim's RTL PE: an accelerator whose PE has no RTL counterpart is an error") {
  arch::Accelerator acc;
  acc.source = "wide.yaml";
  acc.array.pe.accumulator_bits = 24;
  acc.array.pe.weight_bits = 32;
  try {
    (void)make_verilated_pe(acc);
    FAIL("no error");
  } catch (const Error& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("wide.yaml"));
    CHECK_THAT(what, Catch::Contains("pe.accumulator_bits"));
    CHECK_THAT(what, Catch::Contains("pe.weight_bits"));
  }
  acc.array.pe = {};
  CHECK(make_verilated_pe(acc) != nullptr);
}
