// SPDX-License-Identifier: Apache-2.0
#pragma once
// The hardware description only — no behaviour. An Accelerator is a PE array, its memory
// levels (outermost first: DRAM, then on-chip buffers), its dataflow and clock, plus optional
// per-action energy/area values that replace the technology defaults. Loaded from Loom YAML or
// a SCALE-Sim .cfg; immutable once built. Sizes in bytes, clock in Hz, energies in pJ.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_table.hpp"
#include "mapper/objective.hpp"

namespace loom::arch {

// The dataflows Loom models, in two families. Systolic arrays (os, ws, is: output-, weight-,
// input-stationary) pass operands between neighbouring PEs and fix the spatial unrolling.
// Spatial arrays (PEs with their own register files fed by a multicast network) let the mapper
// choose the unrolling, within each dataflow's rules (dataflow/spatial_rules.hpp):
//   spatial     no rule: any dimension on rows and columns;
//   rs          row-stationary (Eyeriss, ISCA 2016): filter rows x output rows per PE set;
//   spatial_ws  weight-stationary on a spatial array: weights stay in each PE's RF;
//   spatial_os  output-stationary on a spatial array: partial sums stay in each PE's RF;
//   nlr         no local reuse: PEs keep nothing, everything comes from the global buffer.
enum class Dataflow { os, ws, is, spatial, rs, spatial_ws, spatial_os, nlr };
enum class DataflowFamily { systolic, spatial };
struct DataflowInfo {
  Dataflow dataflow;
  std::string_view name;
  DataflowFamily family;
};
inline constexpr std::array<DataflowInfo, 8> kDataflowInfo{{
    {Dataflow::os, "os", DataflowFamily::systolic},
    {Dataflow::ws, "ws", DataflowFamily::systolic},
    {Dataflow::is, "is", DataflowFamily::systolic},
    {Dataflow::spatial, "spatial", DataflowFamily::spatial},
    {Dataflow::rs, "rs", DataflowFamily::spatial},
    {Dataflow::spatial_ws, "spatial_ws", DataflowFamily::spatial},
    {Dataflow::spatial_os, "spatial_os", DataflowFamily::spatial},
    {Dataflow::nlr, "nlr", DataflowFamily::spatial},
}};
static_assert(
    [] {
      for (std::size_t i = 0; i < kDataflowInfo.size(); ++i)
        if (static_cast<std::size_t>(kDataflowInfo[i].dataflow) != i) return false;
      return true;
    }(),
    "kDataflowInfo is indexed by Dataflow: keep it in enum order");
// The names alone, for parsing and printing (core::parse_enum and friends).
inline constexpr auto kDataflows = [] {
  std::array<core::EnumName<Dataflow>, kDataflowInfo.size()> names{};
  for (std::size_t i = 0; i < names.size(); ++i)
    names[i] = {kDataflowInfo[i].dataflow, kDataflowInfo[i].name};
  return names;
}();
[[nodiscard]] constexpr const DataflowInfo& dataflow_info(Dataflow d) {
  return kDataflowInfo[static_cast<std::size_t>(d)];
}
[[nodiscard]] constexpr bool is_systolic(Dataflow d) {
  return dataflow_info(d).family == DataflowFamily::systolic;
}

// `scalesim` reproduces SCALE-Sim v2's compute-side conventions exactly; `none` is Loom's own
// model of the hardware (docs/modelling.md lists every difference).
enum class Compat { none, scalesim };
inline constexpr std::array<core::EnumName<Compat>, 2> kCompats{
    {{Compat::none, "none"}, {Compat::scalesim, "scalesim"}}};

// What the controller can schedule across layers: graph = tensors may stay in on-chip buffers
// from one layer to the next (the graph schedule, docs/schedule.md); layerwise = it runs one
// layer at a time from DRAM, every buffer cold (Eyeriss v1; SCALE-Sim's model).
enum class ControllerSchedule { graph, layerwise };
inline constexpr std::array<core::EnumName<ControllerSchedule>, 2> kControllerSchedules{
    {{ControllerSchedule::graph, "graph"}, {ControllerSchedule::layerwise, "layerwise"}}};

enum class Operand { ifmap = 0, filter = 1, ofmap = 2 };
inline constexpr int kOperands = 3;
inline constexpr std::array<core::EnumName<Operand>, 3> kOperandNames{
    {{Operand::ifmap, "ifmap"}, {Operand::filter, "filter"}, {Operand::ofmap, "ofmap"}}};

// noc: the network between the shared buffers and the PEs. It stores nothing and has no loops;
// it counts every word a PE receives from it or sends into it (multicast copies, partial sums
// passed between PEs and drained to the buffer), so its energy is the network's.
enum class LevelKind { dram, sram, noc };
inline constexpr std::array<core::EnumName<LevelKind>, 3> kLevelKinds{
    {{LevelKind::dram, "dram"}, {LevelKind::sram, "sram"}, {LevelKind::noc, "noc"}}};

struct PeSpec {
  int weight_bits = 8;
  int activation_bits = 8;
  int accumulator_bits = 32;
  // Width of partial sums stored outside the MAC (scratchpads, buffers); 0 = accumulator_bits.
  // Eyeriss accumulates in 32 bits but keeps 16-bit partial sums (its 16-bit output window).
  int psum_bits = 0;
  // Bits a product drops (arithmetic shift right) before it is accumulated: the fixed-point
  // window a PE keeps of its double-width product when its partial sums are no wider than its
  // operands (Eyeriss: 16 x 16 -> 32-bit products into 16-bit partial sums). Arithmetic only
  // (the simulator and its golden convolution); costs do not change.
  int product_shift = 0;
  std::optional<double> mac_energy_pj;  // per MAC at the native widths; replaces the default
  std::optional<double> area_um2;       // per PE; replaces the default
  // Skip the filter read and the MAC when the ifmap operand is zero (Eyeriss, Chen et al.,
  // JSSC 2017): saves energy, not cycles.
  bool zero_gating = false;
  // Bit Fusion (Sharma et al., ISCA 2018): the multiplier is an array of fusion_bits x
  // fusion_bits "BitBricks" that fuse into fewer wide or more narrow multipliers, so a layer
  // below the native widths does more MACs per PE per cycle (dataflow/precision.hpp).
  bool precision_scalable = false;
  int fusion_bits = 2;
  // Skip zero ifmap operands in time (Cnvlutin, Albericio et al., ISCA 2016): saves cycles.
  // skip_lanes PEs advance in lockstep over windows of skip_window operands each; a window
  // takes as many cycles as the busiest lane has nonzeros (dataflow/sparsity.hpp).
  bool zero_skipping = false;
  int skip_lanes = 16;
  int skip_window = 16;
  // Spatial arrays: pipeline stages of the MAC datapath. Every processing pass (one iteration
  // of the shared levels' loops, dataflow/spatial_micro.hpp) fills and drains it once, so a
  // pass takes pipeline_stages - 1 cycles beyond its MAC steps. 1: no pipeline (ideal).
  int pipeline_stages = 1;
  // Systolic arrays (ws, is): how the next fold's stationary tile gets into the PEs. shadow:
  // it shifts into shadow registers while the current fold computes (TPU, Jouppi et al. 2017,
  // Sec. 2); stall: the PEs hold one tile only, so the array stops after a fold's last
  // wavefront has entered and waits for the next tile to shift in (dataflow/sram_ports.hpp).
  enum class Preload { shadow, stall };
  Preload stationary_preload = Preload::shadow;
};
inline constexpr std::array<core::EnumName<PeSpec::Preload>, 2> kPreloads{
    {{PeSpec::Preload::shadow, "shadow"}, {PeSpec::Preload::stall, "stall"}}};

struct PeArray {
  std::int64_t rows = 32;
  std::int64_t cols = 32;
  PeSpec pe;
  [[nodiscard]] std::int64_t pes() const { return rows * cols; }
};

// A dram level's device timing, as a controller streaming tiles sees it (dataflow/
// dram_timing.hpp). All zero: an ideal channel moving any run of bytes at the level's bandwidth.
struct DramTiming {
  std::int64_t burst_bytes = 0;        // every contiguous run moves whole bursts
  std::int64_t row_bytes = 0;          // a row (page); each row a transfer touches is opened
  std::int64_t row_miss_cycles = 0;    // a transfer's first row: precharge + activate
  std::int64_t activate_cycles = 0;    // between activates of further rows (other banks)
  std::int64_t turnaround_cycles = 0;  // bus idle when a transfer reverses the bus direction
  [[nodiscard]] bool ideal() const {
    return burst_bytes == 0 && row_bytes == 0 && row_miss_cycles == 0 && activate_cycles == 0 &&
           turnaround_cycles == 0;
  }
};

struct MemoryLevel {
  std::string name;
  LevelKind kind = LevelKind::sram;
  std::array<bool, kOperands> holds{true, true, true};  // which operands live here
  std::int64_t size_bytes = 0;                          // 0 for DRAM (unbounded)
  int word_bits = 8;
  int banks = 1;
  // Ports per bank, each moving one word per cycle. 0: the level is not a bottleneck (every
  // access a cycle asks for is served). Set, an sram level feeding a systolic array moves at
  // most ports x banks x word_bits bits per cycle, and the array's wavefront slows to match
  // (dataflow/sram_ports.hpp); on other arrays it sets the level's bandwidth.
  int ports = 0;
  double bandwidth_bytes_per_cycle = 0;  // 0 = not a bottleneck
  // dram: cycles from a request to its first data (the cycle-level simulator's DRAM channel;
  // the analytical model assumes prefetch hides it).
  std::int64_t latency_cycles = 0;
  DramTiming dram_timing;  // dram only
  // One instance inside every PE (a register file / scratchpad): size_bytes is per PE, and in a
  // mapping its loops run below the spatial fan-out. Such levels come after all shared ones.
  bool per_pe = false;
  // Keeps the overlap of consecutive input windows (a shift register / line buffer): when the
  // innermost loop that refetches its ifmap tile walks output rows or columns, only the new
  // rows or columns are fetched (Eyeriss's ifmap scratchpad sliding along a row).
  bool sliding_window = false;
  // A per-PE level whose MAC reads and refill writes share one port (a single-port SRAM, as
  // Eyeriss's filter scratchpad): each word written into it takes its PE a cycle away from
  // the MACs (dataflow/spatial_micro.hpp). false: separate read and write ports (ideal).
  bool single_port = false;
  // How a shared sram level feeding a spatial array lays tensors over its banks.
  // interleaved: consecutive words rotate over the banks, so only the level's total width
  // (ports x banks x word_bits) bounds it (ideal). blocked: each bank is given whole to one
  // operand and a tile's words lie consecutively in a bank (Eyeriss's GLB), so an operand's
  // stream to and from the PEs has one bank's ports, its partial sums' reads and writes
  // conflicting on them (dataflow/spatial_micro.hpp).
  enum class BankLayout { interleaved, blocked };
  BankLayout bank_layout = BankLayout::interleaved;
  // The noc level's microarchitecture (dataflow/spatial_micro.hpp); zeros are ideal (no bound,
  // no delay). bus_bits: width of the bus carrying each operand between the shared levels and
  // the PEs (ifmap, filter, psum; one multicast word crosses it once); layer_setup_cycles: the
  // multicast tag/ID configuration loaded once per layer; pass_setup_cycles: the controller's
  // set-up of each processing pass; psum_hop_cycles: per hop of a pass's partial sums along
  // the chain of PEs that reduce them; psum_accumulate_cycles: the cycles a PE's datapath
  // spends adding a partial sum received from a neighbour.
  std::array<int, kOperands> bus_bits{0, 0, 0};
  std::int64_t layer_setup_cycles = 0;
  std::int64_t pass_setup_cycles = 0;
  std::int64_t psum_hop_cycles = 0;
  std::int64_t psum_accumulate_cycles = 0;
  // Reports add bytes_<group> and energy_pj_<group> summing the levels of a group (e.g. the
  // three scratchpads of an Eyeriss PE as `rf`).
  std::string group;
  std::optional<double> read_energy_pj;   // per word of word_bits
  std::optional<double> write_energy_pj;  // per word of word_bits
  std::optional<double> area_mm2;
  // How sparse tensors cross this (dram) level: rlc = Eyeriss's run-length coding, bitmask =
  // one presence bit per element plus the nonzero values (dataflow/sparsity.hpp).
  enum class Compression { none, rlc, bitmask };
  Compression compression = Compression::none;

