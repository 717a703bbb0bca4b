// SPDX-License-Identifier: Apache-2.0
#pragma once
// `loom sweep` and `loom report`, called by the CLI once it has parsed the command line. Both
// throw loom::Error on bad input (the CLI exits 2). Only run_sweep_command initializes MPI.
#include <string>

namespace loom::sweep {

struct SweepArgs {
  std::string file;
  std::string out_dir = "out";
  bool resume = false;
  bool force = false;  // start afresh in a non-empty folder (its files are replaced)
  int threads = 0;     // per rank; 0: cores / ranks on this machine
  bool quiet = false;  // no progress line
};
int run_sweep_command(const SweepArgs& args);

struct ReportArgs {
  std::string results_h5;
  std::string out = "report.html";
  std::string pareto_svg;  // also write the Pareto plot alone here
};
int run_report_command(const ReportArgs& args);

}  // namespace loom::sweep
