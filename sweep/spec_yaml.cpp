// SPDX-License-Identifier: Apache-2.0
// Sweep YAML -> SweepSpec. Syntax and ranges are checked here, key by key; what needs the
// loaded workloads and accelerators (targets exist, values load, accuracy covers the variants)
// is checked in spec_check.cpp. Every problem is reported at once, before any point runs.
#include <fmt/core.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

#include "arch/accelerator.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "mapper/objective.hpp"
#include "mapper/strategy.hpp"
#include "sweep/arch_patch.hpp"
#include "sweep/spec_check.hpp"

namespace loom::sweep {
namespace {

using core::ConfigNode;

// More values than this on one axis is almost surely a mistyped range.
constexpr std::size_t kMaxAxisValues = 100'000;
// Point ids are exact in a double (HDF5 readers, spreadsheets) up to 2^53.
constexpr double kMaxPoints = 9007199254740992.0;

bool parses_as_number(const std::string& s) {
  double v = 0;
  const char* b = s.data();
  auto [p, ec] = std::from_chars(b, b + s.size(), v);
  return ec == std::errc{} && p == b + s.size() && std::isfinite(v);
}

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

// The document-wide ok() would stop at another key's error: these check their own values.
double number_at(const ConfigNode& r, std::string_view key, double min_exclusive) {
  if (!r.has(key)) {
    r.error_at(key, "missing required key (expected a number)");
    return NAN;
  }
  return r.get_double(key, NAN, min_exclusive);
}

std::vector<std::string> read_range(const ConfigNode& r) {
  std::vector<std::string> out;
  if (!r.allow_keys({"from", "to", "step"})) return out;
  const double from = number_at(r, "from", -1e300);
  const double to = number_at(r, "to", -1e300);
  const double step = r.has("step") ? r.get_double("step", NAN, 0.0) : 1.0;
  if (std::isnan(from) || std::isnan(to) || std::isnan(step)) return out;  // reported
  if (from > to) {
    r.error_at("to", fmt::format("expected to >= from ({}), got {}", from, to));
    return out;
  }
  if ((to - from) / step + 1 > static_cast<double>(kMaxAxisValues)) {
    r.error(fmt::format("range gives more than {} values (check step)", kMaxAxisValues));
    return out;
  }
  for (std::size_t i = 0;; ++i) {
    const double v = from + static_cast<double>(i) * step;
    if (v > to + 1e-9 * step) break;
    out.push_back(number_text(v));
  }
  return out;
}

bool power_of_two(std::int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

std::vector<std::string> read_pow2(const ConfigNode& r) {
  std::vector<std::string> out;
  if (!r.allow_keys({"from", "to"})) return out;
  constexpr std::int64_t kMax = std::int64_t{1} << 40;
  for (const char* k : {"from", "to"})
    if (!r.has(k)) r.error_at(k, "missing required key (expected a power of two)");
  const std::int64_t from = r.get_int("from", 0, 1, kMax);
  const std::int64_t to = r.get_int("to", 0, 1, kMax);
  if (from == 0 || to == 0) return out;  // reported above
  bool bad = false;
  if (!power_of_two(from))
    r.error_at("from", fmt::format("expected a power of two, got {}", from)), bad = true;
  if (!power_of_two(to))
    r.error_at("to", fmt::format("expected a power of two, got {}", to)), bad = true;
  if (from > to)
    r.error_at("to", fmt::format("expected to >= from ({}), got {}", from, to)), bad = true;
  if (bad) return out;
  for (std::int64_t v = from; v <= to; v *= 2) out.push_back(std::to_string(v));
  return out;
}

LayerBits read_bits(const ConfigNode& n) {
  LayerBits b;
  if (!n.allow_keys({"weight_bits", "activation_bits"})) return b;
  b.weight_bits = static_cast<int>(n.get_int("weight_bits", 0, 1, 32));
  b.activation_bits = static_cast<int>(n.get_int("activation_bits", 0, 1, 32));
  return b;
}

PrecisionVariant read_precision(const ConfigNode& n) {
  PrecisionVariant v;
  if (!n.allow_keys({"name", "weight_bits", "activation_bits", "layers"})) return v;
  v.name = n.require_string("name");
  v.uniform.weight_bits = static_cast<int>(n.get_int("weight_bits", 0, 1, 32));
  v.uniform.activation_bits = static_cast<int>(n.get_int("activation_bits", 0, 1, 32));
  const ConfigNode layers = n.child("layers");
  if (n.has("layers") && layers.expect_map())
    for (const auto& k : layers.keys()) v.layers[k] = read_bits(layers.child(k));
  return v;
}

std::optional<double> read_fraction(const ConfigNode& n, std::string_view key) {
  if (!n.has(key)) return std::nullopt;
  const double d = n.get_double(key, 1.0, 0.0);
  if (d > 1.0) n.error_at(key, fmt::format("expected a density in (0, 1], got {}", d));
  return d;
}

DensitySet read_density_set(const ConfigNode& n) {
  return {read_fraction(n, "ifmap"), read_fraction(n, "weight"), read_fraction(n, "ofmap")};
}

DensityVariant read_density(const ConfigNode& n) {
  DensityVariant v;
  if (!n.allow_keys({"name", "ifmap", "weight", "ofmap", "layers"})) return v;
  v.name = n.require_string("name");
  v.uniform = read_density_set(n);
  const ConfigNode layers = n.child("layers");
  if (n.has("layers") && layers.expect_map())
    for (const auto& k : layers.keys()) {
      const ConfigNode c = layers.child(k);
      if (c.allow_keys({"ifmap", "weight", "ofmap"})) v.layers[k] = read_density_set(c);
    }
  return v;
}

// A pruning variant: {name, rules: [{layers: [patterns], ratio}]}; ratio is the fraction of
// output channels removed, in [0, 1) as in a workload's transforms.prune (docs/configuration.md).
PruneVariant read_prune(const ConfigNode& n) {
  PruneVariant v;
  if (!n.allow_keys({"name", "rules"})) return v;
  v.name = n.require_string("name");
  if (!n.has("rules")) return v;  // the unpruned network
  const ConfigNode rules = n.child("rules");
  if (!rules.is_sequence()) {
    rules.error("expected a list of rules, each {layers: [patterns], ratio}");
    return v;
  }
  for (const auto& item : rules.items()) {
    if (!item.expect_map() || !item.allow_keys({"layers", "ratio"})) continue;
    workloads::PruneRule r;
    r.at = Diagnostic{item.file(), item.path(), item.line(), ""};
    if (!item.has("layers"))
      item.error_at("layers", "missing required key (a list of layer names or patterns)");
    else
      r.layers = item.get_string_list("layers");
    if (item.has("layers") && r.layers.empty())
      item.error_at("layers", "expected at least one layer name or pattern");
    if (!item.has("ratio"))
      item.error_at("ratio", "missing required key (fraction of output channels removed)");
    r.ratio = item.get_double("ratio", 0.0, -1e300);
    if (r.ratio < 0.0 || r.ratio >= 1.0)
      item.error_at("ratio", fmt::format("expected the fraction of output channels removed, in "
                                         "[0, 1), got {}",
                                         r.ratio));
    v.rules.push_back(std::move(r));
  }
  return v;
}

PerLayerBits read_per_layer(const ConfigNode& n) {
  PerLayerBits p;
  if (!n.allow_keys({"layers", "bits", "activations"})) return p;
  if (!n.has("layers"))
    n.error_at("layers", "missing required key (a list of layers, or all)");
  else if (!n.child("layers").is_scalar())
    p.layers = n.get_string_list("layers");
  else if (n.get_string("layers", "") != "all")
    n.error_at("layers", "expected a list of layer names, or all");
  for (auto b : n.get_int_list("bits", 1)) {
    if (b > 32) n.error_at("bits", fmt::format("expected widths of 1..32 bits, got {}", b));
    p.bits.push_back(static_cast<int>(b));
  }
  if (p.bits.size() < 2) n.error_at("bits", "expected at least two widths to choose from");
  std::set<int> seen(p.bits.begin(), p.bits.end());
  if (seen.size() != p.bits.size()) n.error_at("bits", "a width appears twice");
  p.activations = n.get_bool("activations", true);
  return p;
}

Axis read_axis(const ConfigNode& n) {
  Axis a;
  a.line = n.line();
  if (!n.allow_keys({"name", "set", "values", "range", "pow2", "precision", "density", "prune",
                     "per_layer_bits"}))
    return a;
  a.name = n.require_string("name");
  int forms = 0;
  for (const char* k :
       {"values", "range", "pow2", "precision", "density", "prune", "per_layer_bits"})
    forms += n.has(k);
  if (forms != 1) {
    n.error(
        "expected exactly one of values, range, pow2 (with set), precision, density, prune or "
        "per_layer_bits");
    return a;
  }
  if (n.has("per_layer_bits")) {
    a.kind = AxisKind::precision;
    a.per_layer = read_per_layer(n.child("per_layer_bits"));
    return a;
  }
  if (n.has("precision") || n.has("density") || n.has("prune")) {
    if (n.has("set")) n.error_at("set", "algorithm axes change the workload, not the accelerator");
    a.kind = n.has("precision") ? AxisKind::precision
             : n.has("density") ? AxisKind::density
                                : AxisKind::prune;
    const char* key = n.has("precision") ? "precision" : n.has("density") ? "density" : "prune";
    for (const auto& item : n.child(key).items()) {
      if (a.kind == AxisKind::precision)
        a.precision.push_back(read_precision(item));
      else if (a.kind == AxisKind::density)
        a.density.push_back(read_density(item));
      else
        a.prune.push_back(read_prune(item));
    }
  } else {
    if (!n.has("set")) n.error_at("set", "missing required key (the accelerator fields to set)");
    for (const auto& t : n.get_string_list("set")) {
      ArchTarget target;
      for (std::size_t b = 0, e; b <= t.size(); b = e + 1) {
        e = t.find('.', b);
        if (e == std::string::npos) e = t.size();
        target.path.push_back(t.substr(b, e - b));
      }
      bool bad = false;
      for (const auto& p : target.path) bad = bad || p.empty();
      if (target.path.front() == "levels" && target.path.size() != 3) bad = true;
      if (bad)
        n.error_at("set",
                   "expected a dotted accelerator key such as pe_array.rows or "
                   "levels.<level name>.size_kib, got '" +
                       t + "'");
      else
        a.targets.push_back(std::move(target));
    }
    if (n.has("values")) a.values = n.get_string_list("values");
    if (n.has("range")) a.values = read_range(n.child("range"));
    if (n.has("pow2")) a.values = read_pow2(n.child("pow2"));
    a.numeric = !a.values.empty();
    for (const auto& v : a.values) a.numeric = a.numeric && parses_as_number(v);
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!seen.insert(a.label(i)).second)
      n.error("value '" + a.label(i) + "' appears twice on this axis");
  if (a.size() == 0 &&
      (n.has("values") || n.has("precision") || n.has("density") || n.has("prune")))
    n.error("an axis needs at least one value");
  if (a.size() > kMaxAxisValues) n.error(fmt::format("more than {} values", kMaxAxisValues));
  return a;
}

void read_strategy(const ConfigNode& n, StrategySpec& s) {
  if (!n.allow_keys({"kind", "samples", "population", "generations", "crossover", "seed"})) return;
  if (!n.has("kind")) n.error_at("kind", "missing required key (grid, random or nsga2)");
  s.kind = n.get_enum("kind", kStrategyKinds, StrategyKind::grid);
  s.seed = static_cast<std::uint64_t>(n.get_int("seed", 1, 0));
  const auto only = [&](const char* key, bool allowed) {
    if (n.has(key) && !allowed)
      n.error_at(key, "only for strategy kind " +
                          std::string(s.kind == StrategyKind::random ? "nsga2" : "random/nsga2"));
  };
  only("samples", s.kind == StrategyKind::random);
  for (const char* k : {"population", "generations", "crossover"})
    only(k, s.kind == StrategyKind::nsga2);
  if (s.kind == StrategyKind::random)
    s.samples = static_cast<std::uint64_t>(n.require_int("samples", 1));
  if (s.kind == StrategyKind::nsga2) {
    s.population = static_cast<std::uint64_t>(n.require_int("population", 4, 100'000));
    s.generations = static_cast<std::uint64_t>(n.require_int("generations", 1, 100'000));
    s.crossover = n.get_double("crossover", 0.9, -1e-300);
    if (s.crossover > 1.0) n.error_at("crossover", "expected a probability in [0, 1]");
    if (s.population % 2 != 0) n.error_at("population", "expected an even number (pairs mate)");
  }
}

void read_mapper(const ConfigNode& n, SweepSpec& spec) {
  if (!n.allow_keys({"budget", "seed", "objective", "strategy", "search"})) return;
  auto& m = spec.mapper;
  m.budget = static_cast<std::uint64_t>(n.get_int("budget", 2000, 1));
  m.seed = static_cast<std::uint64_t>(n.get_int("seed", 1, 0));
  m.objective.kind = n.get_enum("objective", mapper::kObjectiveKinds, mapper::ObjectiveKind::edp);
  if (m.objective.kind == mapper::ObjectiveKind::weighted)
    n.error_at("objective", "expected energy, latency, edp, total_energy or total_edp");
  m.strategy = n.get_enum("strategy", mapper::kStrategies, mapper::Strategy::automatic);
  spec.search = n.get_bool("search", true);
}

void read_constraints(const ConfigNode& n, Constraints& c) {
  if (!n.allow_keys({"area_mm2_max", "power_w_max", "accuracy_drop_max", "buffer_kib_max"})) return;
  const auto opt = [&](const char* key, double min_exclusive) -> std::optional<double> {
    if (!n.has(key)) return std::nullopt;
    return n.get_double(key, 0.0, min_exclusive);
  };
  c.area_mm2_max = opt("area_mm2_max", 0.0);
  c.power_w_max = opt("power_w_max", 0.0);
  c.accuracy_drop_max = opt("accuracy_drop_max", -1e-300);
  c.buffer_kib_max = opt("buffer_kib_max", 0.0);
}

BaseArch read_base(const ConfigNode& root, std::string_view key, const std::filesystem::path& dir) {
  const ConfigNode n = root.child(key);
  if (n.is_map()) return {n.yaml_text(), root.file() + " (" + n.path() + ")"};
  const std::string name = root.get_string(key, "");
  if (name.empty()) return {};
  try {
    if (arch::preset_text(name)) return read_base_arch(name);
    return read_base_arch((dir / name).string());
  } catch (const Error& e) {
    root.error_at(key, e.what());
    return {};
  }
}

}  // namespace

SweepSpec parse_sweep(std::string_view text, const std::string& file_name, bool accuracy_told) {
  const ConfigNode root = ConfigNode::parse(text, file_name);
  SweepSpec spec;
  spec.file = file_name;
  spec.accuracy_told = accuracy_told;
  if (!root.allow_keys({"name", "description", "workloads", "batch", "accelerator",
                        "dataflow_bases", "axes", "objectives", "constraints", "strategy", "mapper",
                        "schedule", "accuracy"}))
    root.finish();
  const auto dir = std::filesystem::path(file_name).parent_path();
  spec.name = root.require_string("name");
  if (!root.has("workloads")) root.error_at("workloads", "missing required key (a list)");
  spec.workloads = root.get_string_list("workloads");
  spec.batch = root.get_int("batch", 1, 1, workloads::kMaxBatch);
  if (!root.has("accelerator"))
    root.error_at("accelerator", "missing required key (a preset, a file or an inline map)");
  spec.base = read_base(root, "accelerator", dir);
  const ConfigNode bases = root.child("dataflow_bases");
  if (root.has("dataflow_bases") && bases.expect_map())
    for (const auto& k : bases.keys()) {
      if (!core::parse_enum(arch::kDataflows, k))
        bases.error_at(k, "unknown dataflow '" + k +
                              "' (expected one of: " + core::enum_choices(arch::kDataflows) + ")");
      spec.dataflow_bases[k] = read_base(bases, k, dir);
    }
  if (!root.has("axes")) root.error_at("axes", "missing required key (a list of axes)");
  std::set<std::string> names;
  for (const auto& item : root.child("axes").items()) {
    spec.axes.push_back(read_axis(item));
    const auto& a = spec.axes.back();
    if (!a.name.empty() && !names.insert(a.name).second)
      item.error_at("name", "duplicate axis name '" + a.name + "'");
  }
  if (!root.has("objectives")) root.error_at("objectives", "missing required key (a list)");
  const auto objectives =
      root.has("objectives") ? root.get_string_list("objectives") : std::vector<std::string>{};
  // With no objective every point is on the "front": a sweep that ranks nothing.
  if (objectives.empty() && root.has("objectives") && root.child("objectives").is_sequence())
    root.error_at("objectives",
                  "expected at least one objective (one of: " + core::enum_choices(kMetrics) + ")");
  for (const auto& m : objectives) {
    const auto v = core::parse_enum(kMetrics, m);
    if (!v)
      root.error_at("objectives", "unknown objective '" + m +
                                      "' (expected one of: " + core::enum_choices(kMetrics) + ")");
    else if (std::find(spec.objectives.begin(), spec.objectives.end(), *v) != spec.objectives.end())
      root.error_at("objectives", "objective '" + m + "' listed twice");
    else
      spec.objectives.push_back(*v);
  }
  if (root.has("constraints")) read_constraints(root.child("constraints"), spec.constraints);
  if (!root.has("strategy"))
    root.error_at("strategy", "missing required key (kind: grid, ...)");
  else
    read_strategy(root.child("strategy"), spec.strategy);
  spec.mapper.threads = 1;
  spec.mapper.budget = 2000;
  if (root.has("mapper")) read_mapper(root.child("mapper"), spec);
  // Without mapper.objective, the base accelerator's (`objective:` in its YAML), as `loom run`
  // takes it; a base that does not parse is reported by check_spec.
  if (!(root.has("mapper") && root.child("mapper").has("objective")) && !spec.base.text.empty()) {
    try {
      spec.mapper.objective.kind =
          arch::parse_accelerator_yaml(spec.base.text, spec.base.file).objective;
    } catch (const Error&) {
    }
  }
  if (root.has("schedule"))
    spec.schedule =
        root.get_enum("schedule", schedule::kScheduleKinds, schedule::ScheduleKind::layerwise);
  if (root.has("accuracy")) read_accuracy(root.child("accuracy"), spec);
  if (root.ok()) check_spec(root, spec, dir);
  if (root.ok()) {
    double points = 1;
    for (const auto& a : spec.axes) points *= static_cast<double>(a.size());
    if (points > kMaxPoints)
      root.error_at("axes", fmt::format("{:g} points exceed 2^53 (fewer axes or values)", points));
  }
  root.finish();
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bit
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  spec.fingerprint = fmt::format("{:016x}", h);
  return spec;
}

SweepSpec load_sweep(const std::string& path, bool accuracy_told) {
  return parse_sweep(core::read_text_file(path), path, accuracy_told);
}

}  // namespace loom::sweep
