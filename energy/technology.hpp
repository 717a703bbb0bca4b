// SPDX-License-Identifier: Apache-2.0
#pragma once
// Per-technology-node model constants: the published per-unit energies and areas every default
// in energy_table and area_table is derived from. Two nodes have their own tables: 45 nm (the
// anchor, Horowitz's figures) and 65 nm (Eyeriss's normalized costs). Every other node from
// 180 nm to 7 nm is the 45 nm table scaled by Stillmaker & Baas's equations (node_scaling.hpp);
// node_for() finds a node, all_nodes() lists them. Units are in the member names: pJ per
// action, um^2 per unit, pJ per bit; the *_scale factors are relative to 45 nm.
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace loom::energy {

struct Node {
  int nm;
  // --- energy (Horowitz, "Computing's energy problem", ISSCC 2014, 45 nm, 0.9 V) ---
  double mult8_pj;   // one 8x8-bit integer multiply
  double add32_pj;   // one 32-bit integer add
  // SRAM read energy per 64-bit access as a power law in capacity, E = a * (C / 1 KiB)^b,
  // least-squares fitted in log-log space through Horowitz's 8 KB, 32 KB and 1 MB points.
  double sram_a_pj_per_64b;
  double sram_b;
  double dram_pj_per_bit;
  double noc_pj_per_bit;  // one word carried from the global buffer to a PE, or between PEs
  // --- area ---
  double mult8_um2;             // exact 8x8-bit multiplier
  double adder_um2_per_bit;     // ripple-carry adder, per bit of width
  double register_um2_per_bit;  // one flip-flop
  double sram_cell_um2;         // one 6T bit cell
  double sram_um2_per_bit;      // whole macro (cells + periphery), per bit
  std::string_view source;      // one line naming the sources, for reports
  // Relative to the 45 nm anchor: dynamic energy, area, leakage power and gate delay (the last
  // is reported only: the clock is the accelerator's clock_mhz).
  double energy_scale = 1;
  double area_scale = 1;
  double leakage_scale = 1;
  double delay_scale = 1;
};

// --- 45 nm ----------------------------------------------------------------------------------
// Energy: Horowitz ISSCC 2014 (shared/reference/README.md, "Energy per operation, 45 nm").
inline constexpr double kHorowitzMult8Pj = 0.2;   // 8-bit int multiply
inline constexpr double kHorowitzMult32Pj = 3.1;  // 32-bit int multiply (checks the width rule)
inline constexpr double kHorowitzAdd32Pj = 0.1;   // 32-bit int add
inline constexpr double kHorowitzAdd8Pj = 0.03;   // 8-bit int add (checks the width rule)
// 64-bit SRAM reads: {capacity in KiB, pJ}. "KB" in the paper is read as KiB.
inline constexpr std::array<std::array<double, 2>, 3> kHorowitzSram64b{
    {{8.0, 10.0}, {32.0, 20.0}, {1024.0, 100.0}}};
// 64-bit DRAM access: 1300-2600 pJ. We take the low end, 1300 / 64 = 20.3 pJ/bit: Horowitz's
// range spans DRAM interfaces, and the accelerators Loom models use LPDDR-class parts, whose
// energy sits at or below the low end -- Accelergy's 45 nm LPDDR4 table (reference README,
// "Eyeriss-like design at 45 nm") gives 512 pJ per 64 bits = 8 pJ/bit. So the defensible range
// is 8-41 pJ/bit and the default is within it, toward the LPDDR end.
inline constexpr double kHorowitzDram64bPj = 1300.0;

// Fit of kHorowitzSram64b (log-log least squares; tests/energy recomputes it from the points):
//   E64(C) = 3.8022 pJ * (C / 1 KiB)^0.47261
//   8 KB: 10.16 pJ (+1.6%), 32 KB: 19.56 pJ (-2.2%), 1 MB: 100.63 pJ (+0.6%);
//   worst error 2.2%, tested against a 2.5% tolerance. Outside 8 KB-1 MB it is extrapolation.
inline constexpr double kSramFitAPj = 3.8022;
inline constexpr double kSramFitB = 0.47261;

// Area, PE datapath at 45 nm (FreePDK45 / NanGate synthesis as reported by EvoApproxLib,
// Mrazek et al., DATE 2017 and JETCAS 2020; github.com/ehw-fit/evoapproxlib):
//   exact 8x8 unsigned multiplier mul8u_1JJQ: PDK45_AREA = 709.6 um^2 (0.391 mW, 1.43 ns),
//   exact 16-bit unsigned adder add16u_1E2 (ripple carry): PDK45_AREA = 141.7 um^2 -> 8.856/bit.
inline constexpr double kEvoMul8Um2 = 709.6;
inline constexpr double kEvoAdd16Um2 = 141.7;
// Flip-flop: Aladdin (Shao et al., ISCA 2014) register, 5.98 um^2 per bit, as tabulated in
// Accelergy's hwcomponents-library (library/aladdin.py). That table is at 40 nm; it is used
// unscaled because the same table's 32-bit adder (278 um^2) agrees within 2% with two of the
// 45 nm EvoApproxLib 16-bit adders above (283.4 um^2), i.e. the two libraries are of like density.
inline constexpr double kAladdinRegUm2PerBit = 5.98;
// Bit Fusion PE (rtl/bf_pe.sv: 16 BitBricks and their shift-add tree, 32-bit operand and
// stationary registers for 16 packed 2-bit lanes, 32-bit accumulator) beside the 8-bit MAC PE
// (rtl/mac_pe.sv, OP_BITS 8, ACC_BITS 32) in generic cells: yosys 0.23 (Debian 12)
// `synth -flatten`, reproduced by rtl/synth.sh (CTest rtl_synth checks these within 5%).
// Their ratio scales the 8-bit PE's area (bitfusion_pe_area_um2, energy/area_table.hpp).
inline constexpr int kYosysCellsMac8Pe = 1356;
inline constexpr int kYosysCellsBitFusionPe = 2958;
// SRAM bit cell: CACTI 6.5 (technology.cc, init_tech_params, from ITRS) uses 146 F^2 for the
// 6T cell at every node: 146 * 0.045^2 = 0.296 um^2. (A fabricated 45 nm cell: 0.37 um^2,
// Nii et al., ISQED 2013.)
inline constexpr double kSramCellF2 = 146.0;
// SRAM macro density at 45 nm, cells plus periphery (decoders, sense amps, drivers, I/O):
// 0.826 Mb/mm^2 for OpenRAM in FreePDK45 (Guthaus et al., ICCAD 2016; OpenRAM docs,
// "Comparison with Fabricated SRAMs", which lists 0.33 Mb/mm^2 for a 45 nm JSSC'11 chip and
// 0.94 Mb/mm^2 for a 40 nm JSSC'13 chip). Mb read as 2^20 bits. So 1 / (0.826 * 2^20) mm^2 =
// 1.155 um^2 per bit = 0.00946 mm^2 per KiB, of which 0.296 um^2 is the cell and 0.859 um^2
// (2.9x the cell) periphery. The periphery share really falls with macro size; one density
// for every size is a stated simplification.
inline constexpr double kSramMacroMbPerMm2 = 0.826;

// The on-chip network has no Horowitz figure. Eyeriss's analysis (Chen, Emer, Sze, ISCA 2016,
// Fig. 1 / Table: normalized energy per 16-bit access, 65 nm) puts one inter-PE/NoC transfer at
// 2x a 16-bit MAC; every node takes that ratio to its own 16-bit MAC (16x16 multiply plus a
// 32-bit accumulate): at 45 nm 2 * (0.8 + 0.1) pJ per 16 bits.
inline constexpr double kIsca16NocPerMac = 2.0;
inline constexpr double kMac16Pj45 = kHorowitzMult8Pj * 4.0 + kHorowitzAdd32Pj;

inline constexpr Node kNode45{
    .nm = 45,
    .mult8_pj = kHorowitzMult8Pj,
    .add32_pj = kHorowitzAdd32Pj,
    .sram_a_pj_per_64b = kSramFitAPj,
    .sram_b = kSramFitB,
    .dram_pj_per_bit = kHorowitzDram64bPj / 64.0,
    .noc_pj_per_bit = kIsca16NocPerMac * kMac16Pj45 / 16.0,
    .mult8_um2 = kEvoMul8Um2,
    .adder_um2_per_bit = kEvoAdd16Um2 / 16.0,
    .register_um2_per_bit = kAladdinRegUm2PerBit,
    .sram_cell_um2 = kSramCellF2 * 0.045 * 0.045,
    .sram_um2_per_bit = 1e6 / (kSramMacroMbPerMm2 * 1048576.0),
    .source = "45 nm: energy Horowitz ISSCC 2014; area EvoApproxLib PDK45, Aladdin, CACTI 6.5, "
              "OpenRAM FreePDK45",
};

// --- 65 nm (Eyeriss v1: TSMC 65 nm LP, 1.0 V) -------------------------------------------------
// Memory and network costs are Eyeriss's own normalized energies per 16-bit access (Chen, Emer,
// Sze, ISCA 2016, Table/Fig. 1, 65 nm; repeated in Sze et al., Proc. IEEE 2017, Fig. 9):
//   MAC 1, RF (0.5 kB) 1, inter-PE / NoC 2, global buffer (100 kB) 6, DRAM 200.
// They are relative, so they are anchored to an absolute 16-bit MAC at 65 nm, which we derive
// rather than fit: Horowitz's 45 nm 0.9 V figures (16x16 multiply = 4 x the 8-bit 0.2 pJ by the
// width rule, plus a 32-bit add 0.1 pJ: 0.9 pJ) scaled to 65 nm 1.0 V by switched energy
// C*V^2 with C proportional to feature size: (65/45) * (1.0/0.9)^2 = 1.783, so 1.605 pJ.
// (Cross-check, not used: 200 x 1.605 pJ per 16 bits = 20.1 pJ/bit of DRAM, Horowitz's low end
// of 20.3-40.6 pJ/bit; nothing here is tuned to Eyeriss's measured power.)
// SRAM between the two normalized points is a power law E16(C) = E_MAC * (C / 0.5 KiB)^b with
// b = ln 6 / ln 200 = 0.3382 (through RF 0.5 kB -> 1 and buffer 100 kB -> 6; kB read as KiB).
// Area: the 45 nm figures scaled by (65/45)^2 (ideal area scaling; SRAM cell 146 F^2 as CACTI).
inline constexpr double kScale65Energy = (65.0 / 45.0) * (1.0 / 0.9) * (1.0 / 0.9);
inline constexpr double kScale65Area = (65.0 / 45.0) * (65.0 / 45.0);
inline constexpr double kMac16Pj65 = kMac16Pj45 * kScale65Energy;
inline constexpr double kIsca16SramB = 0.33817;  // ln 6 / ln 200
// E64(C) = 4 * E16: a = 4 * E_MAC / 0.5^b, in the 64-bit form the Node stores.
inline const double kIsca16SramA64 = 4.0 * kMac16Pj65 / std::pow(0.5, kIsca16SramB);

inline const Node kNode65{
    .nm = 65,
    .mult8_pj = kHorowitzMult8Pj * kScale65Energy,
    .add32_pj = kHorowitzAdd32Pj * kScale65Energy,
    .sram_a_pj_per_64b = kIsca16SramA64,
    .sram_b = kIsca16SramB,
    .dram_pj_per_bit = 200.0 * kMac16Pj65 / 16.0,
    .noc_pj_per_bit = kIsca16NocPerMac * kMac16Pj65 / 16.0,
    .mult8_um2 = kEvoMul8Um2 * kScale65Area,
    .adder_um2_per_bit = kEvoAdd16Um2 / 16.0 * kScale65Area,
    .register_um2_per_bit = kAladdinRegUm2PerBit * kScale65Area,
    .sram_cell_um2 = kSramCellF2 * 0.065 * 0.065,
    .sram_um2_per_bit = 1e6 / (kSramMacroMbPerMm2 * 1048576.0) * kScale65Area,
    .source = "65 nm: Eyeriss ISCA 2016 normalized energies (MAC 1, RF 1, NoC 2, GLB 6, DRAM "
              "200) anchored at a 16-bit MAC of 1.605 pJ (Horowitz 45 nm scaled by C*V^2); area "
              "45 nm figures x (65/45)^2",
};

// Every node, largest first: arch::kTechnologyNodesNm, 180 ... 7 nm. 45 and 65 nm
// are kNode45 and kNode65 with their scale factors filled in; the others are kNode45 scaled
// (DRAM energy per bit excepted: it is a DRAM-device and interface figure, not the logic node's).
const std::vector<Node>& all_nodes();

// The node for `technology_nm`, or throws loom::Error (file, key technology_nm) listing the
// nodes that exist.
const Node& node_for(int technology_nm, const std::string& file);

// SRAM read energy per bit for a bank of `bank_bytes`: the 64-bit power law divided by 64
// (energy per access is taken to grow linearly with word width, so per bit it does not depend
// on the word width -- an assumption, not a Horowitz figure).
[[nodiscard]] inline double sram_pj_per_bit(const Node& n, double bank_bytes) {
  return n.sram_a_pj_per_64b * std::pow(bank_bytes / 1024.0, n.sram_b) / 64.0;
}

}  // namespace loom::energy
