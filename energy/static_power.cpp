// SPDX-License-Identifier: Apache-2.0
// Accelerator -> StaticPower. The rules and their sources: docs/energy.md, "Static and clock
// power".
#include "energy/static_power.hpp"

#include <cstdio>

#include "energy/technology.hpp"

namespace loom::energy {
namespace {

// A precision-scalable PE has more cells than the fixed PE of its widths (area_table.hpp).
double scalable_ratio(const arch::PeSpec& pe) {
  return pe.precision_scalable ? static_cast<double>(kYosysCellsBitFusionPe) / kYosysCellsMac8Pe
                               : 1.0;
}

double register_bits(const arch::PeSpec& pe) {
  return pe.weight_bits + pe.activation_bits + pe.accumulator_bits;
}

}  // namespace

double pe_leakage_uw(const arch::PeSpec& pe, int technology_nm) {
  const Node& n = node_for(technology_nm, "");
  const double mult =
      kAladdinMul32LeakUw * static_cast<double>(pe.weight_bits) * pe.activation_bits / 1024.0;
  const double add = kAladdinAdd32LeakUw * pe.accumulator_bits / 32.0;
  const double regs = kAladdinRegLeakUw * register_bits(pe);
  return (mult + add + regs) * scalable_ratio(pe) * n.leakage_scale;
}

StaticPower static_power(const arch::Accelerator& accel) {
  const Node& n = node_for(accel.technology_nm, accel.source);
  const auto& pe = accel.array.pe;
  const auto& o = accel.static_power;
  StaticPower s;
  s.pe_leakage_uw = o.pe_leakage_uw ? *o.pe_leakage_uw : pe_leakage_uw(pe, accel.technology_nm);
  // SRAM: Aladdin's register leakage per um^2 over the 45 nm macro's area per KiB (cells and
  // periphery alike), times the node's leakage factor. An upper end: arrays of high-Vt cells
  // leak less than logic of the same area.
  const double kib_um2_45 = kNode45.sram_um2_per_bit * 8192.0;
  s.sram_leakage_uw_per_kib = o.sram_leakage_uw_per_kib ? *o.sram_leakage_uw_per_kib
                                                        : kAladdinRegLeakUw / kAladdinRegAreaUm2 *
                                                              kib_um2_45 * n.leakage_scale;
  // Clock: the internal energy of the PE's pipeline registers, paid every cycle. A lower end:
  // the clock tree's own wires and buffers and registers inside per-PE levels are not counted.
  s.clock_pj_per_pe_cycle = o.clock_pj_per_pe_cycle ? *o.clock_pj_per_pe_cycle
                                                    : kAladdinRegClockPj * register_bits(pe) *
                                                          scalable_ratio(pe) * n.energy_scale;
  const double pes = static_cast<double>(accel.array.pes());
  for (const auto& l : accel.levels)
    if (l.kind == arch::LevelKind::sram)
      s.sram_kib += static_cast<double>(l.size_bytes) / 1024.0 * (l.per_pe ? pes : 1.0);
  s.leakage_w = (s.pe_leakage_uw * pes + s.sram_leakage_uw_per_kib * s.sram_kib) * 1e-6;
  s.clock_w = s.clock_pj_per_pe_cycle * 1e-12 * pes * accel.clock_hz;
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "Aladdin ISCA 2014 (40 nm) leakage and register energy, x%.4g "
                "leakage and x%.4g energy at %d nm",
                n.leakage_scale, n.energy_scale, n.nm);
  s.source = buf;
  return s;
}

}  // namespace loom::energy
