// SPDX-License-Identifier: Apache-2.0
// The `loom` executable: parses the command line (CLI11) and calls the explore library.
// Exit codes: 0 success, 2 bad input (a loom::Error or a command-line error), 1 anything else.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "arch/accelerator.hpp"
#include "core/error.hpp"
#include "explore/evaluate.hpp"
#include "explore/run_outputs.hpp"
#include "workloads/network.hpp"

namespace {

using namespace loom;

struct RunArgs {
  std::string arch{arch::kDefaultPreset};
  std::string workload;
  std::string dataflow;
  std::int64_t batch = 1;
  std::string out_dir = "out";
  bool quiet = false;
};

int cmd_run(const RunArgs& a) {
  auto acc = arch::load_accelerator(a.arch);
  if (!a.dataflow.empty()) {
    auto df = core::parse_enum(arch::kDataflows, a.dataflow);
    if (!df)
      throw Error(Diagnostic{"", "--dataflow", 0,
                             "unknown dataflow '" + a.dataflow +
                                 "' (expected one of: " + core::enum_choices(arch::kDataflows) +
                                 ")"});
    acc.dataflow = *df;
  }
  const auto net = workloads::load_workload(a.workload).with_batch(a.batch);
  const auto result = explore::evaluate_network(net, acc);
  explore::write_run_outputs(result, a.out_dir);
  if (!a.quiet) std::fputs(explore::format_run_console(result).c_str(), stdout);
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Loom: hardware-aware DNN accelerator simulator and co-design explorer"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "loom 0.1.0");

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Evaluate a network on an accelerator (analytical model)");
  run_cmd->add_option("--arch", run.arch,
                      "Accelerator: preset name, Loom .yaml, or SCALE-Sim .cfg")
      ->capture_default_str();
  run_cmd->add_option("--workload", run.workload,
                      "Network: zoo name, Loom .yaml, or SCALE-Sim topology .csv")
      ->required();
  run_cmd->add_option("--dataflow", run.dataflow, "Override the dataflow: os, ws or is");
  run_cmd->add_option("--batch", run.batch, "Batch size N (default 1)")->check(CLI::PositiveNumber);
  run_cmd->add_option("-o,--out", run.out_dir, "Output folder")->capture_default_str();
  run_cmd->add_flag("-q,--quiet", run.quiet, "Do not print the per-layer table");

  auto* zoo_cmd = app.add_subcommand("zoo", "List built-in networks and accelerator presets");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (run_cmd->parsed()) return cmd_run(run);
    if (zoo_cmd->parsed()) return cmd_zoo();
  } catch (const Error& e) {
    std::fprintf(stderr, "loom: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loom: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