  [[nodiscard]] bool holds_operand(Operand o) const { return holds[static_cast<int>(o)]; }
};
inline constexpr std::array<core::EnumName<MemoryLevel::BankLayout>, 2> kBankLayouts{
    {{MemoryLevel::BankLayout::interleaved, "interleaved"},
     {MemoryLevel::BankLayout::blocked, "blocked"}}};
inline constexpr std::array<core::EnumName<MemoryLevel::Compression>, 3> kCompressions{
    {{MemoryLevel::Compression::none, "none"},
     {MemoryLevel::Compression::rlc, "rlc"},
     {MemoryLevel::Compression::bitmask, "bitmask"}}};

// The technology nodes `technology_nm` accepts, largest first: those Stillmaker & Baas
// (Integration 2017) tabulate from 180 to 7 nm, plus 28 and 22 nm interpolated between their 32
// and 20 nm rows (energy/node_scaling.hpp, docs/energy.md).
inline constexpr std::array<int, 13> kTechnologyNodesNm{180, 130, 90, 65, 45, 32, 28,
                                                        22,  20,  16, 14, 10, 7};

// Leakage and clock-power overrides (accelerator YAML `static_power:`); unset values take the
// node's defaults from energy/static_power.hpp. They price static energy only, never a mapping.
struct StaticPowerSpec {
  std::optional<double> pe_leakage_uw;            // one PE's datapath leakage, uW
  std::optional<double> sram_leakage_uw_per_kib;  // on-chip SRAM leakage, uW per KiB
  std::optional<double> clock_pj_per_pe_cycle;    // clock power per PE, pJ per cycle
};

struct Accelerator {
  std::string name;
  std::string description;
  std::string source;  // file it was read from, for reports
  double clock_hz = 1e9;
  int technology_nm = 45;
  Dataflow dataflow = Dataflow::ws;
  Compat compat = Compat::none;
  ControllerSchedule schedule = ControllerSchedule::graph;  // layerwise under compat: scalesim
  // The mapping objective runs use when the user names none (`objective:` in the YAML, as
  // `schedule:` names the schedule); never `weighted`, which needs weights.
  mapper::ObjectiveKind objective = mapper::ObjectiveKind::edp;
  PeArray array;
  std::vector<MemoryLevel> levels;  // outermost (DRAM) first
  StaticPowerSpec static_power;

