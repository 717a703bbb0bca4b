// SPDX-License-Identifier: Apache-2.0
#pragma once
// The processing element as the array sees it: ports sampled during a cycle, registers updated
// at the clock edge. A PeModel clocks every PE of an array at once (one virtual call per cycle,
// not per PE), so the C++ model here and the Verilated RTL (issue 6) plug into the same array.
// Arithmetic is two's complement: products of signed operands, accumulation wrapping at
// `accumulator_bits`, as a hardware adder of that width does.
#include <cstdint>
#include <span>
#include <vector>

namespace loom::sim {

// What drives one PE during one cycle. Systolic wiring: `a` comes from the left neighbour (or
// the array edge), `b` and `psum` from the neighbour above.
struct PeIn {
  std::int32_t a = 0;     // streamed operand from the left
  std::int32_t b = 0;     // os: second streamed operand; ws/is: stationary value being shifted in
  std::int64_t psum = 0;  // ws/is: partial sum from above
  bool mac = false;       // multiply-accumulate this cycle
  bool last = false;      // os: the MAC completes an output (it moves to the hold register)
  bool shift = false;     // ws/is: the shadow register takes `b` (stationary preload)
  bool swap = false;      // ws/is: the shadow becomes the stationary operand, before this MAC
};

// A PE's registers after the clock edge, visible to its neighbours during the next cycle.
struct PeOut {
  std::int32_t a = 0;       // passed right
  std::int32_t b = 0;       // os: passed down; ws/is: the shadow register (the preload chain)
  std::int64_t psum = 0;    // ws/is: partial sum passed down
  std::int64_t hold = 0;    // os: the last completed output
};

// direct: the operands arrive with the MAC (a spatial array's PE reading its scratchpads) and
// out.psum = in.psum + the product; no register is kept between cycles.
enum class PeMode : std::uint8_t { output_stationary, stationary_operand, direct };

struct PeConfig {
  PeMode mode = PeMode::output_stationary;
  int accumulator_bits = 32;
  // 0: `a` and `b` are whole signed numbers and a MAC adds a*b. 8, 4 or 2: Bit Fusion packing
  // (Sharma et al., ISCA 2018; rtl/bf_fusion_unit.sv, docs/rtl.md): `a` and `b` hold 64/bits^2
  // signed lanes of `bits` bits (1 x 8, 4 x 4 or 16 x 2; lane l in bits [bits*l, bits*l + bits))
  // and a MAC adds the sum of the lane-wise products; higher bits are ignored.
  int operand_bits = 0;
  // Arithmetic shift right of every product before it is accumulated (a fixed-point window of
  // the double-width product, e.g. Eyeriss's 16-bit partial sums); 0..62.
  int product_shift = 0;
};

class PeModel {
 public:
  virtual ~PeModel() = default;
  // Clears every register of `pes` PEs and sets the mode. Throws std::invalid_argument for an
  // operand_bits other than 0, 8, 4, 2.
  virtual void reset(std::size_t pes, const PeConfig& config) = 0;
  // One clock edge for all PEs: in[i] drives PE i; out[i] receives its registers afterwards.
  virtual void clock(std::span<const PeIn> in, std::span<PeOut> out) = 0;
};

// Wraps a sum to `bits` two's complement (bits in 1..64).
[[nodiscard]] inline std::int64_t wrap_to(std::int64_t v, int bits) {
  if (bits >= 64) return v;
  const auto shift = static_cast<unsigned>(64 - bits);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(v) << shift) >> shift;
}

// What one MAC adds under `operand_bits` (PeConfig): a*b, or the sum of the lane-wise
// products of Bit Fusion-packed words, shifted right by `product_shift`.
[[nodiscard]] inline std::int64_t pe_product(std::int32_t a, std::int32_t b, int operand_bits,
                                             int product_shift = 0) {
  if (operand_bits == 0)
    return (static_cast<std::int64_t>(a) * static_cast<std::int64_t>(b)) >> product_shift;
  const int lanes = (8 / operand_bits) * (8 / operand_bits);
  const auto ua = static_cast<std::uint32_t>(a), ub = static_cast<std::uint32_t>(b);
  const auto lane = [operand_bits](std::uint32_t w, int l) {
    return wrap_to(static_cast<std::int64_t>(w >> (operand_bits * l)), operand_bits);
  };
  std::int64_t sum = 0;
  for (int l = 0; l < lanes; ++l) sum += lane(ua, l) * lane(ub, l);
  return sum >> product_shift;
}

// The C++ model of the arithmetic the RTL implements: a signed multiplier, the product's
// window (product_shift) and an accumulator of `accumulator_bits` (int8 x int8 -> int32 for
// the int8 arrays; Eyeriss: 16 x 16 -> 32-bit products windowed into 16-bit partial sums).
class CppPe final : public PeModel {
 public:
  void reset(std::size_t pes, const PeConfig& config) override;
  void clock(std::span<const PeIn> in, std::span<PeOut> out) override;

 private:
  struct Regs {
    std::int64_t acc = 0;
    std::int32_t stationary = 0;
  };
  PeConfig config_{};
  std::vector<Regs> regs_;
};

}  // namespace loom::sim
