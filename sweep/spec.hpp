// SPDX-License-Identifier: Apache-2.0
#pragma once
// A design-space sweep as typed, immutable values (docs/sweep.md documents every key). The
// loader (spec_yaml.cpp) validates everything before any point runs, so a SweepSpec that exists
// is runnable: every axis value applies to every base accelerator, every algorithm variant to
// every workload, and accuracy is known wherever an objective or constraint needs it.
//
// A design point is one choice per axis; its id is its index in the mixed-radix enumeration of
// the axes (first axis most significant), the same for every strategy, so points.csv rows from
// grid, random and NSGA-II sweeps of one spec are comparable and resume can match them.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/enum_table.hpp"
#include "mapper/mapper.hpp"
#include "schedule/graph_schedule.hpp"
#include "workloads/network.hpp"
#include "workloads/transforms.hpp"

namespace loom::sweep {

// What an axis varies. `arch`: accelerator YAML fields (dotted paths, see ArchTarget);
// `precision` / `density` / `prune`: per-layer algorithm variants. A new algorithm kind adds an
// enumerator here and a transform in algorithm.cpp.
enum class AxisKind { arch, precision, density, prune };

// A place in the accelerator YAML: `clock_mhz`, `dataflow`, `pe_array.rows`, `pe.weight_bits`,
// or `levels.<level name>.<key>` (a level is addressed by its name, not its position).
struct ArchTarget {
  std::vector<std::string> path;  // split at '.'
  [[nodiscard]] std::string dotted() const;
};

// Bit widths for one layer; 0 keeps the layer's own (or the PE's native) width.
struct LayerBits {
  int weight_bits = 0;
  int activation_bits = 0;
};

// One value of a precision axis: a uniform assignment plus per-layer exceptions. Layer keys are
// layer names or `first` / `last` (the first / last MAC layer of each workload).
struct PrecisionVariant {
  std::string name;
  LayerBits uniform;
  std::map<std::string, LayerBits> layers;
};

// Densities (fraction of nonzeros, in (0, 1]); an unset field keeps the workload's own.
struct DensitySet {
  std::optional<double> ifmap, weight, ofmap;
};
struct DensityVariant {
  std::string name;
  DensitySet uniform;
  std::map<std::string, DensitySet> layers;
};

// One value of a pruning axis: ThiNet-style channel pruning rules (Luo et al., ICCV 2017) for
// workloads::prune_channels; no rules is the unpruned network. A rule's patterns apply to the
// workloads that have a layer they match (the loader checks each matches some workload).
struct PruneVariant {
  std::string name;
  std::vector<workloads::PruneRule> rules;  // `at`: the rule's place in the sweep file
};

// A searched per-layer bit-width assignment (HAQ-style, Wang et al., CVPR 2019): once the
// workloads are loaded it becomes one precision axis per MAC layer, named `<axis>.<layer>`,
// with one variant per width (named by the width), so NSGA-II searches the assignment.
struct PerLayerBits {
  std::vector<std::string> layers;  // empty: every MAC layer of every workload
  std::vector<int> bits;
  bool activations = true;  // activations take the layer's width too
};

struct Axis {
  std::string name;  // column name in points.csv
  AxisKind kind = AxisKind::arch;
  std::vector<ArchTarget> targets;  // arch: every target gets the same value
  std::vector<std::string> values;  // arch: YAML scalars, as written into the accelerator
  bool numeric = false;             // arch: every value parses as a number
  std::vector<PrecisionVariant> precision;
  std::vector<DensityVariant> density;
  std::vector<PruneVariant> prune;
  std::optional<PerLayerBits> per_layer;  // expanded into precision axes by the loader
  int line = 0;                           // in the sweep file, for messages

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::string label(std::size_t i) const;  // value or variant name
};

enum class Metric { energy, latency, edp, area, accuracy };
inline constexpr std::array<core::EnumName<Metric>, 5> kMetrics{{{Metric::energy, "energy"},
                                                                 {Metric::latency, "latency"},
                                                                 {Metric::edp, "edp"},
                                                                 {Metric::area, "area"},
                                                                 {Metric::accuracy, "accuracy"}}};

struct Constraints {
  std::optional<double> area_mm2_max;
  std::optional<double> power_w_max;        // the highest of the workloads' average powers
  std::optional<double> accuracy_drop_max;  // percentage points, worst workload
  std::optional<double> buffer_kib_max;     // on-chip SRAM, per-PE levels times the PEs
};

enum class StrategyKind { grid, random, nsga2 };
inline constexpr std::array<core::EnumName<StrategyKind>, 3> kStrategyKinds{
    {{StrategyKind::grid, "grid"},
     {StrategyKind::random, "random"},
     {StrategyKind::nsga2, "nsga2"}}};

struct StrategySpec {
  StrategyKind kind = StrategyKind::grid;
  std::uint64_t samples = 0;      // random: distinct points drawn
  std::uint64_t population = 0;   // nsga2
  std::uint64_t generations = 0;  // nsga2: offspring generations after the initial population
  double crossover = 0.9;         // nsga2: probability a pair is recombined
  std::uint64_t seed = 1;
};

// Accuracy supplied by the user; Loom never estimates it. `table` rows give measured top-1
// accuracy for a workload under named variants; `sensitivity` gives, per workload and layer,
// the accuracy drop (percentage points) when the layer's weights use a given bit width, summed
// over layers and subtracted from the baseline (measured at baseline_bits).
struct AccuracyRow {
  std::string workload;
  std::map<std::string, std::string> variants;  // axis name -> variant name
  double top1_pct = 0;
};
struct AccuracySpec {
  std::string source;  // cited in the report
  std::map<std::string, double> baseline_pct;
  int baseline_bits = 8;
  std::vector<AccuracyRow> table;
  std::map<std::string, std::map<std::string, std::map<int, double>>> sensitivity;
  [[nodiscard]] bool empty() const { return table.empty() && sensitivity.empty(); }
};

// A base accelerator: its YAML text and the name it is reported under.
struct BaseArch {
  std::string text;
  std::string file;
};

struct SweepSpec {
  std::string name;
  std::string file;
  std::vector<std::string> workloads;  // as given (zoo names or paths resolved to the file)
  std::vector<workloads::Network> networks;
  std::int64_t batch = 1;
  BaseArch base;
  std::map<std::string, BaseArch> dataflow_bases;  // dataflow name -> base used for it
  std::vector<Axis> axes;
  std::vector<Metric> objectives;
  Constraints constraints;
  StrategySpec strategy;
  mapper::MapperOptions mapper;  // threads 1: the sweep parallelises over points
  bool search = true;            // false: systolic closed form (no mapper)
  // As `loom run --schedule`: graph keeps tensors on chip between layers where they fit (a
  // point whose accelerator runs layer by layer is then infeasible, with the reason); none:
  // each point's accelerator's own.
  std::optional<schedule::ScheduleKind> schedule;
  AccuracySpec accuracy;
  // Ask/tell sweeps (ask_tell.hpp): the caller tells each point's accuracy, so the loader does
  // not ask for accuracy.table or accuracy.sensitivity when objectives use accuracy.
  bool accuracy_told = false;
  std::string fingerprint;  // hash of the file's text: a journal belongs to one spec

  [[nodiscard]] std::uint64_t point_count() const;  // product of axis sizes
  [[nodiscard]] std::vector<std::size_t> decode(std::uint64_t point) const;
  [[nodiscard]] std::uint64_t encode(const std::vector<std::size_t>& choice) const;
};

// Reads and validates a sweep file. Throws loom::Error listing every problem (file, key, line).
// `accuracy_told`: see SweepSpec::accuracy_told.
SweepSpec load_sweep(const std::string& path, bool accuracy_told = false);
SweepSpec parse_sweep(std::string_view text, const std::string& file_name,
                      bool accuracy_told = false);

}  // namespace loom::sweep
