// SPDX-License-Identifier: Apache-2.0
// The `loom` executable: parses the command line (CLI11) and calls the explore library.
// Exit codes: 0 success, 2 bad input (a loom::Error or a command-line error), 1 anything else.
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "arch/accelerator.hpp"
#include "cli/flag_checks.hpp"
#include "cli/map_command.hpp"
#include "cli/optional_commands.hpp"
#include "cli/progress_line.hpp"
#include "cli/sim_console.hpp"
#include "cli/validate_command.hpp"
#include "compare/commands.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "dataflow/mapping_io.hpp"
#include "explore/evaluate.hpp"
#include "explore/map_network.hpp"
#include "explore/mapped_schedule.hpp"
#include "explore/run_outputs.hpp"
#include "explore/run_request.hpp"
#include "mapper/objective.hpp"
#include "mapper/strategy.hpp"
#include "reports/atomic_file.hpp"
#include "rtl/cosim.hpp"
#include "simulate/simulate_network.hpp"
#include "sweep/commands.hpp"
#include "workloads/network.hpp"

namespace {

using namespace loom;
using cli::cmd_map;
using cli::load_arch;
using cli::MapArgs;
using cli::RunArgs;

int cmd_run(const RunArgs& a) {
  const auto acc = load_arch(a);
  const auto net =
      workloads::load_workload(a.workload, cli::workload_importers()).with_batch(a.batch);
  explore::MappingSet mappings;
  explore::RunOptions opt = explore::run_options(a, acc);
  if (!a.mapping.empty()) {
    mappings = explore::read_mappings(a.mapping, acc, net);
    opt.mappings = &mappings;
  }
  cli::ProgressLine progress;
  std::string current;  // "[3/21] layer2.0.conv1"
  if (progress.on()) {
    opt.on_layer = [&](const workloads::Layer& l, std::size_t i, std::size_t n) {
      current = fmt::format("[{}/{}] {}", i + 1, n, l.name);
      progress.show(current, true);
    };
    opt.mapper.on_progress = [&](const mapper::Progress& p) {
      progress.show(
          fmt::format("{}: {} mappings evaluated, {} valid", current, p.evaluated, p.valid));
    };
  }
  const auto result = explore::evaluate_network(net, acc, opt);
  progress.clear();
  if (!a.mapping.empty())
    if (const auto warning = explore::schedule_mismatch(a.mapping, result))
      fmt::print(stderr, "warning: {}\n", *warning);
  explore::write_run_outputs(result, a.out_dir);
  // -q leaves out the per-layer table only: the totals are what a script reads on the console.
  std::fputs(explore::format_run_console(result, !a.quiet).c_str(), stdout);
  const std::filesystem::path dir(a.out_dir);
  fmt::print("wrote {}, {}, {}\n", (dir / "layers.csv").string(), (dir / "summary.json").string(),
             (dir / "results.h5").string());
  return 0;
}

int cmd_zoo() {
  fmt::print("Networks (--workload NAME):\n");
  for (const auto& z : workloads::zoo_list()) {
    const auto net = workloads::zoo_load(z.name);
    fmt::print("  {:<14} {:>8.1f} M MACs  {}\n", z.name, static_cast<double>(net.macs()) / 1e6,
               z.description);
  }
  fmt::print("\nAccelerator presets (--arch NAME; default {}):\n", arch::kDefaultPreset);
  for (const auto& p : arch::preset_list()) fmt::print("  {:<14} {}\n", p.name, p.description);
  return 0;
}

struct SimArgs {
  RunArgs run;
  std::string layer;
  std::string data;
  std::string vcd;
  std::string pe = "cpp";
  std::optional<std::int64_t> max_pe_cycles;  // default: by PE model (simulate_network.hpp)
  std::string group;                          // FIRST..LAST: one fused group (simulate_group)
  std::int64_t tile_rows = 1;
  std::string halo = "cache";
  std::string weights = "resident";
};

int cmd_sim_group(const SimArgs& a) {
  const auto& simulator = cli::sim_plugin("loom sim --group");
  const auto acc = load_arch(a.run);
  const auto net =
      workloads::load_workload(a.run.workload, cli::workload_importers()).with_batch(a.run.batch);
  simulate::GroupSimOptions o;
  o.group = a.group;
  o.tile_rows = a.tile_rows;
  o.halo = a.halo == "cache" ? schedule::HaloPolicy::cache : schedule::HaloPolicy::recompute;
  o.weights_resident = a.weights == "resident";
  o.seed = a.run.seed;
  o.mapper.budget = a.run.budget;
  o.mapper.seed = a.run.seed;
  o.mapper.threads = a.run.threads;
  o.mapper.objective = explore::objective_of(a.run, acc);
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  const auto g = simulator.simulate_group(net, acc, o);
  fmt::print("{}", simulator.format_group(g));
  const auto& s = g.sim;
  const bool equal = s.cycles == g.analytical.cycles && s.dram_bits == g.analytical.dram_bits;
  return s.mismatches + s.step_mismatches == 0 && equal ? 0 : 1;
}

int cmd_sim(const SimArgs& a) {
  if (!a.group.empty()) return cmd_sim_group(a);
  const auto& simulator = cli::sim_plugin("loom sim");
  const auto acc = load_arch(a.run);
  const auto net =
      workloads::load_workload(a.run.workload, cli::workload_importers()).with_batch(a.run.batch);
  simulate::SimulateOptions opt;
  opt.mapper.budget = a.run.budget;
  opt.mapper.seed = a.run.seed;
  opt.mapper.threads = a.run.threads;
  opt.mapper.objective = explore::objective_of(a.run, acc);
  opt.only_layer = a.layer;
  opt.schedule = explore::run_options(a.run, acc).schedule;
  opt.seed = a.run.seed;
  opt.data = a.data;
  opt.vcd = a.vcd;
  opt.max_pe_cycles = a.max_pe_cycles.value_or(a.pe == "rtl" ? simulate::kDefaultMaxRtlPeCycles
                                                             : simulate::kDefaultMaxPeCycles);
  if (a.pe == "rtl") {
    const auto& verilated = cli::rtl_plugin("loom sim --pe rtl");
    opt.make_pe = [&acc, &verilated] { return verilated.make_verilated_pe(acc); };
    simulator.check_simulable(acc, opt);     // an array that runs no injected PE fails here
    (void)verilated.make_verilated_pe(acc);  // an accelerator without an RTL PE fails here, exit 2
  }
  // The SystemC kernel starts here, only for this command; its banner would mix with ours.
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  // layers.csv is rewritten after every layer, so an interrupted run keeps what it finished.
  std::vector<simulate::SimulatedLayer> done;
  std::optional<explore::RunResult> scheduled;  // loom run under the graph schedule
  opt.on_schedule = [&](const explore::RunResult& r) {
    scheduled = r;
    fmt::print("{}", cli::format_sim_schedule(r));
  };
  opt.on_layer = [&](const simulate::SimulatedLayer& s) {
    done.push_back(s);
    simulator.write_sim_outputs(done, net, acc, a.run.out_dir, scheduled ? &*scheduled : nullptr);
    const auto& r = s.sim;
    // Narrow SRAM ports' share of the compute cycles, when there is one.
    const std::string ports = r.port_stall_cycles > 0 || s.analytical.port_stall_cycles > 0
                                  ? fmt::format("; port stalls {} vs {}", r.port_stall_cycles,
                                                s.analytical.port_stall_cycles)
                                  : "";
    fmt::print(
        "{}{}: {} cycles (analytical {}; compute {} vs {}{}), {} folds, {} elements "
        "checked, {} mismatches, {:.3g} s ({:.3g} M PE-cycles/s)\n",
        s.layer.name, cli::sim_layer_schedule(s), r.total_cycles, s.analytical.total_cycles,
        r.compute_cycles, s.analytical.compute_cycles, ports, r.folds.value_or(0),
        r.elements_checked, r.mismatches, s.seconds,
        static_cast<double>(r.pe_cycles) / s.seconds / 1e6);
    if (s.group_price) fmt::print("{}", cli::format_sim_group(done, *s.group_price, acc));
  };
  const auto layers = simulator.simulate_network(net, acc, opt);
  std::int64_t mismatches = 0, cycle_diffs = 0, cycles = 0, analytical_cycles = 0;
  double dram = 0, analytical_dram = 0;
  const int d = acc.dram_level();
  for (const auto& l : layers) {
    mismatches += l.sim.mismatches;
    cycle_diffs += l.sim.compute_cycles != l.analytical.compute_cycles ? 1 : 0;
    cycles += l.sim.total_cycles;
    analytical_cycles += l.analytical.total_cycles;
    dram += l.sim.access.bytes(d);
    analytical_dram += l.analytical.access.bytes(d);
  }
  fmt::print("total: {} cycles (analytical {}), DRAM {:.0f} B (analytical {:.0f} B)\n", cycles,
             analytical_cycles, dram, analytical_dram);
  fmt::print(
      "{} layers: {} mismatches, {} with compute cycles differing from the analytical "
      "model\n",
      layers.size(), mismatches, cycle_diffs);
  fmt::print("wrote {}\n", (std::filesystem::path(a.run.out_dir) / "layers.csv").string());
  return mismatches == 0 ? 0 : 1;
}

struct CosimArgs {
  std::int64_t rows = 8, cols = 8;
  std::string dataflow = "os";
  int bits = 8;
  std::int64_t vectors = rtl::kDefaultCosimVectors;
  std::uint64_t seed = 1;
  std::string fault;
};

int cmd_cosim(const CosimArgs& a) {
  const auto& cosimulator = cli::rtl_plugin("loom cosim");
  rtl::CosimOptions o{
      .rows = a.rows, .cols = a.cols, .bits = a.bits, .vectors = a.vectors, .seed = a.seed};
  const auto df = core::parse_enum(arch::kDataflows, a.dataflow);
  if (!df)
    throw Error(Diagnostic{"", "--dataflow", 0,
                           "unknown dataflow '" + a.dataflow + "' (expected one of: " +
                               core::enum_choices(arch::kDataflows) + ")"});
  o.dataflow = *df;  // run_cosim refuses the dataflows its RTL array does not run
  if (!a.fault.empty()) {
    const auto f = core::parse_enum(rtl::kFaults, a.fault);
    if (!f)
      throw Error(Diagnostic{"", "--fault", 0,
                             "unknown fault '" + a.fault +
                                 "' (expected one of: " + core::enum_choices(rtl::kFaults) + ")"});
    o.fault = *f;
  }
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  const auto report = cosimulator.run_cosim(o);
  std::fputs(cosimulator.format_cosim(o, report).c_str(), stdout);
  return report.mismatches == 0 ? 0 : 1;
}

struct ImportArgs {
  std::string workload;
  std::string out;
  bool compact = false;
};

// Any workload Loom reads (ONNX, YAML with transforms, SCALE-Sim CSV, a zoo name) written as
// plain workload YAML; the file is read back and compared before `loom import` reports success.
int cmd_import(const ImportArgs& a) {
  // Only a model's weights say which filters are all zero; a YAML or CSV workload has none.
  if (a.compact &&
      core::to_lower(std::filesystem::path(a.workload).extension().string()) != ".onnx")
    throw Error(Diagnostic{a.workload, "--compact", 0,
                           "removes the all-zero filters and input channels of an ONNX model's "
                           "weights; give a .onnx file (a workload without weights is pruned "
                           "with transforms.prune)"});
  const auto net = workloads::load_workload(a.workload, cli::workload_importers(a.compact));
  const std::string out =
      a.out.empty() ? std::filesystem::path(a.workload).stem().string() + ".yaml" : a.out;
  // `loom import net.yaml` would otherwise replace its own input (its base:, transforms: and
  // comments) by the flattened layers.
  if (std::filesystem::exists(a.workload))
    reports::refuse_overwriting_input(out, a.workload, a.out.empty() ? "" : "-o");
  const std::string text = workloads::to_workload_yaml(net);
  const auto back = workloads::parse_workload_yaml(text, out);
  if (back.layers != net.layers)
    throw std::runtime_error("the written workload does not read back to the same network");
  reports::write_file_atomically(out, text);
  std::int64_t mac_layers = 0;
  for (const auto& l : net.layers) mac_layers += workloads::does_macs(l.op) ? 1 : 0;
  fmt::print("wrote {}: {} layers ({} with MACs), {} MACs per image\n", out, net.layers.size(),
             mac_layers, net.macs());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Loom: hardware-aware DNN accelerator simulator and co-design explorer"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "loom " + std::string(kLoomVersion));

  RunArgs run;
  auto* run_cmd =
      app.add_subcommand("run", "Evaluate a network on an accelerator (analytical model)");
  run_cmd->add_option("--arch", run.arch, "Accelerator: preset name, Loom .yaml, or SCALE-Sim .cfg")
      ->capture_default_str();
  run_cmd
      ->add_option("--workload", run.workload,
                   "Network: zoo name, Loom .yaml, ONNX .onnx, or SCALE-Sim topology .csv")
      ->required();
  run_cmd->add_option(
      "--dataflow", run.dataflow,
      "Override the dataflow (os, ws, is, spatial, rs, spatial_ws, spatial_os, nlr)");
  run_cmd->add_option("--batch", run.batch, "Batch size N (default 1)")
      ->check(cli::integer_in<std::int64_t>(1, workloads::kMaxBatch));
  run_cmd->add_option("-o,--out", run.out_dir, "Output folder")->capture_default_str();
  run_cmd->add_option("--mapping", run.mapping,
                      "Mappings from `loom map` (a file or a folder) for the layers they name");
  run_cmd->add_option("--objective", run.objective,
                      "Mapper objective: energy, latency, edp, total_energy or total_edp "
                      "(the total_ ones add static energy: docs/mapper.md); default: the "
                      "accelerator's (objective: in its YAML), else edp");
  auto* run_budget =
      run_cmd->add_option("--budget", run.budget, "Mappings the mapper evaluates per layer")
          ->capture_default_str()
          ->check(cli::integer_in<std::uint64_t>(1));
  run_cmd->add_option("--seed", run.seed, "Mapper seed")
      ->capture_default_str()
      ->check(cli::integer_in<std::uint64_t>(0));
  run_cmd
      ->add_option("--strategy", run.strategy,
                   "Mapper strategy: auto, exhaustive, random, "
                   "genetic or exact (a sweep point's summary.json names its own)")
      ->capture_default_str();
  run_cmd->add_option("--threads", run.threads, "Mapper threads (0: all cores)")
      ->check(cli::integer_in<int>(0));
  run_cmd->add_flag("--no-search", run.no_search,
                    "Skip the mapper: the closed-form model picks fold order and time chunks");
  run_cmd->add_option("--schedule", run.schedule,
                      "graph (tensors stay on chip where they fit; docs/schedule.md) or layerwise "
                      "(each layer with cold buffers); default: graph, unless the accelerator runs "
                      "one layer at a time (schedule: layerwise in its YAML)");
  run_cmd->add_flag("-q,--quiet", run.quiet, "Do not print the per-layer table (totals still)");

  MapArgs map;
  map.run.out_dir = "out/mappings";
  auto* map_cmd = app.add_subcommand("map", "Search the best mapping of each layer");
  map_cmd->add_option("--arch", map.run.arch, "Accelerator: preset, Loom .yaml or SCALE-Sim .cfg")
      ->capture_default_str();
  map_cmd->add_option("--workload", map.run.workload, "Network: zoo name, .yaml, .onnx or .csv")
      ->required();
  map_cmd->add_option("--layer", map.layer, "Map only this layer");
  map_cmd->add_option("--schedule", map.run.schedule,
                      "graph (also write schedule.yaml: the fused groups and resident tensors "
                      "loom run --mapping plans with these mappings) or layerwise (mappings "
                      "only); default: the accelerator's");
  map_cmd->add_option(
      "--dataflow", map.run.dataflow,
      "Override the dataflow (os, ws, is, spatial, rs, spatial_ws, spatial_os, nlr)");
  map_cmd->add_option("--batch", map.run.batch, "Batch size N")
      ->check(cli::integer_in<std::int64_t>(1, workloads::kMaxBatch));
  map_cmd->add_option("--objective", map.run.objective,
                      "energy, latency, edp, total_energy or total_edp; default: the "
                      "accelerator's, else edp");
  map_cmd->add_option("--strategy", map.strategy, "auto, exhaustive, random, genetic or exact")
      ->capture_default_str();
  auto* map_budget =
      map_cmd
          ->add_option("--budget", map.run.budget,
                       "Mappings evaluated per layer (exact: 1000000 systolic, 450000 spatial)")
          ->capture_default_str()
          ->check(cli::integer_in<std::uint64_t>(1));
  map_cmd->add_option("--seed", map.run.seed, "Random seed")
      ->capture_default_str()
      ->check(cli::integer_in<std::uint64_t>(0));
  map_cmd->add_option("--threads", map.run.threads, "Threads (0: all cores)")
      ->check(cli::integer_in<int>(0));
  map_cmd
      ->add_option("--time-limit", map.time_limit_s,
                   "Wall-clock cap per layer in seconds (results then depend on timing)")
      ->check(cli::positive_number());
  map_cmd->add_option("-o,--out", map.run.out_dir, "Folder for the mapping files")
      ->capture_default_str();
  map_cmd->add_flag("-q,--quiet", map.run.quiet, "Do not print the loop nests");

  auto* zoo_cmd = app.add_subcommand("zoo", "List built-in networks and accelerator presets");

  SimArgs sim;
  sim.run.out_dir = "out/sim";
  auto* sim_cmd = app.add_subcommand(
      "sim", "Run layers cycle by cycle on the systolic array with real data (SystemC)");
  sim_cmd->add_option("--arch", sim.run.arch, "Accelerator: preset or Loom .yaml (systolic)")
      ->capture_default_str();
  sim_cmd->add_option("--workload", sim.run.workload, "Network: zoo name, .yaml, .onnx or .csv")
      ->required();
  sim_cmd->add_option("--layer", sim.layer, "Simulate only this layer");
  sim_cmd->add_option("--dataflow", sim.run.dataflow, "Override the dataflow: os, ws or is");
  sim_cmd->add_option("--batch", sim.run.batch, "Batch size N")
      ->check(cli::integer_in<std::int64_t>(1, workloads::kMaxBatch));
  sim_cmd->add_option("--data", sim.data,
                      "HDF5 file with /<layer>/ifmap and /<layer>/weights (default: random)");
  sim_cmd->add_option("--seed", sim.run.seed, "Seed of the random tensors and of the mapper")
      ->capture_default_str()
      ->check(cli::integer_in<std::uint64_t>(0));
  sim_cmd->add_option("--vcd", sim.vcd, "Write a VCD trace of the array (small runs)");
  sim_cmd->add_option("--objective", sim.run.objective, "Mapper objective, as for run");
  sim_cmd->add_option("--budget", sim.run.budget, "Mappings the mapper evaluates per layer")
      ->capture_default_str()
      ->check(cli::integer_in<std::uint64_t>(1));
  sim_cmd->add_option("--threads", sim.run.threads, "Mapper threads (0: all cores)")
      ->check(cli::integer_in<int>(0));
  sim_cmd->add_option("-o,--out", sim.run.out_dir, "Output folder")->capture_default_str();
  sim_cmd->add_option("--pe", sim.pe, "PE model: cpp (C++) or rtl (the Verilated RTL PE)")
      ->capture_default_str()
      ->check(cli::one_of({"cpp", "rtl"}));
  sim_cmd
      ->add_option("--max-pe-cycles", sim.max_pe_cycles,
                   "Refuse a layer that would take more PE-cycles (PEs x cycles) to simulate "
                   "(default 10000000000, with --pe rtl 500000000)")
      ->check(cli::integer_in<std::int64_t>(1));
  sim_cmd->add_option("--schedule", sim.run.schedule,
                      "graph (the schedule loom run plans: tensors stay on chip, fused groups "
                      "run tile by tile; docs/sim.md) or layerwise (every layer from DRAM to "
                      "DRAM); default: the accelerator's");
  sim_cmd->add_option("--group", sim.group,
                      "Run layers FIRST..LAST (a chain of convolutions) as one fused group, tile "
                      "by tile (docs/sim.md)");
  sim_cmd->add_option("--tile-rows", sim.tile_rows, "With --group: output rows per tile")
      ->capture_default_str()
      ->check(cli::integer_in<std::int64_t>(1));
  sim_cmd->add_option("--halo", sim.halo, "With --group: cache or recompute")
      ->capture_default_str()
      ->check(cli::one_of({"cache", "recompute"}));
  sim_cmd->add_option("--weights", sim.weights, "With --group: resident or refetched")
      ->capture_default_str()
      ->check(cli::one_of({"resident", "refetched"}));

  CosimArgs cosim;
  auto* cosim_cmd = app.add_subcommand(
      "cosim", "Co-simulate the Verilated PE and array against Loom's C++/SystemC models");
  cosim_cmd->add_option("--rows", cosim.rows, "Array rows (4 or 8, as verilated)")
      ->capture_default_str();
  cosim_cmd->add_option("--cols", cosim.cols, "Array columns (4 or 8, as verilated)")
      ->capture_default_str();
  cosim_cmd->add_option("--dataflow", cosim.dataflow, "os, ws or is")->capture_default_str();
  cosim_cmd->add_option("--bits", cosim.bits, "PE precision: 8, 4 or 2 (Bit Fusion lanes)")
      ->capture_default_str();
  cosim_cmd
      ->add_option("--vectors", cosim.vectors, "Random PE vectors, and array cycles, to compare")
      ->capture_default_str();
  cosim_cmd->add_option("--seed", cosim.seed, "Seed of the random stimulus")
      ->capture_default_str()
      ->check(cli::integer_in<std::uint64_t>(0));
  cosim_cmd->add_option("--fault", cosim.fault,
                        "Run against a deliberately altered PE: carry or split");

  cli::ValidateArgs val;
  auto* val_cmd = cli::add_validate_command(app, val);

  ImportArgs imp;
  auto* import_cmd = app.add_subcommand(
      "import",
      "Write a network (ONNX, YAML with transforms, SCALE-Sim .csv, zoo) as workload YAML");
  import_cmd->add_option("workload", imp.workload, "model.onnx, a .yaml/.csv file or a zoo name")
      ->required();
  import_cmd->add_option("-o,--out", imp.out, "Output .yaml (default: <model name>.yaml)");
  import_cmd->add_flag("--compact", imp.compact,
                       "Remove all-zero filters and input channels of the ONNX model's weights");

  sweep::SweepArgs sweep_args;
  auto* sweep_cmd = app.add_subcommand(
      "sweep",
      "Explore accelerators, dataflows, precisions and mappings (a sweep YAML); MPI-aware");
  sweep_cmd->add_option("file", sweep_args.file, "Sweep file (docs/sweep.md)")->required();
  sweep_cmd->add_option("-o,--out", sweep_args.out_dir, "Output folder")->capture_default_str();
  auto* resume_flag = sweep_cmd->add_flag("--resume", sweep_args.resume,
                                          "Continue an interrupted sweep from DIR/journal.tsv");
  sweep_cmd
      ->add_flag("--force", sweep_args.force,
                 "Start afresh in a non-empty output folder, replacing its sweep's files")
      ->excludes(resume_flag);
  sweep_cmd
      ->add_option("--threads", sweep_args.threads,
                   "Threads per rank (0: cores / ranks on this machine)")
      ->check(cli::integer_in<int>(0));
  sweep_cmd->add_flag("-q,--quiet", sweep_args.quiet, "No progress line");

  compare::ReportArgs report_args;
  auto* report_cmd = app.add_subcommand(
      "report", "HTML report of a sweep's results.h5, or of runs' results.h5 side by side");
  report_cmd
      ->add_option("results", report_args.results,
                   "A sweep's results.h5, or one or more runs' results.h5 (or run folders)")
      ->required();
  report_cmd->add_option("-o,--out", report_args.out, "HTML file")->capture_default_str();
  report_cmd->add_option("--pareto-svg", report_args.pareto_svg,
                         "Sweep only: also write the Pareto plot alone as an SVG file");

  compare::CompareArgs compare_args;
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "Compare runs layer by layer: energy and latency, with differences from the first");
  compare_cmd->add_option("runs", compare_args.runs, "Run folders or their results.h5, two or more")
      ->required()
      ->expected(2, -1);
  compare_cmd->add_option("--csv", compare_args.csv, "Also write the table as CSV");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::fprintf(stderr, "loom: error: %s\n", e.what());
    return 2;
  }
  try {
    if (run_cmd->parsed()) {
      run.budget_given = run_budget->count() > 0;
      return cmd_run(run);
    }
    if (map_cmd->parsed()) {
      map.run.budget_given = map_budget->count() > 0;
      return cmd_map(map);
    }
    if (zoo_cmd->parsed()) return cmd_zoo();
    if (val_cmd->parsed()) return cli::run_validate_command(val);
    if (sim_cmd->parsed()) return cmd_sim(sim);
    if (cosim_cmd->parsed()) return cmd_cosim(cosim);
    if (import_cmd->parsed()) return cmd_import(imp);

    if (sweep_cmd->parsed()) return sweep::run_sweep_command(sweep_args);
    if (report_cmd->parsed()) return compare::run_report_command(report_args);
    if (compare_cmd->parsed()) return compare::run_compare_command(compare_args);
  } catch (const Error& e) {
    std::fprintf(stderr, "loom: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loom: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
