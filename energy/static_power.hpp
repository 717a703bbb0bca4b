// SPDX-License-Identifier: Apache-2.0
#pragma once
// Static and clock power of an accelerator, the part of its energy that grows with time rather
// than with work: leakage of every PE and of the on-chip SRAM, and the clock power of the PEs'
// pipeline registers, drawn on every cycle of a layer whether its PEs are busy or stalled (no
// clock or power gating is modelled). Static energy of a span = (leakage_w + clock power) x its
// duration. Defaults per node below; the accelerator's `static_power:` values replace them.
// Powers in W, energies in pJ; throws loom::Error for an unknown technology node.
#include <cstdint>
#include <string>

#include "arch/accelerator.hpp"

namespace loom::energy {

// --- 40/45 nm figures (Aladdin, Shao et al., ISCA 2014, TSMC 40 nm at 1 GHz, as tabulated in
// Accelergy's hwcomponents-library; the same table's register area, 5.98 um^2, is Loom's
// register area: technology.hpp). Used at 45 nm unscaled, as that area is. ---
inline constexpr double kAladdinMul32LeakUw = 77.9;    // 32x32 multiplier, leakage 7.79e-2 mW
inline constexpr double kAladdinAdd32LeakUw = 2.25;    // 32-bit adder, 2.25e-3 mW
inline constexpr double kAladdinRegLeakUw = 0.074;     // one register bit, 7.4e-5 mW
inline constexpr double kAladdinRegAreaUm2 = 5.98;     // one register bit
inline constexpr double kAladdinRegClockPj = 0.00794;  // one register bit's internal energy per
                                                       // cycle: 7.94e-3 mW at 1 GHz

struct StaticPower {
  double pe_leakage_uw = 0;            // one PE
  double sram_leakage_uw_per_kib = 0;  // per KiB of on-chip SRAM
  double clock_pj_per_pe_cycle = 0;    // one PE, per cycle
  double sram_kib = 0;                 // on-chip SRAM, every per-PE copy counted
  double leakage_w = 0;                // PEs + SRAM
  double clock_w = 0;                  // PEs' clock power at the accelerator's clock
  std::string source;                  // where the per-unit figures come from, for reports

  // Static energy of `cycles` at `clock_hz`: (leakage + clock power) x duration.
  [[nodiscard]] double energy_pj(std::int64_t cycles, double clock_hz) const {
    return (leakage_w + clock_w) * static_cast<double>(cycles) / clock_hz * 1e12;
  }
};

// Default leakage of one PE at a node: Aladdin's multiplier scaled by (w*a)/(32*32), adder by
// accumulator_bits/32 and w + a + accumulator_bits register bits (the rules the area model
// uses), times the node's leakage factor; a precision-scalable PE times the synthesized cell
// ratio, as its area.
[[nodiscard]] double pe_leakage_uw(const arch::PeSpec& pe, int technology_nm);

StaticPower static_power(const arch::Accelerator& accel);

}  // namespace loom::energy
