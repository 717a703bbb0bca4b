// SPDX-License-Identifier: Apache-2.0
// Accelerator -> EnergyTable. The modelling rules, each with its source or stated as an
// assumption, are listed in docs/energy.md.
#include "energy/energy_table.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "energy/technology.hpp"

namespace loom::energy {
namespace {

// A multiplier's energy scales with the product of its operand widths (its partial-product
// array has w*a cells). Consistent with Horowitz: 0.2 pJ * (32*32)/(8*8) = 3.2 pJ against the
// measured 3.1 pJ for 32 bits (+3%).
double mult_pj(const Node& n, int w, int a) {
  return n.mult8_pj * static_cast<double>(w) * a / 64.0;
}

// An adder's energy scales linearly with its width (ripple/prefix adders have one cell per
// bit). From Horowitz's 0.1 pJ at 32 bits: 0.025 pJ at 8 bits against his 0.03 pJ (-17%);
// the accumulator adder is the wide one, so the 32-bit figure is the anchor.
double add_pj(const Node& n, int bits) { return n.add32_pj * bits / 32.0; }

std::string fmt(const char* format, double v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// Nodes other than 45 and 65 nm carry the 45 nm figures scaled (technology.hpp).
std::string scaled_note(const Node& n) {
  if (n.nm == 45 || n.nm == 65) return "";
  return fmt(", x%.4g to ", n.energy_scale) + std::to_string(n.nm) + " nm (Stillmaker & Baas 2017)";
}

// A level in a group is priced at the group's whole capacity: the scratchpads of one PE are
// one register file in the energy tables this follows (Eyeriss's "RF 0.5 kB").
double priced_bytes(const arch::Accelerator& acc, const arch::MemoryLevel& l) {
  if (l.group.empty()) return static_cast<double>(l.size_bytes);
  double bytes = 0;
  for (const auto& other : acc.levels)
    if (other.group == l.group && other.kind == arch::LevelKind::sram)
      bytes += static_cast<double>(other.size_bytes);
  return bytes;
}

LevelEnergy level_energy(const Node& n, const arch::Accelerator& acc, const arch::MemoryLevel& l,
                         int index) {
  const std::string& file = acc.source;
  LevelEnergy e;
  if (l.kind == arch::LevelKind::dram) {
    e.read_pj_per_bit = n.dram_pj_per_bit;
    e.source = n.nm != 65 ? "Horowitz ISSCC 2014: 64-bit DRAM access 1300 pJ (low end of 1300-2600)"
                          : "Eyeriss ISCA 2016: DRAM 200x a 16-bit MAC";
  } else if (l.kind == arch::LevelKind::noc) {
    e.read_pj_per_bit = n.noc_pj_per_bit;
    e.source = "Eyeriss ISCA 2016: NoC transfer 2x a 16-bit MAC" + scaled_note(n);
  } else if (l.size_bytes > 0) {
    // Priced at the level's whole capacity, whatever its banking: Horowitz's large arrays are
    // banked already, and routing to a bank spans the macro. Unbanked, the fit lands within
    // 1.5% of Accelergy's 32-bank 128 KiB global buffer (37.7 vs 37.1 pJ per 64 bits); a
    // per-bank rule would give 7.3 pJ.
    const double bytes = priced_bytes(acc, l);
    e.read_pj_per_bit = sram_pj_per_bit(n, bytes);
    e.source =
        (n.nm != 65 ? "Horowitz ISSCC 2014 SRAM fit at " : "Eyeriss ISCA 2016 SRAM law at ") +
        fmt("%g KiB", bytes / 1024) + scaled_note(n);
  } else if (!l.read_energy_pj) {
    throw Error(Diagnostic{file, "levels[" + std::to_string(index) + "]", 0,
                           "sram level '" + l.name +
                               "' has no capacity, so it needs read_energy_pj"});
  }
  // Overrides are per word of word_bits.
  if (l.read_energy_pj) {
    e.read_pj_per_bit = *l.read_energy_pj / l.word_bits;
    e.source = "accelerator override: read_energy_pj " + fmt("%g pJ/word", *l.read_energy_pj);
  }
  // Writes cost what reads cost unless overridden: the same bitlines swing. The one published
  // pair at hand agrees -- Accelergy's 45 nm global buffer, 37.6 pJ write vs 37.1 pJ read per
  // 64 bits (1.01x).
  e.write_pj_per_bit = e.read_pj_per_bit;
  if (l.write_energy_pj) {
    e.write_pj_per_bit = *l.write_energy_pj / l.word_bits;
    e.source += "; write_energy_pj " + fmt("%g pJ/word", *l.write_energy_pj);
  }
  return e;
}

}  // namespace

double mult_energy_pj(int weight_bits, int activation_bits, int technology_nm) {
  return mult_pj(node_for(technology_nm, ""), weight_bits, activation_bits);
}

double add_energy_pj(int bits, int technology_nm) {
  return add_pj(node_for(technology_nm, ""), bits);
}

EnergyTable make_energy_table(const arch::Accelerator& accel) {
  const Node& n = node_for(accel.technology_nm, accel.source);
  if (accel.levels.size() > static_cast<std::size_t>(arch::kMaxLevels))
    throw Error(Diagnostic{accel.source, "levels", 0,
                           "at most " + std::to_string(arch::kMaxLevels) + " levels, got " +
                               std::to_string(accel.levels.size())});
  const auto& pe = accel.array.pe;
  EnergyTable t;
  t.technology_nm = n.nm;
  t.native_weight_bits = pe.weight_bits;
  t.native_activation_bits = pe.activation_bits;
  const double mult = mult_pj(n, pe.weight_bits, pe.activation_bits);
  const double add = add_pj(n, pe.accumulator_bits);
  t.mult_share = mult / (mult + add);
  t.mac_pj_native = mult + add;
  t.mac_source = "Horowitz ISSCC 2014: multiplier x (w*a)/64 from 8-bit 0.2 pJ, adder x bits/32 "
                 "from 32-bit 0.1 pJ";
  if (n.nm == 65) t.mac_source += ", scaled to 65 nm 1.0 V by C*V^2 (x1.783)";
  t.mac_source += scaled_note(n);
  if (pe.mac_energy_pj) {
    // An override replaces the native MAC energy; other widths keep the default
    // multiplier/adder split, so they scale from it exactly as the default does.
    t.mac_pj_native = *pe.mac_energy_pj;
    t.mac_source = "accelerator override: pe.mac_energy_pj " + fmt("%g pJ", *pe.mac_energy_pj) +
                   " (default multiplier/adder split for other widths)";
  }
  t.level_count = static_cast<int>(accel.levels.size());
  for (int i = 0; i < t.level_count; ++i)
    t.levels[i] = level_energy(n, accel, accel.levels[i], i);
  return t;
}

}  // namespace loom::energy