  // Index of the DRAM level, and of the innermost on-chip level holding an operand.
  [[nodiscard]] int dram_level() const;
  [[nodiscard]] int sram_level(Operand o) const;
};

// Why the hardware cannot run its dataflow (a systolic array with a NoC or per-PE levels; a
// row-stationary array without scratchpads for every operand, ...), or empty if it can.
[[nodiscard]] std::string dataflow_mismatch(const Accelerator& a);
// Throws loom::Error (key `dataflow`) with dataflow_mismatch's reason, e.g. after --dataflow.
void check_dataflow_fits(const Accelerator& a);

// Loom accelerator YAML (docs/configuration.md). Throws loom::Error with every problem.
Accelerator parse_accelerator_yaml(std::string_view text, const std::string& file_name);
// SCALE-Sim v2 .cfg: compat = scalesim, 1-byte words, its dataflow and SRAM sizes.
Accelerator load_scalesim_cfg(const std::filesystem::path& path);

// Shipped presets (configs/arch/*.yaml, compiled in) by name.
struct PresetEntry {
  std::string name;
  std::string description;
};
std::vector<PresetEntry> preset_list();
// The YAML text of a preset, if `name` is one (the explorer edits it to derive variants).
std::optional<std::string_view> preset_text(std::string_view name);
inline constexpr std::string_view kDefaultPreset = "edge_ws_32x32";

// A preset name, a Loom .yaml file or a SCALE-Sim .cfg file.
Accelerator load_accelerator(const std::string& name_or_path);

}  // namespace loom::arch
