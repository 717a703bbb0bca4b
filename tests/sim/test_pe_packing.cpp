// SPDX-License-Identifier: Apache-2.0
// sim::CppPe with Bit Fusion operand packing (PeConfig::operand_bits), against hand-computed
// dot products of the packed lanes.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "sim/pe_model.hpp"

using namespace loom::sim;

namespace {

std::int64_t mac_once(std::int32_t a, std::int32_t b, int operand_bits) {
  CppPe pe;
  pe.reset(1, {.mode = PeMode::output_stationary, .accumulator_bits = 32,
               .operand_bits = operand_bits});
  const PeIn in{.a = a, .b = b, .mac = true, .last = true};
  PeOut out;
  pe.clock({&in, 1}, {&out, 1});
  return out.hold;
}

}  // namespace

TEST_CASE("8-bit packing multiplies the low bytes as signed and ignores the rest") {
  // 0x12345680: low byte 0x80 = -128; 0xABCDEF7F: low byte 0x7F = 127.
  CHECK(mac_once(0x12345680, static_cast<std::int32_t>(0xABCDEF7Fu), 8) == -128 * 127);
  CHECK(mac_once(-128, -128, 8) == 16384);
}

TEST_CASE("4-bit packing sums four signed 4x4 lane products") {
  // a lanes (lane 0 lowest nibble): 1, -2 (0xE), 7, -8 (0x8) -> 0x87E1; upper half ignored.
  // b lanes: 3, 5, -1 (0xF), -8 (0x8) -> 0x8F53.
  // 1*3 + (-2)*5 + 7*(-1) + (-8)*(-8) = 3 - 10 - 7 + 64 = 50.
  CHECK(mac_once(0x7FFF87E1, 0x00008F53, 4) == 50);
}

TEST_CASE("2-bit packing sums sixteen signed 2x2 lane products") {
  // Every a lane -2 (0b10), every b lane -2: 16 * 4 = 64.
  CHECK(mac_once(static_cast<std::int32_t>(0xAAAAAAAAu), static_cast<std::int32_t>(0xAAAAAAAAu),
                 2) == 64);
  // a lanes all 1 (0b01), b lanes alternate 1 (0b01) and -1 (0b11): 8 * 1 + 8 * (-1) = 0.
  CHECK(mac_once(0x55555555, 0x77777777, 2) == 0);
  // Only lane 15 set: a = -2 << 30 (0b10), b = 1 << 30 (0b01): -2.
  CHECK(mac_once(static_cast<std::int32_t>(0x80000000u), 0x40000000, 2) == -2);
}

TEST_CASE("whole operands (operand_bits 0) keep the unpacked product") {
  CHECK(mac_once(-300, 1000, 0) == -300000);
  CHECK(mac_once(0x10000, 0x10000, 0) == 0);  // 2^32 wraps to 0 in a 32-bit accumulator
}

TEST_CASE("operand_bits other than 0, 8, 4, 2 is rejected") {
  CppPe pe;
  CHECK_THROWS_AS(pe.reset(1, {.operand_bits = 3}), std::invalid_argument);
}
