// SPDX-License-Identifier: Apache-2.0
// Loom accelerator YAML → Accelerator, with every problem of the file reported at once.
#include <algorithm>
#include <array>
#include <cmath>
#include <regex>
#include <set>
#include <utility>

#include "arch/accelerator.hpp"
#include "arch/access_counts.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

namespace loom::arch {
namespace {

using core::ConfigNode;

// Ranges of the physical quantities (docs/limits.md): wide enough for any real chip, narrow
// enough that cycle, byte and energy counts of a 1e15-MAC layer stay finite 64-bit numbers.
constexpr double kMinClockMhz = 1e-3, kMaxClockMhz = 1e5;          // 1 kHz to 100 GHz
constexpr double kMinBandwidthGbs = 1e-3, kMaxBandwidthGbs = 1e6;  // 1 MB/s to 1 PB/s
constexpr double kMaxLatencyNs = 1e6;                              // 1 ms
constexpr double kMinSizeKib = 1.0 / 1024, kMaxSizeKib = 1 << 30;  // 1 byte to 1 TiB
constexpr double kMinPositive = 1e-12;  // energies and areas: > 0, not denormal
constexpr double kMaxEnergyPj = 1e6, kMaxAreaUm2 = 1e12, kMaxAreaMm2 = 1e6;
// Static power figures (uW per PE or KiB, pJ per PE-cycle): generous upper bound.
constexpr double kMaxStaticPower = 1e6;

bool power_of_two(int v) { return v > 0 && (v & (v - 1)) == 0; }

// Bit Fusion's BitBricks fuse in powers of two: a native width must be fusion_bits times one.
void read_scalable(const ConfigNode& n, PeSpec& pe) {
  pe.precision_scalable = n.get_bool("precision_scalable", false);
  if (n.has("fusion_bits") && !pe.precision_scalable)
    n.error_at("fusion_bits", "only meaningful with precision_scalable: true");
  pe.fusion_bits = static_cast<int>(n.get_int("fusion_bits", pe.fusion_bits, 1, 16));
  if (!pe.precision_scalable) return;
  for (const auto& [key, bits] :
       {std::pair{"weight_bits", pe.weight_bits}, std::pair{"activation_bits", pe.activation_bits}})
    if (bits % pe.fusion_bits != 0 || !power_of_two(bits / pe.fusion_bits))
      n.error_at(key, "a precision-scalable PE needs fusion_bits (" +
                          std::to_string(pe.fusion_bits) + ") times a power of two, got " +
                          std::to_string(bits));
}

void read_pe(const ConfigNode& n, PeSpec& pe) {
  if (!n.allow_keys({"weight_bits", "activation_bits", "accumulator_bits", "psum_bits",
                     "product_shift", "mac_energy_pj", "area_um2", "zero_gating",
                     "precision_scalable", "fusion_bits", "zero_skipping", "skip_lanes",
                     "skip_window", "pipeline_stages", "stationary_preload"}))
    return;
  pe.weight_bits = static_cast<int>(n.get_int("weight_bits", pe.weight_bits, 1, 32));
  pe.activation_bits = static_cast<int>(n.get_int("activation_bits", pe.activation_bits, 1, 32));
  pe.accumulator_bits = static_cast<int>(n.get_int("accumulator_bits", pe.accumulator_bits, 1, 64));
  pe.psum_bits = static_cast<int>(n.get_int("psum_bits", 0, 1, 64));
  pe.product_shift = static_cast<int>(n.get_int("product_shift", 0, 0, 62));
  if (pe.product_shift >= pe.weight_bits + pe.activation_bits)
    n.error_at("product_shift", "expected less than weight_bits + activation_bits = " +
                                    std::to_string(pe.weight_bits + pe.activation_bits) +
                                    " (the window would drop the whole product)");
  if (n.has("mac_energy_pj"))
    pe.mac_energy_pj = n.get_number("mac_energy_pj", 1.0, kMinPositive, kMaxEnergyPj);
  if (n.has("area_um2")) pe.area_um2 = n.get_number("area_um2", 1.0, kMinPositive, kMaxAreaUm2);
  pe.zero_gating = n.get_bool("zero_gating", false);
  read_scalable(n, pe);
  pe.zero_skipping = n.get_bool("zero_skipping", false);
  for (const char* key : {"skip_lanes", "skip_window"})
    if (n.has(key) && !pe.zero_skipping)
      n.error_at(key, "only meaningful with zero_skipping: true");
  pe.skip_lanes = static_cast<int>(n.get_int("skip_lanes", pe.skip_lanes, 1, 1 << 20));
  pe.skip_window = static_cast<int>(n.get_int("skip_window", pe.skip_window, 1, 4096));
  pe.pipeline_stages = static_cast<int>(n.get_int("pipeline_stages", 1, 1, 64));
  pe.stationary_preload = n.get_enum("stationary_preload", kPreloads, PeSpec::Preload::shadow);
  if (pe.accumulator_bits < pe.weight_bits + pe.activation_bits)
    n.error_at("accumulator_bits", "expected at least weight_bits + activation_bits = " +
                                       std::to_string(pe.weight_bits + pe.activation_bits) +
                                       " (a product must fit the accumulator)");
}

// The noc level's microarchitecture keys (arch::MemoryLevel, dataflow/spatial_micro.hpp).
void read_noc_micro(const ConfigNode& n, MemoryLevel& l) {
  static constexpr std::array<const char*, kOperands> kBus{"ifmap_bus_bits", "filter_bus_bits",
                                                           "psum_bus_bits"};
  static constexpr std::array<const char*, 4> kCycles{"layer_setup_cycles", "pass_setup_cycles",
                                                      "psum_hop_cycles", "psum_accumulate_cycles"};
  for (int o = 0; o < kOperands; ++o)
    l.bus_bits[static_cast<std::size_t>(o)] =
        static_cast<int>(n.get_int(kBus[static_cast<std::size_t>(o)], 0, 1, 1 << 16));
  std::array<std::int64_t*, 4> cycles{&l.layer_setup_cycles, &l.pass_setup_cycles,
                                      &l.psum_hop_cycles, &l.psum_accumulate_cycles};
  for (std::size_t i = 0; i < kCycles.size(); ++i)
    *cycles[i] = n.get_int(kCycles[i], 0, 0, 1 << 30);
  if (l.kind == LevelKind::noc) return;
  for (const char* key : kBus)
    if (n.has(key)) n.error_at(key, "only the noc level has buses to the PEs");
  for (const char* key : kCycles)
    if (n.has(key)) n.error_at(key, "only the noc level sets up passes and moves partial sums");
}

// A DRAM device's timing (docs/configuration.md); every key defaults to an ideal channel.
void read_dram_timing(const ConfigNode& n, double clock_hz, MemoryLevel& l) {
  DramTiming& t = l.dram_timing;
  for (const char* key :
       {"burst_bytes", "row_bytes", "row_miss_ns", "activate_ns", "turnaround_ns"})
    if (n.has(key) && l.kind != LevelKind::dram)
      n.error_at(key, "only a dram level has device timing (omit this key)");
  t.burst_bytes = n.get_int("burst_bytes", 0, 1, 1 << 20);
  t.row_bytes = n.get_int("row_bytes", 0, 1, 1 << 30);
  const auto cycles = [&](const char* key) {
    return static_cast<std::int64_t>(
        std::ceil(n.get_number(key, 0.0, 0.0, kMaxLatencyNs) * 1e-9 * clock_hz - 1e-9));
  };
  t.row_miss_cycles = cycles("row_miss_ns");
  t.activate_cycles = cycles("activate_ns");
  t.turnaround_cycles = cycles("turnaround_ns");
  for (const char* key : {"row_miss_ns", "activate_ns"})
    if (n.has(key) && t.row_bytes == 0)
      n.error_at(key, "needs row_bytes (the row size that decides when a row is opened)");
}

MemoryLevel read_level(const ConfigNode& n, double clock_hz, bool systolic) {
  MemoryLevel l;
  if (!n.allow_keys({"name",
                     "kind",
                     "holds",
                     "size_kib",
                     "word_bits",
                     "banks",
                     "ports",
                     "bandwidth_gb_per_s",
                     "read_energy_pj",
                     "write_energy_pj",
                     "area_mm2",
                     "per_pe",
                     "sliding_window",
                     "group",
                     "compression",
                     "latency_ns",
                     "burst_bytes",
                     "row_bytes",
                     "row_miss_ns",
                     "activate_ns",
                     "turnaround_ns",
                     "single_port",
                     "bank_layout",
                     "ifmap_bus_bits",
                     "filter_bus_bits",
                     "psum_bus_bits",
                     "layer_setup_cycles",
                     "pass_setup_cycles",
                     "psum_hop_cycles",
                     "psum_accumulate_cycles"}))
    return l;
  l.name = n.require_string("name");
  static const std::regex ident("[a-z][a-z0-9_]*");
  if (!l.name.empty() && !std::regex_match(l.name, ident))
    n.error_at("name", "expected a lower-case identifier ([a-z][a-z0-9_]*), got '" + l.name + "'");
  if (!n.has("kind")) n.error_at("kind", "missing required key (expected dram, sram or noc)");
  l.kind = n.get_enum("kind", kLevelKinds, LevelKind::sram);
  l.word_bits = static_cast<int>(n.get_int("word_bits", 8, 1, 1024));
  l.banks = static_cast<int>(n.get_int("banks", 1, 1, 4096));
  l.ports = static_cast<int>(n.get_int("ports", 0, 1, 64));
  if (n.has("ports") && l.kind != LevelKind::sram)
    n.error_at("ports", "only an sram level has ports (a dram level's rate is bandwidth_gb_per_s)");
  if (n.has("ports") && n.has("bandwidth_gb_per_s"))
    n.error_at("bandwidth_gb_per_s",
               "an sram level's bandwidth comes from its ports "
               "(ports x banks x word_bits per cycle): give one of the two");
  if (n.has("holds")) {
    l.holds = {false, false, false};
    for (const auto& name : n.get_string_list("holds")) {
      auto op = core::parse_enum(kOperandNames, name);
      if (!op)
        n.error_at("holds", "unknown operand '" + name +
                                "' (expected one of: " + core::enum_choices(kOperandNames) + ")");
      else
        l.holds[static_cast<int>(*op)] = true;
    }
  }
  if (l.kind == LevelKind::noc) {
    l.holds = {false, false, false};
    for (const char* key : {"holds", "size_kib", "per_pe", "sliding_window"})
      if (n.has(key))
        n.error_at(key, "a noc level stores nothing and sits outside the PEs (omit this key)");
  } else if (l.kind == LevelKind::sram) {
    if (!n.has("size_kib")) n.error_at("size_kib", "missing required key for an sram level");
    l.size_bytes =
        static_cast<std::int64_t>(n.get_number("size_kib", 1.0, kMinSizeKib, kMaxSizeKib) * 1024.0);
  } else if (n.has("size_kib")) {
    n.error_at("size_kib", "a dram level is unbounded (omit size_kib)");
  }
  // A systolic array's timing reads an SRAM's rate from its ports, never from a bandwidth it
  // would otherwise ignore.
  if (n.has("bandwidth_gb_per_s") && systolic && l.kind == LevelKind::sram)
    n.error_at("bandwidth_gb_per_s",
               "an sram level feeding a systolic array is limited by its "
               "ports (set ports, banks and word_bits instead)");
  if (n.has("bandwidth_gb_per_s"))
    l.bandwidth_bytes_per_cycle =
        n.get_number("bandwidth_gb_per_s", 1.0, kMinBandwidthGbs, kMaxBandwidthGbs) * 1e9 /
        clock_hz;
  else if (l.ports > 0)
    l.bandwidth_bytes_per_cycle = l.ports * l.banks * l.word_bits / 8.0;
  if (n.has("latency_ns")) {
    if (l.kind != LevelKind::dram)
      n.error_at("latency_ns", "only a dram level has an access latency (omit this key)");
    l.latency_cycles = static_cast<std::int64_t>(
        std::ceil(n.get_number("latency_ns", 0.0, 0.0, kMaxLatencyNs) * 1e-9 * clock_hz - 1e-9));
  }
  read_dram_timing(n, clock_hz, l);
  for (auto [key, value] : {std::pair{"read_energy_pj", &l.read_energy_pj},
                            std::pair{"write_energy_pj", &l.write_energy_pj}})
    if (n.has(key)) *value = n.get_number(key, 1.0, kMinPositive, kMaxEnergyPj);
  if (n.has("area_mm2")) l.area_mm2 = n.get_number("area_mm2", 1.0, kMinPositive, kMaxAreaMm2);
  l.per_pe = n.get_bool("per_pe", false);
  if (l.per_pe && l.kind == LevelKind::dram) n.error_at("per_pe", "a dram level cannot be per PE");
  l.sliding_window = n.get_bool("sliding_window", false);
  l.single_port = n.get_bool("single_port", false);
  if (l.single_port && !l.per_pe)
    n.error_at("single_port", "only a per-PE level (a scratchpad) shares its port with the MACs");
  l.bank_layout = n.get_enum("bank_layout", kBankLayouts, MemoryLevel::BankLayout::interleaved);
  if (n.has("bank_layout") && (l.kind != LevelKind::sram || l.per_pe || systolic))
    n.error_at("bank_layout",
               "only a shared sram level feeding a spatial array lays tensors over its banks "
               "(a systolic array's SRAM ports assume interleaved words)");
  if (l.bank_layout == MemoryLevel::BankLayout::blocked && l.ports == 0)
    n.error_at("bank_layout", "blocked banks need ports (per bank) to serve each operand's stream");
  read_noc_micro(n, l);
  l.group = n.get_string("group", "");
  if (!l.group.empty() && !std::regex_match(l.group, ident))
    n.error_at("group",
               "expected a lower-case identifier ([a-z][a-z0-9_]*), got '" + l.group + "'");
  l.compression = n.get_enum("compression", kCompressions, MemoryLevel::Compression::none);
  // Compression models the codec on the chip's DRAM interface (Eyeriss), nothing on-chip.
  if (l.compression != MemoryLevel::Compression::none && l.kind != LevelKind::dram)
    n.error_at("compression", "only a dram level can be compressed");
  return l;
}

void check_levels(const ConfigNode& n, const Accelerator& a) {
  std::set<std::string> names;
  int drams = 0;
  for (std::size_t i = 0; i < a.levels.size(); ++i) {
    const auto& l = a.levels[i];
    if (!l.name.empty() && !names.insert(l.name).second)
      n.error("duplicate level name '" + l.name + "'");
    if (l.kind == LevelKind::dram) {
      ++drams;
      if (i != 0) n.error("the dram level must come first (levels are listed outermost first)");
    }
  }
  int nocs = 0;
  for (std::size_t i = 0; i < a.levels.size(); ++i) {
    if (a.levels[i].kind != LevelKind::noc) continue;
    ++nocs;
    const bool inner_ok = i + 1 == a.levels.size() || a.levels[i + 1].per_pe;
    const bool outer_ok =
        i > 0 && !a.levels[i - 1].per_pe && a.levels[i - 1].kind != LevelKind::noc;
    if (!inner_ok || !outer_ok)
      n.error("noc level '" + a.levels[i].name +
              "' must sit between the last shared buffer and the per-PE levels");
  }
  if (nocs > 1) n.error("expected at most one level of kind noc, got " + std::to_string(nocs));
  for (const auto& l : a.levels)
    if (!l.group.empty() && names.count(l.group) && l.group != l.name)
      n.error("group '" + l.group + "' has the name of a level");
  if (drams != 1) n.error("expected exactly one level of kind dram, got " + std::to_string(drams));
  for (std::size_t i = 1; i < a.levels.size(); ++i)
    if (a.levels[i - 1].per_pe && !a.levels[i].per_pe)
      n.error("per-PE level '" + a.levels[i - 1].name + "' must come after every shared level ('" +
              a.levels[i].name + "' is shared)");
  if (a.levels.size() > static_cast<std::size_t>(kMaxLevels))
    n.error("expected at most " + std::to_string(kMaxLevels) + " memory levels, got " +
            std::to_string(a.levels.size()));
  for (int o = 0; o < kOperands; ++o)
    if (a.sram_level(static_cast<Operand>(o)) < 0)
      n.error(std::string("no sram level holds the ") +
              std::string(core::enum_name(kOperandNames, static_cast<Operand>(o))) +
              " operand (add it to some level's holds)");
}

// static_power: {pe_leakage_uw, sram_leakage_uw_per_kib, clock_pj_per_pe_cycle}, each >= 0.
void read_static_power(const ConfigNode& n, StaticPowerSpec& sp) {
  if (!n.allow_keys({"pe_leakage_uw", "sram_leakage_uw_per_kib", "clock_pj_per_pe_cycle"})) return;
  const auto read = [&](const char* key, std::optional<double>& out) {
    if (n.has(key)) out = n.get_number(key, 0.0, 0.0, kMaxStaticPower);
  };
  read("pe_leakage_uw", sp.pe_leakage_uw);
  read("sram_leakage_uw_per_kib", sp.sram_leakage_uw_per_kib);
  read("clock_pj_per_pe_cycle", sp.clock_pj_per_pe_cycle);
}

// `objective:` names one of the mapper's objectives but `weighted`, whose weights an accelerator
// does not state.
void read_objective(const ConfigNode& root, Accelerator& a) {
  const std::string name = root.get_string("objective", "");
  const auto kind = core::parse_enum(mapper::kObjectiveKinds, name);
  if (kind && *kind != mapper::ObjectiveKind::weighted) {
    a.objective = *kind;
    return;
  }
  std::string choices;
  for (const auto& e : mapper::kObjectiveKinds)
    if (e.value != mapper::ObjectiveKind::weighted)
      choices += (choices.empty() ? "" : ", ") + std::string(e.name);
  root.error_at("objective", (kind ? "weighted needs weights, which an accelerator does not state"
                                   : "unknown value '" + name + "'") +
                                 " (expected one of: " + choices + ")");
}

}  // namespace

Accelerator parse_accelerator_yaml(std::string_view text, const std::string& file_name) {
  const ConfigNode root = ConfigNode::parse(text, file_name);
  Accelerator a;
  a.source = file_name;
  if (!root.allow_keys({"name", "description", "clock_mhz", "technology_nm", "dataflow", "compat",
                        "schedule", "objective", "pe_array", "pe", "levels", "static_power"}))
    root.finish();
  a.name = root.require_string("name");
  a.description = root.get_string("description", "");
  if (!root.has("clock_mhz"))
    root.error_at("clock_mhz", "missing required key (expected a number)");
  a.clock_hz = root.get_number("clock_mhz", 1000.0, kMinClockMhz, kMaxClockMhz) * 1e6;
  a.technology_nm = static_cast<int>(root.get_int("technology_nm", 45, 7, 180));
  if (std::find(kTechnologyNodesNm.begin(), kTechnologyNodesNm.end(), a.technology_nm) ==
      kTechnologyNodesNm.end()) {
    std::string nodes;
    for (int nm : kTechnologyNodesNm) nodes += (nodes.empty() ? "" : ", ") + std::to_string(nm);
    root.error_at("technology_nm", "expected one of " + nodes +
                                       " (the nodes with energy and area tables), got " +
                                       std::to_string(a.technology_nm));
  }
  if (!root.has("dataflow"))
    root.error_at("dataflow",
                  "missing required key (expected one of: " + core::enum_choices(kDataflows) + ")");
  a.dataflow = root.get_enum("dataflow", kDataflows, Dataflow::ws);
  a.compat = root.get_enum("compat", kCompats, Compat::none);
  if (a.compat == Compat::scalesim && !is_systolic(a.dataflow))
    root.error_at("compat", "compat: scalesim needs a systolic dataflow (os, ws or is)");
  a.schedule = root.get_enum(
      "schedule", kControllerSchedules,
      a.compat == Compat::scalesim ? ControllerSchedule::layerwise : ControllerSchedule::graph);
  if (a.compat == Compat::scalesim && a.schedule != ControllerSchedule::layerwise)
    root.error_at("schedule",
                  "compat: scalesim runs one layer at a time, as SCALE-Sim does (omit schedule "
                  "or say layerwise)");
  if (root.has("objective")) read_objective(root, a);
  if (!root.has("pe_array")) root.error_at("pe_array", "missing required key (rows, cols)");
  const ConfigNode arr = root.child("pe_array");
  if (root.has("pe_array") && arr.allow_keys({"rows", "cols"})) {
    a.array.rows = arr.require_int("rows", 1, 1 << 16);
    a.array.cols = arr.require_int("cols", 1, 1 << 16);
  }
  if (root.has("pe")) read_pe(root.child("pe"), a.array.pe);
  if (a.array.pe.precision_scalable && a.compat == Compat::scalesim)
    root.error_at("compat",
                  "compat: scalesim models SCALE-Sim's fixed-width PE; a "
                  "precision_scalable PE needs compat: none");
  if (a.array.pe.zero_skipping && a.compat == Compat::scalesim)
    root.error_at("compat",
                  "compat: scalesim reproduces SCALE-Sim's dense cycle counts; "
                  "zero_skipping needs compat: none");
  if (a.array.pe.product_shift != 0 && is_systolic(a.dataflow))
    root.error_at("pe",
                  "product_shift models a spatial array's narrow partial sums; a systolic "
                  "array accumulates whole products (omit product_shift)");
  if (a.array.pe.pipeline_stages != 1 && is_systolic(a.dataflow))
    root.error_at("pe",
                  "pipeline_stages models a spatial array's PE passes; a systolic array's "
                  "timing has its own fill and drain (omit pipeline_stages)");
  if (a.array.pe.stationary_preload != PeSpec::Preload::shadow &&
      (!is_systolic(a.dataflow) || a.dataflow == Dataflow::os || a.compat == Compat::scalesim))
    root.error_at("pe",
                  "stationary_preload: stall models a weight- or input-stationary systolic "
                  "array without shadow registers, under compat: none (compat: scalesim "
                  "already loads every fold's tile with the array stopped)");
  if (root.has("static_power")) read_static_power(root.child("static_power"), a.static_power);
  if (!root.has("levels"))
    root.error_at("levels", "missing required key (expected a list)");
  else
    for (const auto& item : root.child("levels").items())
      a.levels.push_back(read_level(item, a.clock_hz, is_systolic(a.dataflow)));
  if (root.ok()) check_levels(root.child("levels"), a);
  if (root.ok())
    if (auto why = dataflow_mismatch(a); !why.empty()) root.error_at("dataflow", why);
  root.finish();
  return a;
}

}  // namespace loom::arch
